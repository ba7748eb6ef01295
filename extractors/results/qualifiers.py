"""What a score is qualified by: the setting it was measured in and whether it is a bound rather than a value.

Both decide how a number may be charted: `71.2% zero-shot` sits on another board than `85.1% fine-tuned`, and
`over 60 AP` is never ranked as 60. Patterns live in `settings.jsonl` and `bounds.jsonl`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.rules import rule_cache, rule_file

SETTING_BEFORE = 100
SETTING_AFTER = 70
CLAUSE_STOP = re.compile(r";|\.\s|,\s+(?:while|whereas|but|compared|relative|versus|vs\.?|outperform\w*|surpass\w*|and\s+(?:it|we|our|the))\b")
BOUND_BEFORE = 30


@dataclass(frozen=True, slots=True)
class Qualifier:
    id: str
    pattern: re.Pattern[str]
    label: str
    where: str = ""


def _compile(row: dict) -> re.Pattern[str]:
    return re.compile(row["pattern"], re.I if row.get("ci") else 0)


@rule_cache
def setting_rules() -> tuple[Qualifier, ...]:
    return tuple(Qualifier(r["id"], _compile(r), r["label"]) for r in rule_file("results/settings.jsonl"))


@rule_cache
def not_score_rules() -> tuple[Qualifier, ...]:
    return tuple(Qualifier(r["id"], _compile(r), r["id"], r["where"]) for r in rule_file("results/not_scores.jsonl"))


def not_a_score(text: str, start: int, end: int, sentence: tuple[int, int]) -> str | None:
    """The rule id when a score-like number is no leaderboard result (`97% of the performance of BERT`, a
    correlation with human judges, `80% of the time`, the expert accuracy of 81.2%)."""
    windows = {
        "before": text[max(sentence[0], start - BOUND_BEFORE - 20) : start],
        "after": text[end : min(sentence[1], end + 60)],
        "around": text[max(sentence[0], start - 80) : min(sentence[1], end + 80)],
    }
    for rule in not_score_rules():
        if rule.pattern.search(windows[rule.where]):
            return rule.id
    return None


@rule_cache
def bound_rules() -> tuple[Qualifier, ...]:
    return tuple(Qualifier(r["id"], _compile(r), r["bound"], r["where"]) for r in rule_file("results/bounds.jsonl"))


def _clause(text: str, start: int, end: int, sentence: tuple[int, int], neighbours: tuple[int, int]) -> tuple[int, int]:
    """The stretch around a number up to the nearest clause break or neighbouring number on each side."""
    left = max(sentence[0], start - SETTING_BEFORE, neighbours[0])  # -1: no score on that side
    stops = list(CLAUSE_STOP.finditer(text, left, start))
    if stops:
        left = stops[-1].end()
    right = min(sentence[1], end + SETTING_AFTER, neighbours[1] if neighbours[1] >= 0 else sentence[1])
    stop = CLAUSE_STOP.search(text, end, right)
    if stop is not None:
        right = stop.start()
    return left, right


def _nearer_to_neighbour(match: re.Match, start: int, end: int, neighbours: tuple[int, int]) -> bool:
    """A setting between two scores belongs to the one it stands nearer to."""
    if match.end() <= start and neighbours[0] >= 0:
        return match.start() - neighbours[0] < start - match.end()
    if match.start() >= end and neighbours[1] >= 0:
        return neighbours[1] - match.end() < match.start() - end
    return False


def find_settings(
    text: str, start: int, end: int, sentence: tuple[int, int], neighbours: tuple[int, int], metric_setting: str | None
) -> tuple[str | None, list[str]]:
    """(settings joined by ', ' in text order, rule ids): zero-shot, 5-shot, maj@64, test-other, 256×256, ...
    `neighbours` are the end of the previous score and the start of the next one: a setting between two scores
    of one sentence belongs to the nearer clause, so it is looked for only on this number's side of them."""
    left, right = _clause(text, start, end, sentence, neighbours)
    found: list[tuple[int, str, str]] = []
    if metric_setting:
        found.append((start, metric_setting, "setting.in_metric"))
    for rule in setting_rules():
        for match in rule.pattern.finditer(text, left, right):
            if match.start() < end and match.end() > start:
                continue  # the number itself (`256` of `256x256` is never the score)
            if _nearer_to_neighbour(match, start, end, neighbours):
                continue  # `64.2% zero-shot accuracy on GSM8K, and 51.7% on MATH`: zero-shot is the first score's
            groups = {k: v for k, v in match.groupdict().items() if v is not None}
            label = rule.label.format(**groups) if groups else rule.label
            found.append((match.start(), label, rule.id))
    labels: list[str] = []
    rules: list[str] = []
    for _, label, rule_id in sorted(found):
        if label.casefold() not in (x.casefold() for x in labels):
            labels.append(label)
            rules.append(rule_id)
    return (", ".join(labels) or None), rules


def find_bound(text: str, start: int, end: int, number_text: str) -> tuple[str | None, str | None]:
    """(bound, rule id): `>` for `over 60 AP` or `>60`, `≥` for `80+%`, `~` for `about 85%`; (None, None) for a value."""
    before = text[max(0, start - BOUND_BEFORE) : start]
    after = text[end : end + 3]
    for rule in bound_rules():
        subject = {"sign": number_text, "before": before, "after": after}[rule.where]
        if rule.pattern.search(subject):
            return rule.label, rule.id
    return None, None
