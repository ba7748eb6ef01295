"""How a number found in text is read: an ordered decision list of small named steps (`STEPS`).

A step looks at the number and the text around it and either skips the number (SKIP: digits in a name, a year,
a reference), reshapes it (RESHAPED: a dash that is no minus sign, an uncertainty that belongs to it; the step's id
stays on the number), or reads part of it (its unit, its count noun) and says nothing. The first step that skips
decides; its id tells why a number is not in the results.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from extractors.numbers.cues import number_cues
from extractors.numbers.units import noun_rules, unit_alternation, unit_rules
from extractors.results.metric_names import metric_pattern

GROUP_SEPARATORS = re.compile(r"[, \u00a0\u2009\u202f]")
LIST_BEFORE = re.compile(r"\d(?:\.\d+)?\s?(?:%|\\%|x|×|times|[KMB])?[/\-‐‑–]$")
ENUMERATION_AFTER = re.compile(r"\)(?=\s|[A-Za-z])")
DECIMAL_PAIR_BEFORE = re.compile(r"(?<![\d.])\d+\.\d+/$")
NOT_A_QUANTITY_AFTER = re.compile(r"/\d+(?![\d.])|[-‐][A-Za-z]")  # fractions `1/6`, not pairs `65.3/66.5`
P_VALUE_BEFORE = re.compile(r"\bp\s?$")
PLUS_MINUS = re.compile(r"\s*(?:±|\\pm|\$\\pm\$)\s*\d+(?:\.\d+)?")
ARXIV_ID = re.compile(r"^\d{4}\.\d{4,5}$")
CITATION = re.compile(r"\[\s*\d+(?:\s*[,–-]\s*\d+)*\s*\]")
# `processing^{1,2,3}.`, `studies^{15-17}`: superscript reference marks glued to a word or its punctuation
CITATION_SUPERSCRIPT = re.compile(r"(?<=[A-Za-z.,;:)\]])\^\{?\d+(?:\s*[,–-]\s*(?:\d+|…|\\ldots))*\}?")
RANGE_BEFORE = re.compile(r"\d(?:\.\d+)?\s?(?:%|\\%|x|×|times|-?fold|[KMB])?\s$")


@dataclass(slots=True)
class Reading:
    """A number while the steps read it: where it starts and ends, its sign, the character before it, its unit."""

    text: str
    match: re.Match[str]
    blocked: bytearray  # 1 at each character of a name, a link or a citation
    last_end: int  # end of the previous number kept
    start: int
    sign: str
    prev: str
    end: int
    raw: str
    decimal: bool
    value: float  # as written, without its sign (`signed` has it)
    math: bool = False
    klass: str | None = None
    unit: str | None = None
    unit_text: str = ""
    unit_rule: str | None = None
    kind_hint: str | None = None
    scale: float = 1.0
    noun: str | None = None
    noun_kind: str | None = None
    noun_rule: str | None = None
    steps: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, match: re.Match[str], text: str, blocked: bytearray, last_end: int) -> Reading:
        start, raw = match.start(), match.group("num")
        return cls(
            text=text, match=match, blocked=blocked, last_end=last_end, start=start, sign=(match.group("sign") or "").strip(),
            prev=text[start - 1] if start > 0 else " ", end=match.end("num"), raw=raw, decimal="." in raw,
            value=float(GROUP_SEPARATORS.sub("", raw) if len(raw) > 4 else raw),  # `1,000`, `1 000`: 5 characters or more
        )

    @property
    def signed(self) -> float:
        return -self.value if self.sign in ("-", "−", "↓") else self.value

    def drop_sign(self) -> None:
        """The sign is a dash that belongs to the text before: the number starts at its digits."""
        self.sign, self.start = "", self.match.start("num")
        self.prev = self.text[self.start - 1]

    def before(self, pattern: re.Pattern[str], width: int, past: int = 0) -> re.Match[str] | None:
        """`pattern` searched in the `width` characters before the number (and `past` characters into it)."""
        return pattern.search(self.text, max(0, self.start - width), self.start + past)

    def glued_after_letter(self, dashes: str) -> bool:
        """The character before is one of `dashes` and a letter precedes it (`GPT-4`, `ResNet–50`)."""
        return self.prev in dashes and self.start >= 2 and self.text[self.start - 2].isalpha()


SKIP, RESHAPED = "skip", "reshaped"  # what a step did; None: nothing
Step = Callable[[Reading], str | None]


# -- where the number starts: its sign, and the character glued before it


def _inside_previous(r: Reading) -> str | None:
    """Already part of the previous quantity (`256 x 256`)."""
    return SKIP if r.start < r.last_end else None


def _spaced_range_end(r: Reading) -> str | None:
    """`2 - 4 fold`, `4x - 9x`: the second end of a spaced range, not a negative number."""
    if r.sign == "-" and r.prev == " " and r.before(RANGE_BEFORE, 12):
        r.drop_sign()
        return RESHAPED
    return None


def _hyphen_glued(r: Reading) -> bool:
    """A minus sign glued to the text before it (not after a space, a bracket or punctuation)."""
    return r.sign in ("-", "−") and not (r.prev in " ([{,;:/" or r.start == 0)


def _glued_range_end(r: Reading) -> str | None:
    """`17.4%-43.3%`, `5x-11x`: a hyphen glued to a number before is a range, not a sign."""
    if _hyphen_glued(r) and r.before(LIST_BEFORE, 12, past=1):
        r.drop_sign()
        return RESHAPED
    return None


def _hyphen_in_name(r: Reading) -> str | None:
    """A hyphen glued to a word is part of a name (`GPT-4`)."""
    return SKIP if _hyphen_glued(r) and (r.prev.isalpha() or r.prev == "_") else None


def _glued_hyphen(r: Reading) -> str | None:
    """Any other hyphen glued to the text before is no minus sign."""
    if _hyphen_glued(r):
        r.drop_sign()
        return RESHAPED
    return None


def _sign_after_word(r: Reading) -> str | None:
    """A sign glued to a word or digit (`x+1`) is no number's sign."""
    return SKIP if r.sign and r.prev.isalnum() else None


