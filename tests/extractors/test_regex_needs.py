"""Every match of a rule regex holds one of the strings `needs` reads from it, so a text without them is skipped."""

from __future__ import annotations

import re

import pytest

from extractors.names.component import name_phrases
from extractors.names.cues import load_cues
from extractors.regex_needs import may_match, needs
from flows.readers import read_path
from flows.records import Paper
from tests.conftest import SEED


def _patterns() -> list[re.Pattern[str]]:
    return [row[3] for row in name_phrases()] + [cue.pattern for cue in load_cues()]


def test_every_match_holds_a_needed_string() -> None:
    papers = [r for r in read_path(SEED) if isinstance(r, Paper)]
    texts = [f"{p.title}\n{p.abstract}" for p in papers] + [
        "We won the 2019 VoxCeleb Speaker Recognition Challenge; results on the StarCraft multi-agent challenge."
    ]
    matched = 0
    for pattern in _patterns():
        needed = needs(pattern)
        for text in texts:
            for m in pattern.finditer(text):
                matched += 1
                assert needed is None or any(word in m.group(0) for word in needed), (
                    pattern.pattern,
                    m.group(0),
                )
    assert matched > 5


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"\b(?:datasets?|corpus)\s+$", {"dataset", "corpus"}),
        (r"(?:Challenge|Competition)(?:\s+\d+)?", {"hallenge", "ompetition"}),  # `re` takes out the shared C
        (r"ab(?:c|\d)", {"ab"}),
        (r"(?i:challenge)", None),
        (r"(?:x|\d)", None),
        (r"(?:abc)?d+", {"d"}),
    ],
)
def test_what_is_read(source: str, expected: set[str] | None) -> None:
    found = needs(re.compile(source))
    assert (None if found is None else set(found)) == expected
    assert may_match(found, "nothing here") == (expected is None)
