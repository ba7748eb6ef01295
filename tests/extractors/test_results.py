"""Numbers with kind, scale and links: golden cases, and arbitrary text never breaks the pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.pipeline import paper_text, shared_nlp
from extractors.rows import doc_to_rows
from tests.conftest import examples

CASES = [json.loads(line) for line in (Path(__file__).parent / "cases" / "results.jsonl").read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["abstract"][:40] for c in CASES])
def test_results_golden(case: dict) -> None:
    doc = shared_nlp()(paper_text(case["title"], case["abstract"]))
    got = {q.text: q for q in doc._.quantities}
    assert sorted(got) == sorted(r["text"] for r in case["results"])
    for expected in case["results"]:
        q = got[expected["text"]]
        assert q.value == expected["value"] and q.kind == expected["kind"], expected
        assert q.scale == expected.get("scale", q.scale)
        for field in ("metric", "benchmark", "model"):
            if field in expected:
                assert getattr(q, field) == expected[field], (field, expected)


WORDS = st.sampled_from(
    ["GPT-4", "51.7%", "on", "MATH", "(", ")", "[3]", "2.5x", "faster", "ViT-B/16", "https://github.com/a/b.", "we", "propose",
     "FooNet,", "a", "model", "\\%", "$", "1,000", "-", "+", "ImageNet-1K", "by", "respectively", "(ABC)", "é", "∑", "\n"]
)


@settings(max_examples=examples(40), suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(max_size=60), words=st.lists(WORDS | st.text(max_size=12), max_size=60))
def test_arbitrary_text_never_raises_and_offsets_hold(title: str, words: list[str]) -> None:
    title = title.replace("\n", " ")
    abstract = " ".join(words)
    doc = shared_nlp()(paper_text(title, abstract))
    rows = doc_to_rows(doc, "p", len(title), "r")
    fields = {"title": title, "abstract": abstract}
    for table in ("models", "benchmarks", "results", "repos", "links"):
        for row in rows[table]:
            assert fields[row["field"]][row["start"] : row["end"]] == row["text"]
