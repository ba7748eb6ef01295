"""Every rule in the data files carries examples; each example must fire exactly that rule.

A user who adds a rule line adds an example with it, and this test proves the rule does what it says.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.names.classify import head_label, match_cue, morpheme_label, negative_shape
from extractors.names.word_lists import name_patterns
from extractors.pipeline import paper_text, shared_nlp
from extractors.results.metrics import canonical_metric
from extractors.results.qualifiers import find_bound, find_settings, not_a_score
from extractors.rules import load_jsonl

ROOT = Path(__file__).resolve().parents[2] / "extractors"
RULE_FILES = [
    "numbers/units.jsonl",
    "numbers/count_nouns.jsonl",
    "numbers/kind_rules.jsonl",
    "numbers/metrics.jsonl",
    "names/context_cues.jsonl",
    "names/head_nouns.jsonl",
    "names/name_morphemes.jsonl",
    "names/negative_shapes.jsonl",
    "names/name_phrases.jsonl",
    "names/word_lists.jsonl",
    "results/metric_registry.jsonl",
    "results/settings.jsonl",
    "results/bounds.jsonl",
    "results/not_scores.jsonl",
]


def _examples(relative: str) -> list[tuple[str, dict]]:
    return [(row["id"], example) for row in load_jsonl(ROOT / relative) for example in row.get("examples", [])]


@pytest.mark.parametrize("relative", RULE_FILES)
def test_every_rule_has_an_example(relative: str) -> None:
    assert [row["id"] for row in load_jsonl(ROOT / relative) if not row.get("examples")] == []


def _quantity(text: str, number: str):
    doc = shared_nlp()(paper_text("T", text))
    matches = [q for q in doc._.quantities if q.text == number]
    assert matches, f"{number!r} not found in {text!r}: {[q.text for q in doc._.quantities]}"
    return matches[0]


@pytest.mark.parametrize(("rule_id", "example"), _examples("numbers/units.jsonl") + _examples("numbers/count_nouns.jsonl"))
def test_unit_and_noun_examples(rule_id: str, example: dict) -> None:
    q = _quantity(example["text"], example["number"])
    assert rule_id in q.rule.split("|")[0].split("+")
    if "unit" in example:
        assert q.unit == example["unit"]


@pytest.mark.parametrize(("rule_id", "example"), _examples("numbers/kind_rules.jsonl"))
def test_kind_examples(rule_id: str, example: dict) -> None:
    q = _quantity(example["text"], example["number"])
    assert (q.kind, q.rule.split("|")[1].split("+")[0]) == (example["kind"], rule_id)


@pytest.mark.parametrize(("rule_id", "example"), _examples("numbers/metrics.jsonl"))
def test_metric_examples(rule_id: str, example: dict) -> None:
    q = _quantity(example["text"], example["number"])
    assert q.metric == example["metric"]
    assert any(r.endswith(":" + rule_id) for r in q.link_rules)


@pytest.mark.parametrize(("rule_id", "example"), _examples("names/context_cues.jsonl"))
def test_context_cue_examples(rule_id: str, example: dict) -> None:
    text, name = example["text"], example["name"]
    start = text.index(name)
    cue = match_cue(text, start, start + len(name))
    assert cue is not None and cue.id == rule_id


@pytest.mark.parametrize(("rule_id", "example"), _examples("names/head_nouns.jsonl"))
def test_head_noun_examples(rule_id: str, example: dict) -> None:
    assert head_label(example["text"])[1] == rule_id


@pytest.mark.parametrize(("rule_id", "example"), _examples("names/name_morphemes.jsonl"))
def test_morpheme_examples(rule_id: str, example: dict) -> None:
    assert morpheme_label(example["text"])[1] == rule_id


@pytest.mark.parametrize(("rule_id", "example"), _examples("names/negative_shapes.jsonl"))
def test_negative_shape_examples(rule_id: str, example: dict) -> None:
    assert negative_shape(example["text"]) == rule_id


@pytest.mark.parametrize(("rule_id", "example"), _examples("names/name_phrases.jsonl"))
def test_name_phrase_examples(rule_id: str, example: dict) -> None:
    found = shared_nlp()(paper_text("T", example["text"]))._.mentions
    assert any(m.text == example["name"] and m.rule == rule_id for m in found), [(m.text, m.rule) for m in found]


@pytest.mark.parametrize(("rule_id", "example"), _examples("names/word_lists.jsonl"))
def test_word_list_examples(rule_id: str, example: dict) -> None:
    """What the pattern built from the list finds in the text: the matched text, or nothing (null)."""
    found = name_patterns().by_list[rule_id].search(example["text"])
    assert (found.group(0) if found else None) == example["match"]


@pytest.mark.parametrize(("rule_id", "example"), _examples("results/metric_registry.jsonl"))
def test_metric_registry_examples(rule_id: str, example: dict) -> None:
    metric = canonical_metric(example["text"])
    assert (metric.name, metric.rule) == (example["name"], rule_id)


@pytest.mark.parametrize(("rule_id", "example"), _examples("results/settings.jsonl"))
def test_setting_examples(rule_id: str, example: dict) -> None:
    text = example["text"]
    number = next(q for q in shared_nlp()(paper_text("T", text))._.quantities if q.kind == "score")
    offset = len("T\n")
    _, rules = find_settings("T\n" + text, number.start, number.end, (offset, offset + len(text)), (-1, -1), None)
    assert rule_id in rules


@pytest.mark.parametrize(("rule_id", "example"), _examples("results/bounds.jsonl"))
def test_bound_examples(rule_id: str, example: dict) -> None:
    q = _quantity(example["text"], example["number"])
    doc_text = "T\n" + example["text"]
    assert find_bound(doc_text, q.start, q.end, q.text) == (example["bound"], rule_id)


@pytest.mark.parametrize(("rule_id", "example"), _examples("results/not_scores.jsonl"))
def test_not_score_examples(rule_id: str, example: dict) -> None:
    q = _quantity(example["text"], example["number"])
    assert not_a_score("T\n" + example["text"], q.start, q.end, q.sentence) == rule_id
