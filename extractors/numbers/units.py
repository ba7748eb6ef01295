"""The unit and count-noun rules (units.jsonl, count_nouns.jsonl), compiled once per rule folder."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.rules import rule_cache, rule_file


@dataclass(frozen=True, slots=True)
class UnitRule:
    id: str
    klass: str
    unit: str
    kind: str | None
    pattern: re.Pattern[str]
    as_written: bool  # store the unit as written (`ms`, `MB`), not the canonical symbol
    scale: dict[str, float]  # a multiplier as written -> its factor


@dataclass(frozen=True, slots=True)
class NounRule:
    id: str
    kind: str
    pattern: re.Pattern[str]


@rule_cache
def unit_rules() -> tuple[UnitRule, ...]:
    return tuple(
        UnitRule(r["id"], r["class"], r["unit"], r.get("kind"), re.compile(r["pattern"]), bool(r.get("as_written")), r.get("scale", {}))
        for r in rule_file("numbers/units.jsonl")
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
