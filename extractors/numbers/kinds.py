"""A number's kind (score, delta, efficiency, size, setting) from its unit and the words around it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.numbers.cues import number_cues
from extractors.numbers.quantities import RawNumber
from extractors.rules import rule_cache, rule_file

BEFORE_WINDOW = 90
AFTER_WINDOW = 70
SPACED_PERCENT = re.compile(r"\s+(?=\\?%)")


@dataclass(frozen=True, slots=True)
class KindRule:
    id: str
    kind: str
    units: frozenset[str] | None
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    currency: bool
    decimal: bool
    sign: str
    weak: bool  # a default reading that a list-mate's context rule overrides


@rule_cache
def kind_rules() -> tuple[KindRule, ...]:
    rules = []
    for r in rule_file("numbers/kind_rules.jsonl"):
        rules.append(
            KindRule(
                id=r["id"],
                kind=r["kind"],
                units=frozenset(r["units"]) if "units" in r else None,
                before=re.compile(r["before"]) if "before" in r else None,
                after=re.compile(r["after"]) if "after" in r else None,
                currency=bool(r.get("currency")),
                decimal=bool(r.get("decimal")),
                sign=r.get("sign", ""),
                weak=bool(r.get("weak")),
            )
        )
    return tuple(rules)


@rule_cache
def weak_kind_rules() -> frozenset[str]:
    """Ids of the default readings (`"weak": true` in kind_rules.jsonl)."""
    return frozenset(rule.id for rule in kind_rules() if rule.weak)


@rule_cache
def rules_by_unit() -> dict[str | None, tuple[KindRule, ...]]:
    """The rules that can fire for each unit class, in file order; key None: a class no rule names, which only the
    rules without `units` can read. A number tests only its class's rules."""
    classes = {u for rule in kind_rules() for u in rule.units or ()}
    by_unit: dict[str | None, tuple[KindRule, ...]] = {
        klass: tuple(r for r in kind_rules() if r.units is None or klass in r.units) for klass in classes
    }
    by_unit[None] = tuple(r for r in kind_rules() if r.units is None)
    return by_unit


def decide_kind(number: RawNumber, text: str, sentence: tuple[int, int], num_start: int) -> tuple[str, str]:
    """(kind, rule id): the first rule in kind_rules.jsonl whose conditions hold."""
    before = text[max(sentence[0], number.start - BEFORE_WINDOW) : number.start]
    # the number's own group separators and the space before its percent sign go, so rules can skip it as one token
    # (`^[^\s,;]*`): `680,000 hours of`, `7.5 % higher mAP50`
    own = text[num_start : number.end].replace(",", "")
    if "%" in own:
        own = SPACED_PERCENT.sub("%", own)
    after = own + text[number.end : min(sentence[1], number.end + AFTER_WINDOW)]
    by_unit = rules_by_unit()
    for rule in by_unit.get(number.klass, by_unit[None]):
        if rule.currency and not number.currency:
            continue
        if rule.decimal and not number.decimal:
            continue
        if rule.sign and (not number.sign or number.sign not in rule.sign):
            continue
        # `after` first: its patterns are anchored at the number and fail at once, `before` is searched along its window
        if rule.after is not None and not rule.after.search(after):
            continue
        if rule.before is not None and not rule.before.search(before):
            continue
        kind = rule.kind
        if kind == "from_noun":
            if not number.noun_kind:
                continue
            kind = number.noun_kind
        return kind, rule.id
    return "setting", "kind.fallback"


def list_groups(numbers: list[RawNumber], text: str, also: re.Pattern[str] | None = None) -> list[list[int]]:
    """Runs of numbers joined by commas, `and`, `/`, `to` or dashes (`74.0 and 60.2`, `17.4%-43.3%`), or by the
    `also` gaps too (`number_cues().qualified_list_gap`: `50% for video, 48% for audio`; the gap between two numbers
    holds no other number, so digits in it belong to names: `in PSDS1 on DCASE2017, 7.6% ...`)."""
    list_gap = number_cues().list_gap
    groups: list[list[int]] = []
    for i, number in enumerate(numbers):
        between = text[numbers[groups[-1][-1]].end : number.start] if groups else ""
        if groups and (list_gap.match(between) or also is not None and also.match(between)):
            groups[-1].append(i)
        else:
            groups.append([i])
    return [g for g in groups if len(g) > 1]


def share_units(numbers: list[RawNumber], groups: list[list[int]]) -> None:
    """`from 86 to 338 languages`, `25-50%`: bare members take the unit written after the last one."""
    for group in groups:
        last = numbers[group[-1]]
        if last.klass == "bare":
            continue
        for i in group[:-1]:
            n = numbers[i]
            if n.klass == "bare" and n.decimal == last.decimal or n.klass == "bare" and last.klass != "count":
                n.klass, n.unit, n.noun, n.noun_kind, n.noun_rule, n.scale = last.klass, last.unit, last.noun, last.noun_kind, last.noun_rule, last.scale


def share_kinds(numbers: list[RawNumber], kinds: list[tuple[str, str]], groups: list[list[int]]) -> None:
    """Members of a list share the kind that a context rule (not a default) gave one of them."""
    weak = weak_kind_rules()
    for group in groups:
        informed = [i for i in group if kinds[i][1] not in weak]
        if not informed:
            continue
        kind, rule = kinds[informed[0]]
        signed_only = rule.startswith("kind.delta_sign")  # `61.2 on MMLU, +8.9 over the base`: the sign is the +8.9's own
        for i in group:
            if signed_only and not numbers[i].sign:
                continue
            if kinds[i][1] in weak and numbers[i].klass == numbers[informed[0]].klass:
                kinds[i] = (kind, rule + "+list")
