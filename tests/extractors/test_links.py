"""GitHub repositories and other links: golden cases as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.links.urls import find_links

CASES = [json.loads(line) for line in (Path(__file__).parent / "cases" / "links.jsonl").read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_links_golden(case: dict) -> None:
    found = list(find_links(case["text"]))
    assert [f"{link.owner}/{link.repo}" for link in found if link.repo] == case["repos"]
    assert [link.url for link in found if not link.repo] == case["links"]
    for link in found:
        assert case["text"][link.start : link.end] == link.text
