"""What one candidate's label says about others in the same paper: lists of names, repeats and family stems."""

from __future__ import annotations

import re

from extractors.names.candidates import Candidate
from extractors.names.classify import Verdict
from extractors.names.gazetteer import squash
from extractors.names.shapes import is_name_shaped
from extractors.names.word_lists import name_patterns

CONJUNCTION = re.compile(r"\b(?:and|or)\b|[&/]")
COORDINATION = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*|/\s*|,?\s*as well as\s+)$")
# How reliable a rule is, by its first part: a name keeps the label of its most reliable mention.
RULE_RANK = {"gaz": 4, "phrase": 4, "acronym": 3, "title": 3, "ctx": 2, "coord": 1, "shape": 1, "consistency": 0}


def _rank(rule: str) -> int:
    return RULE_RANK.get(rule.split(".", 1)[0].replace("model", "gaz").replace("bench", "gaz"), 2)


def drop_metric_names(cands: list[Candidate], text: str) -> None:
    """`Inception Score`, `CLIP score`, `GLUE score`: a listed model name inside a metric's name is no mention."""
    metric_name_after = name_patterns().metric_name_after
    for c in cands:
        if c.verdict.label == "model" and metric_name_after.match(text, c.end):
            c.verdict = Verdict("none", "ctx.none.metric_after")


def label_coordinations(cands: list[Candidate], text: str) -> None:
    """`GPT-4o, Claude 3.5 Sonnet and X`: a name-shaped X in a list of models is a model."""
    groups: list[list[Candidate]] = []
    for c in cands:
        if groups and COORDINATION.match(text[groups[-1][-1].end : c.start]):
            groups[-1].append(c)
        else:
            groups.append([c])
    for group in groups:
        enclosed = text[group[0].start - 1 : group[0].start] == "(" and text[group[-1].end : group[-1].end + 1] == ")"
        if len(group) < 2 or (len(group) == 2 and not CONJUNCTION.search(text[group[0].end : group[1].start]) and not enclosed):
            continue  # `On ImageNet-1K, ViT-L reaches ...` is not a list; `(AC, CL)` is
        labels = _benchmark_lists(group, text[max(0, group[0].start - 40) : group[0].start])
        if len(labels) != 1:
            continue
        label = labels.pop()
        for c in group:
            if c.verdict.label == "none" and not c.verdict.rule and is_name_shaped(c.surface):
                c.verdict = Verdict(label, f"coord.{label}_list")


def _benchmark_lists(group: list[Candidate], intro: str) -> set[str]:
    """The labels of a list, after its introduction has had its say: names that double as models are benchmarks in
    `tasks such as Koala, Self-Instruct, WizardLM and MT-Bench`, and a data noun outweighs a variant-like shape in
    `three datasets – EuroSAT-L, BigEarthNet-L, and LC100-L`."""
    patterns = name_patterns()
    labels = {c.verdict.label for c in group if c.verdict.label != "none"}
    if labels == {"model", "benchmark"} and len(group) >= 3 and patterns.bench_list_intro.search(intro):
        for c in group:
            if c.verdict.label == "model" and not c.verdict.rule.startswith("shape"):
                c.verdict = Verdict("benchmark", "coord.benchmark_list_override")
        labels = {"benchmark"}
    if "model" in labels and patterns.bench_noun_intro.search(intro):
        for c in group:
            if c.verdict.label == "model" and not c.verdict.rule.startswith("model."):
                c.verdict = Verdict("benchmark", "coord.benchmark_list_override")
        labels = {c.verdict.label for c in group if c.verdict.label != "none"}
    return labels


def agree_labels(cands: list[Candidate]) -> None:
    """A name keeps one label throughout the paper: the one from the most reliable rule."""
    keys = [squash(c.surface) for c in cands]
    blocked = {key for key, c in zip(keys, cands, strict=True) if c.verdict.rule == "acronym.generic_long_form"}
    best: dict[str, Verdict] = {}
    for key, c in zip(keys, cands, strict=True):
        if key in blocked:
            c.verdict = Verdict("none", "acronym.generic_long_form")
        v = c.verdict
        if v.label != "none" and (key not in best or _rank(v.rule) > _rank(best[key].rule)):
            best[key] = v
    for key, c in zip(keys, cands, strict=True):
        v = best.get(key)
        if v is not None and c.verdict.label == "none" and not c.verdict.rule:
            c.verdict = Verdict(v.label, "consistency.same_name", v.entry)
        elif v is not None and c.verdict.label != v.label:
            c.verdict = v


def label_family_stems(cands: list[Candidate]) -> None:
    """`CLIPA-v2` is a model, so `CLIPA` alone in the same paper is too; and `DaViT-Tiny` is a DaViT."""
    family_split = name_patterns().family_split
    stems: dict[str, Verdict] = {}
    models = {c.surface: c.verdict for c in cands if c.verdict.label == "model"}
    for c in cands:
        if c.verdict.label == "model":
            m = family_split.match(c.surface)
            if m and len(m.group("stem")) >= 3:
                stems.setdefault(m.group("stem"), c.verdict)
    for c in cands:
        if c.verdict.label != "none" or c.verdict.rule:
            continue
        if c.surface in stems:
            c.verdict = Verdict("model", "consistency.family_stem", stems[c.surface].entry)
            continue
        m = family_split.match(c.surface)
        if m and m.group("stem") in models and len(m.group("stem")) >= 3:
            c.verdict = Verdict("model", "consistency.family_variant", models[m.group("stem")].entry)


SPLIT_OF = re.compile(r"^(?P<stem>[^\s‐‑-]{3,})[-‐‑][A-Za-z]\w*$")


def label_benchmark_splits(cands: list[Candidate]) -> None:
    """`CMDAR-main` in a paper whose benchmark is CMDAR is that benchmark's split, written with its name."""
    benchmarks = {c.surface for c in cands if c.verdict.label == "benchmark"}
    for c in cands:
        if c.verdict.label != "none" or c.verdict.rule:
            continue
        m = SPLIT_OF.match(c.surface)
        if m and m.group("stem") in benchmarks:
            c.verdict = Verdict("benchmark", "consistency.benchmark_split")
