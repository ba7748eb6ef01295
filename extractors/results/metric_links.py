"""Tie each score, delta or efficiency to the metric its sentence names (`84.6% top-1 accuracy`, `F1 of 0.83`)."""

from __future__ import annotations

import re

from extractors.facts import Quantity
from extractors.numbers.cues import number_cues
from extractors.results.link_rules import LIST_JOIN, link_cues, runs, set_link
from extractors.results.metric_names import MetricHit, find_metrics, metric_at, metric_pattern
from extractors.results.metrics import SETTING_LEAD as SETTING_LEAD_KEY
from extractors.rules import rule_cache, rule_file

__all__ = ["link_metrics", "metric_pattern"]

METRIC_KINDS = ("score", "delta", "efficiency")
CARRIED_KINDS = ("score", "delta")
# one word between a number and its metric (`0.89 for Dice`); a conjunction starts the next item (`166.5 and FID`)
ONE_WORD = re.compile(r"\s*(?!(?:and|or|but|than|while|whereas|vs)\b)[\w-]+\s+")
# `word-error-rate (WER)`, `Inception Score (IS)`: the short form a paper defines is the metric's name
METRIC_ACRONYM_AFTER = re.compile(r"\s*\(([A-Za-z][\w@.-]{1,9})\)")
FROM_BEFORE = re.compile(r"\bfrom\s+\S+\s*$")
OPEN_PARENTHESIS_BEFORE = re.compile(r"\(\s*$")
# `FID 3.49 and KDD 0.319`: a short upper-case word right before a number is likely a metric no list knows
UNKNOWN_ACRONYM_BEFORE = re.compile(r"(?<![\w-])[A-Z][A-Za-z0-9@-]{0,8}[A-Z0-9]\s*[:=]?\s*$")
# `MAE and LCC`, `AP_{25}/AP_{50}`, `CIDEr / SPICE / BLEU-4`: metrics named as one list
METRIC_LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|/\s*|&\s*)$")
# `64.2% zero-shot accuracy on GSM8K, and 51.7% on MATH with maj@64`: a carried metric leaves its setting behind
SETTING_LEAD = re.compile(SETTING_LEAD_KEY.pattern, re.I)
LOOKBACK_WINDOW = 110
PAIR_WINDOW = 120
CHANGE_WINDOW = 120
IMPLIED_METRICS_FILE = "results/implied_metrics.jsonl"
PARENTHESISED_WINDOW = 150
CARRY_WINDOW = 250

Span = tuple[int, int]


def link_metrics(text: str, qs: list[Quantity], s_start: int, names: list[Span] | None = None) -> None:
    """The metric named right after the number (`84.6% top-1 accuracy`, `2.8x speedup`) or just before it
    (`accuracy of 51.7%`, `improves F1 by 2.8%`); failing that, one named earlier in the clause and tied to the
    number by a change (`F1 from 0.797 to 0.835`) or followed by names with the numbers in parentheses (`accuracy
    on CIFAR-100 (91.7%)`); list members share theirs (`72.3, 75.8, and 79.4 Top-1`), and a number compared with an
    earlier one in the sentence takes its metric when none is named between them (`76.7% accuracy, whereas GPT-4o
    reaches 68.5%`). `names` are the sentence's benchmark spans: a benchmark is never read as a metric (`ADE`)."""
    names = names or []
    scored = [q for q in qs if q.kind in METRIC_KINDS]
    _pair_metric_lists(text, scored, s_start, names)
    for q in scored:
        if not q.metric:
            _link_metric_nearby(text, q, s_start, names)
    _share_metrics_in_lists(text, scored)
    for q in scored:
        if not q.metric:
            _look_back_for_metric(text, q, s_start, qs, names)
        if not q.metric:
            _link_before_parenthesised(text, q, s_start, qs, names)
    _share_metrics_in_lists(text, scored)
    _carry_to_compared(text, scored, names)
    for q in scored:
        if not q.metric and q.kind == "delta":
            _link_changed_quantity(text, q, s_start)
        if not q.metric:
            _link_implied_metric(text, q)


def _metrics(text: str, start: int, end: int, bound: int, names: list[Span]) -> list[MetricHit]:
    """The metrics named in text[start:end] that are not a model's or benchmark's name."""
    return [h for h in find_metrics(text, start, end, bound) if not _inside_name(h, names)]


def _inside_name(hit: MetricHit, names: list[Span]) -> bool:
    """`that on ADE is 82.76%`: the metric-like word is a benchmark's name (`GLUE score` is not inside `GLUE`); model
    names are not checked, a metric is often also a model's name (`MAE of 0.07 eV`)."""
    return any(a <= hit.start and hit.end <= b for a, b in names)


def _defined_short_form(text: str, hit: MetricHit) -> str:
    """`word-error-rate (WER)` is named WER; `accuracy (top-1)` stays accuracy unless the short form is a metric."""
    short = METRIC_ACRONYM_AFTER.match(text, hit.end)
    if short is not None and metric_pattern().fullmatch(short.group(1)):
        return short.group(1)
    return hit.text


