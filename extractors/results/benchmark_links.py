"""Tie each number to the benchmark it was measured on: the one standing next to it, else the sentence's or the
paper's only benchmark, or the paper's own dataset."""

from __future__ import annotations

import re

from extractors.facts import Mention, Quantity
from extractors.results.link_rules import link_cues, set_link
from extractors.rules import rule_cache

PAREN_BEFORE = re.compile(r"^\s*\(\s*(?:~|≈|about\s+)?$")
# `82.2% ImageNet accuracy`, `40.2% MSRVTT retrieval`
BENCH_ADJACENT_AFTER = re.compile(r"^\s?$")


@rule_cache
def benchmark_positions() -> tuple[tuple[str, bool, re.Pattern[str], bool], ...]:
    """Where a benchmark stands next to its number, most specific first: (rule, benchmark before the number?, gap,
    for sizes too?)."""
    cues = link_cues()
    return (
        ("link.benchmark.parenthesised", True, PAREN_BEFORE, True),  # `Librispeech (960h)`, `Enwik8 (0.99 bpb)`
        ("link.benchmark.adjacent_after", False, BENCH_ADJACENT_AFTER, True),  # `82.2% ImageNet accuracy`
        ("link.benchmark.right_before", True, cues.benchmark_right_before, False),  # `on ImageNet from 82.2% to 87.8%`
        ("link.benchmark.on_after", False, cues.benchmark_after, True),  # `51.7% on the MATH benchmark`
    )


def _benchmark_by_position(text: str, q: Quantity, benches: list[Mention]) -> tuple[Mention, str] | None:
    for rule, before, gap, for_sizes in benchmark_positions():
        if q.kind == "size" and not for_sizes:
            continue
        if before:
            hits = [b for b in benches if b.end <= q.start and gap.match(text[b.end : q.start])]
            if hits:
                return hits[-1], rule
        else:
            hits = [b for b in benches if b.start >= q.end and gap.match(text[q.end : b.start])]
            if hits:
                return hits[0], rule
    return None


def link_benchmarks(text: str, qs: list[Quantity], benches: list[Mention], only: Mention | None, own: Mention | None) -> None:
    """The benchmark next to each number; else the last one before it, the sentence's or paper's only one (for
    scores and deltas), or the paper's own dataset (`only`: the paper's only benchmark; `own`: its own dataset)."""
    for q in qs:
        if q.benchmark:
            continue
        placed = _benchmark_by_position(text, q, benches)
        if placed is not None:
            set_link(q, "benchmark", placed[0].text, placed[1])
            continue
        if q.kind == "size":
            if own is not None:
                set_link(q, "benchmark", own.text, "link.benchmark.own_dataset")
            continue
        before = [b for b in benches if b.end <= q.start]
        if before:
            set_link(q, "benchmark", before[-1].text, "link.benchmark.before")
        elif len({b.text for b in benches}) == 1 and q.kind in ("score", "delta"):
            set_link(q, "benchmark", benches[0].text, "link.benchmark.only_in_sentence")
        elif not benches and only is not None and q.kind in ("score", "delta"):
            set_link(q, "benchmark", only.text, "link.benchmark.only_in_paper")
        elif not benches and own is not None:
            set_link(q, "benchmark", own.text, "link.benchmark.own_dataset")
