"""An end-anchored rule matched backwards says what the rule searched forwards says, in every window."""

from __future__ import annotations

import re

import pytest

from extractors.names.cues import WINDOW, load_cues
from extractors.names.word_lists import name_patterns
from extractors.reverse_regex import EndAnchored
from flows.readers import read_path
from flows.records import Paper
from tests.conftest import SEED

HAND_MADE = [
    r"\b(?:on|across)\s+(?:the\s+)?$",
    r"(?<![\w.,])\d+(?:\.\d+)?%\s+(?:on|in)\s+$",
    r"(?:^|[.!?]\s+|\n)(?:On|In)\s[^,;.!?\n]*$",
    r"\bour\s+(?=model)\w+\s+$",  # a fixed-width lookahead becomes a lookbehind
    r"\b(?:a|an)\s+(?=\w+\s)\w+\s+$",  # a lookahead of varying width: searched as written
    r"(a+)\1$",  # a back-reference does not reverse
    r"\bcalled\s*\Z",
]
EDGE_WINDOWS = [
    "",
    "\n",
    "on \n",
    "we propose \n",
    "on",
    " on  ",
    "results on the\n",
    "50% on ",
    "In a\n",
    "aa",
    "aaa",
]


def _windows() -> list[str]:
    papers = [r for r in read_path(SEED) if isinstance(r, Paper)]
    texts = [f"{p.title}\n{p.abstract}" for p in papers]
    starts = re.compile(r"(?<=[\s(,;:])\S")
    return [
        t[max(0, m.start() - WINDOW) : m.start()] for t in texts for m in starts.finditer(t)
    ] + EDGE_WINDOWS


@pytest.fixture(scope="module")
def windows() -> list[str]:
    return _windows()


def test_every_before_cue_reverses_and_agrees(windows: list[str]) -> None:
    cues = [c for c in load_cues() if c.side == "before"]
    assert cues and all(c.backwards is not None and c.backwards.backwards is not None for c in cues)
    hits = 0
    for cue in cues:
        for w in windows:
            expected = cue.pattern.search(w) is not None
            hits += expected
            assert cue.backwards.search(w) == expected, (cue.id, w[-60:])
            assert cue.backwards.search(w, w[::-1]) == expected
    assert hits > 50  # the windows hold matches, not only misses


@pytest.mark.parametrize("source", HAND_MADE)
def test_hand_made_patterns_agree(source: str, windows: list[str]) -> None:
    pattern = re.compile(source)
    anchored = EndAnchored(pattern)
    for w in windows + ["aaaa", "x aa", "we called ", "In a big\n", "3.5% on ", "our model x "]:
        assert anchored.search(w) == (pattern.search(w) is not None), (source, w[-60:])


def test_what_does_not_reverse_is_searched_as_written() -> None:
    assert EndAnchored(re.compile(r"(a+)\1$")).backwards is None
    assert EndAnchored(re.compile(r"\b(?:a|an)\s+(?=\w+\s)\w+\s+$")).backwards is None
    assert EndAnchored(re.compile(r"\bon\s+")).backwards is None  # a match need not end at the end
    assert EndAnchored(re.compile(r"\bon\s+$")).backwards is not None


@pytest.mark.parametrize(
    "name", ["own_before", "intro_phrase_before", "quantified_before", "naming_phrase_before"]
)
def test_search_in_agrees_with_a_search_between_positions(name: str) -> None:
    """`search_in(text, pos, endpos)` is `search(text, pos, endpos)`: lookbehinds and `\\b` see before `pos`."""
    pattern = getattr(name_patterns(), name)
    anchored = EndAnchored(pattern)
    assert anchored.backwards is not None
    papers = [r for r in read_path(SEED) if isinstance(r, Paper)]
    hits = 0
    for text in [f"{p.title}\n{p.abstract}" for p in papers] + ["We propose\nX", "we  propose the new X"]:
        rev = text[::-1]
        for m in re.finditer(r"(?<=[\s(,;:])\S", text):
            for back in (20, 60):
                pos = max(0, m.start() - back)
                expected = pattern.search(text, pos, m.start()) is not None
                hits += expected
                assert anchored.search_in(text, pos, m.start(), rev) == expected, (
                    name,
                    text[pos : m.start()],
                )
                assert anchored.search_in(text, pos, m.start()) == expected
    assert name != "own_before" or hits > 5


def test_the_alternation_of_before_cues_misses_no_cue(windows: list[str]) -> None:
    """`before_cues().may_match` is False only where no before-cue matches, and True where one does."""
    from extractors.names.cues import before_cues

    cues = [c for c in load_cues() if c.side == "before"]
    anyone = before_cues()
    assert anyone.backwards is not None
    for w in windows:
        matched = any(c.pattern.search(w) for c in cues)
        assert anyone.may_match(w[::-1]) == matched, w[-60:]
