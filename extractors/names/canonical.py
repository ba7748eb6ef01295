"""Canonical names: one `name` per real model or benchmark, whatever spelling a paper uses.

The name of a mention depends only on its surface form, the gazetteer files and the paper it is in (a short form
the paper defines takes its long form's name), never on other papers: the same surface gets the same name in every
run, incremental or full refresh.

* A gazetteer alias gives its entry's name, unless the alias differs from the name in what tells two things apart
  (a number, a size or variant word, a `+`): `ViT-S` is listed under ViT-B to be found, not to be renamed.
* A variant of a listed family (`iNat24`, `LLaMA-2-7B`) keeps its own tail under the family's name
  (`iNaturalist 2024`, `Llama-2-7B`).
* Anything else gets a fixed spelling of its surface (`display`); `name_key` folds what only spelling changes (case,
  hyphens, spaces, `+`/Plus, `'24`/`24`/`2024`, `v2`/`V2`/`2.0`) and is what `paperfacts names --suspects` compares.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from extractors.facts import Mention
from extractors.names.gazetteer import Entry, Gazetteer, squash
from extractors.names.shapes import letters_start

DASHES = re.compile(r"[‐‑‒–—−]")
SPACES = re.compile(r"\s+")
APOSTROPHE_YEAR = re.compile(r"['’`](\d{2})(?!\d)")
FULL_YEAR = re.compile(r"(?<![\d.])(?:19(9\d)|20([0-3]\d))(?![\d.])")
# a two-digit year glued or hyphenated to a name (`AIME24`, `MOT-17`, `CoNLL-03`); 10 and 11 are counts (`CIFAR-10`)
YEAR_DIGITS = re.compile(r"0\d|1[2-9]|2\d")
# `SQuADv2`, `YOLO-v8`, `MobileNetV2`: a version mark closes the word (`wav2vec` has none)
VERSION_MARK = re.compile(r"(?<=[A-Za-z\d\s\-_])[vV](?=\d+(?:\.\d+)*(?![\w.]))")
POINT_ZERO = re.compile(r"(?<=\d)\.0(?![\d.])")
DIGIT_GAP = re.compile(r"(?<=\d)[\s\-_/]+(?=\d)")
SEPARATORS = re.compile(r"[\s\-_/]+")
PLUS_WORD = re.compile(r"(?:(?<=[a-z\d])|[\s\-_])(?:plus|Plus|PLUS)$")
# words and single letters that name a size, split or variant: aliases differing in them are different things
VARIANT_WORDS = frozenset(
    ["tiny", "small", "base", "medium", "large", "huge", "giant", "mini", "nano", "micro", "xl", "xxl", "xs", "pro", "max", "ultra", "lite", "light", "turbo", "flash", "hard", "easy", "verified", "full", "test", "val", "dev", "train", "instruct", "chat", "preview", "distill"]
)
DATE_TAIL = re.compile(r"[-\s](?:\d{4}-\d{2}-\d{2}|0[1-9]\d{2}|1[0-2]\d{2})(?:-preview)?$")  # `gpt-4o-2024-05-13`, `gpt-4-0613`
LATEX_SUBSCRIPT = re.compile(r"(?<=[A-Za-z])_\{?(\d+)\}?")
SPACED_HYPHEN = re.compile(r"\s*-\s*")
TRAILING_YEAR = re.compile(r"(?<=[A-Za-z])[-\s]?((?:199\d|20[0-3]\d))$")
VERSION_POINT_ZERO = re.compile(r"(?<=[vV]\d)\.0(?![\d.])")
PLURAL_END = re.compile(r"[A-Za-z\d]s$")
VERSION_START = re.compile(r"[\s\-_'’]?[vV]?\d")
STEM_BREAK = re.compile(r"[-\s/_'’]")
STEM_BEFORE_VERSION = re.compile(r"^(.*?[A-Za-z])[vV]?\d")
LETTERS = re.compile(r"[A-Za-z]+")
PAREN_OPEN = re.compile(r"\s*\(")
PAREN_CLOSE = re.compile(r"\s*(?:for (?:brevity|short))?\)")
SPACE_OR_HYPHEN = re.compile(r"[\s-]")
SQUARE = re.compile(r"(\d+)\s?x\s?\1(?!\d)")  # `ImageNet 64x64` is `ImageNet-64`
NUMBER = re.compile(r"\d+(?:\.\d+)*[kmbtKMBT]?")


def _plain(surface: str) -> str:
    text = unicodedata.normalize("NFKC", surface)
    text = DASHES.sub("-", text).replace("×", "x")
    return SPACES.sub(" ", text).strip()


def _years(text: str) -> str:
    """`AIME'24`, `AIME 2024` and `AIME24` all end in `24`."""
    text = APOSTROPHE_YEAR.sub(r"\1", text)
    return FULL_YEAR.sub(lambda m: m.group(1) or m.group(2), text)


@lru_cache(maxsize=100_000)
def name_key(surface: str) -> str:
    """What is left of a name once spelling is folded: case, hyphens and spaces (except between two numbers:
    `Llama 3 8B` is not `Llama 38B`), `+`/Plus, year forms and version marks. Sizes, splits and numbers stay."""
    text = _years(_plain(surface))
    text = VERSION_MARK.sub("", text)
    text = POINT_ZERO.sub("", text)
    text = PLUS_WORD.sub("+", text).replace("+", "plus")
    text = DIGIT_GAP.sub("|", text)
    return SEPARATORS.sub("", text).casefold()


@lru_cache(maxsize=100_000)  # per surface, like name_key: the same names come back in paper after paper
def signature(surface: str) -> tuple:
    """What tells two things of one family apart: numbers (years and versions folded), size/variant words and
    single letters (`ViT-S`), and `+`. Two spellings of one thing have the same signature."""
    text = SQUARE.sub(r"\1", DATE_TAIL.sub("", _plain(surface)))
    text = POINT_ZERO.sub("", VERSION_MARK.sub("", _years(text)))
    plus = text.count("+") + len(PLUS_WORD.findall(text))
    words = [w for w in SEPARATORS.split(text.replace("+", " ")) if w]
    variants = sorted(w.casefold() for w in words[1:] if w.casefold() in VARIANT_WORDS or (len(w) == 1 and w.isalpha()))
    return tuple(sorted(n.casefold() for n in NUMBER.findall(text))), tuple(variants), plus


@lru_cache(maxsize=100_000)
def display(surface: str, label: str) -> str:
    """The fixed spelling of a name no gazetteer entry holds: dashes and spaces made plain, a year written out
    (`WMT'14` -> `WMT 2014`, `COCO-2017` -> `COCO 2017`), a version's `.0` after `v` dropped, and for benchmarks a
    trailing `-plus` written `+`. Case is kept: it is how the paper writes the name."""
    text = LATEX_SUBSCRIPT.sub(r"\1", _plain(surface))  # LaTeX `H_2O` is H2O
    text = SPACED_HYPHEN.sub("-", text.replace("_", "-"))  # `StarCoder2- 15B` -> `StarCoder2-15B`
    text = APOSTROPHE_YEAR.sub(lambda m: " " + _full_year(m.group(1)), text)
    text = TRAILING_YEAR.sub(r" \1", text)
    text = VERSION_POINT_ZERO.sub("", text)
    if label == "benchmark":
        text = PLUS_WORD.sub("+", text)
    return SPACES.sub(" ", text).strip()


def _full_year(two: str) -> str:
    return ("19" if two.startswith("9") else "20") + two


NAME_CACHE_LIMIT = 50_000


class Canonicaliser:
    """Gazetteer entries by folded key, for spellings the gazetteer does not list (`SQuAD v2`, `HumanEval-Plus`)."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self._names: dict[tuple[str, str, int], tuple[Entry | None, str]] = {}
        by_key: dict[tuple[str, str], dict[str, Entry]] = {}
        for bucket in gaz.aliases.values():
            for written, entry in bucket:
                by_key.setdefault((entry.label, name_key(written)), {})[entry.id] = entry
        # a key two entries share says nothing: it is left out
        self.by_key = {k: next(iter(v.values())) for k, v in by_key.items() if len(v) == 1}
        # how the gazetteer spells a key (its first spelling in file order): what an unlisted case or hyphen
        # variant of it is written as
        self.written: dict[tuple[str, str], str] = {}
        for entry, surfaces in gaz.spellings:
            for written in surfaces:
                self.written.setdefault((entry.label, name_key(written)), display(written, entry.label))

    def entry_name(self, surface: str, label: str, entry: Entry | None) -> str | None:
        """The entry's name when `surface` is one of its spellings; None for a variant or an unknown name."""
        if entry is not None and entry.label == label and same_thing(surface, entry.name):
            return entry.name
        found = self.gaz.lookup(surface)
        if found is not None and found.label == label and same_thing(surface, found.name):
            return found.name
        keyed = self.by_key.get((label, name_key(surface)))
        if keyed is not None and same_thing(surface, keyed.name):
            return keyed.name
        return None

    def name(self, surface: str, label: str, entry: Entry | None) -> str:
        """Canonical name of one surface form, without looking at the paper around it: it depends on nothing else,
        so it is remembered per (surface, label, entry); the common names come back in paper after paper."""
        key = (surface, label, id(entry))
        cached = self._names.get(key)
        if cached is not None and cached[0] is entry:  # the very entry: an id is reused only after its object died
            return cached[1]
        if len(self._names) > NAME_CACHE_LIMIT:
            self._names.clear()  # bounded: memory must stay flat over millions of abstracts
        found = self._name(surface, label, entry)
        self._names[key] = (entry, found)
        return found

    def _name(self, surface: str, label: str, entry: Entry | None) -> str:
        plural = self._plural(surface, label)
        if plural is not None:
            return plural
        listed = self.entry_name(surface, label, entry)
        if listed is not None:
            return listed
        if entry is not None and entry.label == label:
            stemmed = self._family_variant(surface, entry)
            if stemmed is not None:
                return stemmed
        written = self.written.get((label, name_key(surface)))
        if written is not None:
            return written  # `ViT-G` is the listed spelling `ViT-g`, though not its entry's thing (ViT-g/14)
        return display(surface, label)

    def _plural(self, surface: str, label: str) -> str | None:
        """`ViTs`, `LLaMAs`: the plural of a listed name is that name's family, never a model of its own."""
        if label != "model" or not PLURAL_END.search(surface) or len(surface) < 3:
            return None
        if any(written == surface for written, _ in self.gaz.aliases.get(squash(surface), ())):
            return None  # listed as written (`Focus`, `Reasoners`): not a plural
        singular = self.gaz.lookup(surface[:-1])
        if singular is None or singular.label != label:
            return None
        return self.entry_name(surface[:-1], label, singular)

    def _family_variant(self, surface: str, entry: Entry) -> str | None:
        """`iNat24` -> `iNaturalist 2024`, `LLaMA-2-7B` -> `Llama-2-7B`: the family stem as its entry writes it."""
        for written, alias_entry in self.gaz.aliases.get(squash(_stem_word(surface)), ()):
            if alias_entry.id != entry.id or not surface.casefold().startswith(written.casefold()):
                continue
            rest = surface[len(written) :]
            if not VERSION_START.match(rest):
                return None  # `HumanEvalFix` is no spelling of HumanEval
            digits = rest.lstrip("-_ '’")
            if entry.label == "benchmark" and YEAR_DIGITS.fullmatch(digits):
                return f"{entry.name} {_full_year(digits)}"  # `MOT17`, `iNat24`: a benchmark's two digits are its year
            return display(entry.name + rest, entry.label)
        return None


