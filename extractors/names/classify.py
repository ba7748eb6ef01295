"""Decide what a name-shaped word is: model, benchmark, or nothing, and by which rule."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.names.gazetteer import Entry, Gazetteer
from extractors.names.shapes import (
    APOSTROPHE_YEAR,
    JUNK_SUFFIX,
    MODEL_SIZE_PART,
    PLURAL_ACRONYM,
    VARIANT_TAIL,
    is_name_shaped,
    is_strong_model_shape,
)
from extractors.rules import rule_cache, rule_file

WINDOW = 90
APPOSITIVE = re.compile(
    r"^\s*(?:\([^)]{1,40}\)\s*)?(?:,|:|\bis\b|\bas\b|—|–|-)?\s*(?:which is\s+|namely\s+)?(?:an?|the|our)\s+(?P<phrase>[^,.;()]{1,120}?)"
    r"(?=[,.;()]|\s(?:that|which|for|to|with|in|on|by|designed|trained|capable|based|built|where|whose|using|from)\b|$)"
)
PLAIN_WORD_NAME_END = re.compile(r"^\s*(?:[,(:;.)]|—|–|which\b|that\b|to\b|is\b|as\b|achieves\b|outperforms\b)")
# `multiple AAC datasets`, `several NLP benchmarks`: a word between a quantifier and a plural noun names a kind of data
QUANTIFIED_BEFORE = re.compile(r"\b(?:multiple|several|many|various|different|diverse|other|some|all|these|those|existing|two|three|four|five|\d+)\s+$", re.I)
PLURAL_DATA_AFTER = re.compile(r"\s+(?:benchmarks|datasets|data sets|corpora|suites|tasks)\b")


@dataclass(frozen=True, slots=True)
class Cue:
    id: str
    label: str
    side: str
    strong: bool
    pattern: re.Pattern[str]


@rule_cache
def load_cues() -> tuple[Cue, ...]:
    return tuple(
        Cue(r["id"], r["label"], r["side"], r.get("strength") == "strong", re.compile(r["pattern"]))
        for r in rule_file("names/context_cues.jsonl")
    )


# Cues where a dataset noun itself introduces the name: strong enough for a plain capitalised word
NOUN_DEFINED_CUES = frozenset({"ctx.bench.noun_after", "ctx.bench.noun_then_paren", "ctx.bench.named_set"})
COMMON_CAPITALISED = re.compile(
    r"^(?:The|This|That|These|Those|Our|Their|Its|His|Her|Each|Every|Such|Both|Another|Other|Some|Many|Most|All|Any|"
    r"New|Existing|Public|Large|Small|Real|Synthetic|Standard|Several|Multiple|Various|Different|Popular|Common|"
    r"Training|Test|Testing|Evaluation|Validation|Benchmark|Dataset|Data|One|Two|Three|First|Second|Final|Full|Main|"
    r"In|On|At|For|With|From|By|To|Of|As|We|It|They|Here|There|While|When|Using|Based|Finally|Moreover|However)$"
)


@dataclass(slots=True)
class Verdict:
    label: str  # model | benchmark | none
    rule: str
    entry: Entry | None = None


NONE = Verdict("none", "")


LOWER_TAIL = re.compile(r"[-‐‑]([a-z]{4,})$")


def strip_junk(surface: str, gaz: Gazetteer | None = None) -> str:
    """`GPT-4-based` -> `GPT-4`, `API-accessed` -> `API`: adjective endings are not part of a name."""
    if "-" not in surface and "‐" not in surface and "‑" not in surface:
        return surface  # the common case: nothing to strip
    while True:
        m = JUNK_SUFFIX.search(surface)
        if m:
            surface = surface[: m.start()]
            continue
        m = LOWER_TAIL.search(surface)
        if m and not VARIANT_TAIL.match(m.group(1)) and (gaz is None or gaz.lookup(surface) is None):
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


def match_cue(text: str, start: int, end: int) -> Cue | None:
    """First strong cue (file order) whose pattern fits the words around the name, else the first weak one:
    `based on the ViTAE-G backbone` is a backbone (strong) before it is `on` something (weak)."""
    before = text[max(0, start - WINDOW) : start]
    after = text[end : end + WINDOW]
    weak = None
    for cue in load_cues():
        if weak is not None and not cue.strong:
            continue
        window = before if cue.side == "before" else after
        if cue.pattern.search(window):
            if cue.strong:
                return cue
            weak = cue
    return weak


@rule_cache
def head_nouns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple(
        (r["id"], r["label"], re.compile(r"\b(?:" + r["pattern"] + r")\b", re.I)) for r in rule_file("names/head_nouns.jsonl")
    )


def head_label(phrase: str) -> tuple[str, str] | None:
    """(label, rule) of the last head noun in a phrase: "an LLM inference kernel" -> none (a kernel)."""
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


def morpheme_label(surface: str) -> tuple[str, str] | None:
    """(label, rule) from a coined name's ending, looking at its first word only."""
    word = surface.split()[0]
    if len(word) < 4:
        return None
    for rule_id, label, pattern in name_morphemes():
        if pattern.search(word) and not pattern.fullmatch(word):
            return label, rule_id
    return None


