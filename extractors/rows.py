"""Doc consumer: one processed paper becomes rows for every fact table."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span

from extractors.extensions import SPAN_GROUPS, fact_spans
from extractors.names.canonical import display
from extractors.results.leaderboard import Candidate, candidates, default_min_confidence
from extractors.schemas import FACT_TABLES
from extractors.tokenizer import doc_text


def _field(start: int, end: int, title_len: int) -> tuple[str, int, int] | None:
    """Map doc offsets to (field, start, end) in that field; None for spans across the title break."""
    if end <= title_len:
        return "title", start, end
    if start > title_len:
        return "abstract", start - title_len - 1, end - title_len - 1
    return None


def _system_name(doc: Doc, text: str) -> str:
    """A leaderboard model that is the paper's own system rather than a mention: its name as the system has it."""
    for s in doc._.systems or ():
        if s.text == text and s.canonical:
            return s.canonical
    return display(text, "model")


def _leaderboard_row(c: Candidate, doc: Doc, text: str, names: dict[str, str], paper_id: str, run_id: str) -> dict:
    q = c.quantity
    s_start, s_end = q.sentence
    return {
        "benchmark": names.get(f"benchmark:{q.benchmark}") or display(q.benchmark, "benchmark"),
        "metric": c.metric,
        "metric_text": c.metric_text,
        "higher_is_better": c.higher_is_better,
        "model": names.get(f"model:{q.model}") or _system_name(doc, q.model),
        "value": q.value,
        "unit": q.unit,
        "value_normalized": c.value_normalized,
        "setting": c.setting,
        "bound": c.bound,
        "confidence": c.confidence,
        "paper_id": paper_id,
        "benchmark_text": q.benchmark,
        "model_text": q.model,
        "text": q.text,
        "sentence": text[s_start:s_end],
        "number_start": q.start - s_start,
        "number_end": q.end - s_start,
        "rule": ",".join([*q.link_rules, *c.rules]),
        "run_id": run_id,
    }


def doc_to_rows(doc: Doc, paper_id: str, title_len: int, run_id: str, min_confidence: float | None = None) -> dict[str, list[dict]]:
    """Rows for every fact table: those of SPAN_ROWS from the Doc's fact spans, and leaderboard (scores at or
    above `min_confidence`)."""
    out: dict[str, list[dict]] = {name: [] for name in FACT_TABLES}
    text = doc_text(doc)
    for table, make_row in SPAN_ROWS.items():
        for span in fact_spans(doc, table):
            start, end = span._.start_char, span._.end_char
            loc = _field(start, end, title_len)
            if loc is not None:
                base = {"paper_id": paper_id, "text": text[start:end], "field": loc[0], "start": loc[1], "end": loc[2], "rule": span._.rule, "run_id": run_id}
                out[table].append(make_row(span, base, text))
    names: dict[str, str] = {}
    for table, label in (("models", "model"), ("benchmarks", "benchmark")):
        for row in out[table]:
            names.setdefault(f"{label}:{row['text']}", row["name"])
    threshold = default_min_confidence() if min_confidence is None else min_confidence
    for c in candidates(text, doc._.quantities, doc._.mentions, doc._.systems or [], title_len):
        if c.confidence >= threshold and _field(c.quantity.start, c.quantity.end, title_len) is not None:
            out["leaderboard"].append(_leaderboard_row(c, doc, text, names, paper_id, run_id))
    return out


def _model_row(span: Span, base: dict, text: str) -> dict:
    return {**_name_row(span, base, text), "family": span._.family, "version": span._.version, "params": span._.params}


def _name_row(span: Span, base: dict, text: str) -> dict:
    return {**base, "name": span._.canonical}


def _result_row(span: Span, base: dict, text: str) -> dict:
    s_start, s_end = span._.sentence
    return {
        **base,
        "value": span._.value,
        "scale": span._.scale,
        "unit": span._.unit,
        "kind": span._.kind,
        "metric": span._.metric,
        "benchmark": span._.benchmark,
        "model": span._.model,
        "sentence": text[s_start:s_end],
        "link_rules": ",".join(span._.link_rules) or None,
    }


def _repo_row(span: Span, base: dict, text: str) -> dict:
    return {**base, "url": span._.url, "owner": span._.owner, "repo": span._.repo}


def _link_row(span: Span, base: dict, text: str) -> dict:
    return {**base, "url": span._.url, "domain": span._.domain}


# A fact table made from one span group (doc.spans[table]): the row's columns beyond paper_id, text, field, start,
# end, rule and run_id. The leaderboard is the one fact table made otherwise (from linked results).
SPAN_ROWS: dict[str, Callable[[Span, dict, str], dict]] = {
    "models": _model_row,
    "benchmarks": _name_row,
    "results": _result_row,
    "repos": _repo_row,
    "links": _link_row,
}
assert set(SPAN_ROWS) == set(SPAN_GROUPS) and set(FACT_TABLES) == {*SPAN_ROWS, "leaderboard"}, "a fact table without rows"
