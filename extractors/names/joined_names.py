"""Benchmark names written in two parts that the word scan finds apart: a split or protocol acronym after the name
(`COCO OVD`, `MagicData RAMC`), datasets combined with `+` (`Voice Bank+DEMAND`, `Fisher+Switchboard`), and a second
version or variant after the name (`AIME24 & 25`, `HumanEval (+)`).

The guideline counts a split written with a benchmark's name as part of it, and a `+` combination as one dataset:
the parts' candidates give way to one benchmark candidate over the whole, with the rule that joined them. A second
version names the second of a pair of numbers (`scores of 74.0 and 60.2`) while the name alone names the first, so
it is a mention of its own over the name's, marked optional: results linking ties it only to that second number.
"""

from __future__ import annotations

import re

from extractors.facts import Mention
from extractors.names.candidates import Candidate
from extractors.names.canonical import Canonicaliser
from extractors.names.classify import Verdict
from extractors.names.shapes import is_name_shaped
from extractors.names.word_lists import name_patterns

ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{2,5}$")
CAPITALISED = re.compile(r"^[A-Z][\w-]*$")
SECOND_VARIANT_RULE = "join.bench_second_variant"
VARIANT_WINDOW = 12
MAX_LEFT_WORDS = 2  # `Voice Bank+DEMAND`: the capitalised words glued before a `+` that belong to the name


def _free(c: Candidate) -> bool:
    """A part no evidence has made anything else: not a model, not a listed name, not a metric or other negative.
    A task's acronym (`OVD` for open-vocabulary detection) is free: written after a benchmark it names its protocol."""
    if c.verdict.label == "model" or c.verdict.entry is not None:
        return False
    return (
        c.verdict.label == "benchmark" or not c.verdict.rule or c.verdict.rule == "acronym.generic_long_form"
    )


def _acronym_split(cands: list[Candidate], text: str) -> list[tuple[int, int]]:
    """(first, last) candidate indexes of `<name> <ACRONYM>` followed by a data noun or punctuation, one of the two
    a benchmark and the other free: `COCO OVD benchmark`, `TRECVID AVS benchmarks`, `MagicData RAMC.`"""
    after = name_patterns().split_acronym_end
    spans = []
    for i in range(len(cands) - 1):
        c, d = cands[i], cands[i + 1]
        if text[c.end : d.start] != " " or not ACRONYM.match(d.surface) or not after.match(text, d.end):
            continue
        split_of_benchmark = c.verdict.label == "benchmark" and _free(d)  # `COCO OVD`
        benchmark_of_campaign = (
            d.verdict.label == "benchmark" and _free(c) and is_name_shaped(c.surface)
        )  # `TRECVID AVS`
        if split_of_benchmark or benchmark_of_campaign:
            spans.append((i, i + 1))
    return spans


def _plus_joined(cands: list[Candidate], text: str) -> list[tuple[int, int]]:
    """(first, last) candidate indexes of `A+B` where one side is a benchmark and the other could be one; the
    capitalised words right before `A` join it (`Voice Bank+DEMAND`)."""
    spans = []
    for i in range(len(cands) - 1):
        c, d = cands[i], cands[i + 1]
        if text[c.end : d.start] != "+" or "benchmark" not in (c.verdict.label, d.verdict.label):
            continue
        if not all(x.verdict.label == "benchmark" or _free(x) for x in (c, d)):
            continue
        first = i
        while (
            i - first < MAX_LEFT_WORDS
            and first > 0
            and text[cands[first - 1].end : cands[first].start] == " "
        ):
            left = cands[first - 1]
            if not (_free(left) and CAPITALISED.match(left.surface)):
                break
            first -= 1
        spans.append((first, i + 1))
    return spans


def join_benchmark_parts(cands: list[Candidate], text: str) -> None:
    """Replace the parts of each two-part benchmark name by one benchmark candidate (cands sorted by start)."""
    for rule, find in (("join.bench_split_acronym", _acronym_split), ("join.bench_plus", _plus_joined)):
        for first, last in reversed(find(cands, text)):
            start, end = cands[first].start, cands[last].end
            cands[first : last + 1] = [Candidate(start, end, text[start:end], Verdict("benchmark", rule))]


def second_variant_mentions(mentions: list[Mention], text: str, canon: Canonicaliser) -> list[Mention]:
    """The mentions with each benchmark's written second version added right after it (`AIME24 & 25` after
    `AIME24`), optional, named as written."""
    tail_of = name_patterns().second_variant
    out: list[Mention] = []
    for m in mentions:
        out.append(m)
        tail = tail_of.match(text[m.end : m.end + VARIANT_WINDOW]) if m.label == "benchmark" else None
        if tail is None:
            continue
        end = m.end + tail.end()
        surface = text[m.start : end]
        variant = Mention("benchmark", m.start, end, surface, surface, SECOND_VARIANT_RULE, optional=True)
        variant.canonical = canon.name(surface, "benchmark", None)
        out.append(variant)
    return out
