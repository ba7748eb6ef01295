"""Canonical metric names, their direction and usual scale, from `metric_registry.jsonl`.

A leaderboard groups by metric, ranks by direction and charts on one scale: `Top-1 Acc` and `top-1 accuracy` are one
metric, the best WER is the lowest, and `0.853` and `85.3%` of one percent-scale metric are the same result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from extractors.rules import rule_cache, rule_file, rule_root

DASHES = re.compile(r"[\u2010-\u2015\u2212]")
# words that qualify a metric without making it another one (`average accuracy`, `test WER`)
NEUTRAL_LEAD = re.compile(r"^(?:(?:overall|average|avg\.?|mean|final|test|validation|val|reported|absolute|relative)\s+)+")
SETTING_LEAD = re.compile(r"^(?P<setting>zero-shot|few-shot|\d+-shot|one-shot|linear[- ]prob(?:e|ing)|fine-tuning|fine-tuned|k-nn)\s+")


@dataclass(frozen=True, slots=True)
class Metric:
    """A metric as the registry knows it; `rule` is the registry line (or `metric_registry.unknown`)."""

    name: str
    higher_is_better: bool | None
    scale: str | None  # "percent" | "fraction" | "absolute"
    rule: str
    setting: str | None = None  # a qualifier written inside the metric (`zero-shot accuracy`)


def metric_key(text: str) -> str:
    """Case, dash and space variants of one written metric share a key."""
    key = DASHES.sub("-", text).casefold().strip(" .,;:()")
    return re.sub(r"\s+", " ", key)


@rule_cache
def _registry() -> tuple[dict[str, dict], list[tuple[re.Pattern[str], dict]]]:
    exact: dict[str, dict] = {}
    families: list[tuple[re.Pattern[str], dict]] = []
    for row in rule_file("results/metric_registry.jsonl"):
        if "pattern" in row:
            families.append((re.compile(row["pattern"]), row))
            continue
        for form in (row["name"], *row.get("aliases", ())):
            exact.setdefault(metric_key(form), row)
            exact.setdefault(metric_key(form).replace("-", " "), row)  # `win-rate` and `win rate`
    return exact, families


def _lookup(key: str) -> tuple[dict, str] | None:
    exact, families = _registry()
    row = exact.get(key) or exact.get(key.replace("-", " "))
    if row is not None:
        return row, row["name"]
    for pattern, row in families:
        match = pattern.fullmatch(key)
        if match is not None:
            return row, row["name"].format(**match.groupdict())
    return None


def canonical_metric(written: str) -> Metric:
    """`Top-1 Acc.` -> top-1 accuracy; `zero-shot accuracy` -> accuracy with setting zero-shot; unknown metrics keep
    their written form with no direction (a leaderboard then shows them unranked)."""
    return _canonical_metric(rule_root(), written)


@lru_cache(maxsize=4096)
def _canonical_metric(root: object, written: str) -> Metric:
    """canonical_metric, cached per rule folder (a saved pipeline copy may name metrics its own way)."""
    key = metric_key(written)
    setting = None
    lead = SETTING_LEAD.match(key)
    if lead is not None:
        setting = lead.group("setting").replace("linear probe", "linear probing").replace("fine-tuned", "fine-tuning")
        key = key[lead.end() :]
    for candidate in (key, NEUTRAL_LEAD.sub("", key)):
        found = _lookup(candidate)
        if found is not None:
            row, name = found
            return Metric(name, row.get("higher_is_better"), row.get("scale"), row["id"], setting)
    qualified = _qualified(NEUTRAL_LEAD.sub("", key), written)
    if qualified is not None:
        return replace(qualified, setting=setting)
    return Metric(written.strip(), None, None, "metric_registry.unknown", setting)


def _qualified(key: str, written: str) -> Metric | None:
    """`robust accuracy`, `median Dice score`, `top-1 success rate`: a metric the registry knows, after up to three
    words that make it a metric of its own; it keeps those words (as written) and takes the known one's direction
    and scale."""
    words = key.split(" ")
    written_words = re.sub(r"\s+", " ", DASHES.sub("-", written)).strip(" .,;:()").split(" ")
    for n in range(1, min(4, len(words))):
        found = _lookup(" ".join(words[n:]))
        if found is not None:
            row, name = found
            qualifier = " ".join(written_words[len(written_words) - len(words) : len(written_words) - len(words) + n])
            return Metric(f"{qualifier} {name}", row.get("higher_is_better"), row.get("scale"), row["id"])
    return None


def normalized_value(value: float, unit: str | None, scale: str | None) -> float:
    """The value on the metric's usual scale: a percent-scale metric written as a fraction (`0.853 AUC` is not one,
    `accuracy of 0.853` is) becomes 85.3, a fraction-scale one written in percent becomes 0.853."""
    if scale == "percent" and unit != "%" and 0 < value <= 1:
        return round(value * 100, 10)
    if scale == "fraction" and unit == "%":
        return round(value / 100, 10)
    return value
