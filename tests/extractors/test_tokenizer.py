"""The pipeline's tokenizer remembers chunk splits; its tokens must be exactly spaCy's own on the same rules."""

from __future__ import annotations

import glob
import random
import re
from pathlib import Path

import pytest

from extractors import build_nlp
from extractors.pipeline import paper_text
from flows.readers.detect import read_path
from flows.records import Paper

ROOT = Path(__file__).resolve().parents[2]
ODD_SPACES = [" ", "  ", "\n", "\t", " \n", "\n ", "\u00a0", " \u00a0 ", "\u2009", "\r\n"]


def tokens(doc) -> list[tuple[str, str]]:
    return [(t.text, t.whitespace_) for t in doc]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Every annotated abstract we have, and the same abstracts with odd whitespace inside and around."""
    found = []
    for path in [ROOT / "data" / "trending_papers.txt", *sorted(glob.glob(str(ROOT / "tests" / "gold" / "*_papers.jsonl")))]:
        found += [paper_text(p.title, p.abstract) for p in read_path(Path(path)) if isinstance(p, Paper)]
    rng = random.Random(3)
    odd = ["".join(part + (rng.choice(ODD_SPACES) if rng.random() < 0.05 else " ") for part in text.split(" ")) for text in found[:400]]
    edges = [rng.choice(ODD_SPACES) + text + rng.choice(ODD_SPACES) for text in found[:200]]
    return found + odd + edges + ["", " ", "\n", "a", " a ", "e.g. don't U.S. :) (GPT-4o-mini), 3.5% $500 https://github.com/a/b."]


def test_tokens_are_spacys_own(texts: list[str]) -> None:
    tokenizer = build_nlp().tokenizer
    differ = [text for text in texts if tokens(tokenizer(text)) != tokens(tokenizer.tokenizer(text)) or tokenizer(text).text != text]
    assert len(texts) > 1200
    assert differ == []


def test_whitespace_class_is_pythons() -> None:
    """The chunking regex and spaCy's `isspace` split on the same characters."""
    assert all((re.match(r"\s", chr(c)) is not None) == chr(c).isspace() for c in range(0x110000))


def test_a_rule_set_on_the_pipeline_reaches_spacy_and_drops_remembered_splits() -> None:
    nlp = build_nlp()
    assert [t.text for t in nlp.tokenizer("GPT-4o")] == ["GPT", "-", "4o"]
    nlp.tokenizer.infix_finditer = re.compile(r"(?!)").finditer  # no infixes at all
    assert [t.text for t in nlp.tokenizer("GPT-4o")] == ["GPT-4o"]
    nlp.tokenizer.add_special_case("GPT-4o", [{"ORTH": "GPT"}, {"ORTH": "-4o"}])
    assert [t.text for t in nlp.tokenizer("GPT-4o")] == ["GPT", "-4o"]
