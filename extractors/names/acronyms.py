"""Acronym definitions: `Vision Transformer (ViT)` and `SEW (Squeezed and Efficient Wav2vec)` tie a short and a long
form; both are reported with one label, and a lower-case or plural long form marks a generic term instead."""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractors.names.candidates import Candidate
from extractors.names.classify import Verdict, head_label, own_label
from extractors.names.cues import match_cue
from extractors.names.gazetteer import Gazetteer
from extractors.names.shapes import letters_start
from extractors.names.titles import TITLE_PREFIX
from extractors.names.word_lists import name_patterns

WORD_BREAK = re.compile(r"[-\s]+")
CLAUSE_BREAK = re.compile(r"[,;:]")
PAREN_ACRONYM = re.compile(r"\s+\(([A-Za-z0-9][\w\-.+^]{1,20})\)")
LONG_FORM_BEFORE = re.compile(r"((?:[A-Za-z0-9][\w'^+.]*[-\s]+){0,7}[A-Za-z][\w'^+.]*)$")


class AcronymMatch:
    """`Long Form (LF)` as two groups; built in two steps because one regex over the text backtracks badly."""

    def __init__(self, long_form: re.Match, paren: re.Match) -> None:
        self._groups = {1: (long_form.start(1), long_form.end(1)), 2: (paren.start(1), paren.end(1))}
        self._text = paren.string
        self._end = paren.end()

    def group(self, i: int) -> str:
        a, b = self._groups[i]
        return self._text[a:b]

    def start(self, i: int = 0) -> int:
        return self._groups[i][0] if i else self._groups[1][0]

    def end(self, i: int = 0) -> int:
        return self._groups[i][1] if i else self._end


# How far back from `(` a long form can reach, read on the reversed text: a long form is at most eight runs of its
# word characters with seven runs of `-` or space between, so no match of LONG_FORM_BEFORE starts further back.
# Searching from there finds the same match without trying (and backtracking from) every earlier position.
LONG_FORM_REACH = re.compile(r"[\w'^+.]*(?:[-\s]+[\w'^+.]+){0,7}")


def acronym_definitions(text: str) -> Iterator[AcronymMatch]:
    for paren in PAREN_ACRONYM.finditer(text):
        end = paren.start()
        start = max(0, end - 100)
        reach = LONG_FORM_REACH.match(text[start:end][::-1]).end()  # type: ignore[union-attr]  # it matches empty
        long_form = LONG_FORM_BEFORE.search(text, end - reach, end)
        if long_form is not None:
            yield AcronymMatch(long_form, paren)


def resolve_acronyms(cands: list[Candidate], text: str, gaz: Gazetteer) -> None:
    """`Vision Transformer (ViT)`: long form and abbreviation share a label; a lower-case long form
    (`speech translation (ST)`) marks a generic term, not a name."""
    by_start = {c.start: c for c in cands}
    title_end = text.find("\n")
    prefix = TITLE_PREFIX.match(text[: max(title_end, 0)])
    title_name = prefix.group(1) if prefix else None
    patterns = name_patterns()
    for m in acronym_definitions(text):
        short = m.group(2)
        words = WORD_BREAK.split(m.group(1))
        long_start = _long_form_start(words, short, m)
        by_letters = long_start is None
        if by_letters:
            long_start = _letters_long_form_start(short, m)
        short_c = by_start.get(m.start(2))
        if long_start is None or short_c is None:
            continue
        long_text = text[long_start : m.end(1)]
        content = [w for w in WORD_BREAK.split(long_text) if len(w) > 3]
        capitalised = sum(w[0].isupper() for w in content)
        listed = short_c.verdict.rule.startswith(("model.", "bench."))
        if content and capitalised * 2 < len(content) and (short_c.surface == title_name or patterns.own_noun_after.match(text, m.end())):
            # `the conformer-based metric generative adversarial network (CMGAN) model`: the paper's own name
            if short_c.verdict.label == "none" and not short_c.verdict.rule:
                short_c.verdict = Verdict("model", "acronym.own_short_form")
            continue
        if by_letters and (not content or capitalised * 2 < len(content)):
            continue  # a loose letter match says nothing about a lower-case phrase (`pyramid scene parsing network (PSPNet)`)
        if not content or capitalised * 2 < len(content) or not listed and not by_letters and (patterns.plural_class_end.search(long_text) or gaz.is_negative(long_text)):
            short_c.verdict = Verdict("none", "acronym.generic_long_form")
            continue
        head = head_label(WORD_BREAK.split(long_text)[-1])
        inside = [c for c in cands if long_start <= c.start and c.end <= m.end(1)]
        if head is not None and head[0] == "none":
            # `Grouped-Query Attention (GQA)` is a method: its words are no model, whatever cue they met
            for c in inside:
                if c.verdict.label != "none" and not c.verdict.rule.startswith(("model.", "bench.")):
                    c.verdict = Verdict("none", "acronym.method_long_form")
            if listed and short_c.verdict.entry is not None and short_c.verdict.entry.name.isupper():
                short_c.verdict = Verdict("none", "acronym.method_long_form")  # `Group Query Attention (GQA)` is not the GQA dataset
                continue
        exact = [c for c in inside if c.start == long_start and c.end == m.end(1) and c.verdict.label != "none"]
        label, rule, entry = _acronym_label(short_c, exact, text, long_start, m)
        if label is None:
            continue
        if short_c.verdict.label == "none" and not short_c.verdict.rule.startswith(("model.", "bench.", "notmodel.", "notbench.")):
            short_c.verdict = Verdict(label, "acronym.short_form", entry)
        listed_inside = [c for c in inside if c.verdict.rule.startswith(("model.", "bench."))]
        # `Image GPT (iGPT)`: a capitalised word before a listed name makes a name of its own
        extends = label == "model" and bool(listed_inside) and all(c.start > long_start for c in listed_inside) and text[long_start].isupper()
        if not exact and (not listed_inside or extends) and not (head is not None and head[0] == "none"):
            for c in inside:
                cands.remove(c)
            cands.append(Candidate(long_start, m.end(1), long_text, Verdict(label, "acronym.long_form", None if extends else entry)))
    _spelled_out_after(cands, text)
    cands.sort(key=lambda c: c.start)


