"""Name candidates while a paper is read: `[start, end, surface, Verdict]` lists that rules relabel in place."""

from __future__ import annotations

from extractors.names.classify import Verdict


def replace_overlapped(cands: list[list], start: int, end: int, surface: str, verdict: Verdict, yield_to_equal: bool = False) -> None:
    """Add a candidate unless a longer labelled one covers it (or as long, for the weaker shape phrases);
    shorter overlapping candidates give way."""
    overlapping = [c for c in cands if c[0] < end and start < c[1]]
    if any((c[1] - c[0] > end - start or yield_to_equal and c[1] - c[0] == end - start) and c[3].label != "none" for c in overlapping):
        return
    for c in overlapping:
        cands.remove(c)
    cands.append([start, end, surface, verdict])