def _link_metric_nearby(text: str, q: Quantity, s_start: int, names: list[Span]) -> None:
    cues = link_cues()
    after = None
    for lead in (cues.lead_word.match(text, q.end), ONE_WORD.match(text, q.end)):
        if lead is not None:
            after = metric_at(text, lead.end(), q.end)
            if after is not None and not _inside_name(after, names):
                break
            after = None
    if after is not None:
        set_link(q, "metric", _defined_short_form(text, after), "link.metric.after:" + after.rule)
        return
    hits = _metrics(text, max(s_start, q.start - 45), q.start, s_start, names)
    if hits and cues.metric_to_number.match(text, hits[-1].end, q.start):
        set_link(q, "metric", hits[-1].text, "link.metric.before:" + hits[-1].rule)
        return
    hits = _metrics(text, max(s_start, q.start - 90), q.start, s_start, names)
    if hits and cues.metric_on_benchmark_to_number.match(text[hits[-1].end : q.start]):
        set_link(q, "metric", hits[-1].text, "link.metric.before_benchmark:" + hits[-1].rule)


def _pair_metric_lists(text: str, qs: list[Quantity], s_start: int, names: list[Span]) -> None:
    """`MAE and LCC of 0.11 and 0.92, respectively`, `AP_{25}/AP_{50} from 65.0%/47.0% to 77.8%/66.0%`: a list of
    metrics pairs in order with each list of as many numbers after it (`respectively` or slashes say so)."""
    value_runs = [r for r in runs(qs, lambda a, b: LIST_JOIN.match(text[a.end : b.start])) if len(r) > 1]
    if not value_runs:
        return  # no list of numbers to pair with: the sentence's metrics are not read
    hits = _metrics(text, s_start, qs[-1].start, s_start, names)
    parallel = link_cues().respectively.search(text, s_start, qs[-1].sentence[1]) is not None
    for m_run in runs(hits, lambda a, b: METRIC_LIST_JOIN.match(text[a.end : b.start])):
        slashed = all("/" in text[a.end : b.start] for a, b in zip(m_run, m_run[1:], strict=False))
        if len(m_run) < 2 or not (parallel or slashed):
            continue
        for v_run in value_runs:
            gap = text[m_run[-1].end : v_run[0].start]
            later = [h for h in hits if m_run[-1].end <= h.start < v_run[0].start]
            if (
                len(v_run) != len(m_run)
                or v_run[0].start < m_run[-1].end
                or later
                or ";" in gap
                or len(gap) > PAIR_WINDOW
            ):
                continue
            for q, hit in zip(v_run, m_run, strict=True):
                set_link(q, "metric", hit.text, "link.metric.parallel_lists:" + hit.rule)


def _share_metrics_in_lists(text: str, qs: list[Quantity]) -> None:
    """`72.3, 75.8, and 79.4 Top-1`, `by 2.8% over GPT-4o and 5.8% over Gemini`: one metric for the whole list.
    Plain lists first, so `0.93, 0.94 and 0.89 for Dice, and 3, 2.2 and 1.4 for HD` gives each list its own."""
    if len(qs) < 2:
        return  # no list
    plain = (LIST_JOIN, link_cues().metric_share_gap)
    for gaps in (plain, (*plain, number_cues().qualified_list_gap)):
        for run in runs(qs, lambda a, b, gaps=gaps: any(gap.match(text[a.end : b.start]) for gap in gaps)):
            named = [q for q in run if q.metric]
            if len(run) < 2 or not named or len({q.metric for q in named}) != 1:
                continue
            for q in run:
                if not q.metric and (
                    q.kind == named[0].kind or {q.kind, named[0].kind} == {"score", "delta"}
                ):
                    set_link(q, "metric", named[0].metric, "link.metric.list")


def _look_back_for_metric(
    text: str, q: Quantity, s_start: int, sentence_qs: list[Quantity], names: list[Span]
) -> None:
    """The last metric before the number in its clause, when a change verb or preposition leads to the number and at
    most the `from X` of a `from X to Y` stands between them."""
    cues = link_cues()
    hits = _metrics(text, max(s_start, q.start - LOOKBACK_WINDOW), q.start, s_start, names)
    if not hits or not cues.lookback_to_number.search(text, hits[-1].end, q.start):
        return
    gap = text[hits[-1].end : q.start]
    if cues.clause_break.search(gap):
        return
    others = [o for o in sentence_qs if hits[-1].end <= o.start and o.end <= q.start and o is not q]
    if len(others) > 1 or others and not FROM_BEFORE.search(text[hits[-1].end : others[0].end + 1] + " "):
        return  # only `from X to Y` may stand between a metric and its number
    set_link(q, "metric", hits[-1].text, "link.metric.lookback:" + hits[-1].rule)


