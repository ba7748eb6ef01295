"""A regex anchored at the end (`...\\s+$`), matched backwards from that end instead of searched forwards.

Rules that read the words before a name (`we propose `, `datasets such as `) end in `$` and are searched in a
window before the name: `re` tries the pattern at every position of the window, and nearly every try fails. The
same language read backwards is matched once, at the start of the reversed window. `EndAnchored` builds the
reversed pattern from `re`'s own parse of the rule (sequences reversed, lookbehind and lookahead swapped, `^` and
`$` swapped) and answers whether the rule matches; a rule it cannot reverse exactly (a back-reference, an atomic
group, a lookahead of varying width, a match that need not end at the end) is searched as written. A backwards
match is confirmed by the rule itself, so at worst a wrong reversal costs time, never a false match.
"""

from __future__ import annotations

import re
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

ONE_CHARACTER = {sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY}
REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT}
SYMMETRIC_AT = {sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY, sre.AT_UNI_BOUNDARY, sre.AT_UNI_NON_BOUNDARY}


class Irreversible(Exception):
    """The pattern uses something whose backwards reading is not the same language."""


class EndAnchored:
    """`search(window)` of an end-anchored pattern, answered by one backwards match when the pattern reverses."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.reversed_items = _reversed_items(
            pattern
        )  # the parse read backwards (groups not captured), or None
        self.backwards = (
            None if self.reversed_items is None else _compile([self.reversed_items], pattern.flags)
        )

    def search(self, window: str, rev: str | None = None) -> bool:
        """Whether `pattern.search(window)` finds a match; `rev` is `window[::-1]` when the caller has it."""
        if self.backwards is not None and not self._backwards_match(window[::-1] if rev is None else rev):
            return False
        return self.pattern.search(window) is not None

    def search_in(self, text: str, pos: int, endpos: int, reversed_text: str | None = None) -> bool:
        """Whether `pattern.search(text, pos, endpos)` finds a match; `reversed_text` is `text[::-1]` when the
        caller has it. A match there is a match of `text[:endpos]` in the same context (lookbehinds see what lies
        before `pos` either way), so no backwards match from `endpos` means none."""
        if self.backwards is not None:
            rt = text[::-1] if reversed_text is None else reversed_text
            if not self._backwards_match(rt[len(text) - endpos :]):
                return False
        return self.pattern.search(text, pos, endpos) is not None

    def _backwards_match(self, rev: str) -> bool:
        # `$` also matches before a last newline: the backwards match may start just after it
        return self.backwards.match(rev) is not None or (
            rev.startswith("\n") and self.backwards.match(rev, 1) is not None
        )


class AnyEndAnchored:
    """Whether any of several end-anchored patterns may match, by one backwards match of their alternation: the
    common case, where none does, costs one match instead of one per pattern."""

    def __init__(self, anchored: list[EndAnchored]) -> None:
        flags = {a.pattern.flags for a in anchored}
        reversible = anchored and len(flags) == 1 and all(a.reversed_items is not None for a in anchored)
        self.backwards = _compile([a.reversed_items for a in anchored], flags.pop()) if reversible else None

    def may_match(self, rev: str) -> bool:
        """False only when none of the patterns matches the window whose reversal is `rev`."""
        if self.backwards is None:
            return True
        return self.backwards.match(rev) is not None or (
            rev.startswith("\n") and self.backwards.match(rev, 1) is not None
        )


def _reversed_items(pattern: re.Pattern[str]) -> list | None:
    """The pattern's parse read backwards, or None when it does not reverse or a match need not end at the end."""
    if pattern.flags & (re.MULTILINE | re.VERBOSE) or not isinstance(pattern.pattern, str):
        return None
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if (
        parsed.state.flags & re.MULTILINE
        or parsed.state.flags != pattern.flags
        or not _ends_at_end(list(parsed))
    ):
        return None
    try:
        return _sequence(list(parsed))
    except Irreversible:
        return None


def _compile(alternatives: list[list], flags: int) -> re.Pattern[str] | None:
    """One compiled alternation of reversed parses (a single one compiles as itself)."""
    state = sre_parse.State()
    state.flags = flags
    if len(alternatives) == 1:
        data = alternatives[0]
    else:
        data = [(sre.BRANCH, (None, [sre_parse.SubPattern(state, items) for items in alternatives]))]
    try:
        return sre_compile.compile(sre_parse.SubPattern(state, data), flags)
    except (re.error, TypeError, ValueError, OverflowError):
        return None


def _ends_at_end(items: list) -> bool:
    """Every match of the sequence ends with `$`: its last item is `$`, or a group or alternation all of whose
    branches end so."""
    if not items:
        return False
    op, av = items[-1]
    if op is sre.AT:
        return av is sre.AT_END
    if op is sre.SUBPATTERN:
        return _ends_at_end(list(av[3]))
    if op is sre.BRANCH:
        return all(_ends_at_end(list(branch)) for branch in av[1])
    return False


def _sequence(items: list) -> list:
    return [_item(op, av) for op, av in reversed(items)]


def _sub(p: sre_parse.SubPattern) -> sre_parse.SubPattern:
    return sre_parse.SubPattern(p.state, _sequence(list(p)))


def _item(op: object, av: object) -> tuple:
    if op in ONE_CHARACTER:
        return op, av
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, p = av
        return op, (None, add_flags, del_flags, _sub(p))  # captures nothing: only whether it matches is read
    if op is sre.BRANCH:
        return op, (av[0], [_sub(branch) for branch in av[1]])
    if op in REPEATS:
        low, high, p = av
        return op, (low, high, _sub(p))  # greedy or lazy finds the same strings
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        direction, p = av
        inner = _sub(p)
        if direction > 0:
            low, high = inner.getwidth()
            if low != high:
                raise Irreversible("a lookahead of varying width has no lookbehind")
        return op, (-direction, inner)
    if op is sre.AT:
        return _anchor(av)
    raise Irreversible(f"cannot reverse {op}")


def _anchor(at: object) -> tuple:
    """`\\b` reads the same both ways; `^`/`\\A` become `\\Z`; `$` becomes the start, or just after a newline that
    starts the reversed text (where `$` matched before the text's last newline)."""
    if at in SYMMETRIC_AT:
        return sre.AT, at
    if at in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
        return sre.AT, sre.AT_END_STRING
    if at is sre.AT_END_STRING:
        return sre.AT, sre.AT_BEGINNING_STRING
    if at is sre.AT_END:
        state = sre_parse.State()
        start = sre_parse.SubPattern(state, [(sre.AT, sre.AT_BEGINNING_STRING)])
        after_newline = sre_parse.SubPattern(
            state, [(sre.AT, sre.AT_BEGINNING_STRING), (sre.LITERAL, ord("\n"))]
        )
        return sre.BRANCH, (None, [start, sre_parse.SubPattern(state, [(sre.ASSERT, (-1, after_newline))])])
    raise Irreversible(f"cannot reverse the anchor {at}")
