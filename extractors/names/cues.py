"""Context cues: the words just before or after a name that say what it is (`trained on X`, `the X model`).

The cues are data (names/context_cues.jsonl); a cue on the words before a name is end-anchored and is matched
backwards from the name (extractors.reverse_regex), once for all such cues before each one is tried."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.reverse_regex import AnyEndAnchored, EndAnchored
from extractors.rules import rule_cache, rule_file

WINDOW = 90


@dataclass(frozen=True, slots=True)
class Cue:
    id: str
    label: str
    side: str
    strong: bool
    pattern: re.Pattern[str]
    backwards: EndAnchored | None = None  # a `before` cue, matched backwards from the name when it reverses


@rule_cache
def load_cues() -> tuple[Cue, ...]:
    cues = []
    for r in rule_file("names/context_cues.jsonl"):
        pattern = re.compile(r["pattern"])
        backwards = EndAnchored(pattern) if r["side"] == "before" else None
        cues.append(Cue(r["id"], r["label"], r["side"], r.get("strength") == "strong", pattern, backwards))
    return tuple(cues)


@rule_cache
def before_cues() -> AnyEndAnchored:
    """Every before-cue as one backwards alternation: whether any of them can match before a name."""
    return AnyEndAnchored([cue.backwards for cue in load_cues() if cue.backwards is not None])


# Cues where a dataset noun itself introduces the name: strong enough for a plain capitalised word
NOUN_DEFINED_CUES = frozenset({"ctx.bench.noun_after", "ctx.bench.noun_then_paren", "ctx.bench.named_set"})


def match_cue(text: str, start: int, end: int) -> Cue | None:
    """First strong cue (file order) whose pattern fits the words around the name, else the first weak one:
    `based on the ViTAE-G backbone` is a backbone (strong) before it is `on` something (weak)."""
    before = text[max(0, start - WINDOW) : start]
    after = text[end : end + WINDOW]
    backwards = before[::-1]
    some_before = before_cues().may_match(backwards)  # mostly none: then no before-cue is tried one by one
    weak = None
    for cue in load_cues():
        if weak is not None and not cue.strong:
            continue
        if cue.backwards is not None:
            found = some_before and cue.backwards.search(before, backwards)
        else:
            found = cue.pattern.search(after)
        if found:
            if cue.strong:
                return cue
            weak = cue
    return weak