def _stem_word(surface: str) -> str:
    first = STEM_BREAK.split(surface, maxsplit=1)[0]
    m = STEM_BEFORE_VERSION.match(first)
    return m.group(1) if m else first


def same_thing(surface: str, name: str) -> bool:
    """An alias names its entry's thing when it does not differ from the name in a number, size, split or `+`;
    aliases of another stem (`IN-1K` for ImageNet-1K, `PTB` for Penn Treebank) are trusted as written."""
    if name_key(surface) == name_key(name) or signature(surface) == signature(name):
        return True
    a, b = _first_word(surface), _first_word(name)
    return not (a.startswith(b) or b.startswith(a))


def _first_word(text: str) -> str:
    m = LETTERS.match(_plain(text))
    return m.group(0).casefold() if m else ""


def paper_names(mentions: list[Mention], text: str, canon: Canonicaliser) -> None:
    """Set `canonical` on every mention of one paper: each surface on its own, then a short form the paper defines
    (`Massive Text Embedding Benchmark (MTEB)`) takes the name of its long form, for every mention of it."""
    for m in mentions:
        m.canonical = canon.name(m.text, m.label, m.entry)
    defined: dict[tuple[str, str], str] = {}
    by_start = {m.start: m for m in mentions}
    for m in mentions:
        paren = PAREN_OPEN.match(text, m.end)
        if paren is None:
            continue
        short = by_start.get(paren.end())
        if short is None or short.label != m.label or not PAREN_CLOSE.match(text, short.end):
            continue
        long_m, short_m = (m, short) if len(m.text) > len(short.text) else (short, m)
        if not SPACE_OR_HYPHEN.search(long_m.text) or letters_start(short_m.text, long_m.text) is None:
            continue
        listed = [x for x in (long_m, short_m) if x.entry is not None and x.canonical != display(x.text, x.label)]
        target = listed[0].canonical if listed else long_m.canonical
        defined[(m.label, name_key(short_m.text))] = target
        defined[(m.label, name_key(long_m.text))] = target
    if defined:
        for m in mentions:
            target = defined.get((m.label, name_key(m.text)))
            if target is not None:
                m.canonical = target


VARIANT_SUFFIX = re.compile(r"^(?P<base>.+?)(?:\+|[-\s]+[^-\s]+)$")


def parent_name(name: str, known: set[str]) -> str | None:
    """The benchmark a variant belongs to: `HumanEval+` -> HumanEval, `SWE-bench Verified` -> SWE-bench,
    `AIME 2024` -> AIME: the longest known benchmark left after dropping a `+` or trailing words. None otherwise."""
    rest = name
    while (m := VARIANT_SUFFIX.match(rest)) is not None:
        rest = m.group("base").rstrip("-_ ")
        if rest in known and rest != name:
            return rest
    return None
