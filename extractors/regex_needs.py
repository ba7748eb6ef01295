"""The literal strings one of which every match of a regex contains, read from `re`'s own parse of it.

A rule regex run over a whole abstract mostly finds nothing; `needs` lets a caller skip it when none of those
strings occurs in the text (`"Challenge" in text`), which costs far less than the scan and provably never skips a
match: a match is a substring of the text and holds one of the strings. Only what is certain is read: a
case-insensitive part, a character class or anything unknown gives no strings (None: always run the regex).
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}

Needs = frozenset[str] | None  # None: nothing is certain


def needs(pattern: re.Pattern[str]) -> Needs:
    """Strings one of which every match of `pattern` contains; None when no such set can be read."""
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if parsed.state.flags & re.IGNORECASE:
        return None
    return _sequence_needs(list(parsed))


def may_match(needed: Needs, text: str) -> bool:
    """False only when no match of the pattern whose `needs` is `needed` can lie in `text`."""
    return needed is None or any(word in text for word in needed)


def _better(a: Needs, b: Needs) -> Needs:
    """The more selective of two sets: the longer shortest string, then the fewer strings."""
    if a is None:
        return b
    if b is None:
        return a
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b


def _sequence_needs(items: list) -> Needs:
    """The best set over the sequence's mandatory items; a run of literals counts as one string."""
    best: Needs = None
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []
        if op is not None:
            best = _better(best, _item_needs(op, av))
    return best


def _item_needs(op: object, av: object) -> Needs:
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return None if add_flags & re.IGNORECASE else _sequence_needs(list(sub))
    if op is sre.ATOMIC_GROUP:
        return _sequence_needs(list(av))
    if op is sre.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:
            found = _sequence_needs(list(alternative))
            if not found:
                return None  # a branch with no certain string: the alternation promises nothing
            out |= found
        return frozenset(out)
    if op in REPEATS:
        low, _high, sub = av
        return _sequence_needs(list(sub)) if low >= 1 else None
    return None  # character classes, anchors, lookarounds, back-references: nothing certain
