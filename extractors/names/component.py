"""The `paperfacts_names` component: model and benchmark mentions with canonical names and rule ids."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from extractors.facts import Mention
from extractors.names.classify import NONE, Verdict, classify, own_label, strip_junk
from extractors.names.gazetteer import Gazetteer, load_gazetteer, squash
from extractors.names.shapes import NAME, params_of, version_of

TITLE_PREFIX = re.compile(r"^\s*([^:\n]{2,60}?)\s*:\s+\S")
COORDINATION = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*|/\s*|,?\s*as well as\s+)$")
ACRONYM = re.compile(r"((?:[A-Za-z][\w'^+.]*[-\s]+){0,7}[A-Za-z][\w'^+.]*)\s+\(([A-Za-z][\w\-.+^]{1,20})\)")
RULE_RANK = {"gaz": 4, "phrase": 4, "acronym": 3, "title": 3, "ctx": 2, "coord": 1, "shape": 1, "consistency": 0}


def _rank(rule: str) -> int:
    return RULE_RANK.get(rule.split(".", 1)[0].replace("model", "gaz").replace("bench", "gaz"), 2)


class NameMentions:
    """Finds names by gazetteer (PhraseMatcher for multi-word names), word shape and context cues."""

    def __init__(self, nlp: Language, name: str = "paperfacts_names", *, gazetteer_dir: str | None = None) -> None:
        self.name = name
        self.gaz: Gazetteer = load_gazetteer(gazetteer_dir)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact_phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.phrase_entries: dict[int, object] = {}
        for key, bucket in self.gaz.aliases.items():
            for written, entry in bucket:
                if " " not in written:
                    continue
                matcher = self.exact_phrases if entry.case_sensitive else self.phrases
                match_id = nlp.vocab.strings.add(entry.id)
                self.phrase_entries[match_id] = entry
                matcher.add(entry.id, [nlp.make_doc(written)])
            del key

    def __call__(self, doc: Doc) -> Doc:
        doc._.mentions = find_mentions(self, doc)
        return doc


def _phrase_hits(comp: NameMentions, doc: Doc) -> list[tuple[int, int, Verdict]]:
    hits = []
    for matcher in (comp.phrases, comp.exact_phrases):
        for match_id, start, end in matcher(doc):
            entry = comp.phrase_entries[match_id]
            span = doc[start:end]
            hits.append((span.start_char, span.end_char, Verdict(entry.label, entry.id, entry)))
    return hits


def find_mentions(comp: NameMentions, doc: Doc) -> list[Mention]:
    """All name candidates classified, then labels spread to acronyms, coordinations and repeats."""
    text = doc.text
    gaz = comp.gaz
    cands: list[list] = []  # [start, end, surface, verdict]
    for m in NAME.finditer(text):
        surface = m.group(0)
        if surface.islower() and not any(ch.isdigit() for ch in surface):
            continue
        core = strip_junk(m.group("core"))
        tail = m.group("tail") if core == m.group("core") else ""
        start = m.start()
        verdict = classify(gaz, core + tail, text, start, start + len(core + tail)) if tail else NONE
        if verdict.label != "none":
            cands.append([start, start + len(core + tail), core + tail, verdict])
            continue
        verdict = classify(gaz, core, text, start, start + len(core))
        if verdict.label == "model" and tail:
            core = core + tail
        cands.append([start, start + len(core), core, verdict])
    for start, end, verdict in _phrase_hits(comp, doc):
        overlapping = [c for c in cands if c[0] < end and start < c[1]]
        if any(c[1] - c[0] > end - start and c[3].label != "none" for c in overlapping):
            continue
        for c in overlapping:
            cands.remove(c)
        cands.append([start, end, text[start:end], verdict])
    cands.sort(key=lambda c: c[0])
    _title_prefix(cands, text)
    _acronyms(cands, text)
    _coordinations(cands, text)
    _consistency(cands)
    mentions = []
    for start, end, surface, verdict in cands:
        if verdict.label not in ("model", "benchmark"):
            continue
        entry = verdict.entry
        exact = entry is not None and squash(entry.name) == squash(surface)
        name = entry.name if exact else surface
        family = entry.family or entry.name if entry is not None and verdict.label == "model" else None
        mentions.append(
            Mention(
                label=verdict.label,
                start=start,
                end=end,
                text=surface,
                name=name,
                rule=verdict.rule,
                optional=bool(entry and entry.optional),
                family=family,
                version=version_of(surface, family) if verdict.label == "model" else None,
                params=params_of(surface) if verdict.label == "model" else None,
            )
        )
    return mentions


def _title_prefix(cands: list[list], text: str) -> None:
    """`Name: what it is` titles name the paper's own model or benchmark."""
    title_end = text.find("\n")
    m = TITLE_PREFIX.match(text[: title_end if title_end > 0 else len(text)])
    if not m:
        return
    for c in cands:
        if c[0] == m.start(1) and c[1] == m.end(1) and c[3].label == "none" and not c[3].rule:
            rest = text[m.end(1) + 1 : title_end]
            label = own_label(rest)
            if label != "none" and re.match(r"[A-Z0-9]", c[2]) and (len(c[2].split()) == 1 or any(ch.isupper() for ch in c[2][1:])):
                c[3] = Verdict(label, "title.name_prefix")
            return


