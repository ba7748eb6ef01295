"""Numbers with unit and scale, and the places where digits are not a quantity (names, years, citations).

Each number the NUMBER regex finds is read by the ordered decision list of `reading.STEPS`: a step may skip the
number (its id says why), reshape it (a dropped sign, an absorbed `± 0.3`: its id stays on the number and reaches
the row's `rule`), or read its unit or count noun. A number no step skips is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from re import _parser as sre_parse  # type: ignore[attr-defined]

from extractors.numbers.reading import CITATION, CITATION_SUPERSCRIPT, SKIP, STEPS, Reading

# What may stand before a number's digits: its sign, its currency.
NUMBER_LEAD = (
    r"(?P<sign>[+\-−±~≈<>≤≥↑↓]\s?|\\sim\s?|\$\\sim\$\s?|\\textasciitilde\s?|\\approx\s?|\\pm\s?)?(?P<cur>\$|\\\$|€|£|US\$)?"
)
# The lookahead names every character a number can start with, so the scan skips other positions at once (5x faster).
NUMBER = re.compile(
    r"(?=[\d+\-−±~≈<>≤≥↑↓\\$€£U.])"
    + NUMBER_LEAD
    + r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.,])|\d+(?:\.\d+)?|\.\d+)"
)


DIGIT = re.compile(r"\d")
# A match's first digit lies at most this far into it: after the longest sign and currency, and a `.` (`.5`).
FIRST_DIGIT_WITHIN = sre_parse.parse(NUMBER_LEAD).getwidth()[1] + 1


def number_matches(text: str) -> Iterator[re.Match[str]]:
    """What `NUMBER.finditer(text)` yields, found from the digits: every match holds a digit at most
    FIRST_DIGIT_WITHIN characters in, so none starts further than that before the next digit, and the number regex
    runs on those few characters only instead of at every `-` and `.` of the text."""
    pos = 0
    while (digit := DIGIT.search(text, pos)) is not None:
        match = NUMBER.search(text, max(pos, digit.start() - FIRST_DIGIT_WITHIN))
        if match is None:
            return
        yield match
        pos = match.end()


@dataclass(slots=True)
class RawNumber:
    """A number as found, before its kind is decided."""

    start: int
    end: int  # end of the text span (number + unit symbol)
    value: float
    scale: float
    unit: str | None
    klass: str  # unit class, or "bare"
    unit_rule: str | None
    noun: str | None
    noun_kind: str | None
    noun_rule: str | None
    decimal: bool
    currency: bool
    sign: str
    steps: tuple[str, ...] = ()  # ids of the steps that reshaped it (a dropped sign, an absorbed uncertainty)


def found_rule(number: RawNumber) -> str:
    """Why the number was kept, as the first part of its row's `rule`: the steps that reshaped it, its unit rule (or
    `number.bare`) and its count noun, joined by `+`."""
    return "+".join((*number.steps, number.unit_rule or "number.bare", *((number.noun_rule,) if number.noun_rule else ())))


def find_numbers(text: str, skip: list[tuple[int, int]], skipped: list[tuple[int, int, str]] | None = None) -> list[RawNumber]:
    """Every quantity-like number outside names, links, citations, years and references; `skipped` (when given)
    receives (start, end, step id) for each number a step skipped."""
    blocked = _blocked(text, skip)
    out: list[RawNumber] = []
    last_end = 0
    for m in number_matches(text):
        if skipped is None and blocked[m.start("num")]:
            continue  # the digits are a name's, a link's or a citation's: number.in_name_link_or_citation skips it
        reading = Reading.of(m, text, blocked, last_end)
        decided = _read(reading)
        if decided is not None:
            if skipped is not None:
                skipped.append((m.start(), m.end(), decided))
            continue
        last_end = reading.end
        out.append(_raw_number(reading))
    return out


def _blocked(text: str, skip: list[tuple[int, int]]) -> bytearray:
    """1 at each character of a name, a link or a citation mark, else 0: one test per number, however many names."""
    blocked = bytearray(len(text))
    # a citation mark opens with `[` or `^`: a text without either has none, and is not scanned for them
    marks = [pattern for pattern, opener in ((CITATION, "["), (CITATION_SUPERSCRIPT, "^")) if opener in text]
    for a, b in skip + [m.span() for pattern in marks for m in pattern.finditer(text)]:
        blocked[a:b] = b"\x01" * (b - a)
    return blocked


def _read(reading: Reading) -> str | None:
    """The id of the step that skips the number, or None when it is kept (reshaping steps noted on the reading)."""
    for step_id, step in STEPS:
        outcome = step(reading)
        if outcome is not None:
            if outcome is SKIP:
                return step_id
            reading.steps.append(step_id)
    return None


def _raw_number(r: Reading) -> RawNumber:
    klass = r.klass or "bare"
    return RawNumber(
        start=r.start,
        end=r.end,
        value=r.signed,
        scale=r.scale,
        unit=r.unit,
        klass="count" if klass == "bare" and r.noun else klass,
        unit_rule=r.unit_rule,
        noun=r.noun,
        noun_kind=r.noun_kind,
        noun_rule=r.noun_rule,
        decimal=r.decimal,
        currency=bool(r.match.group("cur")) and not r.math,
        sign=r.sign,
        steps=tuple(r.steps),
    )
