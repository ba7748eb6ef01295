"""Decide what a name-shaped word is: model, benchmark, or nothing, and by which rule."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from extractors.names.cues import NOUN_DEFINED_CUES, WINDOW, Cue, match_cue
from extractors.names.gazetteer import Entry, Gazetteer
from extractors.names.shapes import (
    APOSTROPHE_YEAR,
    MODEL_SIZE_PART,
    PLURAL_ACRONYM,
    is_name_shaped,
    is_strong_model_shape,
)
from extractors.names.word_lists import name_patterns
from extractors.rules import rule_cache, rule_file


@dataclass(slots=True)
class Verdict:
    label: str  # model | benchmark | none
    rule: str  # the evidence: a gazetteer entry, cue, head noun or shape id ("" for none without evidence)
    entry: Entry | None = None
    step: str = field(default="", compare=False)  # the step of `classify` that decided, when it did


NONE = Verdict("none", "")


LOWER_TAIL = re.compile(r"[-‐‑]([a-z]{4,})$")


def strip_junk(surface: str, gaz: Gazetteer | None = None) -> str:
    """`GPT-4-based` -> `GPT-4`, `API-accessed` -> `API`: adjective endings are not part of a name."""
    if "-" not in surface and "‐" not in surface and "‑" not in surface:
        return surface  # the common case: nothing to strip
    patterns = name_patterns()
    while True:
        m = patterns.junk_suffix.search(surface)
        if m:
            surface = surface[: m.start()]
            continue
        m = LOWER_TAIL.search(surface)
        if m and not patterns.variant_tail.match(m.group(1)) and (gaz is None or gaz.lookup(surface) is None):
            surface = surface[: m.start()]
            continue
        return surface


@rule_cache
def negative_shapes() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((r["id"], re.compile(r["pattern"])) for r in rule_file("names/negative_shapes.jsonl"))


def negative_shape(surface: str) -> str | None:
    for rule_id, pattern in negative_shapes():
        if pattern.match(surface):
            return rule_id
    return None


@rule_cache
def head_nouns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple(
        (r["id"], r["label"], re.compile(r"\b(?:" + r["pattern"] + r")\b", re.I)) for r in rule_file("names/head_nouns.jsonl")
    )


@rule_cache
def _head_labels() -> dict[str, tuple[str, str] | None]:
    return {}  # phrase -> head_label(phrase), per rule folder: the same long-form words come back paper after paper


def head_label(phrase: str) -> tuple[str, str] | None:
    """(label, rule) of the last head noun in a phrase: "an LLM inference kernel" -> none (a kernel)."""
    known = _head_labels()
    if phrase not in known:
        if len(known) > CACHE_LIMIT:
            known.clear()  # bounded, like the word cache
        known[phrase] = _head_label(phrase)
    return known[phrase]


def _head_label(phrase: str) -> tuple[str, str] | None:
    best: tuple[int, str, str] | None = None
    for rule_id, label, pattern in head_nouns():
        for m in pattern.finditer(phrase):
            if best is None or m.end() > best[0] or (m.end() == best[0] and label == "none"):
                best = (m.end(), label, rule_id)
    return (best[1], best[2]) if best else None


@rule_cache
def name_morphemes() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple(
        (r["id"], r["label"], re.compile(r"(?<=[A-Za-z0-9])(?:" + r["pattern"] + r")(?:[-_]?[vV]?\d+(?:\.\d+)?[A-Za-z]?|[-_](?:XL|XXL|[SMLBTH]))?$"))
        for r in rule_file("names/name_morphemes.jsonl")
    )


def morpheme_label(surface: str, gaz: Gazetteer | None = None) -> tuple[str, str] | None:
    """(label, rule) from a coined name's ending, looking at its first word only; when the word's end says
    nothing, at its first hyphen part (`VBench-I2V`, `MMBench-CN` end their coined part in Bench) unless a list
    holds that part (`LibriTTS-P` is a LibriTTS, whatever `TTS` says)."""
    word = surface.split()[0]
    for part in (word, HYPHENS.split(word, maxsplit=1)[0]):
        if len(part) < 4 or part != word and gaz is not None and gaz.lookup(part) is not None:
            return None
        for rule_id, label, pattern in name_morphemes():
            if pattern.search(part) and not pattern.fullmatch(part):
                return label, rule_id
    return None


def own_label(after: str, default: str = "model", before: str = "") -> str:
    """What a proposed name is: the appositive that follows it (`X, a benchmark for ...`), else the phrase that
    names it (`a new embedding model, called X`), else the default."""
    patterns = name_patterns()
    m = patterns.appositive.match(after)
    if m:
        found = head_label(m.group("phrase"))
        if found:
            return found[0]
    named = patterns.naming_phrase_before.search(before) if before else None
    if named is not None:
        found = head_label(named.group("phrase") or named.group("own"))
        if found:
            return found[0]
    return default


@dataclass(frozen=True, slots=True)
class WordFacts:
    """What the word alone says (cached per surface): a list verdict, or the shape facts context rules need (read
    for a name-shaped word only: an ordinary word's are left unset)."""

    verdict: Verdict | None
    name_shaped: bool = False
    strong_shape: bool = False
    sized: bool = False
    morpheme: tuple[str, str] | None = None


HYPHENS = re.compile(r"[-‐‑]")
CACHE_LIMIT = 50_000  # words whose facts are remembered per process; the common ones come back within a batch
CAPITAL_START = re.compile(r"[A-Z]")


def word_facts(gaz: Gazetteer, surface: str) -> WordFacts:
    cached = gaz.cache.get(surface)
    if cached is None:
        if len(gaz.cache) > CACHE_LIMIT:
            gaz.cache.clear()  # bounded: memory must stay flat over millions of abstracts
        cached = gaz.cache[surface] = _word_facts(gaz, surface)
    return cached


def _word_facts(gaz: Gazetteer, surface: str) -> WordFacts:
    entry = gaz.lookup(surface)
    if entry is not None:
        return WordFacts(Verdict(entry.label, entry.id, entry))
    dated = APOSTROPHE_YEAR.match(surface)
    if dated is not None and (entry := gaz.lookup(dated.group("base"))) is not None:
        return WordFacts(Verdict(entry.label, entry.id + "+year", entry))  # `WMT'15` is WMT of 2015
    negative = gaz.is_negative(surface) or negative_shape(surface)
    if negative:
        return WordFacts(Verdict("none", negative))
    if PLURAL_ACRONYM.match(surface):
        return WordFacts(NONE)
    entry = gaz.stem_entry(surface)
    if entry is not None and entry.label == "model":
        return WordFacts(Verdict("model", entry.id + "+variant", entry))
    parts = HYPHENS.split(surface)
    for part in parts[1:]:
        inner = gaz.lookup(part)
        if inner is not None and inner.label == "model" and len(part) > 2 and is_name_shaped(part):
            return WordFacts(Verdict("model", inner.id + "+derived", inner))
    if entry is not None:  # a benchmark family stem: AIME24, ImageNet-21K
        return WordFacts(Verdict(entry.label, entry.id + "+variant", entry))
    first = gaz.lookup(parts[0]) if len(parts) > 1 else None
    if first is not None and first.label == "benchmark" and not first.ambiguous:
        return WordFacts(Verdict("benchmark", first.id + "+split", first))  # `VBench-I2V`, `CMDAR-main`: a split of it
    if not is_name_shaped(surface):
        return WordFacts(None)  # an ordinary word: only the SHAPED steps read the shape facts
    return WordFacts(
        None,
        name_shaped=True,
        strong_shape=is_strong_model_shape(surface),
        sized=bool(MODEL_SIZE_PART.search(surface)),
        morpheme=morpheme_label(surface, gaz),
    )


# The decision list of `classify`: steps in order, each with its id and the kind of word it is for (LISTED: a list
# or negative shape knows the word alone; PLAIN: an ordinary word; SHAPED: a name-shaped word no list holds). The first
# step for the word's kind that returns a verdict decides (None: go on); the last step of each kind always decides.
# A model or benchmark verdict carries its step's id into the row's `rule`.
LISTED, PLAIN, SHAPED = "listed", "plain", "shaped"
_UNSET = object()


class Reading:
    """One candidate word in its paper, as the steps see it; the context cue is looked up once, when first asked."""

    __slots__ = ("surface", "text", "start", "end", "facts", "_cue")

    def __init__(self, surface: str, text: str, start: int, end: int, facts: WordFacts) -> None:
        self.surface = surface
        self.text = text
        self.start = start
        self.end = end
        self.facts = facts
        self._cue: object = _UNSET

    @property
    def cue(self) -> Cue | None:
        if self._cue is _UNSET:
            self._cue = match_cue(self.text, self.start, self.end)
        return self._cue  # type: ignore[return-value]

    def after(self) -> str:
        return self.text[self.end : self.end + WINDOW]

    def before(self) -> str:
        return self.text[max(0, self.start - WINDOW) : self.start]


def _listed(r: Reading) -> Verdict | None:
    """What the word alone says: a gazetteer entry (or its stem), a negative list or shape; but a listed name that
    is also a common word (`Texas Hold'em`, `Cornell University`) is one only with its label's cue."""
    verdict = r.facts.verdict
    entry = verdict.entry
    if entry is not None and entry.ambiguous and r.surface == entry.name and (r.cue is None or r.cue.label != entry.label):
        return NONE
    return verdict


def _plain_lower_case(r: Reading) -> Verdict | None:
    """An ordinary word that does not start with a capital is no name."""
    return NONE if not CAPITAL_START.match(r.surface) else None


def _plain_no_name_end(r: Reading) -> Verdict | None:
    """An ordinary capitalised word names something only before punctuation or a verb (`Reddit achieves`)."""
    return NONE if not name_patterns().plain_word_name_end.match(r.after()) else None


def _plain_own_cue(r: Reading) -> Verdict | None:
    """An ordinary word the paper proposes: what it is comes from its appositive or naming phrase, else it is none."""
    cue = r.cue
    if not (cue and cue.strong and cue.label == "own"):
        return None
    label = own_label(r.after(), default="none", before=r.before())
    return Verdict(label, cue.id) if label != "none" else NONE


def _plain_dataset_cue(r: Reading) -> Verdict | None:
    """`the previous largest dataset (Reddit)`, `the Kaggle dataset`: a dataset noun introduces an ordinary word."""
    cue = r.cue
    if not (cue and cue.strong and cue.label == "benchmark" and cue.id in NOUN_DEFINED_CUES):
        return None
    return Verdict("benchmark", cue.id) if not name_patterns().common_capitalised.match(r.surface) else None


def _no_evidence(r: Reading) -> Verdict | None:
    """Nothing says what the word is."""
    return NONE


def _quantified_kind(r: Reading) -> Verdict | None:
    """`multiple AAC datasets`, `several NLP benchmarks`: a word between a quantifier and a data noun is a kind."""
    if r.cue is None or r.cue.label != "benchmark":
        return None
    patterns = name_patterns()
    if patterns.plural_data_after.match(r.text, r.end) and patterns.quantified_before.search(r.text, max(0, r.start - 20), r.start):
        return Verdict("none", "ctx.none.quantified_kind")
    return None


def _own_cue(r: Reading) -> Verdict | None:
    """`we propose X`: X is what its appositive or naming phrase says, else a model when it has a model's shape."""
    cue = r.cue
    if cue is None or cue.label != "own":
        return None
    label = own_label(r.after(), default="model" if r.facts.strong_shape else "none", before=r.before())
    return Verdict(label, cue.id) if label != "none" else NONE


def _strong_cue(r: Reading) -> Verdict | None:
    """`trained on X`, `X backbone`: a strong context cue decides."""
    return Verdict(r.cue.label, r.cue.id) if r.cue is not None and r.cue.strong else None


def _appositive(r: Reading) -> Verdict | None:
    """`We use Swin2SR, a super-resolution model, ...`: the appositive's head noun says what the name is; a name that
    ends a sentence's introductory phrase (`On the splits of X, the resulting agent ...`) has none."""
    patterns = name_patterns()
    if not r.text.startswith(",", r.end) or patterns.intro_phrase_before.search(r.text, max(0, r.start - 2 * WINDOW), r.start):
        return None
    m = patterns.appositive.match(r.text[r.end : r.end + 200])
    found = head_label(m.group("phrase")) if m is not None else None
    return Verdict(found[0], "appositive." + found[1]) if found is not None else None


def _model_size(r: Reading) -> Verdict | None:
    """`Light-R1-32B`: a parameter count in the name makes a model, unless a cue says otherwise."""
    return Verdict("model", "shape.model_size") if r.facts.sized and (r.cue is None or r.cue.label == "model") else None


def _method_morpheme(r: Reading) -> Verdict | None:
    """`SnapKV`: a coined name's ending says it is a method."""
    morpheme = r.facts.morpheme
    return Verdict("none", morpheme[1]) if morpheme is not None and morpheme[0] == "none" else None


def _strong_shape(r: Reading) -> Verdict | None:
    """`YOLOv6`, `Tarsier2`: a glued version marks a model, or a benchmark where a benchmark cue says so."""
    if not r.facts.strong_shape:
        return None
    if r.cue is not None and r.cue.label == "benchmark":
        return Verdict("benchmark", r.cue.id)
    return Verdict("model", "shape.model_version_or_size")


def _weak_cue(r: Reading) -> Verdict | None:
    """`results on X`: a weak cue labels a name-shaped word."""
    return Verdict(r.cue.label, r.cue.id) if r.cue is not None else None


def _morpheme(r: Reading) -> Verdict | None:
    """`Spikformer`, `YOLOBench`: a coined name's ending says what it names."""
    morpheme = r.facts.morpheme
    return Verdict(morpheme[0], morpheme[1]) if morpheme is not None else None


Step = Callable[[Reading], Verdict | None]
DECISIONS: tuple[tuple[str, str, Step], ...] = (
    ("classify.listed", LISTED, _listed),
    ("classify.plain_lower_case", PLAIN, _plain_lower_case),
    ("classify.plain_no_name_end", PLAIN, _plain_no_name_end),
    ("classify.plain_own_cue", PLAIN, _plain_own_cue),
    ("classify.plain_dataset_cue", PLAIN, _plain_dataset_cue),
    ("classify.plain_word", PLAIN, _no_evidence),
    ("classify.quantified_kind", SHAPED, _quantified_kind),
    ("classify.own_cue", SHAPED, _own_cue),
    ("classify.strong_cue", SHAPED, _strong_cue),
    ("classify.appositive", SHAPED, _appositive),
    ("classify.model_size", SHAPED, _model_size),
    ("classify.method_morpheme", SHAPED, _method_morpheme),
    ("classify.strong_shape", SHAPED, _strong_shape),
    ("classify.weak_cue", SHAPED, _weak_cue),
    ("classify.morpheme", SHAPED, _morpheme),
    ("classify.no_evidence", SHAPED, _no_evidence),
)
# the steps of each kind of word, in order (a word is of one kind: the other kinds' steps never apply to it)
LISTED_STEPS, PLAIN_STEPS, SHAPED_STEPS = (
    tuple((step_id, step) for step_id, for_kind, step in DECISIONS if for_kind == kind) for kind in (LISTED, PLAIN, SHAPED)
)


def classify(gaz: Gazetteer, surface: str, text: str, start: int, end: int) -> Verdict:
    """Gazetteer first, negative lists second, then stems, word shape and context cues: the first step of DECISIONS
    for the word's kind that decides gives the verdict; a model or benchmark verdict names that step (`step`)."""
    facts = gaz.cache.get(surface) or word_facts(gaz, surface)  # the cache hit inline: classify runs per word
    steps = LISTED_STEPS if facts.verdict is not None else SHAPED_STEPS if facts.name_shaped else PLAIN_STEPS
    reading = Reading(surface, text, start, end, facts)
    for step_id, step in steps:
        verdict = step(reading)
        if verdict is not None:
            return verdict if verdict.label == "none" else Verdict(verdict.label, verdict.rule, verdict.entry, step_id)
    raise AssertionError("the last step of each kind of word always decides")
