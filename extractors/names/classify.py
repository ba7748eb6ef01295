"""Decide what a name-shaped word is: model, benchmark, or nothing, and by which rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.names.gazetteer import Entry, Gazetteer
from extractors.names.shapes import JUNK_SUFFIX, PLURAL_ACRONYM, is_name_shaped, is_strong_model_shape
from extractors.rules import rule_file

WINDOW = 90
OWN_BENCH_APPOSITIVE = re.compile(
    r"^[^.;]{0,100}?\b(?:benchmarks?|datasets?|data set|suite|corpus|leaderboard|test ?bed|evaluation (?:set|framework))\b", re.I
)
OWN_MODEL_APPOSITIVE = re.compile(
    r"^[^.;]{0,100}?\b(?:models?|LLMs?|MLLMs?|VLMs?|network|architecture|backbone|detector|encoder|decoder|transformer|"
    r"tokenizer|agent|family|series|checkpoints?|foundation model|language model|classifier|segmenter|generator)\b",
    re.I,
)
OWN_METHOD_APPOSITIVE = re.compile(
    r"^[^.;]{0,60}?\b(?:method|approach|technique|strategy|algorithm|paradigm|pipeline|library|toolkit|toolbox|"
    r"loss|optimi[sz]er|mechanism|module|scheme|recipe|objective|protocol|metric|platform|engine|kernel|attention)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Cue:
    id: str
    label: str
    side: str
    strong: bool
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def load_cues() -> tuple[Cue, ...]:
    return tuple(
        Cue(r["id"], r["label"], r["side"], r.get("strength") == "strong", re.compile(r["pattern"]))
        for r in rule_file("names/context_cues.jsonl")
    )


@dataclass(slots=True)
class Verdict:
    label: str  # model | benchmark | none
    rule: str
    entry: Entry | None = None


NONE = Verdict("none", "")


def strip_junk(surface: str) -> str:
    """`GPT-4-based` -> `GPT-4`; repeated for `-pre-trained`-style double suffixes."""
    while True:
        m = JUNK_SUFFIX.search(surface)
        if not m:
            return surface
        surface = surface[: m.start()]


def match_cue(text: str, start: int, end: int) -> Cue | None:
    """First cue (file order) whose pattern fits the words around the name."""
    before = text[max(0, start - WINDOW) : start]
    after = text[end : end + WINDOW]
    for cue in load_cues():
        window = before if cue.side == "before" else after
        if cue.pattern.search(window):
            return cue
    return None


def own_label(after: str) -> str:
    """What a proposed name is, from the appositive that follows it (`X, a benchmark for ...`)."""
    if OWN_BENCH_APPOSITIVE.search(after):
        return "benchmark"
    if OWN_METHOD_APPOSITIVE.search(after) and not OWN_MODEL_APPOSITIVE.search(after[:40]):
        return "none"
    return "model"


def classify(gaz: Gazetteer, surface: str, text: str, start: int, end: int) -> Verdict:
    """Gazetteer first, negative lists second, then stems, word shape and context cues."""
    entry = gaz.lookup(surface)
    if entry is not None:
        return Verdict(entry.label, entry.id, entry)
    negative = gaz.is_negative(surface)
    if negative:
        return Verdict("none", negative)
    if PLURAL_ACRONYM.match(surface):
        return NONE
    entry = gaz.stem_entry(surface)
    if entry is not None and entry.label == "model":
        return Verdict("model", entry.id + "+variant", entry)
    parts = re.split(r"[-‐‑]", surface)
    if len(parts) > 1:
        for part in parts[1:]:
            inner = gaz.lookup(part)
            if inner is not None and inner.label == "model" and len(part) > 2:
                return Verdict("model", inner.id + "+derived", inner)
    if entry is not None:  # a benchmark family stem: AIME24, ImageNet-21K
        return Verdict(entry.label, entry.id + "+variant", entry)
    if not is_name_shaped(surface):
        cue = match_cue(text, start, end)
        if cue and cue.strong and cue.label == "own" and re.match(r"[A-Z]", surface):
            label = own_label(text[end : end + WINDOW])
            return Verdict(label, cue.id) if label != "none" else NONE
        return NONE
    cue = match_cue(text, start, end)
    if cue is not None and cue.label == "own":
        label = own_label(text[end : end + WINDOW])
        return Verdict(label, cue.id) if label != "none" else NONE
    if cue is not None and cue.strong:
        return Verdict(cue.label, cue.id)
    if is_strong_model_shape(surface):
        if cue is not None and cue.label == "benchmark":
            return Verdict("benchmark", cue.id)
        return Verdict("model", "shape.model_version_or_size")
    if cue is not None:
        return Verdict(cue.label, cue.id)
    return NONE
