"""Model and benchmark names: golden cases as data, and every gazetteer entry recognised in context."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.names.classify import DECISIONS, LISTED_STEPS, PLAIN_STEPS, SHAPED_STEPS
from extractors.pipeline import paper_text, shared_nlp
from extractors.rules import load_jsonl

CASES = [json.loads(line) for line in (Path(__file__).parent / "cases" / "names.jsonl").read_text().splitlines() if line.strip()]
GAZETTEERS = Path(__file__).resolve().parents[2] / "extractors" / "names" / "gazetteers"


def mentions(title: str, abstract: str) -> list:
    return shared_nlp()(paper_text(title, abstract))._.mentions


@pytest.mark.parametrize("case", CASES, ids=[c["abstract"][:40] for c in CASES])
def test_names_golden(case: dict) -> None:
    found = mentions(case["title"], case["abstract"])
    assert sorted({m.text for m in found if m.label == "model"}) == sorted(case["models"])
    assert sorted({m.text for m in found if m.label == "benchmark"}) == sorted(case["benchmarks"])
    text = paper_text(case["title"], case["abstract"])
    assert all(text[m.start : m.end] == m.text and m.rule for m in found)


STEP_CASES = [json.loads(line) for line in (Path(__file__).parent / "cases" / "decision_steps.jsonl").read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("case", STEP_CASES, ids=[c["name"] for c in STEP_CASES])
def test_the_deciding_step_of_classify_reaches_the_rule(case: dict) -> None:
    """`evidence|classify.<step>`: the step of the decision list that labelled a word follows its evidence."""
    found = mentions("A study", case["text"])
    assert [m.rule for m in found if m.text == case["name"]] == [case["rule"]]


def test_the_decision_steps_have_distinct_ids_and_each_kind_ends_in_a_decision() -> None:
    ids = [step_id for step_id, _, _ in DECISIONS]
    assert len(ids) == len(set(ids)) and all(i.startswith("classify.") for i in ids)
    assert [steps[-1][0] for steps in (LISTED_STEPS, PLAIN_STEPS, SHAPED_STEPS)] == ["classify.listed", "classify.plain_word", "classify.no_evidence"]


def test_canonical_names_and_model_attributes() -> None:
    found = {m.text: m for m in mentions("T", "We compare GPT4-Turbo with Llama-3.1-8B-Instruct on ImageNet 1k.")}
    assert found["GPT4-Turbo"].name == "GPT-4 Turbo"
    llama = found["Llama-3.1-8B-Instruct"]
    assert llama.params == 8e9 and llama.version == "3.1" and llama.family
    assert found["ImageNet 1k"].name == "ImageNet-1K"


def _entries(filename: str) -> list[dict]:
    return load_jsonl(GAZETTEERS / filename)


def _ambiguous() -> set[str]:
    """Names listed as both a model and a benchmark: context decides, so no fixed expectation."""
    models = {a.lower() for r in _entries("models.jsonl") for a in [r["name"], *r.get("aliases", [])]}
    benches = {a.lower() for r in _entries("benchmarks.jsonl") for a in [r["name"], *r.get("aliases", [])]}
    return models & benches


@pytest.mark.parametrize(
    ("filename", "label", "carrier"),
    [
        ("models.jsonl", "model", "We compare our method with {} on several tasks."),
        ("benchmarks.jsonl", "benchmark", "We report accuracy on {} and other tasks."),
    ],
)
def test_every_gazetteer_entry_is_found_in_context(filename: str, label: str, carrier: str) -> None:
    skip = _ambiguous()
    missed = []
    for entry in _entries(filename):
        if entry["name"].lower() in skip:
            continue
        found = mentions("Title", carrier.format(entry["name"]))
        if not any(m.label == label and entry["name"].startswith(m.text) and m.rule.startswith(entry["id"]) for m in found):
            missed.append(entry["name"])
    assert missed == []


@pytest.mark.parametrize("filename", ["not_models.jsonl", "not_benchmarks.jsonl"])
def test_negative_entries_are_never_names(filename: str) -> None:
    positive = {a.lower() for f in ("models.jsonl", "benchmarks.jsonl") for r in _entries(f) for a in [r["name"], *r.get("aliases", [])]}
    wrong = []
    for entry in _entries(filename):
        if entry["text"].lower() in positive:
            continue  # listed on both sides on purpose (e.g. MAE the model, MAE the metric): context decides
        found = mentions("Title", f"We compare our method with {entry['text']} on several tasks.")
        if any(m.text == entry["text"] for m in found):
            wrong.append(entry["text"])
    assert wrong == []


@pytest.mark.parametrize(
    ("title", "abstract", "expected"),
    [
        # the abstract's appositive says what the title's name is; the head of `a benchmark comprised of ... models`
        # stands before its `of`
        ("RoboEval-X: Towards Fair Evaluation of Robot Policies", "We introduce RoboEval-X, an extended benchmark that perturbs objects and layouts.", {("RoboEval-X", "benchmark")}),
        ("DetBench: Benchmarking Detectors on Edge Devices", "We present DetBench, a benchmark comprised of 300+ detection models on 4 datasets.", {("DetBench", "benchmark")}),
        # a listed benchmark acronym proposed as a framework is the paper's system
        ("Routing Tokens", "We introduce Token Adaptive Context Optimization (TACO), a framework that routes tokens. TACO trains the router.", {("TACO", "system")}),
        ("wav2seq: Pretraining Speech Encoders", "We pretrain speech encoders on pseudo-languages.", {("wav2seq", "model")}),
        # a proposed plain word is the system when a name-ending punctuation follows it
        ("Lifelong Agents in Minecraft", "We introduce Voyager, the first LLM-powered embodied lifelong learning agent in Minecraft.", {("Voyager", "model")}),
        # the code repository is named after the system the abstract names only in passing
        ("Hybrid Aggregation for Segmentation", "We use a U-Net-shaped model – CORVA – to segment tumors. Code: https://github.com/someone/CORVA.", {("CORVA", "system")}),
    ],
)
def test_own_systems_take_the_label_the_paper_gives_them(title: str, abstract: str, expected: set) -> None:
    systems = shared_nlp()(paper_text(title, abstract))._.systems
    assert {(s.text, s.label) for s in systems} == expected


def test_no_name_runs_from_the_title_into_the_abstract() -> None:
    found = mentions("Hybrid Feature Aggregation for Tumor Segmentation", "The Brain Tumor Segmentation Challenge (BraTS) is a platform.")
    assert all("\n" not in m.text for m in found)
    assert {m.text for m in found} >= {"Brain Tumor Segmentation Challenge", "BraTS"}
