"""Tie each number to the benchmark it was measured on: the one standing next to it, else the sentence's or the
paper's only benchmark, or the paper's own dataset."""

from __future__ import annotations

import re

from extractors.facts import Mention, Quantity
from extractors.names.joined_names import SECOND_VARIANT_RULE
from extractors.results.link_rules import drop_links, link_cues, set_link
from extractors.rules import named_patterns, rule_cache

SURFACES_FILE = "results/benchmark_surfaces.jsonl"

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


@rule_cache
def pair_join() -> re.Pattern[str]:
    """What stands between the two numbers of a pair (`74.0 and 60.2`, `55.65%/56.63%`, `82.9 (76.8`)."""
    return named_patterns(SURFACES_FILE, "bench_surface", ("pair_join",))["pair_join"]


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


def link_benchmarks(
    text: str, qs: list[Quantity], benches: list[Mention], only: Mention | None, own: Mention | None,
    previous: list[Mention] | None = None,
) -> None:
    """The benchmark next to each number; else the last one before it, the sentence's or paper's only one (for
    scores and deltas), the previous sentence's last one for a score or delta that would fall to the paper's own
    dataset or that goes on with `It ...` (`Furthermore, it improves to 47.0%` after `... on SWE-bench Verified`), or
    the paper's own dataset
    (`only`: the paper's only benchmark; `own`: its own dataset; `previous`: the previous sentence's benchmarks).
    A name's written second version (`AIME24 & 25`) is left to the second number of a pair on that name."""
    variants = [b for b in benches if b.rule == SECOND_VARIANT_RULE]
    benches = [b for b in benches if b.rule != SECOND_VARIANT_RULE]
    previous = [b for b in previous or () if b.rule != SECOND_VARIANT_RULE]
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
        elif not benches and only is not None and q.kind in ("score", "delta") and not _elsewhere(text, q):
            set_link(q, "benchmark", only.text, "link.benchmark.only_in_paper")
        elif not benches and previous and q.kind in ("score", "delta") and (own is not None or _continues(text, q, previous)):
            set_link(q, "benchmark", previous[-1].text, "link.benchmark.previous_sentence")
        elif not benches and own is not None:
            set_link(q, "benchmark", own.text, "link.benchmark.own_dataset")
    if variants:
        _second_variants(text, qs, benches, variants)


def _continues(text: str, q: Quantity, previous: list[Mention]) -> bool:
    """`We evaluate FooLM on MATH-500. It reaches 84.1%`: a sentence that goes on about the previous one's subject
    (`It`, `Moreover, it`) is on the previous sentence's one benchmark."""
    return len({b.name for b in previous}) == 1 and link_cues().lookback_start.match(text[q.sentence[0] : q.sentence[1]]) is not None


def _elsewhere(text: str, q: Quantity) -> bool:
    """`It also achieved 0.793 on Gujarati, Bengali, and Assamese`: the sentence says where its numbers were
    measured, in names that are no benchmark, so the paper's only benchmark is no safe guess."""
    s_start, s_end = q.sentence
    return link_cues().unlisted_place.search(text, s_start, s_end) is not None


def pretraining_data(text: str, bench: Mention) -> bool:
    """`ImageNet-1K pretrained checkpoints`, `the Object365 dataset for pre-training`, `pre-trained on LAION-2B`: data
    a model learnt from is not where a number of its sentence was measured."""
    cues = link_cues()
    return (
        cues.pretraining_after.match(text[bench.end : bench.end + 40]) is not None
        or cues.pretraining_before.search(text[max(0, bench.start - 60) : bench.start]) is not None
    )


def _second_variants(text: str, qs: list[Quantity], benches: list[Mention], variants: list[Mention]) -> None:
    """`74.0 and 60.2 on AIME24 & 25`, `82.9 (76.8) on HumanEval (+)`: of a pair of numbers on a name written with a
    second version or variant, the second is on that one, which only the whole written name says."""
    joined = pair_join()
    for a, b in zip(qs, qs[1:], strict=False):
        if not b.benchmark or a.benchmark != b.benchmark or not joined.match(text[a.end : b.start]):
            continue
        named = [m for m in benches if m.text == b.benchmark]
        if not named:
            continue
        bench = min(named, key=lambda m: abs(m.start - b.end))
        variant = next((v for v in variants if v.start == bench.start), None)
        if variant is not None:
            drop_links(b, "benchmark")
            set_link(b, "benchmark", variant.text, "link.benchmark.second_variant")