SPELLED_OUT_AFTER = re.compile(r"\s+\((?P<long>[A-Z][^()\n,;:]{3,80}?)\)")


def _spelled_out_after(cands: list[Candidate], text: str) -> None:
    """`SEW (Squeezed and Efficient Wav2vec)`: a name followed by its spelled-out form; both are reported."""
    for c in list(cands):
        if c.verdict.label not in ("model", "benchmark"):
            continue
        m = SPELLED_OUT_AFTER.match(text, c.end)
        if m is None or letters_start(c.surface, m.group("long")) != 0:
            continue
        long_form = m.group("long")
        hits, words = _spelled_letters(c.surface, long_form)
        if words < 2 or words > len([ch for ch in c.surface if ch.isalnum()]) + 3 or hits < words - 1:
            continue
        start, end = m.start("long"), m.end("long")
        for inner in [d for d in cands if start <= d.start and d.end <= end]:
            cands.remove(inner)
        cands.append(Candidate(start, end, long_form, Verdict(c.verdict.label, "acronym.long_form_after", None)))


def _acronym_label(short_c: Candidate, exact: list[Candidate], text: str, long_start: int, m: AcronymMatch) -> tuple[str | None, str, object]:
    """Label for an acronym pair: from whichever side is known, else a proposal cue, else the long form's head noun."""
    if short_c.verdict.label in ("model", "benchmark"):
        return short_c.verdict.label, "acronym.long_form", short_c.verdict.entry
    if exact:
        return exact[0].verdict.label, "acronym.short_form", exact[0].verdict.entry
    if short_c.verdict.rule:
        return None, "", None
    cue = match_cue(text, long_start, long_start)
    found = head_label(text[long_start : m.end(1)].split()[-1])
    if cue is not None and cue.label == "own":
        label = own_label(text[m.end() : m.end() + 90], default=found[0] if found else "none")
        return (label, "acronym.proposed", None) if label != "none" else (None, "", None)
    if found and found[0] != "none":
        return found[0], "acronym.head_noun", None
    if name_patterns().bench_noun_after.match(text, m.end()):
        return "benchmark", "acronym.benchmark_noun_after", None
    return None, "", None


def _long_form_start(words: list[str], short: str, m: AcronymMatch) -> int | None:
    """Where the long form starts: the fewest trailing words whose initials spell the acronym."""
    letters = [ch.lower() for ch in short if ch.isalpha()]
    if len(letters) < 2:
        return None
    found = _initials_start(words, letters, m)
    if found is None:
        # `Retriever-Ranker` may count as one word: AR2 = Adversarial Retriever-Ranker
        found = _initials_start(m.group(1).split(), letters, m)
    return found


def _letters_long_form_start(short: str, m: AcronymMatch) -> int | None:
    """`Flexible Vision Transformer (FiT)`, `Densely Connected Convolutional Networks (DenseNets)`: letters inside
    words, within a few words and no clause break, with nearly every word giving a letter that starts it or is a capital."""
    offset = letters_start(short, m.group(1))
    if offset is None:
        return None
    long_form = m.group(1)[offset:]
    letters = [ch for ch in short if ch.isalnum()]
    if CLAUSE_BREAK.search(long_form) or len(long_form.split()) > min(len(letters) + 3, 2 * len(letters)):
        return None
    hits, words = _spelled_letters(short, long_form)
    if hits < min(2, words) or hits < words - 1:
        return None
    return m.start(1) + offset


def _spelled_letters(short: str, long_form: str) -> tuple[int, int]:
    """(letters of the short form that start a word of the long form or are capitals in it, words of the long form)."""
    words = [w for w in WORD_BREAK.split(long_form) if w]
    marked = {w[0].lower() for w in words} | {ch.lower() for ch in long_form if ch.isupper()}
    return sum(ch.lower() in marked for ch in short if ch.isalnum()), len(words)


def _initials_start(words: list[str], letters: list[str], m: AcronymMatch) -> int | None:
    """The start of the fewest trailing words whose initials, or whose capitals, spell `letters`."""
    target = "".join(letters)
    initials = caps = ""  # of the last n words, grown one word to the left per step
    for n in range(1, min(len(words), len(letters) + 2) + 1):
        word = words[-n]
        initials = (word[0].lower() if word else "") + initials
        caps = "".join([ch.lower() for ch in word if ch.isupper()]) + caps
        if initials == target or caps == target:
            chosen = words[-n:]
            start_in_group = len(m.group(1)) - len(" ".join(chosen))
            probe = m.group(1).rfind(chosen[0])
            return m.start(1) + (probe if probe >= 0 else start_in_group)
    return None