def _p_value(r: Reading) -> str | None:
    """`p < 0.001`."""
    return SKIP if r.sign in ("<", ">", "≤", "≥") and r.before(P_VALUE_BEFORE, 4) else None


def _list_member(r: Reading) -> str | None:
    """`0.3%/1.1%`, `5x-11x`, `17.4%-43.3%`: the second member of a list or range, kept though glued to `/` or `-`."""
    return RESHAPED if not r.sign and r.prev in "/-‐‑–" and r.before(LIST_BEFORE, 12) else None


def _glued_to_word(r: Reading) -> str | None:
    """Digits glued to a word, a path or a name (`v2`, `x_1`, `@3`, `ResNet-50`) are part of it."""
    if "number.list_member" in r.steps:
        return None
    glued = r.prev.isalnum() or r.prev in "._/^@#&\\" or r.prev in "'’" and r.start >= 2 and r.text[r.start - 2].isalpha()
    if not r.sign and (glued or r.glued_after_letter("-‐‑–")) or r.glued_after_letter("-‐‑"):
        return SKIP
    return None


def _in_name_link_or_citation(r: Reading) -> str | None:
    """Digits inside a model or benchmark name, a link or a citation mark (`[12]`, `^{1,2}`) are part of it."""
    return SKIP if r.blocked[r.match.start("num")] else None


def _subscript(r: Reading) -> str | None:
    """`F_{0.5}`, `AP_{50}`."""
    return SKIP if r.text[max(0, r.start - 2) : r.start] == "_{" else None


# -- where the number ends: uncertainty, `+`, LaTeX math, its unit


def _uncertainty(r: Reading) -> str | None:
    """`± 0.3`: the uncertainty of a result is not a result of its own."""
    return SKIP if r.sign.startswith(("±", "\\pm")) else None


def _with_uncertainty(r: Reading) -> str | None:
    """`85.2 ± 0.3%`: one result, whose unit follows the uncertainty."""
    pm = PLUS_MINUS.match(r.text, r.end)
    if pm:
        r.end = pm.end()
        return RESHAPED
    return None


def _at_least(r: Reading) -> str | None:
    """`100,000+ questions`, `80+%`: at least this many."""
    if r.text.startswith("+", r.end) and not r.text[r.end + 1 : r.end + 2].isdigit():
        r.end += 1
        return RESHAPED
    return None


def _latex_math(r: Reading) -> str | None:
    """`$43$ years`: a number in LaTeX math, not a price."""
    r.math = r.match.group("cur") == "$" and r.text[r.end : r.end + 1] in ("$", "^", "\\")
    if not r.math:
        return None
    if r.text.startswith("$", r.end):
        r.end += 1
    return RESHAPED


def _unit(r: Reading) -> str | None:
    """The unit written right after the number (units.jsonl, first in file order)."""
    um = unit_alternation().match(r.text, r.end)
    if um:
        rule = unit_rules()[int(um.lastgroup[1:])]
        r.unit_text = um.group(0).strip().lstrip("-")
        r.klass, r.unit_rule, r.kind_hint = rule.klass, rule.id, rule.kind
        if r.klass == "multiplier":
            r.scale = rule.scale.get(r.unit_text, 1.0)
            r.unit = r.unit_text
        else:
            r.unit = r.unit_text if rule.as_written else rule.unit
        r.end = um.end()
    return None


