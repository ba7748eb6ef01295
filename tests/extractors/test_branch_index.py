"""The per-character index of an alternation finds exactly what the whole regex finds."""

from __future__ import annotations

import random

import pytest

from extractors.branch_index import BranchIndex, TextScan
from extractors.results.metric_names import metric_pattern
from flows.readers import read_path
from flows.records import Paper
from tests.conftest import SEED

BRANCHES = [
    r"(?P<acc>(?i:top-?[15] accuracy|accuracy))",
    r"(?P<f1>(?:macro-|micro-)?F1|F-score)",
    r"(?P<word>(?i:word[- ]error[- ]rate))|WER",
    r"(?P<opt>(?:box |mask )?AP(?:50|75)?)",
    r"(?P<num>\d+(?:\.\d+)?x)",
    r"(?P<greek>δ-score)",
    r"(?P<maybe>x?)",  # can match empty: tried at every position
]
LEAD = r"(?<![\w@-])"
TRAIL = r"(?P<tail>s)?(?![\w@])"


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    named = lambda m: {k: v for k, v in m.groupdict().items() if v is not None}  # noqa: E731
    return a.span() == b.span() and named(a) == named(b)


def _texts() -> list[str]:
    papers = [r for r in read_path(SEED) if isinstance(r, Paper)]
    return [f"{p.title}\n{p.abstract}" for p in papers] + [
        "Top-1 Accuracy of 84.6%, macro-F1 and box AP50s; a δ-score of 3 and 2.5x speedup.",
        "ＴＯＰ-1 accuracy, Ｆ1, ſcore, K-means (Kelvin sign), İoU, WORD ERROR RATE",
        "",
        "x",
    ]


@pytest.mark.parametrize("with_empty", [False, True])
def test_index_finds_what_the_whole_regex_finds(with_empty: bool) -> None:
    index = BranchIndex(BRANCHES if with_empty else BRANCHES[:-1], lead=LEAD, trail=TRAIL)
    rng = random.Random(3)
    for text in _texts():
        assert all(_same(a, b) for a, b in zip(index.pattern.finditer(text), index.finditer(text), strict=True))
        for _ in range(30):
            i = rng.randrange(len(text) + 1)
            j = rng.randrange(i, len(text) + 1)
            whole = list(index.pattern.finditer(text, i, j))
            assert all(_same(a, b) for a, b in zip(whole, index.finditer(text, i, j), strict=True))
            assert _same(index.pattern.match(text, i), index.match(text, i))
            assert _same(index.pattern.search(text, i, j), index.search(text, i, j))
            piece = text[i : i + rng.randrange(1, 25)]
            assert _same(index.pattern.fullmatch(piece), index.fullmatch(piece))


def test_metric_names_read_through_the_index_as_through_one_regex() -> None:
    index = metric_pattern()
    found = 0
    for text in _texts():
        whole = list(index.pattern.finditer(text))
        found += len(whole)
        assert all(_same(a, b) for a, b in zip(whole, index.finditer(text), strict=True))
        for m in whole:
            assert _same(index.pattern.fullmatch(m.group(0)), index.fullmatch(m.group(0)))
    assert found > 200  # the seed page names metrics in most abstracts


def test_a_branch_the_character_cannot_start_is_left_out() -> None:
    index = BranchIndex([r"(?P<a>alpha)", r"(?P<b>(?i:beta))", r"(?P<d>\d+)"])
    assert index._at("a").pattern == "(?:(?P<a>alpha))"
    assert index._at("B").pattern == "(?:(?P<b>(?i:beta)))"
    assert index._at("7").pattern == r"(?:(?P<d>\d+))"
    assert index._at("z") is None
    assert index._at("é") is index.pattern  # no index for non-ASCII characters


def test_metric_windows_read_through_a_text_scan_as_through_one_regex() -> None:
    """TextScan remembers matches per window end; windows that share an end, and windows ending inside a name,
    yield what the whole regex finds with that end."""
    index = metric_pattern()
    rng = random.Random(5)
    for text in _texts():
        scan = TextScan(index, text)
        for _ in range(15):
            j = rng.randrange(len(text) + 1)
            for i in sorted({rng.randrange(j + 1) for _ in range(3)}, reverse=True):  # ever wider windows, one end
                whole = list(index.pattern.finditer(text, i, j))
                assert all(_same(a, b) for a, b in zip(whole, scan.finditer(i, j), strict=True))
                assert _same(index.pattern.match(text, i, j), scan.match(i, j))


def test_a_branch_its_first_characters_cannot_start_is_left_out() -> None:
    index = BranchIndex([r"(?P<a>alpha)", r"(?P<b>(?i:beta))", r"(?P<d>\d+x?)", r"(?P<w>[a-z]{2} rate)"], trail=r"(?!\w)")
    assert index._sub("alpha", 0, 5).pattern == "(?:(?P<a>alpha))(?!\\w)"  # `[a-z]{2} rate` has a space third
    assert index._sub("al rate", 0, 7).pattern == "(?:(?P<w>[a-z]{2} rate))(?!\\w)"
    assert index._sub("BEta", 0, 4).pattern == "(?:(?P<b>(?i:beta)))(?!\\w)"
    assert index._sub("7 x", 0, 3).pattern == "(?:(?P<d>\\d+x?))(?!\\w)"
    assert index._sub("Alp", 0, 3) is None  # `alpha` is case-sensitive, `[a-z]{2}` too
    assert index._sub("al", 0, 2).pattern == index._at("a").pattern  # fewer than three characters in the window
    assert index.match("er rate", 0) is not None and index.match("er rates", 0) is None