# `a value-based RL agent, which we call BBF`, `a new embedding model, called M3-Embedding`, `our novel agent MEME`
NAMING_PHRASE_BEFORE = re.compile(
    r"(?:\b(?:an?|the|our|[Tt]his|[Tt]hese)\s+(?P<phrase>[^,.;()]{1,80}?)\s*,?\s*(?:which\s+|that\s+)?(?:we\s+)?"
    r"(?:call(?:ed)?|name[ds]?|dub(?:bed)?|term(?:ed)?|coined|refer to as)\s*(?:it\s+|them\s+)?(?:as\s+)?"
    r"|\bour\s+(?P<own>(?:[\w-]+\s+){0,2}?[\w-]+)\s+)$"
)


def own_label(after: str, default: str = "model", before: str = "") -> str:
    """What a proposed name is: the appositive that follows it (`X, a benchmark for ...`), else the phrase that
    names it (`a new embedding model, called X`), else the default."""
    m = APPOSITIVE.match(after)
    if m:
        found = head_label(m.group("phrase"))
        if found:
            return found[0]
    named = NAMING_PHRASE_BEFORE.search(before) if before else None
    if named is not None:
        found = head_label(named.group("phrase") or named.group("own"))
        if found:
            return found[0]
    return default


@dataclass(frozen=True, slots=True)
class WordFacts:
    """What the word alone says (cached per surface): a list verdict, or the shape facts context rules need."""

    verdict: Verdict | None
    name_shaped: bool = False
    strong_shape: bool = False
    sized: bool = False
    morpheme: tuple[str, str] | None = None


HYPHENS = re.compile(r"[-‐‑]")
CACHE_LIMIT = 200_000
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
    return WordFacts(
        None,
        name_shaped=is_name_shaped(surface),
        strong_shape=is_strong_model_shape(surface),
        sized=bool(MODEL_SIZE_PART.search(surface)),
        morpheme=morpheme_label(surface),
    )


def classify(gaz: Gazetteer, surface: str, text: str, start: int, end: int) -> Verdict:
    """Gazetteer first, negative lists second, then stems, word shape and context cues."""
    facts = word_facts(gaz, surface)
    if facts.verdict is not None:
        entry = facts.verdict.entry
        if entry is not None and entry.ambiguous and surface == entry.name:
            # `Texas Hold'em`, `Cornell University`: a listed name that is also a common word needs its label's cue
            cue = match_cue(text, start, end)
            if cue is None or cue.label != entry.label:
                return NONE
        return facts.verdict
    if not facts.name_shaped:
        if not CAPITAL_START.match(surface):
            return NONE
        after = text[end : end + WINDOW]
        if not PLAIN_WORD_NAME_END.match(after):
            return NONE
        cue = match_cue(text, start, end)
        if cue and cue.strong and cue.label == "own":
            label = own_label(after, default="none", before=text[max(0, start - WINDOW) : start])
            return Verdict(label, cue.id) if label != "none" else NONE
        if cue and cue.strong and cue.label == "benchmark" and cue.id in NOUN_DEFINED_CUES and not COMMON_CAPITALISED.match(surface):
            return Verdict("benchmark", cue.id)  # `the previous largest dataset (Reddit)`, `the Kaggle dataset`
        return NONE
    cue = match_cue(text, start, end)
    if cue is not None and cue.label == "benchmark" and PLURAL_DATA_AFTER.match(text, end) and QUANTIFIED_BEFORE.search(text, max(0, start - 20), start):
        return Verdict("none", "ctx.none.quantified_kind")
    if cue is not None and cue.label == "own":
        label = own_label(text[end : end + WINDOW], default="model" if facts.strong_shape else "none", before=text[max(0, start - WINDOW) : start])
        return Verdict(label, cue.id) if label != "none" else NONE
    if cue is not None and cue.strong:
        return Verdict(cue.label, cue.id)
    appositive = APPOSITIVE.match(text, end) if text.startswith(",", end) else None
    if appositive is not None:
        # `We use Swin2SR, a super-resolution model, ...`: the appositive's head noun says what the name is
        found = head_label(appositive.group("phrase"))
        if found is not None:
            return Verdict(found[0], "appositive." + found[1]) if found[0] != "none" else Verdict("none", "appositive." + found[1])
    if facts.sized and (cue is None or cue.label == "model"):
        return Verdict("model", "shape.model_size")
    morpheme = facts.morpheme
    if morpheme is not None and morpheme[0] == "none":
        return Verdict("none", morpheme[1])
    if facts.strong_shape:
        if cue is not None and cue.label == "benchmark":
            return Verdict("benchmark", cue.id)
        return Verdict("model", "shape.model_version_or_size")
    if cue is not None:
        return Verdict(cue.label, cue.id)
    if morpheme is not None:
        return Verdict(morpheme[0], morpheme[1])
    return NONE