def _glued_after(r: Reading) -> str | None:
    """A letter or digit right after (`3D`, `4o`) makes the number part of a word."""
    after = r.text[r.end : r.end + 1]
    return SKIP if after.isalpha() or after.isdigit() else None


def _decade(r: Reading) -> str | None:
    """`the 2020s`."""
    return SKIP if r.klass == "time" and r.unit_text == "s" and not r.decimal and 1900 <= r.signed <= 2099 else None


# -- a bare number (no unit): years, references, enumerations, dates and product numbers


def _year(r: Reading) -> str | None:
    """A bare whole number from 1900 to 2099 is a year, unless a count noun follows (`2000 images`)."""
    if r.klass is not None or r.decimal or "," in r.raw or not 1900 <= r.signed <= 2099 or r.match.group("cur"):
        return None
    return None if any(rule.pattern.match(r.text, r.end) for rule in noun_rules()) else SKIP


def _reference(r: Reading) -> str | None:
    """`Table 3`, `Section 4.2` (number_cues.jsonl)."""
    return SKIP if r.klass is None and r.before(number_cues().reference_before, 14) else None


def _enumeration(r: Reading) -> str | None:
    """`(1)`, `2)`."""
    if r.klass is None and r.signed < 20 and not r.decimal and ENUMERATION_AFTER.match(r.text, r.end) and (r.prev in "( " or r.start == 0):
        return SKIP
    return None


def _not_a_quantity(r: Reading) -> str | None:
    """Dates, p-values, product numbers (`Raspberry Pi 4`), fractions, `1-D` (number_cues.jsonl); but
    `(vs LSTM 0.329, ...)`, a value below one after a name, and `FID 3.49`, a value after a metric's name, are no
    product or version numbers."""
    if r.klass is not None:
        return None
    before = r.before(number_cues().not_a_quantity_before, 24)
    if before and metric_pattern().fullmatch(before.group(0).strip()):
        before = None  # `FID 3.49`, `PSNR 28.3`: a metric's value, not a product or version number
    if before and r.decimal and r.before(DECIMAL_PAIR_BEFORE, 12):
        before = None  # `65.3/66.5`: the second value of a decimal pair, not the denominator of a fraction
    if before and not (r.raw.startswith("0.") and before.group(0)[:1].isupper()) or NOT_A_QUANTITY_AFTER.match(r.text, r.end):
        return SKIP
    return None


def _arxiv_id(r: Reading) -> str | None:
    """`2301.12345`: an arXiv id, not a decimal."""
    return SKIP if r.klass is None and ARXIV_ID.match(r.raw) else None


# -- what it counts


def _count_noun(r: Reading) -> str | None:
    """The noun after a bare, multiplied or counted number (count_nouns.jsonl): `7 billion parameters`."""
    r.noun_kind = r.kind_hint
    if r.klass in (None, "multiplier", "count"):
        for rule in noun_rules():
            nm = rule.pattern.match(r.text, r.end)
            if nm:
                r.noun, r.noun_kind, r.noun_rule = nm.group(0).strip(" -"), r.kind_hint or rule.kind, rule.id
                break
    if r.klass == "count":
        r.noun = r.noun or r.unit
    if r.klass == "multiplier" and r.noun:
        r.unit = f"{r.unit} {r.noun}"
    elif r.klass in (None, "count") and r.noun:
        r.unit = r.noun
    return None


# The decision list, in order: a step that skips ends it; a reshaping step's id stays on the number.
STEPS: tuple[tuple[str, Step], ...] = (
    ("number.inside_previous", _inside_previous),
    ("number.spaced_range_end", _spaced_range_end),
    ("number.glued_range_end", _glued_range_end),
    ("number.hyphen_in_name", _hyphen_in_name),
    ("number.glued_hyphen", _glued_hyphen),
    ("number.sign_after_word", _sign_after_word),
    ("number.p_value", _p_value),
    ("number.list_member", _list_member),
    ("number.glued_to_word", _glued_to_word),
    ("number.in_name_link_or_citation", _in_name_link_or_citation),
    ("number.subscript", _subscript),
    ("number.uncertainty", _uncertainty),
    ("number.with_uncertainty", _with_uncertainty),
    ("number.at_least", _at_least),
    ("number.latex_math", _latex_math),
    ("number.unit", _unit),
    ("number.glued_after", _glued_after),
    ("number.decade", _decade),
    ("number.year", _year),
    ("number.reference", _reference),
    ("number.enumeration", _enumeration),
    ("number.not_a_quantity", _not_a_quantity),
    ("number.arxiv_id", _arxiv_id),
    ("number.count_noun", _count_noun),
)
