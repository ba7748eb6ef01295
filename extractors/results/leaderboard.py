"""Leaderboard rows: a score with its benchmark and model, the canonical metric, setting, bound and a confidence.

The confidence is a logistic model over named evidence features (which link rule tied the benchmark and the model,
whether the metric is known, how crowded the sentence is, ...). Its weights are data (`confidence.json`, written by
`scripts/train_confidence.py` from the annotated sets), so a row's confidence can be read back to its evidence.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace

from extractors.facts import Mention, Quantity
from extractors.names.joined_names import SECOND_VARIANT_RULE
from extractors.results.metric_names import find_metrics
from extractors.results.metrics import Metric, canonical_metric, normalized_value
from extractors.results.qualifiers import find_bound, find_settings, not_a_score
from extractors.rules import PACKAGE_DIR, rule_cache, rule_root

CONFIDENCE_FILE = PACKAGE_DIR / "results" / "confidence.json"  # the package's; a saved pipeline copy has its own
COMPARISON = re.compile(r"\b(?:than|vs\.?|versus|compared|outperform\w*|surpass\w*|beat\w*|exceed\w*|over)\b", re.I)
# kinds read by default; `accuracy of 88.4%` (kind.score_metric_before) is the percent default kept from the
# efficiency rules, and counts as one
GENERIC_METRIC = "score"  # `a score of 51.7% on MATH` names no metric of its own
HEADLINE_METRIC_RULE = "link.metric.benchmark_headline"
WEAK_KIND_RULES = ("kind.bare_default", "kind.score_default_percent", "kind.score_metric_before", "kind.bare_decimal", "kind.fallback")


@dataclass(slots=True)
class Candidate:
    """A score that has a benchmark and a model, before the confidence threshold decides whether it is charted."""

    quantity: Quantity
    metric: str | None
    metric_text: str | None
    higher_is_better: bool | None
    value_normalized: float
    setting: str | None
    bound: str | None
    features: list[str]
    rules: list[str]
    confidence: float = 0.0


@rule_cache
def confidence_model() -> dict:
    """`{"bias": b, "weights": {feature: w}, "min_confidence": t}`; an empty model gives every row 0.5."""
    path = rule_root() / "results" / "confidence.json"
    if not path.exists():
        return {"bias": 0.0, "weights": {}, "min_confidence": 0.5}
    return json.loads(path.read_text(encoding="utf-8"))


def default_min_confidence() -> float:
    return float(confidence_model().get("min_confidence", 0.5))


def confidence(features: list[str], model: dict | None = None) -> float:
    """The logistic model's probability that a row with these evidence features is right."""
    model = model or confidence_model()
    weights = model["weights"]
    z = model["bias"] + sum(weights.get(f, 0.0) for f in features)
    return round(1.0 / (1.0 + math.exp(-z)), 4)


def _rule_of(q: Quantity, field: str) -> str:
    prefix = f"link.{field}."
    return next((r[len(prefix) :].split(":")[0] for r in reversed(q.link_rules) if r.startswith(prefix)), "none")


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f"{edges[-1]}+"


def _gap(text: str, q: Quantity, name: str, mentions: list[Mention], label: str) -> str:
    """How far the linked name stands from the number, and on which side, in its sentence: near names are surer.
    A comparison word between a model and its number (`X outperforms Y at 80%`) is its own bucket."""
    s_start, s_end = q.sentence
    here = [m for m in mentions if m.text == name and s_start <= m.start < s_end]
    if not here:
        return "other_sentence"
    nearest = min(here, key=lambda m: min(abs(m.end - q.start), abs(m.start - q.end)))
    if nearest.end <= q.start:
        between = text[nearest.end : q.start]
        if label == "model" and COMPARISON.search(between):
            return "before_across_comparison"
        return "before_near" if len(between) <= 40 else "before_far"
    return "after_near" if nearest.start - q.end <= 25 else "after_far"


def _metric_feature(q: Quantity, metric: Metric | None) -> str:
    """Whether the metric is named for this number and known; one carried from a number it is compared with
    (`link.metric.carried`) is its own, weaker evidence: the number is often a rival's."""
    if metric is None:
        return "metric:none"
    if _rule_of(q, "metric") == "carried":
        return "metric:carried"
    return "metric:known" if metric.rule != "metric_registry.unknown" else "metric:unknown"


