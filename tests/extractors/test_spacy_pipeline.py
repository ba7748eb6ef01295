"""The extractors as a spaCy pipeline a user loads in their own code: facts as Spans with attributes, displaCy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy import displacy

from extractors import build_nlp
from extractors.fact_table import field_offsets
from extractors.pipeline import paper_text
from extractors.rows import doc_to_rows
from extractors.tables import SPAN_TABLES
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
    assert set(SPAN_TABLES) <= set(doc.spans)
    models = {(s.text, s.label_, s._.canonical, s._.rule) for s in doc.spans["models"]}
    assert ("Llama-2", "model", "Llama 2", "model.llama-2|classify.listed") in models
    assert [(s.text, s._.canonical) for s in doc.spans["benchmarks"]] == [("MMLU", "MMLU"), ("ImageNet", "ImageNet")]
    # two numbers in one token are two spans over that token, each with its own value and exact offsets
    results = [(s.text, s.label_, s._.value, s._.kind, s._.benchmark, doc.text[s._.start_char : s._.end_char]) for s in doc.spans["results"]]
    assert results == [("85.2/90.1", "score", 85.2, "score", "ImageNet", "85.2"), ("85.2/90.1", "score", 90.1, "score", "ImageNet", "90.1")]
    assert [s._.metric for s in doc.spans["results"]] == ["accuracy", "accuracy"]
    assert [(s.text, s._.owner, s._.repo) for s in doc.spans["repos"]] == [("github.com/a/b", "a", "b")]
    assert [(s.text, s._.domain, s._.rule) for s in doc.spans["links"]] == [("https://x.org/y", "x.org", "url.link")]
    assert all(s._.rule for group in SPAN_TABLES for s in doc.spans[group])


def test_rows_are_read_from_the_spans(nlp, seed_papers) -> None:
    """Every fact row is one span of its table's group, at the span's exact offsets, with its rule."""
    for paper in seed_papers:
        doc = nlp(paper_text(paper.title, paper.abstract))
        rows = doc_to_rows(doc, paper.paper_id, len(paper.title), "run")
        for table in SPAN_TABLES:
            spans = [s for s in doc.spans[table] if field_offsets(s._.start_char, s._.end_char, len(paper.title)) is not None]
            assert [(r["text"], r["rule"]) for r in rows[table]] == [(doc.text[s._.start_char : s._.end_char], s._.rule) for s in spans]


def test_displacy_renders_the_results_of_a_paper(nlp, seed_papers) -> None:
    paper = seed_papers[0]
    doc = nlp(paper_text(paper.title, paper.abstract))
    html = displacy.render(doc, style="span", options={"spans_key": "results"}, page=False)
    assert doc.spans["results"]
    for span in doc.spans["results"]:
        assert span.label_ in html and all(token.text in html for token in span)


def _spans(doc) -> dict[str, list[tuple]]:
    return {
        group: [(s.start, s.end, s.label_, s._.start_char, s._.end_char, s._.rule, s._.canonical, s._.value, s._.kind, s._.metric, s._.benchmark, s._.model) for s in doc.spans[group]]
        for group in SPAN_TABLES
    }


LOAD_AND_DUMP = """
import json, sys
import spacy  # paperfacts is not imported: spaCy finds its components through the package's entry points
nlp = spacy.load(sys.argv[1])
texts = json.loads(sys.stdin.read())
out = []
for doc in nlp.pipe(texts):
    out.append({g: [[s.start, s.end, s.label_, s._.start_char, s._.end_char, s._.rule, s._.canonical, s._.value, s._.kind,
                     s._.metric, s._.benchmark, s._.model] for s in doc.spans[g]] for g in GROUPS})