def _link_before_parenthesised(
    text: str, q: Quantity, s_start: int, sentence_qs: list[Quantity], names: list[Span]
) -> None:
    """`accuracy on CIFAR-100 (91.7%)`, `diarization error rate on all datasets, including CALLHOME (12.11%)`: the
    first number after a metric, in parentheses after the names it was measured on."""
    if not OPEN_PARENTHESIS_BEFORE.search(text, max(s_start, q.start - 3), q.start):
        return
    hits = _metrics(text, max(s_start, q.start - PARENTHESISED_WINDOW), q.start, s_start, names)
    if not hits or any(hits[-1].end <= o.start and o.end <= q.start for o in sentence_qs):
        return
    if link_cues().metric_to_parenthesised_number.match(text[hits[-1].end : q.start]):
        set_link(q, "metric", hits[-1].text, "link.metric.before_parenthesised:" + hits[-1].rule)


def _carry_to_compared(text: str, qs: list[Quantity], names: list[Span]) -> None:
    """`76.67% accuracy, whereas GPT-4o reaches 68.47%`, `0.344 (vs LSTM 0.329)`: a score or delta with no metric of
    its own is measured like the last one of its kind and unit before it in the sentence, when no other metric, no `;`
    and no unknown metric-like word (`FID 3.49 and KDD 0.319`) stands between them; a setting written in the metric
    (`zero-shot accuracy`) is the earlier number's own and stays behind. A list of such numbers after as many numbers
    with different metrics pairs with them in order (`FID: 1.59, IS: 304.4 vs. original 1.61, 299.1`)."""
    if len(qs) < 2:
        return  # no earlier number to carry from
    for run in runs(qs, lambda a, b: LIST_JOIN.match(text[a.end : b.start])):
        bare = [q for q in run if not q.metric and q.kind in CARRIED_KINDS]
        earlier = [p for p in qs if p.metric and p.end <= run[0].start]
        if len(bare) == len(run) > 1 and len(earlier) >= len(run):
            pairs = list(zip(earlier[-len(run) :], run, strict=True))
            paired = {p.metric for p, _ in pairs}
            if len(paired) == len(run) and all(_carries(text, p, q, names, paired) for p, q in pairs):
                for p, q in pairs:
                    set_link(q, "metric", SETTING_LEAD.sub("", p.metric or ""), "link.metric.carried")
                continue
        for q in bare:
            p = next(
                (
                    p
                    for p in reversed(qs)
                    if p.metric and p.end <= q.start and p.kind == q.kind and p.unit == q.unit
                ),
                None,
            )
            if p is not None and _carries(text, p, q, names, {p.metric}):
                set_link(q, "metric", SETTING_LEAD.sub("", p.metric or ""), "link.metric.carried")


def _carries(text: str, earlier: Quantity, q: Quantity, names: list[Span], allowed: set[str | None]) -> bool:
    """Whether `q` may take the metric of `earlier`: same kind and unit, near, and no metric but the `allowed` ones
    (those being carried) named between them."""
    if (
        earlier.kind != q.kind
        or earlier.unit != q.unit
        or q.start - earlier.end > CARRY_WINDOW
        or ";" in text[earlier.end : q.start]
    ):
        return False
    if any(h.text not in allowed for h in _metrics(text, earlier.end, q.start, earlier.end, names)):
        return False
    acronym = UNKNOWN_ACRONYM_BEFORE.search(text, earlier.end, q.start)
    return acronym is None or any(a <= acronym.start() < b for a, b in names)


def _link_changed_quantity(text: str, q: Quantity, s_start: int) -> None:
    """A delta whose sentence names no known metric measures what it changes: `a 45% improvement in segmentation
    performance`, `improved session depth by 4.71%` (a model, a method or a pronoun is no such thing)."""
    cues = link_cues()
    after = cues.changed_quantity_after.match(text, q.end)
    if after is not None:
        set_link(q, "metric", after.group("metric"), "link.metric.changed_quantity_after")
        return
    before = cues.changed_quantity_before.search(text, max(s_start, q.start - CHANGE_WINDOW), q.start)
    if before is not None:
        set_link(q, "metric", before.group("metric"), "link.metric.changed_quantity_before")


@rule_cache
def implied_metrics() -> list[tuple[str, re.Pattern[str], str, frozenset[str]]]:
    """(rule id, pattern after the number, metric, kinds) per line of `results/implied_metrics.jsonl`."""
    return [
        (r["id"], re.compile(r["after"]), r["metric"], frozenset(r["kinds"]))
        for r in rule_file(IMPLIED_METRICS_FILE)
    ]


def _link_implied_metric(text: str, q: Quantity) -> None:
    """`5.8 times faster`: the metric a comparative names without writing it (a speed)."""
    for rule_id, after, metric, kinds in implied_metrics():
        if q.kind in kinds and after.match(text, q.end):
            set_link(q, "metric", metric, "link.metric.implied:" + rule_id)
            return
