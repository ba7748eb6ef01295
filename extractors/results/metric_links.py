"""Tie each score, delta or efficiency to the metric its sentence names (`84.6% top-1 accuracy`, `F1 of 0.83`)."""

from __future__ import annotations

import re

from extractors.facts import Quantity
from extractors.numbers.cues import number_cues
from extractors.results.link_rules import LIST_JOIN, link_cues, runs, set_link
from extractors.rules import rule_cache, rule_file

METRIC_KINDS = ("score", "delta", "efficiency")
ONE_WORD = re.compile(r"\s*[\w-]+\s+")
# `word-error-rate (WER)`, `Inception Score (IS)`: the short form a paper defines is the metric's name
METRIC_ACRONYM_AFTER = re.compile(r"\s*\(([A-Za-z][\w@.-]{1,9})\)")
FROM_BEFORE = re.compile(r"\bfrom\s+\S+\s*$")
SINGULAR = {"speedups": "speedup", "speed-ups": "speed-up", "throughputs": "throughput", "reductions": "reduction",
            "latencies": "latency", "accuracies": "accuracy", "improvements": "improvement", "savings": "saving"}
LOOKBACK_WINDOW = 110


@rule_cache
def metric_pattern() -> re.Pattern[str]:
    """Every metric of numbers/metrics.jsonl as one regex; the alternative that matched is named by its rule id."""
    parts = []
    for r in rule_file("numbers/metrics.jsonl"):
        parts.append(f"(?P<{r['id'].replace('.', '_')}>" + ("(?i:" + r["pattern"] + ")" if r.get("ci") else r["pattern"]) + ")")
    return re.compile(r"(?<![\w@-])(?:" + "|".join(parts) + r")(?![\w@])")


def _metric_id(match: re.Match) -> str:
    return (match.lastgroup or "").replace("_", ".", 1)


def _defined_short_form(text: str, match: re.Match, pattern: re.Pattern[str]) -> str:
    """`word-error-rate (WER)` is named WER; `accuracy (top-1)` stays accuracy unless the short form is a metric."""
    short = METRIC_ACRONYM_AFTER.match(text, match.end())
    if short is not None and pattern.fullmatch(short.group(1)):
        return short.group(1)
    return match.group(0)


def _metric_text(written: str) -> str:
    """The metric as named, its head in the singular (`speedups` -> `speedup`)."""
    head, _, last = written.rpartition(" ")
    single = SINGULAR.get(last.lower())
    if single is None:
        return written
    return f"{head} {single}".strip() if head else single


def link_metrics(text: str, qs: list[Quantity], s_start: int) -> None:
    """The metric named right after the number (`84.6% top-1 accuracy`, `2.8x speedup`) or just before it
    (`accuracy of 51.7%`, `improves F1 by 2.8%`); failing that, one named earlier in the clause and tied to the
    number by a change (`F1 from 0.797 to 0.835`); list members share theirs (`72.3, 75.8, and 79.4 Top-1`)."""
    for q in qs:
        if q.kind in METRIC_KINDS:
            _link_metric_nearby(text, q, s_start)
    _share_metrics_in_lists(text, [q for q in qs if q.kind in METRIC_KINDS])
    for q in qs:
        if q.kind in METRIC_KINDS and not q.metric:
            _look_back_for_metric(text, q, s_start, qs)


def _link_metric_nearby(text: str, q: Quantity, s_start: int) -> None:
    pattern, cues = metric_pattern(), link_cues()
    after = None
    for lead in (cues.lead_word.match(text, q.end), ONE_WORD.match(text, q.end)):
        if lead is not None:
            after = pattern.match(text, lead.end())
            if after is not None:
                break
    if after is not None:
        set_link(q, "metric", _metric_text(_defined_short_form(text, after, pattern)), "link.metric.after:" + _metric_id(after))
        return
    hits = list(pattern.finditer(text, max(s_start, q.start - 45), q.start))
    if hits and cues.metric_to_number.match(text, hits[-1].end(), q.start):
        set_link(q, "metric", _metric_text(hits[-1].group(0)), "link.metric.before:" + _metric_id(hits[-1]))
        return
    hits = list(pattern.finditer(text, max(s_start, q.start - 90), q.start))
    if hits and cues.metric_on_benchmark_to_number.match(text[hits[-1].end() : q.start]):
        set_link(q, "metric", _metric_text(hits[-1].group(0)), "link.metric.before_benchmark:" + _metric_id(hits[-1]))


def _share_metrics_in_lists(text: str, qs: list[Quantity]) -> None:
    """`72.3, 75.8, and 79.4 Top-1`, `by 2.8% over GPT-4o and 5.8% over Gemini`: one metric for the whole list."""
    gaps = (LIST_JOIN, number_cues().qualified_list_gap, link_cues().metric_share_gap)
    for run in runs(qs, lambda a, b: any(gap.match(text[a.end : b.start]) for gap in gaps)):
        named = [q for q in run if q.metric]
        if len(run) < 2 or not named or len({q.metric for q in named}) != 1:
            continue
        for q in run:
            if not q.metric and (q.kind == named[0].kind or {q.kind, named[0].kind} == {"score", "delta"}):
                set_link(q, "metric", named[0].metric, "link.metric.list")


def _look_back_for_metric(text: str, q: Quantity, s_start: int, sentence_qs: list[Quantity]) -> None:
    """The last metric before the number in its clause, when a change verb or preposition leads to the number and at
    most the `from X` of a `from X to Y` stands between them."""
    cues = link_cues()
    start = max(s_start, q.start - LOOKBACK_WINDOW)
    hits = list(metric_pattern().finditer(text, start, q.start))
    if not hits or not cues.lookback_to_number.search(text, hits[-1].end(), q.start):
        return
    gap = text[hits[-1].end() : q.start]
    if cues.clause_break.search(gap):
        return
    others = [o for o in sentence_qs if hits[-1].end() <= o.start and o.end <= q.start and o is not q]
    if len(others) > 1 or others and not FROM_BEFORE.search(text[hits[-1].end() : others[0].end + 1] + " "):
        return  # only `from X to Y` may stand between a metric and its number
    set_link(q, "metric", _metric_text(hits[-1].group(0)), "link.metric.lookback:" + _metric_id(hits[-1]))