def _acronyms(cands: list[list], text: str) -> None:
    """`Vision Transformer (ViT)`: long form and abbreviation share a label."""
    by_start = {c[0]: c for c in cands}
    for m in ACRONYM.finditer(text):
        short = m.group(2)
        words = re.split(r"[-\s]+", m.group(1))
        long_start = _long_form_start(words, short, m)
        if long_start is None:
            continue
        short_c = by_start.get(m.start(2))
        if short_c is None:
            continue
        long_c = [long_start, m.end(1), text[long_start : m.end(1)], NONE]
        inside = [c for c in cands if long_start <= c[0] and c[1] <= m.end(1)]
        labelled = [c for c in inside if c[3].label != "none"]
        if short_c[3].label != "none" and not labelled:
            long_c[3] = Verdict(short_c[3].label, "acronym.long_form", short_c[3].entry)
            for c in inside:
                cands.remove(c)
            cands.append(long_c)
        elif short_c[3].label == "none" and not short_c[3].rule and len(labelled) == 1 and labelled[0][1] - labelled[0][0] == m.end(1) - long_start:
            short_c[3] = Verdict(labelled[0][3].label, "acronym.short_form", labelled[0][3].entry)
    cands.sort(key=lambda c: c[0])


def _long_form_start(words: list[str], short: str, m: re.Match) -> int | None:
    """Where the long form starts: the fewest trailing words whose initials spell the acronym."""
    letters = [ch.lower() for ch in short if ch.isalpha()]
    if len(letters) < 2:
        return None
    for n in range(1, min(len(words), len(letters) + 2) + 1):
        chosen = words[-n:]
        initials = "".join(w[0].lower() for w in chosen if w)
        caps = "".join(ch.lower() for w in chosen for ch in w if ch.isupper())
        if initials == "".join(letters) or (caps == "".join(letters) and n >= 1):
            if not chosen[0][:1].isupper():
                return None
            start_in_group = len(m.group(1)) - len(" ".join(chosen))
            probe = m.group(1).rfind(chosen[0])
            return m.start(1) + (probe if probe >= 0 else start_in_group)
    return None


def _coordinations(cands: list[list], text: str) -> None:
    """`GPT-4o, Claude 3.5 Sonnet and X`: a name-shaped X in a list of models is a model."""
    from extractors.names.shapes import is_name_shaped

    groups: list[list[list]] = []
    for c in cands:
        if groups and COORDINATION.match(text[groups[-1][-1][1] : c[0]]):
            groups[-1].append(c)
        else:
            groups.append([c])
    for group in groups:
        labels = {c[3].label for c in group if c[3].label != "none"}
        if len(labels) != 1 or len(group) < 2:
            continue
        label = labels.pop()
        for c in group:
            if c[3].label == "none" and not c[3].rule and is_name_shaped(c[2]):
                c[3] = Verdict(label, f"coord.{label}_list")


def _consistency(cands: list[list]) -> None:
    """A name keeps one label throughout the paper: the one from the most reliable rule."""
    best: dict[str, Verdict] = {}
    for c in cands:
        v = c[3]
        if v.label == "none":
            continue
        key = squash(c[2])
        if key not in best or _rank(v.rule) > _rank(best[key].rule):
            best[key] = v
    for c in cands:
        v = best.get(squash(c[2]))
        if v is not None and c[3].label == "none" and not c[3].rule:
            c[3] = Verdict(v.label, "consistency.same_name", v.entry)
        elif v is not None and c[3].label != v.label:
            c[3] = v


@Language.factory("paperfacts_names", default_config={"gazetteer_dir": None})
def make_names(nlp: Language, name: str, gazetteer_dir: str | None) -> NameMentions:
    return NameMentions(nlp, name, gazetteer_dir=gazetteer_dir)
