"""Name candidates while a paper is read: char span, surface and the verdict that rules replace as they learn more."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.names.classify import Verdict
from extractors.names.shapes import is_name_shaped
from extractors.names.word_lists import name_patterns


@dataclass(slots=True, eq=False)
class Candidate:
    """A word or phrase that may name a model or benchmark: `text[start:end]` is `surface` (until a rule trims it).
    Compared by identity: rules relabel one candidate in place, and removing it removes that one."""

    start: int
    end: int
    surface: str
    verdict: Verdict


def replace_overlapped(cands: list[Candidate], start: int, end: int, surface: str, verdict: Verdict, yield_to_equal: bool = False) -> None:
    """Add a candidate unless a longer labelled one covers it (or as long, for the weaker shape phrases);
    shorter overlapping candidates give way."""
    overlapping = [c for c in cands if c.start < end and start < c.end]
    if any((c.end - c.start > end - start or yield_to_equal and c.end - c.start == end - start) and c.verdict.label != "none" for c in overlapping):
        return
    for c in overlapping:
        cands.remove(c)
    cands.append(Candidate(start, end, surface, verdict))


SLASH_VARIANTS = re.compile(r"/\d[\w/]*$")


def trim_surface(surface: str, label: str) -> str:
    """What of a candidate is the name: trailing generic words and split or resolution suffixes go."""
    patterns = name_patterns()
    trimmed = patterns.generic_trailer.sub("", surface)
    if patterns.net_trailer.search(trimmed) and " " not in (stem := patterns.net_trailer.sub("", trimmed)) and is_name_shaped(stem):
        trimmed = stem  # `SlowFast networks` names SlowFast; `Residual Networks` keeps its noun
    if label == "benchmark":
        trimmed = SLASH_VARIANTS.sub("", trimmed)  # CIFAR-10/100 names CIFAR-10 (and CIFAR-100)
        trimmed = patterns.split_trailer.sub("", trimmed)  # `COCO val2017`, `ImageNet 256x256` name COCO and ImageNet
    return trimmed
