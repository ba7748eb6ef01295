"""One regex of many alternatives, indexed by the character each alternative can start with.

Python's `re` tries every branch of an alternation at every position it scans, and a branch that opens with a named
group or a case-insensitive word gets no quick first-character test, so a hundred metric names cost a hundred
attempts per word. `BranchIndex` reads which ASCII characters each branch can start with (from `re`'s own parse of
it) and keeps, per character, a regex of only those branches, in their order: at a position, the branches left out
cannot match, so every match is the one the whole regex finds. A position whose character is not ASCII uses the
whole regex (case folding there has too many special cases to index). Read groups by name: the regex of a subset
numbers its unnamed groups differently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

ASCII = [chr(i) for i in range(128)]
ONE_CHARACTER = {sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY}
REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}
ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}

Starts = frozenset[str] | None  # None: any character


class BranchIndex:
    """`lead(?:branch|...)trail` as one regex (`pattern`), matched through the per-character index.

    `lead` must be zero-width (a lookbehind such as `(?<![\\w-])`): positions are read by their own character."""

    def __init__(self, branches: list[str], lead: str = "", trail: str = "", flags: int = 0) -> None:
        self.pattern = re.compile(lead + "(?:" + "|".join(branches) + ")" + trail, flags)
        read = [_branch_starts(b, flags) for b in branches]
        self._by_char: dict[str, re.Pattern[str]] | None = None
        if any(nullable for _, nullable in read):
            return  # a branch that matches empty matches anywhere: the whole regex does the scanning
        starts = [s for s, _ in read]
        keys = sorted({c for s in starts if s is not None for c in s} | (set(ASCII) if None in starts else set()))
        self._by_char = {}
        compiled: dict[tuple[int, ...], re.Pattern[str]] = {}
        for char in keys:
            chosen = tuple(i for i, s in enumerate(starts) if s is None or char in s)
            if chosen not in compiled:
                compiled[chosen] = re.compile(lead + "(?:" + "|".join(branches[i] for i in chosen) + ")" + trail, flags)
            self._by_char[char] = compiled[chosen]
        firsts = "".join(re.escape(c) for c in keys)
        self._positions = re.compile(lead + (f"(?=[{firsts}]|[^\\x00-\\x7f])" if firsts else "(?=[^\\x00-\\x7f])"), flags)
        self._parts, self._compiled = (branches, lead, trail, flags), compiled
        self._prefixes = [_branch_prefixes(b, flags) for b in branches]
        self._by_prefix: dict[str, re.Pattern[str] | None] = {}

    def _at(self, char: str) -> re.Pattern[str] | None:
        if self._by_char is None or char >= "\x80":
            return self.pattern
        return self._by_char.get(char)

    def _at_prefix(self, prefix: str) -> re.Pattern[str] | None:
        """The branches that can start with these PREFIX ASCII characters, as one regex (built on first use): most
        word starts begin no branch, and are rejected without a match attempt."""
        if prefix in self._by_prefix:
            return self._by_prefix[prefix]
        keys = {prefix[:i] + WILD * (PREFIX - i) for i in range(PREFIX + 1)}
        chosen = tuple(i for i, p in enumerate(self._prefixes) if p is None or not p.isdisjoint(keys))
        if chosen and chosen not in self._compiled:
            branches, lead, trail, flags = self._parts
            self._compiled[chosen] = re.compile(lead + "(?:" + "|".join(branches[i] for i in chosen) + ")" + trail, flags)
        sub = self._by_prefix[prefix] = self._compiled[chosen] if chosen else None
        return sub

    def _sub(self, text: str, pos: int, end: int) -> re.Pattern[str] | None:
        """The regex to try at `pos` (< `end`): by its first PREFIX characters when they are in the window and
        ASCII, else by its first one."""
        if self._by_char is not None and pos + PREFIX <= end:
            prefix = text[pos : pos + PREFIX]
            if prefix.isascii():
                return self._at_prefix(prefix)
        return self._at(text[pos])

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        if pos >= end:
            return self.pattern.match(text, pos, end)  # only an empty match could be found there
        sub = self._sub(text, pos, end)
        return sub.match(text, pos, end) if sub is not None else None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        sub = self._at(text[0]) if text else self.pattern
        return sub.fullmatch(text) if sub is not None else None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        if self._by_char is None:
            yield from self.pattern.finditer(text, pos, end)
            return
        resume = pos
        for candidate in self._positions.finditer(text, pos, end):
            start = candidate.start()
            if start < resume:
                continue
            sub = self._sub(text, start, end)
            found = sub.match(text, start, end) if sub is not None else None
            if found is not None:
                yield found
                resume = max(found.end(), start + 1)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)

    @property
    def indexed(self) -> bool:
        """Whether matches are looked for only where a branch can start (else the whole regex scans)."""
        return self._by_char is not None

    def starts(self, text: str, pos: int, end: int) -> Iterator[int]:
        """The positions in `[pos, end)` a match can start at, in order (an indexed regex only)."""
        return (m.start() for m in self._positions.finditer(text, pos, end))


class TextScan:
    """The matches of a `BranchIndex` in one text, remembered per window end: callers that read many overlapping
    windows of one text ending at the same place (the metrics before a number, in ever wider windows) match each
    position once per end, and every window yields what `BranchIndex.finditer` would."""

    def __init__(self, index: BranchIndex, text: str) -> None:
        self.index = index
        self.text = text
        self._found: dict[tuple[int, int], re.Match[str] | None] = {}
        # end -> (the first position read, the matches at positions from there, in order)
        self._by_end: dict[int, tuple[int, list[re.Match[str]]]] = {}
        self.memo: dict[tuple, object] = {}  # for the caller: what it derives from a match, by its own key

    def match(self, pos: int, end: int) -> re.Match[str] | None:
        key = (pos, end)
        if key in self._found:
            return self._found[key]
        found = self._found[key] = self.index.match(self.text, pos, end)
        return found

    def finditer(self, pos: int, end: int) -> Iterator[re.Match[str]]:
        if not self.index.indexed:
            yield from self.index.finditer(self.text, pos, end)
            return
        read_from, found = self._by_end.get(end, (end, []))
        if pos < read_from:
            text, match = self.text, self.index.match
            new = [m for m in map(lambda p: match(text, p, end), self.index.starts(text, pos, read_from)) if m is not None]
            found = new + found
            self._by_end[end] = (pos, found)
        resume = pos
        for m in found:
            start = m.start()
            if start < resume:
                continue
            yield m
            resume = max(m.end(), start + 1)


def _branch_starts(branch: str, flags: int) -> tuple[Starts, bool]:
    """(the ASCII characters a match of `branch` can start with, None when we cannot tell; can it match empty):
    its prefixes of one character."""
    parsed = sre_parse.parse(branch, flags)
    found = _prefixes(list(parsed), parsed.state.flags, 1)
    assert found is not None  # one character has at most 128 + 1 prefixes
    return (None if WILD in found else frozenset(found - {""})), "" in found


_ONE_CHARACTER: dict[tuple[object, str, int], frozenset[str]] = {}


def _one_character(op: object, key: str, av: object, flags: int) -> frozenset[str]:
    """The ASCII characters one character class (or literal, or `.`) matches, by `re` itself; remembered by `key`
    (the repr of `av`, which may be a list)."""
    found = _ONE_CHARACTER.get((op, key, flags))
    if found is None:
        one = sre_compile.compile(sre_parse.SubPattern(sre_parse.State(), [(op, av)]), flags)
        found = _ONE_CHARACTER[op, key, flags] = frozenset(c for c in ASCII if one.fullmatch(c))
    return found


PREFIX = 3  # characters a branch's start is indexed by
WILD = "\x00"  # in a branch's prefix: any character (or none: the match may end there)
MOST_PREFIXES = 4096  # a branch with more possible prefixes is indexed by its first character only


def _branch_prefixes(branch: str, flags: int) -> frozenset[str] | None:
    """The first PREFIX ASCII characters a match of `branch` can start with, WILD for any (a superset: lookarounds
    are read as empty); None when they are unknown or too many."""
    parsed = sre_parse.parse(branch, flags)
    found = _prefixes(list(parsed), parsed.state.flags, PREFIX)
    if found is None or len(found) > MOST_PREFIXES:
        return None
    return frozenset(p.ljust(PREFIX, WILD) for p in found)


def _prefixes(items: list, flags: int, length: int) -> set[str] | None:
    """The first `length` characters of the matches of a sequence (fewer when a match can be shorter: `""` when it
    can match empty)."""
    out = {""}
    for op, av in items:
        open_ = {p for p in out if len(p) < length}
        if not open_:
            break
        part = _item_prefixes(op, av, flags, length)
        if part is None:
            part = {WILD * length}  # too many to list: every prefix
        out = (out - open_) | {(p + q)[:length] for p in open_ for q in part}
        if len(out) > MOST_PREFIXES:
            return None
    return out


def _item_prefixes(op: object, av: object, flags: int, length: int) -> set[str] | None:
    if op in ONE_CHARACTER:
        return set(_one_character(op, repr(av), av, flags))  # its ASCII characters: a non-ASCII one is never indexed
    if op in ZERO_WIDTH:
        return {""}
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return _prefixes(list(sub), (flags | add_flags) & ~del_flags, length)
    if op is sre.ATOMIC_GROUP:
        return _prefixes(list(av), flags, length)
    if op is sre.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:
            found = _prefixes(list(alternative), flags, length)
            if found is None:
                return None
            out |= found
        return out
    if op in REPEATS:
        return _repeat_prefixes(av, flags, length)
    return {"", WILD * length}  # a back-reference or anything new: any characters, maybe none


def _repeat_prefixes(av: tuple, flags: int, length: int) -> set[str] | None:
    """`sub{low,high}`: any number of copies from low to high; a longer run starts like `length` copies."""
    low, high, sub = av
    one = _prefixes(list(sub), flags, length)
    if one is None:
        return None
    out: set[str] = set()
    copies = {""}
    for count in range(length + 1):
        if count:
            copies = {(p + q)[:length] for p in copies for q in one}
            if len(copies) > MOST_PREFIXES:
                return None
        if low <= count <= high or count == length < high:
            out |= copies
        if count >= high:
            break
    return out
