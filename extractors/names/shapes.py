"""Word shapes of model and benchmark names: what a name looks like when no list holds it."""

from __future__ import annotations

import re

# A name part: letters/digits with inner dots (Qwen2.5), pluses (DeepLabv3+) and LaTeX powers (U^2-Net).
PART = r"[^\W_](?:[^\W_]|[_+]|\.(?=[^\W_])|\^\{?[\w†]+\}?)*"
COMPOUND = rf"{PART}(?:(?:-|‐|‑|/(?=[^\W_]))\s?{PART})*"
# Space-separated tails that belong to a name: versions, sizes and variant words. The `{list}` places take the words
# of names/word_lists.jsonl (extractors.names.word_lists compiles NAME_SHAPE and TAIL_SHAPE with them): variant words
# (`Gemini 1.5 Pro`); lower-case sizes (`GPT-4o mini`, `BERT base`) unless a plural noun follows (`Qwen2.5-32B base
# models` are base models); the nouns after a size or a small number that make it a count (`7B tokens`, `16 layers`).
TAIL_SHAPE = (
    r"(?:[ \t](?:\d+(?:\.\d+)?[BMKT](?![\w]|\.\d)(?!\s?(?:{size_count_noun}))"
    r"|[vV]?\d{1,2}(?:\.\d{1,2})?[a-z]?(?:[-‐]\d+(?:\.\d+)?[BMT](?![\w]))?(?![\w%])(?!\.\d)(?!\s?(?:{version_count_noun}))"
    r"|(?:19|20)\d{2}(?![\w%])"
    r"|[A-Z]{1,2}\d{1,2}(?:\.\d)?(?![\w%])"
    r"|(?:Task|Track|Subtask)\s?\d{1,2}[a-z]?(?![\w%])"
    r"|(?:{variant_word})\b|(?:{lower_variant_word})\b(?!\s+(?:models|versions|variants)\b)))"
)
# `DCASE2017 Task 4`, `SemEval-2020 Task 12`: the task or track of a shared benchmark belongs to its name
BENCH_TASK_TAIL = re.compile(r"^(?:\s(?:19|20)\d{2})?\s(?:Task|Track|Subtask)\s?\d{1,2}[a-z]?$")
# A name has a capital or a digit somewhere in its compound: plain lower-case words are skipped in C, not Python
# (the lookahead is lazy: it stops at the first capital or digit instead of backtracking from the word's end).
# `WMT'15`: an apostrophe year closes a name
NAME_SHAPE = rf"(?<![\w.@/\\-])(?=[\w.+^/‐‑-]*?[A-Z0-9])(?P<core>{COMPOUND}(?:['’]\d{{2}}(?![\w'’]))?)(?P<tail>{TAIL_SHAPE}*)"
APOSTROPHE_YEAR = re.compile(r"^(?P<base>.+?)['’]\d{2}$")

SIZE_PART = re.compile(r"(?:^|[-_\s])(\d+(?:\.\d+)?)\s?([BMKT])(?=$|[-_\s/])")
# a model's size is millions to trillions of parameters; `Humans-2K`, `ImageNet-1K` count examples or classes
MODEL_SIZE_PART = re.compile(r"(?:^|[-_\s])(\d+(?:\.\d+)?)\s?([BMT])(?=$|[-_\s/])")
CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]{2,}")
CAPS = re.compile(r"^[A-Z][A-Z0-9]+\+?$")  # `BERT`, `ODR+`: an acronym, or an improved one
HAS_DIGIT = re.compile(r"\d")
GLUED_VERSION = re.compile(r"[A-Za-z]{2,}[-‐‑]?[vV]\d|[a-z][A-Z]\w*\d$|[-‐‑][vV]\d")
PLURAL_ACRONYM = re.compile(r"^[A-Z][A-Z0-9-]*[A-Z0-9]s$")
LETTER_DIGIT = re.compile(r"^[A-Z]\d$")  # `M4`, `T5`, `K2`
NUMBER_LIKE = re.compile(r"^[\d.,]+[a-zA-Z%]{0,2}$")
SCALES = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
A_LETTER = re.compile(r"[A-Za-z]")
TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
A_CAPITAL = re.compile(r"[A-Z]")
VERSION_NUMBER = re.compile(r"(?:^|[-\s_]|(?<=[a-z]))[vV]?(\d+(?:\.\d+)*)(?![\d.]*[BMKT]\b)")


def is_name_shaped(surface: str) -> bool:
    """Mixed case, inner capitals, digits mixed with letters, or an acronym: not an ordinary word."""
    if NUMBER_LIKE.match(surface) or len(surface) < 2:
        return False
    if not A_LETTER.search(surface):
        return False
    core = surface.split()[0]
    return bool(LETTER_DIGIT.match(core) or CAMEL.search(core) or (CAPS.match(core.split("-")[0]) and len(core) >= 3) or (HAS_DIGIT.search(core) and TWO_LETTERS.search(core))
                or ("-" in core and A_CAPITAL.search(core[1:])))


def is_strong_model_shape(surface: str) -> bool:
    """A size or glued version (`Light-R1-32B`, `YOLOv6`, `Tarsier2`) marks a model even without context."""
    if MODEL_SIZE_PART.search(surface) and TWO_LETTERS.search(surface):
        return True
    return bool(GLUED_VERSION.search(surface.split()[0]))


def params_of(surface: str) -> float | None:
    """7B -> 7e9, when the name carries its size."""
    m = SIZE_PART.search(surface)
    if not m:
        return None
    return float(m.group(1)) * SCALES[m.group(2)]


def version_of(surface: str, family: str | None) -> str | None:
    """The version written after the family stem: `Llama-3.1-8B` -> 3.1."""
    rest = surface
    if family and surface.lower().startswith(family.lower()):
        rest = surface[len(family):]
    m = VERSION_NUMBER.search(rest)
    return m.group(1) if m else None


def letters_start(short: str, before: str) -> int | None:
    """Schwartz & Hearst (2003): where the shortest tail of `before` starts that holds the short form's letters and
    digits in order, the first of them starting a word (None when there is none)."""
    chars = [ch.lower() for ch in short if ch.isalnum()]
    if len(chars) < 2 or not chars[0].isalpha():
        return None
    i = len(before) - 1
    for k in range(len(chars) - 1, -1, -1):
        while i >= 0 and (before[i].lower() != chars[k] or k == 0 and i > 0 and before[i - 1].isalnum()):
            i -= 1
        if i < 0:
            return None
        i -= 1
    return i + 1
