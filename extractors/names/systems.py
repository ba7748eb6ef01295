"""The paper's own system(s): the title's `Name:` and what `we propose/introduce` names, whatever their label."""

from __future__ import annotations

import re

from extractors.facts import Mention
from extractors.names.candidates import Candidate, trim_surface
from extractors.names.classify import head_label
from extractors.names.shapes import is_name_shaped
from extractors.names.word_lists import name_patterns
from extractors.reverse_regex import EndAnchored
from extractors.rules import rule_cache

# `Diffusion Exponential Integrator Sampler~(DEIS)`: a LaTeX tie may stand before the parenthesis; `Squeeze, Recover
# and Relabel (SRe^2L)`: a comma may join capitalised words of the long form
DEFINED_ACRONYM = re.compile(r"(?:(?:[\s-]+|,\s+(?=[A-Z]))[\w][\w'^+.-]*){0,6}?[\s~]*\(([A-Za-z][\w\-.+^{}]{1,20})\)")
# `we introduce SWE-agent: a system`: a lower-case compound tail the word candidate left off belongs to the name
LOWER_COMPOUND_TAIL = re.compile(r"[-‐‑][a-z]{3,}(?![\w‐‑-])")
TITLE_OWN = re.compile(r"^\s*([^:\n]{2,60}?)\s*(?::\s+\S|\s+--?\s+[A-Z]|\s+(?:Technical Report|technical report|Report)\b)")
TITLE_WORD = re.compile(r"[A-Z][\w'-]*")
TITLE_BREAK = re.compile(r"[\s:,]+")
NAME_START = re.compile(r"[A-Z0-9]")
# `a benchmark comprised of 550+ detection models`: the head of a noun phrase stands before its `of`
OF_COMPLEMENT = re.compile(r"\s(?:of|comprised|consisting|composed|containing)\b")


def title_acronyms(title: str) -> set[str]:
    """Initials of every run of 3-6 capitalised title words (`Efficient Neural Architecture Search` gives ENAS):
    an abstract that uses one names the paper's own system by it."""
    words = [w for w in TITLE_BREAK.split(title) if w]
    out: set[str] = set()
    for i in range(len(words)):
        run = []
        for w in words[i : i + 6]:
            if not TITLE_WORD.fullmatch(w):
                break
            run.append(w)
            if len(run) >= 3:
                out.add("".join(x[0] for x in run))
    return out


def own_systems(cands: list[Candidate], text: str, repo_names: set[str] | None = None) -> list[Mention]:
    """The paper's own systems, any label (`system` when none): results are usually reported for these, so the
    result linker falls back to them. A name the paper's code repository is named after (`a U-Net-shaped model –
    GLIMS –` with `github.com/yaziciz/GLIMS`) is one too."""
    repo_keys = {r.casefold() for r in repo_names or () if len(r) >= 3}
    title_end = text.find("\n")
    title = text[: title_end if title_end > 0 else len(text)]
    patterns = name_patterns()
    own_before, backwards = _own_before(), text[::-1]
    found: list[tuple[Mention, bool]] = []
    m = TITLE_OWN.match(title)
    # only a title that names no system of its own (`Name: ...`) may name it by initials
    initials = title_acronyms(title) if m is None else set()
    for c in cands:
        is_title = m is not None and c.start == m.start(1) and c.end == m.end(1)
        is_proposed = c.start > title_end and own_before.search_in(text, max(0, c.start - 60), c.start, backwards)
        if not (is_title or is_proposed) and c.start > title_end and c.surface in initials:
            is_title = True  # `ENAS` in a paper titled `Efficient Neural Architecture Search ...`
        is_repo = not (is_title or is_proposed) and c.start > title_end and c.surface.casefold() in repo_keys
        if not (is_title or is_proposed or is_repo):
            continue
        acronym = DEFINED_ACRONYM.match(text, c.end) if is_proposed else None
        after = c.end
        if acronym is not None:
            # `we present Adversarial Retriever-Ranker (AR2)`: the system goes by its short name
            short = next((d for d in cands if d.start == acronym.start(1)), None)
            if short is not None:
                c, after = short, acronym.end()
        elif is_proposed and not is_name_shaped(c.surface) and not patterns.plain_word_name_end.match(text[c.end : c.end + 40]):
            continue
        # `wav2vec 2.0: A Framework ...`: a title's name may start in lower case
        name_start = NAME_START.match(c.surface) or is_title and is_name_shaped(c.surface)
        if c.verdict.rule.startswith(("notmodel.", "notbench.", "acronym.generic")) or not name_start:
            continue
        rule = "own." + ("title" if is_title else "proposed" if is_proposed else "repo")
        found.append(_own_mention(c, text, after, rule, is_proposed))
    # `LIBERO-PRO: Towards Robust ...` then `we introduce LIBERO-PRO, an extended LIBERO benchmark`: the abstract's
    # appositive says what the title's name is
    said = {mention.text: mention.label for mention, by_appositive in found if by_appositive}
    for mention, _ in found:
        mention.label = said.get(mention.text, mention.label)
    return [mention for mention, _ in found]


@rule_cache
def _own_before() -> EndAnchored:
    """The words that propose a system (`we introduce `), read backwards from each candidate."""
    return EndAnchored(name_patterns().own_before)


def _own_mention(c: Candidate, text: str, after: int, rule: str, is_proposed: bool) -> tuple[Mention, bool]:
    """The own system as the paper defines it, and whether an appositive said what it is: a proposed name keeps a
    lower-case compound tail (`SWE-agent`) and is what its appositive says (`MSD, a framework ...` is a system,
    whatever a list says MSD is)."""
    surface = c.surface
    appositive = ""
    if is_proposed:
        tail = LOWER_COMPOUND_TAIL.match(text, c.end) if after == c.end else None
        if tail is not None and not name_patterns().junk_suffix.search(tail.group(0)):
            surface, after = surface + tail.group(0), tail.end()
        appositive = _appositive_label(text[after : after + 200])
    label = appositive or c.verdict.label
    label = label if label != "none" else "system"
    surface = trim_surface(surface, label) or surface
    mention = Mention(label=label, start=c.start, end=c.start + len(surface), text=surface, name=surface, rule=rule)
    return mention, bool(appositive)


def _appositive_label(after: str) -> str:
    """What the appositive after a proposed name says it is (`MSD, a framework to distill ...`), else ''."""
    m = name_patterns().appositive.match(after)
    found = head_label(OF_COMPLEMENT.split(m.group("phrase"), maxsplit=1)[0]) if m else None
    return found[0] if found else ""
