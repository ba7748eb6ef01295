"""The names extractor's word lists (names/word_lists.jsonl), compiled into the patterns that use them.

The words are data; the shape around them (anchors, lookarounds, what must come before or after) is code, in
PATTERNS: each `{list}` place takes the words of the list `words.<list>` as alternatives, in file order. Every
pattern is compiled once per rule folder, when the component loads its rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from extractors.names.shapes import NAME_SHAPE, TAIL_SHAPE
from extractors.rules import RuleFileError, rule_cache, rule_file, rule_root

WORD_LISTS = "names/word_lists.jsonl"
LIST_PREFIX = "words."
PLACE = re.compile(r"\{([a-z_]+)\}")  # `{variant_tail}`; regex counts such as `{1,40}` are no place

# pattern name -> (shape, flags); a list's examples are checked against the first pattern here that uses it.
PATTERNS: dict[str, tuple[str, int]] = {
    # one name's shape
    "name": (NAME_SHAPE, 0),
    "tail_run": (TAIL_SHAPE + "*", 0),
    "variant_tail": (r"^(?:{variant_tail})$", 0),
    "junk_suffix": (r"[-‐‑](?:{junk_suffix})$", re.I),
    "plural_class_end": (r"(?:{plural_class_end})$", 0),
    "family_split": (r"^(?P<stem>[A-Za-z][\w.^]*?)(?:[-\s](?:[vV]?\d[\w.]*|[A-Z]{1,2}\d?|{family_variant})\b)+$", 0),
    # titles
    "model_head_end": (r"(?:{model_head_end})$", 0),
    "title_main_phrase": (r"^\s*(?P<phrase>.*?)(?=\s(?:{title_phrase_end})\s|[:,;?!]|$)", re.I),
    "title_purpose_start": (r"\s*(?:{title_purpose_start})\b", 0),
    # the words around a name
    "appositive": (
        r"^\s*(?:\([^)]{1,40}\)\s*)?(?:,|:|\bis\b|\bas\b|—|–|-)?\s*(?:which is\s+|namely\s+)?(?:an?|the|our)\s+"
        r"(?P<phrase>[^,.;()]{1,120}?)(?=[,.;()]|\s(?:{appositive_phrase_end})\b|$)",
        0,
    ),
    "intro_phrase_before": (r"(?:^|[.!?]\s+|\n)(?:{intro_preposition})\s[^,;.!?\n]*$", 0),
    "plain_word_name_end": (r"^\s*(?:[,(:;.)]|—|–|(?:{plain_name_end})\b)", 0),
    "quantified_before": (r"\b(?:{quantifier})\s+$", re.I),
    "plural_data_after": (r"\s+(?:{plural_data_noun})\b", 0),
    "common_capitalised": (r"^(?:{common_capitalised})$", 0),
    "naming_phrase_before": (
        r"(?:\b(?:an?|the|our|[Tt]his|[Tt]hese)\s+(?P<phrase>[^,.;()]{1,80}?)\s*,?\s*(?:which\s+|that\s+)?(?:we\s+)?"
        r"(?:{naming_verb})\s*(?:it\s+|them\s+)?(?:as\s+)?"
        r"|\bour\s+(?P<own>(?:[\w-]+\s+){0,2}?[\w-]+)\s+)$",
        0,
    ),
    "metric_name_after": (r"\s+(?:{metric_noun})\b", 0),
    # what of a candidate is the name
    "split_trailer": (r"\s(?:{split_name})(?:\s(?:set|split))?$", 0),
    "split_acronym_end": (r"\s*[,.;:)]|\s+(?:{split_acronym_end})\b", 0),
    "second_variant": (r"^(?:{second_variant})(?![\w+/]|\.\w)", 0),
    "generic_trailer": (r"\s(?:{generic_trailer})$", 0),
    "net_trailer": (r"\s(?:{net_trailer})$", 0),
    # lists of names
    "bench_list_intro": (r"\b(?:{bench_list_intro})\s*[,:–—-]?\s+(?:{list_opener})?\s*(?:the\s+)?$", re.I),
    "bench_noun_intro": (r"\b(?:{bench_list_noun})\s*[,:–—-]?\s+(?:{list_opener})?\s*(?:the\s+)?$", re.I),
    # the paper's own system
    "own_before": (
        r"\b(?:{proposer})\s+(?:\w+ly\s+)?(?:{proposing_verb})(?:d|s)?\s+(?:a\s+|an\s+|the\s+)?(?:(?:{proposal_adjective})\s+)?$"
        r"|\b(?:{naming_participle})(?:\s+as)?\s*$"
        r"|\b(?:[Oo]ur|[Tt]he)\s+(?:newly\s+)?proposed\s+(?:{proposed_noun})\s*,\s*$",
        0,
    ),
    # acronym definitions
    "own_noun_after": (r"\s+(?:{own_noun_after})\b", 0),
    "bench_noun_after": (r"\s+(?:{bench_noun_after})\b", 0),
}


@dataclass(frozen=True, slots=True)
class NamePatterns:
    """The patterns of PATTERNS, compiled with the word lists of one rule folder."""

    name: re.Pattern[str]
    tail_run: re.Pattern[str]
    variant_tail: re.Pattern[str]
    junk_suffix: re.Pattern[str]
    plural_class_end: re.Pattern[str]
    family_split: re.Pattern[str]
    model_head_end: re.Pattern[str]
    title_main_phrase: re.Pattern[str]
    title_purpose_start: re.Pattern[str]
    appositive: re.Pattern[str]
    intro_phrase_before: re.Pattern[str]
    plain_word_name_end: re.Pattern[str]
    quantified_before: re.Pattern[str]
    plural_data_after: re.Pattern[str]
    common_capitalised: re.Pattern[str]
    naming_phrase_before: re.Pattern[str]
    metric_name_after: re.Pattern[str]
    split_trailer: re.Pattern[str]
    split_acronym_end: re.Pattern[str]
    second_variant: re.Pattern[str]
    generic_trailer: re.Pattern[str]
    net_trailer: re.Pattern[str]
    bench_list_intro: re.Pattern[str]
    bench_noun_intro: re.Pattern[str]
    own_before: re.Pattern[str]
    own_noun_after: re.Pattern[str]
    bench_noun_after: re.Pattern[str]
    by_list: dict[str, re.Pattern[str]]  # list id -> the pattern its examples are checked against


# The last rule folder asked for and its patterns: asked for per word, so the common case (the same folder as last
# time, the very same Path object) is an identity check rather than a Path hash.
_last: tuple[Path | None, NamePatterns | None] = (None, None)


def name_patterns() -> NamePatterns:
    """The patterns of the current rule folder (`rules_from`), compiled once per folder."""
    global _last
    root, last = rule_root(), _last
    if last[0] is not root:
        last = _last = (root, _compile_patterns())
    return last[1]  # type: ignore[return-value]


@rule_cache
def _compile_patterns() -> NamePatterns:
    """Every pattern of PATTERNS with its word lists filled in; a list no pattern uses, or a place no list fills,
    is an error naming the file and the list."""
    lists = {row["id"]: "|".join(row["words"]) for row in rule_file(WORD_LISTS)}
    used: set[str] = set()

    def fill(place: re.Match[str]) -> str:
        list_id = LIST_PREFIX + place.group(1)
        if list_id not in lists:
            raise RuleFileError(f"{WORD_LISTS}: no list {list_id} (a pattern of extractors/names/word_lists.py uses it)")
        used.add(list_id)
        return lists[list_id]

    compiled: dict[str, re.Pattern[str]] = {}
    by_list: dict[str, re.Pattern[str]] = {}
    for name, (shape, flags) in PATTERNS.items():
        before = set(used)
        source = PLACE.sub(fill, shape)
        try:
            compiled[name] = re.compile(source, flags)
        except re.error as exc:
            names = ", ".join(sorted(LIST_PREFIX + p for p in PLACE.findall(shape)))
            raise RuleFileError(f"{WORD_LISTS}: pattern {name} does not compile with the lists {names}: {exc}") from exc
        for list_id in used - before:
            by_list[list_id] = compiled[name]
    unused = sorted(set(lists) - used)
    if unused:
        raise RuleFileError(f"{WORD_LISTS}: no pattern uses the list {unused[0]} (extractors/names/word_lists.py)")
    return NamePatterns(**compiled, by_list=by_list)
