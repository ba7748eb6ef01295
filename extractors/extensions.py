"""Every custom Doc and Span attribute, declared once and idempotently (safe in worker processes).

Each fact is a Span in `doc.spans[table]` (a span table of extractors.tables). A Span's attributes are read from
its fact record (extractors.facts), found by the span's `id_`: spaCy keys a plain span attribute by its char
offsets only, so two facts on one token (`85.2/90.1`) would share it. The record keeps the exact char offsets
(`._.start_char`, `._.end_char`); the Span itself covers the tokens around them."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable

from spacy.attrs import IDX
from spacy.tokens import Doc, Span

DOC_EXTENSIONS = {
    "sentences": None,  # list[(start, end)] char spans
    "links": None,  # list[Link]
    "mentions": None,  # list[Mention]
    "systems": None,  # list[Mention]: the paper's own systems (title name, "we propose X"), any label
    "quantities": None,  # list[Quantity]
}

FACTS_KEY = "paperfacts.facts"  # doc.user_data[FACTS_KEY][span.id_] is the span's fact record


def fact_of(span: Span) -> object | None:
    """The record behind a fact span (None for a span paperfacts did not make)."""
    return span.doc.user_data.get(FACTS_KEY, {}).get(span.id_) if span.id else None


def _field(name: str) -> Callable[[Span], object]:
    def getter(span: Span) -> object:
        return getattr(fact_of(span), name, None)

    return getter


def _canonical(span: Span) -> str | None:
    fact = fact_of(span)
    if fact is None or not hasattr(fact, "canonical"):
        return None
    return fact.canonical or fact.name


# Span attribute -> the record field it reads (`canonical` is a name's canonical form, else the name as linked).
SPAN_EXTENSIONS: dict[str, Callable[[Span], object]] = {
    "fact": fact_of,
    "rule": _field("rule"),
    "start_char": _field("start"),
    "end_char": _field("end"),
    "canonical": _canonical,
    "family": _field("family"),
    "version": _field("version"),
    "params": _field("params"),
    "value": _field("value"),
    "scale": _field("scale"),
    "unit": _field("unit"),
    "kind": _field("kind"),
    "metric": _field("metric"),
    "benchmark": _field("benchmark"),
    "model": _field("model"),
    "link_rules": _field("link_rules"),
    "sentence": _field("sentence"),
    "url": _field("url"),
    "domain": _field("domain"),
    "owner": _field("owner"),
    "repo": _field("repo"),
}


def register_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, getter in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, getter=getter)


def write_fact_spans(doc: Doc, groups: dict[str, list[tuple[str, object]]]) -> None:
    """Each (label, record) of each group becomes a Span in doc.spans[group], covering the tokens the record's
    char offsets touch (an offset inside a token takes the whole token)."""
    store = doc.user_data.setdefault(FACTS_KEY, {})
    starts = doc.to_array(IDX).tolist() if any(groups.values()) else []  # C-level; iterating Tokens costs more than the rest
    for group, facts in groups.items():
        spans = []
        for index, (label, fact) in enumerate(facts):
            span_id = f"{group}:{index}"
            store[span_id] = fact
            spans.append(Span(doc, *_token_range(starts, fact.start, fact.end), label=label, span_id=span_id))
        doc.spans[group] = spans


def _token_range(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """Tokens from the one holding char `start` to the one holding char `end - 1` (empty past the last token)."""
    first = max(bisect_right(starts, start) - 1, 0)
    last = bisect_right(starts, max(end - 1, start))
    return first, max(last, first)


def fact_spans(doc: Doc, group: str) -> Iterable[Span]:
    """The fact spans of one group, in the order the component found them (none when it did not run)."""
    return doc.spans.get(group, ())
