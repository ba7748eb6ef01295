"""Doc consumer: one processed paper becomes rows for every fact table."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from extractors.extensions import fact_spans
from extractors.names.canonical import display
from extractors.results.leaderboard import Candidate, candidates, default_min_confidence
from extractors.tokenizer import doc_text


def _field(start: int, end: int, title_len: int) -> tuple[str, int, int] | None:
    """Map doc offsets to (field, start, end) in that field; None for spans across the title break."""
    if end <= title_len:
        return "title", start, end
    if start > title_len:
        return "abstract", start - title_len - 1, end - title_len - 1
    return None


def _mention_row(span: Span, text: str, paper_id: str, run_id: str, title_len: int, with_model_attrs: bool) -> dict | None:
    start, end = span._.start_char, span._.end_char
    loc = _field(start, end, title_len)
    if loc is None:
        return None
    row = {"paper_id": paper_id, "text": text[start:end], "name": span._.canonical, "field": loc[0], "start": loc[1], "end": loc[2], "rule": span._.rule, "run_id": run_id}
    if with_model_attrs:
        row.update(family=span._.family, version=span._.version, params=span._.params)
    return row


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
    """Rows for models, benchmarks, results, repos, links (from the Doc's fact spans) and leaderboard (scores at or
    above `min_confidence`)."""
    out: dict[str, list[dict]] = {k: [] for k in ("models", "benchmarks", "results", "repos", "links", "leaderboard")}
    text = doc_text(doc)
    names: dict[str, str] = {}
    for table in ("models", "benchmarks"):
        for span in fact_spans(doc, table):
            row = _mention_row(span, text, paper_id, run_id, title_len, table == "models")
            if row is not None:
                out[table].append(row)
                names.setdefault(f"{span.label_}:{row['text']}", row["name"])
    for span in fact_spans(doc, "results"):
        row = _result_row(span, text, paper_id, run_id, title_len)
        if row is not None:
            out["results"].append(row)
    threshold = default_min_confidence() if min_confidence is None else min_confidence
    for c in candidates(text, doc._.quantities, doc._.mentions, doc._.systems or [], title_len):
        if c.confidence >= threshold and _field(c.quantity.start, c.quantity.end, title_len) is not None:
            out["leaderboard"].append(_leaderboard_row(c, doc, text, names, paper_id, run_id))
    for table in ("repos", "links"):
        for span in fact_spans(doc, table):
            row = _link_row(span, text, paper_id, run_id, title_len, table == "repos")
            if row is not None:
                out[table].append(row)
    return out


def _result_row(span: Span, text: str, paper_id: str, run_id: str, title_len: int) -> dict | None:
    start, end = span._.start_char, span._.end_char
    loc = _field(start, end, title_len)
    if loc is None:
        return None
    s_start, s_end = span._.sentence
    return {
        "paper_id": paper_id,
        "text": text[start:end],
        "value": span._.value,
        "scale": span._.scale,
        "unit": span._.unit,
        "kind": span._.kind,
        "metric": span._.metric,
        "benchmark": span._.benchmark,
        "model": span._.model,
        "field": loc[0],
        "start": loc[1],
        "end": loc[2],
        "sentence": text[s_start:s_end],
        "rule": span._.rule,
        "link_rules": ",".join(span._.link_rules) or None,
        "run_id": run_id,
    }


def _link_row(span: Span, text: str, paper_id: str, run_id: str, title_len: int, repo: bool) -> dict | None:
    start, end = span._.start_char, span._.end_char
    loc = _field(start, end, title_len)
    if loc is None:
        return None
    row = {"paper_id": paper_id, "text": text[start:end], "field": loc[0], "start": loc[1], "end": loc[2], "rule": span._.rule, "run_id": run_id}
    if repo:
        return {**row, "url": span._.url, "owner": span._.owner, "repo": span._.repo}
    return {**row, "url": span._.url, "domain": span._.domain}
