"""Tie each number to the metric, benchmark and model its sentence names (leaderboard rows)."""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.facts import Mention, Quantity
from extractors.rules import rule_file
from extractors.sentences import sentence_of

COMPARISON_BEFORE = re.compile(
    r"(?:\b(?:than|over|versus|vs\.?|against|to|with|surpass\w*|outperform\w*|beat\w*|exceed\w*|from|like|including|as|of|and|or)"
    r"\s+(?:the\s+|a\s+|an\s+)?(?:strong\s+|previous\s+|prior\s+|baseline\s+|recent\s+|original\s+|leading\s+|proprietary\s+|closed-source\s+|open-source\s+|state-of-the-art\s+|SOTA\s+)*|,\s*)$"
)
SUBJECT_VERB_AFTER = re.compile(
    r"^[^,.;]{0,40}?\b(?:achiev\w*|attain\w*|obtain\w*|reach\w*|scor\w*|gets?|got|sets?|yields?|deliver\w*|records?|hits?|improv\w*|outperform\w*|surpass\w*|exceed\w*|beat\w*|boost\w*|shows?|demonstrat\w*|has|have|had|is|are|was|requires?|runs?|uses?|costs?|trained|pre-trained|features?|contains?|comprises?|with)\b"
)
LOOKBACK_START = re.compile(r"^\s*(?:It|Its|This model|The model|Our model|This|These|The resulting model|Moreover, it|Additionally, it|Furthermore, it|Notably, it|In particular, it)\b")
OWN_CUE = re.compile(r"\b(?:our|we|ours|proposed)\b", re.I)
BENCH_AFTER = re.compile(r"^[^.;]{0,60}?\b(?:on|in|for|across|over|at)\s+(?:the\s+)?(?:challenging\s+|popular\s+|standard\s+|public\s+)?$")
RESPECTIVELY = re.compile(r"\brespectively\b")


@lru_cache(maxsize=1)
def metric_pattern() -> re.Pattern[str]:
    parts = []
    for r in rule_file("numbers/metrics.jsonl"):
        parts.append(f"(?P<{r['id'].replace('.', '_')}>" + ("(?i:" + r["pattern"] + ")" if r.get("ci") else r["pattern"]) + ")")
    return re.compile(r"(?<![\w@-])(?:" + "|".join(parts) + r")(?![\w@])")


def link_results(
    text: str, sentences: list[tuple[int, int]], quantities: list[Quantity], mentions: list[Mention], title_end: int
) -> None:
    """Fill metric, benchmark and model on each quantity, with the rule that made each link."""
    benches = [m for m in mentions if m.label == "benchmark"]
    models = [m for m in mentions if m.label == "model"]
    own = _own_model(models, title_end)
    by_sentence: dict[int, list[Quantity]] = {}
    for q in quantities:
        by_sentence.setdefault(sentence_of(sentences, q.start), []).append(q)
    for index, qs in by_sentence.items():
        s_start, s_end = sentences[index]
        s_benches = [b for b in benches if s_start <= b.start < s_end]
        s_models = [m for m in models if s_start <= m.start < s_end]
        _link_benchmarks(text, qs, s_benches)
        _link_models(text, qs, s_models, sentences, index, models, own)
        _link_metrics(text, qs, s_start, s_end)


def _own_model(models: list[Mention], title_end: int) -> Mention | None:
    for m in models:
        if m.rule.startswith(("title.", "ctx.own")) or m.start < title_end and m.rule.startswith("shape"):
            return m
    in_title = [m for m in models if m.start < title_end]
    return in_title[0] if len(in_title) == 1 else None


def _link_benchmarks(text: str, qs: list[Quantity], benches: list[Mention]) -> None:
    if not benches:
        return
    scored = [q for q in qs if q.kind in ("score", "delta")]
    distinct = list(dict.fromkeys(b.text for b in benches))
    if RESPECTIVELY.search(text[min(q.start for q in qs) : max(q.end for q in qs) + 80]) and len(scored) == len(distinct) > 1:
        for q, name in zip(scored, distinct, strict=True):
            q.benchmark, q.link_rules = name, [*q.link_rules, "link.benchmark.respectively"]
        return
    for q in scored:
        after = [b for b in benches if b.start >= q.end and BENCH_AFTER.match(text[q.end : b.start])]
        if after:
            q.benchmark, rule = after[0].text, "link.benchmark.on_after"
        else:
            before = [b for b in benches if b.end <= q.start]
            if before:
                q.benchmark, rule = before[-1].text, "link.benchmark.before"
            elif len(distinct) == 1:
                q.benchmark, rule = distinct[0], "link.benchmark.only_in_sentence"
            else:
                continue
        q.link_rules = [*q.link_rules, rule]


def _subject(text: str, models: list[Mention], before: int) -> Mention | None:
    """The nearest model before the number that is not the object of a comparison."""
    for m in reversed([m for m in models if m.end <= before]):
        if COMPARISON_BEFORE.search(text[max(0, m.start - 40) : m.start]):
            continue
        return m
    return None


def _link_models(
    text: str,
    qs: list[Quantity],
    s_models: list[Mention],
    sentences: list[tuple[int, int]],
    index: int,
    all_models: list[Mention],
    own: Mention | None,
) -> None:
    s_start, s_end = sentences[index]
    for q in qs:
        subject = _subject(text, s_models, q.start)
        rule = "link.model.subject"
        if subject is None:
            after = [m for m in s_models if m.start >= q.end and SUBJECT_VERB_AFTER.match(text[m.end : s_end]) and not COMPARISON_BEFORE.search(text[max(0, m.start - 40) : m.start])]
            if after and q.kind in ("size",):
                subject, rule = after[0], "link.model.subject_after"
        if subject is None and not s_models and index > 0 and LOOKBACK_START.match(text[s_start:s_end]):
            p_start, p_end = sentences[index - 1]
            prev = [m for m in all_models if p_start <= m.start < p_end and not COMPARISON_BEFORE.search(text[max(0, m.start - 40) : m.start])]
            if prev:
                subject, rule = prev[0], "link.model.lookback"
        if subject is None and own is not None and not s_models and OWN_CUE.search(text[s_start : q.start]):
            subject, rule = own, "link.model.own"
        if subject is not None:
            q.model, q.link_rules = subject.text, [*q.link_rules, rule]


def _link_metrics(text: str, qs: list[Quantity], s_start: int, s_end: int) -> None:
    pattern = metric_pattern()
    for q in qs:
        if q.kind not in ("score", "delta"):
            continue
        after = pattern.match(text, q.end + 1) if text[q.end : q.end + 1] == " " else None
        if after is None:
            m = re.match(r"\s+(?:\w+\s+)?", text[q.end : q.end + 30])
            if m:
                after = pattern.match(text, q.end + m.end())
        if after is not None:
            q.metric, q.link_rules = after.group(0), [*q.link_rules, "link.metric.after"]
            continue
        window = text[max(s_start, q.start - 45) : q.start]
        hits = list(pattern.finditer(window))
        if hits and re.search(r"\b(?:of|is|=|:|by|to|reaches|achieves|at)\s*(?:an?\s+)?(?:\w+\s+)?$", window[hits[-1].end() :] or " "):
            q.metric, q.link_rules = hits[-1].group(0), [*q.link_rules, "link.metric.before"]
