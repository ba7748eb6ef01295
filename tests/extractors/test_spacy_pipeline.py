"""The extractors as a spaCy pipeline a user loads in their own code: facts as Spans with attributes, displaCy."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy import displacy

from extractors import build_nlp
from extractors.extensions import SPAN_GROUPS
from extractors.pipeline import paper_text
from extractors.rows import _field, doc_to_rows
from flows.readers.detect import read_path
from flows.records import Paper

SEED = Path(__file__).resolve().parents[2] / "data" / "trending_papers.txt"


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


@pytest.fixture(scope="module")
def seed_papers() -> list[Paper]:
    return [r for r in read_path(SEED) if isinstance(r, Paper)][:50]


def test_each_fact_is_a_span_with_its_attributes(nlp) -> None:
    doc = nlp(paper_text("GPT-4 beats Llama-2 on MMLU", "We get 85.2/90.1 accuracy on ImageNet with ResNet-50 (github.com/a/b), see https://x.org/y."))
    assert set(SPAN_GROUPS) <= set(doc.spans)
    models = {(s.text, s.label_, s._.canonical, s._.rule) for s in doc.spans["models"]}
    assert ("Llama-2", "model", "Llama 2", "model.llama-2") in models
    assert [(s.text, s._.canonical) for s in doc.spans["benchmarks"]] == [("MMLU", "MMLU"), ("ImageNet", "ImageNet")]
    # two numbers in one token are two spans over that token, each with its own value and exact offsets
    results = [(s.text, s.label_, s._.value, s._.kind, s._.benchmark, doc.text[s._.start_char : s._.end_char]) for s in doc.spans["results"]]
    assert results == [("85.2/90.1", "score", 85.2, "score", "ImageNet", "85.2"), ("85.2/90.1", "score", 90.1, "score", "ImageNet", "90.1")]
    assert [s._.metric for s in doc.spans["results"]] == ["accuracy", "accuracy"]
    assert [(s.text, s._.owner, s._.repo) for s in doc.spans["repos"]] == [("github.com/a/b", "a", "b")]
    assert [(s.text, s._.domain, s._.rule) for s in doc.spans["links"]] == [("https://x.org/y", "x.org", "url.link")]
    assert all(s._.rule for group in SPAN_GROUPS for s in doc.spans[group])


def test_rows_are_read_from_the_spans(nlp, seed_papers) -> None:
    """Every fact row is one span of its table's group, at the span's exact offsets, with its rule."""
    for paper in seed_papers:
        doc = nlp(paper_text(paper.title, paper.abstract))
        rows = doc_to_rows(doc, paper.paper_id, len(paper.title), "run")
        for table in SPAN_GROUPS:
            spans = [s for s in doc.spans[table] if _field(s._.start_char, s._.end_char, len(paper.title)) is not None]
            assert [(r["text"], r["rule"]) for r in rows[table]] == [(doc.text[s._.start_char : s._.end_char], s._.rule) for s in spans]


def test_displacy_renders_the_results_of_a_paper(nlp, seed_papers) -> None:
    paper = seed_papers[0]
    doc = nlp(paper_text(paper.title, paper.abstract))
    html = displacy.render(doc, style="span", options={"spans_key": "results"}, page=False)
    assert doc.spans["results"]
    for span in doc.spans["results"]:
        assert span.label_ in html and all(token.text in html for token in span)