def _features(
    text: str, q: Quantity, mentions: list[Mention], scores: list[Quantity], own: set[str], title_end: int,
    metric: Metric | None, bound: str | None, value_normalized: float,
) -> list[str]:
    """The named evidence a row's confidence is computed from (the weights in confidence.json are per name)."""
    s_start, s_end = q.sentence
    sentence = text[s_start:s_end]
    models_here = {m.text for m in mentions if m.label == "model" and s_start <= m.start < s_end}
    # a name's written second version (`AIME24 & 25`) is no other benchmark of the sentence
    benches_here = {m.text for m in mentions if m.label == "benchmark" and s_start <= m.start < s_end and m.rule != SECOND_VARIANT_RULE}
    scores_here = sum(1 for o in scores if s_start <= o.start < s_end)
    features = [
        f"bench:{_rule_of(q, 'benchmark')}",
        f"model:{_rule_of(q, 'model')}",
        _metric_feature(q, metric),
        "kind:weak" if q.rule.split("|")[-1].split("+")[0] in WEAK_KIND_RULES else "kind:rule",
        f"models_in_sentence:{_bucket(len(models_here), (0, 1, 2))}",
        f"scores_in_sentence:{_bucket(scores_here, (1, 2, 4))}",
        f"benchmarks_in_sentence:{_bucket(len(benches_here), (0, 1, 2))}",
        "model_gap:" + _gap(text, q, q.model, mentions, "model"),
        "benchmark_gap:" + _gap(text, q, q.benchmark, mentions, "benchmark"),
    ]
    flags = {
        "bound": bound is not None,
        "model_is_own_system": q.model in own,
        "in_title": q.start < title_end,
        "respectively": "respectively" in sentence,
        "comparison_in_sentence": COMPARISON.search(sentence) is not None,
        "implausible_for_scale": metric is not None and metric.scale == "percent" and not 0 <= value_normalized <= 100,
    }
    return features + [name for name, on in flags.items() if on]


def _headline_metric(text: str, q: Quantity, mentions: list[Mention]) -> Metric | None:
    """The headline metric of the score's benchmark as its gazetteer entry gives it (`MATH`: accuracy), if any; none
    when the sentence names a metric of its own (`3.01 rFVD with 40.2% MSRVTT retrieval`: the number's metric is
    one the registry does not know, not the benchmark's)."""
    s_start, s_end = q.sentence
    if any(canonical_metric(hit.text).name != GENERIC_METRIC for hit in find_metrics(text, s_start, s_end)):
        return None
    for m in mentions:
        entry = m.entry
        if m.label == "benchmark" and q.benchmark in (m.name, m.text) and getattr(entry, "metric", None):
            return replace(canonical_metric(entry.metric), rule=f"{HEADLINE_METRIC_RULE}:{entry.id}")
    return None


def candidates(text: str, quantities: list[Quantity], mentions: list[Mention], systems: list[Mention], title_end: int) -> list[Candidate]:
    """One candidate per linked score, with the evidence features its confidence is computed from."""
    own = {s.text for s in systems}
    scores = [q for q in quantities if q.kind == "score"]
    out: list[Candidate] = []
    for i, q in enumerate(scores):
        if not q.benchmark or not q.model or not_a_score(text, q.start, q.end, q.sentence):
            continue
        metric = canonical_metric(q.metric) if q.metric else None
        neighbours = (scores[i - 1].end if i else -1, scores[i + 1].start if i + 1 < len(scores) else -1)
        setting, setting_rules = find_settings(text, q.start, q.end, q.sentence, neighbours, metric.setting if metric else None)
        bound, bound_rule = find_bound(text, q.start, q.end, q.text)
        value_normalized = normalized_value(q.value, q.unit, metric.scale if metric else None)
        features = _features(text, q, mentions, scores, own, title_end, metric, bound, value_normalized)
        if metric is None or metric.name == GENERIC_METRIC:
            # the text names no metric (or only `score`): the benchmark's headline one, with its own rule id; the
            # confidence stays that of a row without a metric
            metric = _headline_metric(text, q, mentions) or metric
            value_normalized = normalized_value(q.value, q.unit, metric.scale if metric else None)
        rules = [r for r in (metric.rule if metric else None, bound_rule, *setting_rules) if r]
        out.append(
            Candidate(
                quantity=q, metric=metric.name if metric else None, metric_text=q.metric,
                higher_is_better=metric.higher_is_better if metric else None, value_normalized=value_normalized,
                setting=setting, bound=bound, features=features, rules=rules, confidence=confidence(features),
            )
        )
    return out
