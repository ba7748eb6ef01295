"""Numbers with unit and scale, and the places where digits are not a quantity (names, years, citations)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.rules import rule_cache, rule_file

NUMBER = re.compile(
    r"(?P<sign>[+\-−±~≈<>≤≥↑↓]\s?|\\sim\s?|\$\\sim\$\s?|\\textasciitilde\s?|\\approx\s?|\\pm\s?)?(?P<cur>\$|\\\$|€|£|US\$)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.,])|\d+(?:\.\d+)?|\.\d+)"
)
GROUP_SEPARATORS = re.compile(r"[, \u00a0\u2009\u202f]")
SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
SCALE_SUFFIX = {"K": 1e3, "k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:Section|Sec\.|Sections|Table|Tab\.|Tables|Figure|Fig\.|Figs\.|Eq\.|Eqs\.|Equation|Appendix|Chapter|Theorem|Lemma|"
    r"Algorithm|Corollary|Definition|Proposition|Step|Stage|Phase|Version|version|Level|Track|Round|Task|Part|Lines?|Rule|Type|Category|Method|Setting)"
    r"\s*~?\(?$)"
)
LIST_BEFORE = re.compile(r"\d(?:\.\d+)?\s?(?:%|\\%|x|×|times|[KMB])?[/\-‐‑–]$")
ENUMERATION_AFTER = re.compile(r"\)(?=\s|[A-Za-z])")
NOT_A_QUANTITY_BEFORE = re.compile(
    r"(?:\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
    r"|\bp\s?[<=>≤]|\d/|\b(?!(?:In|On|At|With|For|By|Of|To|From|Over|Under|About|Only|Just|And|The|A|An|All|Each|Top|Up|Nearly|Around|Approximately|Roughly|Both|Using|Across|Within|Than|Over|Among|Beyond|Achieving|Reaching)\s)[A-Z][a-zA-Z]+(?:\^\w+)?)\s?$"
)
DECIMAL_PAIR_BEFORE = re.compile(r"(?<![\d.])\d+\.\d+/$")
NOT_A_QUANTITY_AFTER = re.compile(r"/\d+(?![\d.])|[-‐][A-Za-z]")  # fractions `1/6`, not pairs `65.3/66.5`
P_VALUE_BEFORE = re.compile(r"\bp\s?$")
PLUS_MINUS = re.compile(r"\s*(?:±|\\pm|\$\\pm\$)\s*\d+(?:\.\d+)?")
ARXIV_ID = re.compile(r"^\d{4}\.\d{4,5}$")
CITATION = re.compile(r"\[\s*\d+(?:\s*[,–-]\s*\d+)*\s*\]")
# `processing^{1,2,3}.`, `studies^{15-17}`: superscript reference marks glued to a word or its punctuation
CITATION_SUPERSCRIPT = re.compile(r"(?<=[A-Za-z.,;:)\]])\^\{?\d+(?:\s*[,–-]\s*(?:\d+|…|\\ldots))*\}?")
RANGE_BEFORE = re.compile(r"\d(?:\.\d+)?\s?(?:%|\\%|x|×|times|-?fold|[KMB])?\s$")


@dataclass(frozen=True, slots=True)
class UnitRule:
    id: str
    klass: str
    unit: str
    kind: str | None
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class NounRule:
    id: str
    kind: str
    pattern: re.Pattern[str]


@rule_cache
def unit_rules() -> tuple[UnitRule, ...]:
    return tuple(
        UnitRule(r["id"], r["class"], r["unit"], r.get("kind"), re.compile(r["pattern"])) for r in rule_file("numbers/units.jsonl")
    )


@rule_cache
def unit_alternation() -> re.Pattern[str]:
    """All unit patterns as one regex (file order = alternative order): one match call per number."""
    return re.compile("|".join(f"(?P<u{i}>{rule.pattern.pattern})" for i, rule in enumerate(unit_rules())))


@rule_cache
def noun_rules() -> tuple[NounRule, ...]:
    return tuple(
        NounRule(r["id"], r["kind"], re.compile(r"[\s-](?:" + r["pattern"] + r")\b")) for r in rule_file("numbers/count_nouns.jsonl")
    )


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


def _blocked_ranges(text: str) -> list[tuple[int, int]]:
    return [m.span() for pattern in (CITATION, CITATION_SUPERSCRIPT) for m in pattern.finditer(text)]


def find_numbers(text: str, skip: list[tuple[int, int]]) -> list[RawNumber]:
    """Every quantity-like number outside names, links, citations, years and references."""
    blocked = sorted(skip + _blocked_ranges(text))
    out: list[RawNumber] = []
    last_end = 0
    for m in NUMBER.finditer(text):
        start, num_start, num_end = m.start(), m.start("num"), m.end("num")
        sign = (m.group("sign") or "").strip()
        prev = text[start - 1] if start > 0 else " "
        if start < last_end:
            continue  # already part of the previous quantity (`256 x 256`)
        if sign == "-" and prev == " " and RANGE_BEFORE.search(text, max(0, start - 12), start):
            sign, start = "", m.start("num")  # `2 - 4 fold`, `4x - 9x`: the second end of a spaced range
            prev = text[start - 1]
        if sign in ("-", "−") and not (prev in " ([{,;:/" or start == 0):
            # a hyphen glued to a word is part of a name (GPT-4) or a range (17.4%-43.3%, 5x-11x)
            if LIST_BEFORE.search(text, max(0, start - 12), start + 1):
                sign, start = "", m.start("num")
                prev = text[start - 1]
            elif prev.isalpha() or prev in "_":
                continue
            else:
                sign, start = "", m.start("num")
                prev = text[start - 1]
        if sign and prev.isalnum():
            continue
        if sign in ("<", ">", "≤", "≥") and P_VALUE_BEFORE.search(text, max(0, start - 4), start):
            continue  # `p < 0.001`
        if not sign and prev in "/-‐‑–" and LIST_BEFORE.search(text, max(0, start - 12), start):
            pass  # `0.3%/1.1%`, `5x-11x`, `17.4%-43.3%`: the second member of a list or range
        elif not sign and (prev.isalnum() or prev in "._/^@#&\\" or (prev in "'’" and start >= 2 and text[start - 2].isalpha()) or (prev in "-‐‑–" and start >= 2 and text[start - 2].isalpha())) or prev in "-‐‑" and start >= 2 and text[start - 2].isalpha():
            continue
        if any(a <= num_start < b for a, b in blocked):
            continue
        if text[max(0, start - 2) : start] == "_{":
            continue  # a subscript: `F_{0.5}`, `AP_{50}`
        raw = m.group("num")
        decimal = "." in raw
        value = float(GROUP_SEPARATORS.sub("", raw))
        if sign in ("-", "−", "↓"):
            value = -value
        end = num_end
        if sign.startswith(("±", "\\pm")):
            continue  # the uncertainty of a result is not a result of its own
        pm = PLUS_MINUS.match(text, end)
        if pm:
            end = pm.end()  # `85.2 ± 0.3%`: one result, whose unit follows the uncertainty
        unit = klass = rule_id = kind_hint = None
        unit_text = ""
        scale = 1.0
        if text.startswith("+", end) and not text[end + 1 : end + 2].isdigit():
            end += 1  # `100,000+ questions`, `80+%`: at least this many
        math = m.group("cur") == "$" and text[end : end + 1] in ("$", "^", "\\")
        if math and text.startswith("$", end):
            end += 1  # `$43$ years`: a number in LaTeX math, not a price
        um = unit_alternation().match(text, end)
        if um:
            rule = unit_rules()[int(um.lastgroup[1:])]
            unit_text = um.group(0).strip().lstrip("-")
            klass, rule_id, kind_hint = rule.klass, rule.id, rule.kind
            if klass == "multiplier":
                scale = SCALE_WORDS.get(unit_text.lower()) or SCALE_SUFFIX.get(unit_text, 1.0)
                unit = unit_text
            else:
                unit = rule.unit if rule.unit not in ("seconds", "GB", "FPS", "FLOPs", "Hz") else unit_text
            end = um.end()
        after = text[end : end + 1]
        if after.isalpha() or (after.isdigit()):
            continue
        if klass == "time" and unit_text == "s" and not decimal and 1900 <= value <= 2099:
            continue  # the 2020s
        if klass is None:
            klass = "bare"
            if not decimal and "," not in raw and 1900 <= value <= 2099 and not m.group("cur") and not _counts_something(text, end):
                continue  # a year
            if REFERENCE_BEFORE.search(text, max(0, start - 14), start):
                continue
            if value < 20 and not decimal and ENUMERATION_AFTER.match(text, end) and (prev in "( " or start == 0):
                continue  # enumeration: (1), 2)
            before = NOT_A_QUANTITY_BEFORE.search(text, max(0, start - 24), start)
            if before and decimal and DECIMAL_PAIR_BEFORE.search(text, max(0, start - 12), start):
                before = None  # `65.3/66.5`: the second value of a decimal pair, not the denominator of a fraction
            if before and not (raw.startswith("0.") and before.group(0)[:1].isupper()) or NOT_A_QUANTITY_AFTER.match(text, end):
                # `(vs LSTM 0.329, ...)`: a value below one after a name is no product or version number
                continue  # dates, p-values, product numbers (`Raspberry Pi 4`), fractions, `1-D`
            if ARXIV_ID.match(raw):
                continue
        noun, noun_kind, noun_rule = None, kind_hint, None
        if klass in ("bare", "multiplier", "count"):
            for rule in noun_rules():
                nm = rule.pattern.match(text, end)
                if nm:
                    noun, noun_kind, noun_rule = nm.group(0).strip(" -"), noun_kind or rule.kind, rule.id
                    break
        if klass == "count":
            noun = noun or unit
        if klass == "multiplier" and noun:
            unit = f"{unit} {noun}"
        elif klass in ("bare", "count") and noun:
            unit = noun
        last_end = end
        out.append(
            RawNumber(
                start=start,
                end=end,
                value=value,
                scale=scale,
                unit=unit,
                klass="count" if klass == "bare" and noun else klass,
                unit_rule=rule_id,
                noun=noun,
                noun_kind=noun_kind,
                noun_rule=noun_rule,
                decimal=decimal,
                currency=bool(m.group("cur")) and not math,
                sign=sign,
            )
        )
    return out


def _counts_something(text: str, end: int) -> bool:
    return any(rule.pattern.match(text, end) for rule in noun_rules())
