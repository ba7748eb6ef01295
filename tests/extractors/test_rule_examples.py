"""Every rule in the data files carries examples; each example must fire exactly that rule.

A user who adds a rule line adds an example with it, and this test proves the rule does what it says.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.names.classify import head_label, morpheme_label, negative_shape
from extractors.names.cues import match_cue
from extractors.names.word_lists import name_patterns
from extractors.numbers.cues import number_cues
from extractors.pipeline import paper_text, shared_nlp
from extractors.results.benchmark_links import pair_join
from extractors.results.link_rules import link_cues
from extractors.results.metrics import canonical_metric
from extractors.results.qualifiers import find_bound, find_settings, not_a_score
from extractors.rules import load_jsonl, rule_files

ROOT = Path(__file__).resolve().parents[2] / "extractors"
# every rule file (gazetteers are checked in context by test_names.py); each needs a test of its examples below
RULE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in rule_files(ROOT) if p.suffix == ".jsonl" and "gazetteers" not in p.parts)
TESTED: set[str] = set()
CUE_FILES = {"numbers/number_cues.jsonl": number_cues, "results/link_cues.jsonl": link_cues}


def _examples(relative: str) -> list[tuple[str, dict]]:
    return [(row["id"], example) for row in load_jsonl(ROOT / relative) for example in row.get("examples", [])]


def examples_of(*relative: str) -> pytest.MarkDecorator:
    """Parametrise a test over (rule id, example) of these rule files, and count the files as tested."""
    TESTED.update(relative)
    return pytest.mark.parametrize(("rule_id", "example"), [pair for r in relative for pair in _examples(r)])


@pytest.mark.parametrize("relative", RULE_FILES)
def test_every_rule_has_an_example(relative: str) -> None:
    assert [row["id"] for row in load_jsonl(ROOT / relative) if not row.get("examples")] == []


def _quantity(text: str, number: str):
    doc = shared_nlp()(paper_text("T", text))
    matches = [q for q in doc._.quantities if q.text == number]
    assert matches, f"{number!r} not found in {text!r}: {[q.text for q in doc._.quantities]}"
    return matches[0]


@examples_of("numbers/units.jsonl", "numbers/count_nouns.jsonl")
def test_unit_and_noun_examples(rule_id: str, example: dict) -> None:
    q = _quantity(example["text"], example["number"])
    assert rule_id in q.rule.split("|")[0].split("+")
    if "unit" in example:
        assert q.unit == example["unit"]
    if "scale" in example:
        assert q.scale == example["scale"]


@examples_of("numbers/kind_rules.jsonl")
def test_kind_examples(rule_id: str, example: dict) -> None:
    q = _quantity(example["text"], example["number"])
    assert (q.kind, q.rule.split("|")[1].split("+")[0]) == (example["kind"], rule_id)


@examples_of("numbers/metrics.jsonl")
def test_metric_examples(rule_id: str, example: dict) -> None:
    q = _quantity(example["text"], example["number"])
    assert q.metric == example["metric"]
    assert any(r.endswith(":" + rule_id) for r in q.link_rules)


@examples_of("names/context_cues.jsonl")
def test_context_cue_examples(rule_id: str, example: dict) -> None:
    text, name = example["text"], example["name"]
    start = text.index(name)
    cue = match_cue(text, start, start + len(name))
    assert cue is not None and cue.id == rule_id


@examples_of("names/head_nouns.jsonl")
def test_head_noun_examples(rule_id: str, example: dict) -> None:
    assert head_label(example["text"])[1] == rule_id


@examples_of("names/name_morphemes.jsonl")
def test_morpheme_examples(rule_id: str, example: dict) -> None:
    assert morpheme_label(example["text"])[1] == rule_id


@examples_of("names/negative_shapes.jsonl")
def test_negative_shape_examples(rule_id: str, example: dict) -> None:
    assert negative_shape(example["text"]) == rule_id


@examples_of("names/name_phrases.jsonl")
def test_name_phrase_examples(rule_id: str, example: dict) -> None:
    found = shared_nlp()(paper_text("T", example["text"]))._.mentions
    assert any(m.text == example["name"] and m.rule == rule_id for m in found), [(m.text, m.rule) for m in found]


@examples_of("names/word_lists.jsonl")
def test_word_list_examples(rule_id: str, example: dict) -> None:
    """What the pattern built from the list finds in the text: the matched text, or nothing (null)."""
    found = name_patterns().by_list[rule_id].search(example["text"])
    assert (found.group(0) if found else None) == example["match"]


@examples_of("results/metric_registry.jsonl")
def test_metric_registry_examples(rule_id: str, example: dict) -> None:
    metric = canonical_metric(example["text"])
    assert (metric.name, metric.rule) == (example["name"], rule_id)


@examples_of("results/implied_metrics.jsonl")
def test_implied_metric_examples(rule_id: str, example: dict) -> None:
    q = _quantity(example["text"], example["number"])
    assert q.metric == example["metric"]
    assert "link.metric.implied:" + rule_id in q.link_rules


@examples_of("results/settings.jsonl")
def test_setting_examples(rule_id: str, example: dict) -> None:
    text = example["text"]
    number = next(q for q in shared_nlp()(paper_text("T", text))._.quantities if q.kind == "score")
    offset = len("T\n")
    _, rules = find_settings("T\n" + text, number.start, number.end, (offset, offset + len(text)), (-1, -1), None)
    assert rule_id in rules


@examples_of("results/bounds.jsonl")
def test_bound_examples(rule_id: str, example: dict) -> None:
    q = _quantity(example["text"], example["number"])
    doc_text = "T\n" + example["text"]
    assert find_bound(doc_text, q.start, q.end, q.text) == (example["bound"], rule_id)


@examples_of("results/not_scores.jsonl")
def test_not_score_examples(rule_id: str, example: dict) -> None:
    q = _quantity(example["text"], example["number"])
    assert not_a_score("T\n" + example["text"], q.start, q.end, q.sentence) == rule_id


@examples_of("results/benchmark_surfaces.jsonl")
def test_benchmark_surface_examples(rule_id: str, example: dict) -> None:
    """Matched on the whole text between two numbers: `match` is whether it fires."""
    assert rule_id == "bench_surface.pair_join"
    assert (pair_join().match(example["text"]) is not None) == example["match"]


def _cue_examples() -> list[tuple[str, str, str, dict]]:
    TESTED.update(CUE_FILES)
    return [(relative, row["id"], row["side"], example) for relative in CUE_FILES for row in load_jsonl(ROOT / relative) for example in row["examples"]]


@pytest.mark.parametrize(("relative", "rule_id", "side", "example"), _cue_examples())
def test_cue_examples(relative: str, rule_id: str, side: str, example: dict) -> None:
    """A cue reads the text before a name or number (searched), after it or between two (matched from the start),
    or a whole sentence (searched); `match` is whether it fires, or the text it matches."""
    pattern = getattr(CUE_FILES[relative](), rule_id.split(".", 1)[1])
    found = pattern.search(example["text"]) if side in ("before", "sentence") else pattern.match(example["text"])
    if isinstance(example["match"], str):
        assert found is not None and found.group(0) == example["match"]
    else:
        assert (found is not None) == example["match"]


@pytest.mark.parametrize("relative", CUE_FILES)
def test_every_cue_has_a_positive_and_a_negative_example(relative: str) -> None:
    rows = load_jsonl(ROOT / relative)
    assert [r["id"] for r in rows if not any(e["match"] for e in r["examples"])] == []
    assert [r["id"] for r in rows if all(e["match"] is True for e in r["examples"]) and not any(isinstance(e["match"], str) for e in r["examples"])] == []


def test_every_rule_file_has_a_test_of_its_examples() -> None:
    """A new rule file gets a test above (`@examples_of`) that proves each example fires its rule."""
    assert set(RULE_FILES) == TESTED
