"""Where a sentence names a metric, and the metric as written.

The names are data: the patterns of `numbers/metrics.jsonl` and every multi-word name of the metric registry
(`Inception Score`, `mean human normalized score`), so a metric the registry knows is also one a number can be tied
to. A plural or a trailing `score` belongs to the name a number is read against (`F1 scores of 0.79`, `WERs of
1.75%`) but not to the metric as written (`F1`, `WER`); the qualifier words written before a metric are kept
(`length-controlled win rate`, `median Dice score`), and so is a metric that qualifies the one after it
(`top-1 success rate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.branch_index import BranchIndex, TextScan
from extractors.results.link_rules import link_cues
from extractors.rules import rule_cache, rule_file

# `WERs`, `success rates`, `F1 scores`, `NDS metric`, `mAP accuracy`: read with the name, dropped from the written metric
# (`APs` and `ARs` are the small-object AP and AR, not plurals)
TAIL = r"(?P<tail>(?<=[A-Z0-9])(?<!AP)(?<!AR)s|(?<=rate)s|(?<=score)s|(?<=rating)s|[- ](?:scores?|metrics?|accuracy)|\)[ ]scores?)?"
SINGULAR = {
    "speedups": "speedup",
    "speed-ups": "speed-up",
    "throughputs": "throughput",
    "reductions": "reduction",
    "latencies": "latency",
    "accuracies": "accuracy",
    "improvements": "improvement",
    "savings": "saving",
}
COMPOUND_GAP = re.compile(r"[ \t]+")
REGISTRY_FILE = "results/metric_registry.jsonl"
EFFICIENCY_RULE = "metric.efficiency"


@dataclass(frozen=True, slots=True)
class MetricHit:
    """A metric named in the text: `start` includes its qualifiers, `end` its plural or `score` (cues read on from
    there); `text` is the metric as written, its head in the singular; `rule` the metric rule that matched."""

    start: int
    end: int
    text: str
    rule: str


@rule_cache
def _metric_names() -> tuple[BranchIndex, dict[str, str], re.Pattern[str]]:
    """One regex for every metric name (indexed by first character: it is scanned over every sentence with a
    score), and the rule id of each of its named groups.

    The registry's multi-word names come first, longest first, so `Dice similarity coefficient` is read whole where
    the file knows only `Dice`; a name the file also matches keeps the file's rule (the third item: the file's regex)."""
    file_parts, ids = [], {}
    for row in rule_file("numbers/metrics.jsonl"):
        group = f"g{len(ids)}"
        ids[group] = row["id"]
        file_parts.append(
            f"(?P<{group}>" + ("(?i:" + row["pattern"] + ")" if row.get("ci") else row["pattern"]) + ")"
        )
    file_pattern = re.compile("|".join(file_parts))
    registry_parts = []
    for row_id, forms in _registry_forms(file_pattern):
        group = f"g{len(ids)}"
        ids[group] = row_id
        registry_parts.append((max(len(f) for f in forms), f"(?P<{group}>(?i:" + "|".join(forms) + "))"))
    parts = [p for _, p in sorted(registry_parts, key=lambda lp: -lp[0])] + file_parts
    return BranchIndex(parts, lead=r"(?<![\w@-])", trail=TAIL + r"(?![\w@])"), ids, file_pattern


def _registry_forms(file_pattern: re.Pattern[str]) -> list[tuple[str, list[str]]]:
    """Each registry line's written forms that name a metric on their own: more than one word (a single word like
    `error` or `score` is too common to be read as a metric), not already matched by the file, and not merely
    another form plus `score` (`FID score` is FID and a trailing score)."""
    rows = [r for r in rule_file(REGISTRY_FILE) if "pattern" not in r]
    known = {f.casefold() for r in rows for f in (r["name"], *r.get("aliases", ()))}
    out = []
    for row in rows:
        forms = []
        for form in (row["name"], *row.get("aliases", ())):
            stem = re.sub(r"[- ]scores?$", "", form, flags=re.I)
            if len(re.split(r"[\s-]+", form)) < 2 or not form[0].isalnum() or "(" in form or "^" in form:
                continue
            if all(file_pattern.fullmatch(f) for f in (form, form.capitalize(), form.title())):
                continue
            if stem != form and stem.casefold() in known:
                continue
            forms.append(re.escape(form).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+"))
        if forms:
            out.append((row["id"], sorted(set(forms), key=len, reverse=True)))
    return out


def metric_pattern() -> BranchIndex:
    """Every metric name as one regex (its groups name the rules)."""
    return _metric_names()[0]


_SCAN: list[TextScan | None] = [None]  # the last text's scan: a paper's sentences are read one after another


def _scan(text: str) -> TextScan:
    """The metric scan of `text`, kept while the same text (and rule folder) is read."""
    scan, index = _SCAN[0], metric_pattern()
    if scan is None or scan.text is not text or scan.index is not index:
        scan = _SCAN[0] = TextScan(index, text)
    return scan


def find_metrics(text: str, start: int, end: int, bound: int | None = None) -> list[MetricHit]:
    """The metrics named in text[start:end]; qualifiers are read back to `bound` (default `start`)."""
    scan = _scan(text)
    bound = start if bound is None else bound
    hits: list[MetricHit] = []
    for match in scan.finditer(start, end):
        if hits and match.start() < hits[-1].end:
            continue  # the second name of `top-1 success rate`, read with the first
        hits.append(_hit(scan, match, end, bound))
    return hits


def metric_at(text: str, pos: int, bound: int) -> MetricHit | None:
    """The metric whose name starts at `pos` (`84.6% top-1 accuracy`), or None."""
    scan = _scan(text)
    match = scan.match(pos, len(text))
    return _hit(scan, match, len(text), bound) if match is not None else None


def _hit(scan: TextScan, match: re.Match[str], end: int, bound: int) -> MetricHit:
    """The hit of `match` (found in a window ending at `end`), remembered per scan: windows overlap."""
    key = (match.start(), end, bound)
    hit = scan.memo.get(key)
    if hit is None:
        hit = scan.memo[key] = _read_hit(scan, match, bound)
    return hit  # type: ignore[return-value]


def _read_hit(scan: TextScan, match: re.Match[str], bound: int) -> MetricHit:
    text = scan.text
    ids = _metric_names()[1]
    rule = _rule(match, ids)
    end = match.end()
    written_end = match.start("tail") if match.group("tail") else end
    gap = COMPOUND_GAP.match(text, end)
    second = scan.match(gap.end(), len(text)) if gap is not None and not match.group("tail") else None
    if second is not None and EFFICIENCY_RULE not in (rule, _rule(second, ids)):
        # `top-1 success rate`: the first metric qualifies the second, which names it (`nDCG@10 cost` is two)
        rule = _rule(second, ids)
        end = second.end()
        written_end = second.start("tail") if second.group("tail") else end
    start = _qualifiers_start(text, match.start(), bound)
    return MetricHit(start, end, _singular(text[start:written_end]), rule)


def _rule(match: re.Match[str], ids: dict[str, str]) -> str:
    """The rule of the group that matched; the file's, when its patterns match the same words."""
    group, words = next((n, v) for n, v in match.groupdict().items() if v is not None and n != "tail")
    same = _metric_names()[2].fullmatch(words)
    if same is not None and not ids[group].startswith("metric."):
        return ids[next(n for n, v in same.groupdict().items() if v is not None)]
    return ids[group]


def _qualifiers_start(text: str, start: int, bound: int) -> int:
    """Where the qualifier words right before a metric begin (`length-controlled`, `median`, `robust`)."""
    lead = link_cues().metric_qualifier.search(text, max(bound, start - 60), start)
    return lead.start() if lead is not None else start


def _singular(written: str) -> str:
    """The metric as named, its head in the singular (`speedups` -> `speedup`)."""
    head, _, last = written.rpartition(" ")
    single = SINGULAR.get(last.lower())
    if single is None:
        return written
    return f"{head} {single}".strip() if head else single
