"""What a paper's title says about names: `Name: what it is`, the name spelled out after it, title-case capitals."""

from __future__ import annotations

import re

from extractors.names.candidates import Candidate, replace_overlapped
from extractors.names.classify import Verdict, head_label, morpheme_label
from extractors.names.shapes import letters_start
from extractors.names.word_lists import name_patterns

TITLE_PREFIX = re.compile(r"^\s*([^:\n]{2,60}?)\s*(?::|\s--|\s—|\s–)\s+\S")


def is_title_cased(title: str) -> bool:
    """Most words capitalised (`Fast and Accurate Global Weather Forecast`): capitals there say nothing."""
    words = [w for w in title.split() if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def label_title_prefix(cands: list[Candidate], text: str) -> None:
    """`Name: what it is` titles name the paper's own model or benchmark."""
    title_end = text.find("\n")
    m = TITLE_PREFIX.match(text[: title_end if title_end > 0 else len(text)])
    if not m:
        return
    for c in cands:
        if c.start == m.start(1) and c.end == m.end(1) and c.verdict.label == "none" and not c.verdict.rule:
            label = title_name_label(c.surface, text[m.end(1) + 1 : title_end])
            if label != "none" and re.match(r"[A-Z0-9]", c.surface) and (len(c.surface.split()) == 1 or any(ch.isupper() for ch in c.surface[1:])):
                c.verdict = Verdict(label, "title.name_prefix")
            return


TITLE_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w'^+.-]*\s+)*[A-Z][\w'^+.-]*")


VERSION_SUFFIX = re.compile(r"[-_]?[vV]?\d+(?:\.\d+)*$")


def add_title_expansion(cands: list[Candidate], text: str) -> None:
    """`DaViT: Dual Attention Vision Transformers`, `VOLO: Vision Outlooker for ...`: the capitalised phrase after a
    title's name spells the name out, and is reported too; `Forgetting Transformer: ...` is a name by itself."""
    title_end = text.find("\n")
    title = text[: max(title_end, 0)]
    m = TITLE_PREFIX.match(title)
    if m is None:
        return
    name = m.group(1)
    patterns = name_patterns()
    if not any(c.start == m.start(1) and c.end == m.end(1) and c.verdict.label == "model" for c in cands):
        words = name.split()
        if 2 <= len(words) <= 4 and "," not in name and all(w[0].isupper() for w in words) and patterns.model_head_end.search(name) and not patterns.plural_class_end.search(name):
            replace_overlapped(cands, m.start(1), m.end(1), name, Verdict("model", "title.name_prefix"))
        return
    rest_start = m.end(1) + len(title[m.end(1) :]) - len(title[m.end(1) :].lstrip(" :—–-"))
    run = TITLE_CAPITALISED_RUN.match(title, rest_start)
    if run is None or len(run.group(0).split()) < 2:
        return
    phrase = run.group(0)
    core = VERSION_SUFFIX.sub("", name)
    offset = letters_start(core, phrase)
    if offset is None:
        return
    long_form = phrase[offset:]
    words = [w for w in long_form.split() if w[0].isupper()]
    capitals = sum(ch.isupper() for ch in core)
    if len(words) >= 2 and capitals >= len(words) - 1 and patterns.model_head_end.search(long_form) and _is_subsequence(
        [w[0].lower() for w in words], [ch.lower() for ch in core if ch.isalnum()]
    ):
        start = rest_start + offset
        replace_overlapped(cands, start, start + len(long_form), long_form, Verdict("model", "title.expansion"))


def _is_subsequence(items: list[str], sequence: list[str]) -> bool:
    it = iter(sequence)
    return all(x in it for x in items)


def title_name_label(name: str, rest: str) -> str:
    """What `Name: rest of title` names: the head noun of the title's main phrase, else the name's ending."""
    patterns = name_patterns()
    m = patterns.title_main_phrase.match(rest)
    phrase = m.group("phrase") if m else rest
    if not patterns.title_purpose_start.match(phrase):
        # `X: Toward Controllable Text-to-Music Generation` says what X is for, not what it is
        found = head_label(phrase)
        if found:
            return found[0]
    found = head_label(rest)
    if found and found[0] == "benchmark" or re.search(r"\b(?:benchmark|dataset)", phrase, re.I):
        return "benchmark"  # `X: ... system leveraging multiple datasets` is a system, not a dataset
    morpheme = morpheme_label(name)
    return morpheme[0] if morpheme else "model"