print(json.dumps(out))
""".replace("GROUPS", repr(SPAN_TABLES))


def test_a_saved_pipeline_loads_with_spacy_load_and_gives_the_same_spans(nlp, seed_papers, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipeline")
    texts = [paper_text(p.title, p.abstract) for p in seed_papers]
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_AND_DUMP, str(tmp_path / "pipeline")], input=json.dumps(texts), capture_output=True, text=True, cwd=tmp_path, check=True
    )
    expected = [{g: [list(x) for x in spans] for g, spans in _spans(doc).items()} for doc in nlp.pipe(texts)]
    assert json.loads(loaded.stdout) == expected
    assert sum(len(doc["results"]) for doc in expected) > 100


def test_an_edited_rule_file_of_a_saved_copy_changes_that_copy_only(nlp, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipeline")
    names = tmp_path / "pipeline" / "paperfacts_names" / "names" / "gazetteers" / "benchmarks.jsonl"
    names.write_text(names.read_text(encoding="utf-8") + '{"id": "bench.zorblequiz", "name": "zorblequiz", "aliases": []}\n', encoding="utf-8")
    units = tmp_path / "pipeline" / "paperfacts_numbers" / "numbers" / "units.jsonl"
    units.write_text(units.read_text(encoding="utf-8").replace('"id": "unit.points"', '"id": "unit.points_edited"'), encoding="utf-8")
    copy = spacy.load(tmp_path / "pipeline")
    text = paper_text("A title", "Our model gains 5.5 points on zorblequiz and on MMLU.")
    for _ in range(2):  # the two pipelines in turn, each with its own rules
        edited, package = copy(text), nlp(text)
        assert [(s.text, s._.rule) for s in edited.spans["benchmarks"]] == [("zorblequiz", "bench.zorblequiz"), ("MMLU", "bench.mmlu|classify.listed")]
        assert [(s.text, s._.rule) for s in package.spans["benchmarks"]] == [("MMLU", "bench.mmlu|classify.listed")]
        assert edited.spans["results"][0]._.rule.startswith("unit.points_edited")
        assert package.spans["results"][0]._.rule.startswith("unit.points|")


def test_the_linking_cues_are_saved_with_the_pipeline_and_read_from_the_copy(nlp, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipeline")
    cues = tmp_path / "pipeline" / "paperfacts_numbers" / "results" / "link_cues.jsonl"
    rows = [json.loads(line) if line.startswith("{") else line for line in cues.read_text(encoding="utf-8").splitlines()]
    unnamed = next(r for r in rows if isinstance(r, dict) and r["id"] == "link_cue.unnamed_before")
    unnamed["words"]["qualifier"].append("wombat")  # `wombat baselines` now name no model
    cues.write_text("\n".join(json.dumps(r) if isinstance(r, dict) else r for r in rows) + "\n", encoding="utf-8")
    copy = spacy.load(tmp_path / "pipeline")
    text = paper_text("A title", "GPT-4 reaches 51.7% on MMLU, while wombat baselines reach 40.2% on MMLU.")
    for _ in range(2):  # the two pipelines in turn, each with its own rules
        edited, package = copy(text), nlp(text)
        assert [s._.model for s in edited.spans["results"]] == ["GPT-4", None]
        assert [s._.model for s in package.spans["results"]] == ["GPT-4", "GPT-4"]


def test_an_edited_word_list_of_a_saved_copy_changes_that_copy_only(nlp, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipeline")
    lists = tmp_path / "pipeline" / "paperfacts_names" / "names" / "word_lists.jsonl"
    lists.write_text(lists.read_text(encoding="utf-8").replace('"words": ["base", ', '"words": ["zorb", "base", '), encoding="utf-8")
    copy = spacy.load(tmp_path / "pipeline")
    text = paper_text("A title", "We fine-tune Llama-2-zorb on MMLU.")
    for _ in range(2):  # `zorb` is a variant word that stays part of a name in the copy only
        edited, package = copy(text), nlp(text)
        assert [s.text for s in edited.spans["models"]] == ["Llama-2-zorb"]
        assert [s.text for s in package.spans["models"]] == ["Llama-2"]


def test_the_leaderboard_rules_of_a_saved_copy_are_read_from_the_copy(nlp, tmp_path: Path) -> None:
    """The metric registry (and settings, bounds, not-scores, confidence) are saved with the pipeline: renaming a
    metric in the copy renames it in the copy's leaderboard rows only."""
    from extractors.rows import doc_to_rows

    nlp.to_disk(tmp_path / "pipeline")
    registry = tmp_path / "pipeline" / "paperfacts_numbers" / "results" / "metric_registry.jsonl"
    assert registry.exists()
    registry.write_text(registry.read_text(encoding="utf-8").replace('"name": "accuracy", "aliases": [', '"name": "wombat accuracy", "aliases": ["accuracy", ', 1), encoding="utf-8")
    copy = spacy.load(tmp_path / "pipeline")
    title = "DeepSeekMath"
    text = paper_text(title, "DeepSeekMath 7B achieves an accuracy of 51.7% on MATH.")
    for _ in range(2):  # the two pipelines in turn, each with its own rules
        edited = doc_to_rows(copy(text), "p", len(title), "r", min_confidence=0.0)["leaderboard"]
        package = doc_to_rows(nlp(text), "p", len(title), "r", min_confidence=0.0)["leaderboard"]
        assert [(r["value"], r["metric"]) for r in edited] == [(51.7, "wombat accuracy")]
        assert [(r["value"], r["metric"]) for r in package] == [(51.7, "accuracy")]
