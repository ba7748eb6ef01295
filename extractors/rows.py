"""Doc consumer: one processed paper becomes rows for every fact table."""

from __future__ import annotations

from spacy.tokens import Doc

from extractors.facts import Mention
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


def _mention_row(m: Mention, paper_id: str, run_id: str, title_len: int, with_model_attrs: bool) -> dict | None:
    loc = _field(m.start, m.end, title_len)
    if loc is None:
        return None
    row = {"paper_id": paper_id, "text": m.text, "name": m.canonical or m.name, "field": loc[0], "start": loc[1], "end": loc[2], "rule": m.rule, "run_id": run_id}
    if with_model_attrs:
        row.update(family=m.family, version=m.version, params=m.params)
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
    """Rows for models, benchmarks, results, repos, links and leaderboard (scores at or above `min_confidence`)."""
    out: dict[str, list[dict]] = {k: [] for k in ("models", "benchmarks", "results", "repos", "links", "leaderboard")}
    names: dict[str, str] = {}
    for m in doc._.mentions:
        table = "models" if m.label == "model" else "benchmarks"
        row = _mention_row(m, paper_id, run_id, title_len, table == "models")
        if row is not None:
            out[table].append(row)
            names.setdefault(f"{m.label}:{m.text}", m.canonical or m.name)
    text = doc_text(doc)
    for q in doc._.quantities:
        loc = _field(q.start, q.end, title_len)
        if loc is None:
            continue
        sentence = text[q.sentence[0] : q.sentence[1]]
        out["results"].append(
            {
                "paper_id": paper_id,
                "text": q.text,
                "value": q.value,
                "scale": q.scale,
                "unit": q.unit,
                "kind": q.kind,
                "metric": q.metric,
                "benchmark": q.benchmark,
                "model": q.model,
                "field": loc[0],
                "start": loc[1],
                "end": loc[2],
                "sentence": sentence,
                "rule": q.rule,
                "link_rules": ",".join(q.link_rules) or None,
                "run_id": run_id,
            }
        )
    threshold = default_min_confidence() if min_confidence is None else min_confidence
    for c in candidates(text, doc._.quantities, doc._.mentions, doc._.systems or [], title_len):
        if c.confidence >= threshold and _field(c.quantity.start, c.quantity.end, title_len) is not None:
            out["leaderboard"].append(_leaderboard_row(c, doc, text, names, paper_id, run_id))
    for link in doc._.links:
        loc = _field(link.start, link.end, title_len)
        if loc is None:
            continue
        base = {"paper_id": paper_id, "text": link.text, "field": loc[0], "start": loc[1], "end": loc[2], "rule": link.rule, "run_id": run_id}
        if link.owner and link.repo:
            out["repos"].append({**base, "url": link.url, "owner": link.owner, "repo": link.repo})
        else:
            out["links"].append({**base, "url": link.url, "domain": link.domain})
    return out
