"""The `paperfacts_names` component: model and benchmark mentions with canonical names and rule ids."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from extractors.facts import Mention
from extractors.names.classify import (
    NONE,
    PLAIN_WORD_NAME_END,
    Verdict,
    classify,
    head_label,
    match_cue,
    morpheme_label,
    own_label,
    strip_junk,
)
from extractors.names.gazetteer import Gazetteer, load_gazetteer, squash
from extractors.names.shapes import NAME, TAIL, is_name_shaped, params_of, version_of
from extractors.rules import rule_file
from extractors.tokenizer import doc_text

TAIL_RUN = re.compile(TAIL + "*")

ODD_PUNCTUATION = re.compile(r"[&;!'()]")
PLAIN_CAPITALISED = re.compile(r"^[A-Z][a-z]+$")
SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)$")
SPLIT_TRAILER = re.compile(
    r"\s(?:val|test|dev|train|minival|test-dev|test-std|val\d{4}|test\d{4}|validation|\d{2,4}\s?[x×]\s?\d{2,4})(?:\s(?:set|split))?$"
)
LOWERABLE = re.compile(r"^[A-Z][a-z]{5,}$")
GENERIC_TRAILER = re.compile(r"\s(?:benchmarks?|datasets?|data set|models?|suite)$")
SLASH_VARIANTS = re.compile(r"/\d[\w/]*$")
PLAIN_WORDS = re.compile(r"^[A-Za-z][a-z]+(?: [A-Za-z][a-z]+)+$")
TITLE_PREFIX = re.compile(r"^\s*([^:\n]{2,60}?)\s*(?::|\s--|\s—|\s–)\s+\S")
BENCH_LIST_INTRO = re.compile(r"\b(?:on|across|benchmarks?|datasets?|tasks?|suites?)\s*[,:–—-]?\s+(?:such as|like|including|namely)?\s*(?:the\s+)?$", re.I)
BENCH_NOUN_INTRO = re.compile(r"\b(?:benchmarks?|datasets?|suites?)\s*[,:–—-]?\s+(?:such as|like|including|namely)?\s*(?:the\s+)?$", re.I)
CONJUNCTION = re.compile(r"\b(?:and|or)\b|[&/]")
COORDINATION = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*|/\s*|,?\s*as well as\s+)$")
PAREN_ACRONYM = re.compile(r"\s+\(([A-Za-z0-9][\w\-.+^]{1,20})\)")
LONG_FORM_BEFORE = re.compile(r"((?:[A-Za-z0-9][\w'^+.]*[-\s]+){0,7}[A-Za-z][\w'^+.]*)$")
# `Geospatial Foundation Models (GFM)`, `Graph Neural Networks (GNNs)`: a plural long form names a class of models
PLURAL_CLASS_END = re.compile(r"(?:Models|Networks|Nets|Transformers|LLMs|Machines|Encoders)$")
OWN_NOUN_AFTER = re.compile(r"\s+(?:model|network|architecture)\b")
NET_TRAILER = re.compile(r"\s(?:[Nn]etworks?|[Nn]ets)$")


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


def acronym_definitions(text: str) -> Iterator[AcronymMatch]:
    for paren in PAREN_ACRONYM.finditer(text):
        long_form = LONG_FORM_BEFORE.search(text, max(0, paren.start() - 100), paren.start())
        if long_form is not None:
            yield AcronymMatch(long_form, paren)
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
        self.plain_ids: set[int] = set()
        self.lower_words = PhraseMatcher(nlp.vocab, attr="ORTH")
        for bucket in self.gaz.aliases.values():
            for written, entry in bucket:
                if written.islower() and any(ch.isalpha() for ch in written):
                    # `ogbn-arxiv`, `lmms-eval`: lower-case names the word-shape scan skips
                    match_id = nlp.vocab.strings.add(entry.id + "#lower")
                    self.phrase_entries[match_id] = entry
                    self.lower_words.add(entry.id + "#lower", [nlp.make_doc(written)])
                    continue
                if " " not in written and not ODD_PUNCTUATION.search(written):
                    if LOWERABLE.match(written) and not entry.case_sensitive:
                        # `cityscapes` written in lower case is still Cityscapes; only for long, plain names
                        match_id = nlp.vocab.strings.add(entry.id + "#lower")
                        self.phrase_entries[match_id] = entry
                        self.lower_words.add(entry.id + "#lower", [nlp.make_doc(written.lower())])
                    continue
                # "Vision Transformer" is a name, "vision transformer" a description: plain-word names match only as capitalised
                plain = bool(PLAIN_WORDS.match(written)) and written != written.lower()
                key = entry.id + ("#plain" if plain else "")
                matcher = self.exact_phrases if entry.case_sensitive or plain else self.phrases
                match_id = nlp.vocab.strings.add(key)
                self.phrase_entries[match_id] = entry
                if plain:
                    self.plain_ids.add(match_id)
                matcher.add(key, [nlp.make_doc(written)])

    def __call__(self, doc: Doc) -> Doc:
        doc._.mentions, doc._.systems = find_mentions(self, doc)
        return doc


def _phrase_hits(comp: NameMentions, doc: Doc) -> list[tuple[int, int, Verdict]]:
    """Multi-word gazetteer names; plain-word ones are skipped in the title, where every word is capitalised."""
    text = doc_text(doc)
    title_end = text.find("\n")
    prefix = TITLE_PREFIX.match(text[: max(title_end, 0)])
    hits = []
    for matcher in (comp.phrases, comp.exact_phrases, comp.lower_words):
        for match_id, start, end in matcher(doc):
            entry = comp.phrase_entries[match_id]
            span = doc[start:end]
            if match_id in comp.plain_ids and span.start_char < title_end and not (prefix and prefix.span(1) == (span.start_char, span.end_char)):
                continue  # `Swin Transformer: ...` names its model even in a title
            hits.append((span.start_char, span.end_char, Verdict(entry.label, entry.id, entry)))
    return hits


def find_mentions(comp: NameMentions, doc: Doc) -> tuple[list[Mention], list[Mention]]:
    """All name candidates classified, then labels spread to acronyms, coordinations and repeats."""
    text = doc_text(doc)
    gaz = comp.gaz
    cands: list[list] = []  # [start, end, surface, verdict]
    in_links = [(link.start, link.end) for link in doc._.links or ()]
    title_end = text.find("\n")
    title_cased = _is_title_cased(text[: max(title_end, 0)])
    for start, core, tail in _name_words(text, gaz):
        if any(a <= start < b for a, b in in_links):
            continue  # `github.com/NVlabs/...` names an account, not a model
        verdict = classify(gaz, core + tail, text, start, start + len(core + tail)) if tail else NONE
        if verdict.label != "none":
            cands.append([start, start + len(core + tail), core + tail, verdict])
            continue
        verdict = classify(gaz, core, text, start, start + len(core))
        if verdict.label in ("model", "none") and tail and not (verdict.label == "none" and verdict.rule):
            core = core + tail
        if verdict.entry is not None and verdict.entry.case_sensitive and PLAIN_CAPITALISED.match(core) and (
            SENTENCE_START.search(text, max(0, start - 3), start) or start < title_end and title_cased
        ):
            verdict = NONE  # `Weather forecasting ...`, `Global Weather Forecast`: a capitalised common word is no name
        cands.append([start, start + len(core), core, verdict])
    for start, end, verdict in _phrase_hits(comp, doc):
        if verdict.label == "model":
            tail = TAIL_RUN.match(text, end).group(0)
            if tail:
                end += len(tail)
                longer = gaz.lookup(text[start:end])  # `Swin Transformer` + ` V2` is its own entry
                if longer is not None and longer.label == "model":
                    verdict = Verdict("model", longer.id, longer)
        _replace_overlapped(cands, start, end, text[start:end], verdict)
    for start, end, verdict in _shaped_phrases(text):
        _replace_overlapped(cands, start, end, text[start:end], verdict, yield_to_equal=True)
    cands.sort(key=lambda c: c[0])
    _drop_metric_names(cands, text)
    _title_prefix(cands, text)
    _title_expansion(cands, text)
    _acronyms(cands, text, gaz)
    _coordinations(cands, text)
    _consistency(cands)
    systems = _own_systems(cands, text)
    _family_stems(cands)
    mentions = []
    for start, end, surface, verdict in cands:
        if verdict.label not in ("model", "benchmark"):
            continue
        trimmed = trim_surface(surface, verdict.label)
        if trimmed and trimmed != surface:
            surface, end = trimmed, start + len(trimmed)
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
    return mentions, systems


@lru_cache(maxsize=1)
def name_phrases() -> tuple[tuple[str, str, tuple[str, ...], re.Pattern[str]], ...]:
    return tuple(
        (r["id"], r["label"], tuple(r["trigger"]), re.compile(r["pattern"])) for r in rule_file("names/name_phrases.jsonl")
    )


def _shaped_phrases(text: str) -> Iterator[tuple[int, int, Verdict]]:
    """Multi-word names by shape (`the Hanabi challenge`): patterns from names/name_phrases.jsonl, each tried only
    when one of its trigger words occurs (most abstracts have none)."""
    lowered = None
    for rule_id, label, triggers, pattern in name_phrases():
        lowered = lowered or text.lower()
        if not any(t in lowered for t in triggers):
            continue
        for m in pattern.finditer(text):
            yield m.start("name"), m.end("name"), Verdict(label, rule_id)


def _replace_overlapped(cands: list[list], start: int, end: int, surface: str, verdict: Verdict, yield_to_equal: bool = False) -> None:
    """Add a candidate unless a longer labelled one covers it (or as long, for the weaker shape phrases);
    shorter overlapping candidates give way."""
    overlapping = [c for c in cands if c[0] < end and start < c[1]]
    if any((c[1] - c[0] > end - start or yield_to_equal and c[1] - c[0] == end - start) and c[3].label != "none" for c in overlapping):
        return
    for c in overlapping:
        cands.remove(c)
    cands.append([start, end, surface, verdict])


# `Inception Score`, `Frechet Inception Distance`, `CLIP score`: a listed name inside a metric's name is no mention
METRIC_NAME_AFTER = re.compile(r"\s+(?:[Ss]core|Distance|distance)\b")


def _drop_metric_names(cands: list[list], text: str) -> None:
    for c in cands:
        if c[3].label == "model" and METRIC_NAME_AFTER.match(text, c[1]):  # `GLUE score` is a score on GLUE
            c[3] = Verdict("none", "ctx.none.metric_after")


def _is_title_cased(title: str) -> bool:
    """Most words capitalised (`Fast and Accurate Global Weather Forecast`): capitals there say nothing."""
    words = [w for w in title.split() if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


JOINER = re.compile(r"[/+](?=[A-Za-z]{2})")


def _name_words(text: str, gaz: Gazetteer) -> Iterator[tuple[int, str, str]]:
    """(start, core, tail) of every word that could be a name; `DeiT-B/ResMLP-B24` is two names."""
    for m in NAME.finditer(text):
        surface = m.group(0)
        if surface.islower() and not any(ch.isdigit() for ch in surface):
            continue
        core, tail, start = m.group("core"), m.group("tail"), m.start()
        if JOINER.search(core) and gaz.lookup(core) is None:
            pieces = JOINER.split(core)
            offset = start
            for i, piece in enumerate(pieces):
                stripped = strip_junk(piece, gaz)
                yield offset, stripped, tail if i == len(pieces) - 1 and stripped == piece else ""
                offset += len(piece) + 1
            continue
        stripped = strip_junk(core, gaz)
        yield start, stripped, tail if stripped == core else ""


DEFINED_ACRONYM = re.compile(r"(?:[\s-]+[\w][\w'^+.-]*){0,6}?\s*\(([A-Za-z][\w\-.+^{}]{1,20})\)")
TITLE_OWN = re.compile(r"^\s*([^:\n]{2,60}?)\s*(?::\s+\S|\s+(?:Technical Report|technical report|Report)\b)")
OWN_BEFORE = re.compile(
    r"\b(?:[Ww]e|[Oo]ur|[Tt]his (?:paper|work|study|report)|[Hh]ere)\s+(?:\w+ly\s+)?(?:propose|introduce|present|develop|release|build|design|name|call|dub|term|train|describe|open-source)(?:d|s)?"
    r"\s+(?:a\s+|an\s+|the\s+)?(?:new\s+|novel\s+|simple\s+|unified\s+|efficient\s+|general\s+)?$|\b(?:called|named|dubbed|termed|coined)(?:\s+as)?\s*$"
)


def trim_surface(surface: str, label: str) -> str:
    """What of a candidate is the name: trailing generic words and split or resolution suffixes go."""
    trimmed = GENERIC_TRAILER.sub("", surface)
    if NET_TRAILER.search(trimmed) and " " not in (stem := NET_TRAILER.sub("", trimmed)) and is_name_shaped(stem):
        trimmed = stem  # `SlowFast networks` names SlowFast; `Residual Networks` keeps its noun
    if label == "benchmark":
        trimmed = SLASH_VARIANTS.sub("", trimmed)  # CIFAR-10/100 names CIFAR-10 (and CIFAR-100)
        trimmed = SPLIT_TRAILER.sub("", trimmed)  # `COCO val2017`, `ImageNet 256x256` name COCO and ImageNet
    return trimmed


def _own_systems(cands: list[list], text: str) -> list[Mention]:
    """The paper's own system(s): the title's `Name:` and what `we propose/introduce` names, whatever their label.
    Results are usually reported for these, so the result linker falls back to them."""
    title_end = text.find("\n")
    found: list[Mention] = []
    m = TITLE_OWN.match(text[: title_end if title_end > 0 else len(text)])
    for c in cands:
        is_title = m is not None and c[0] == m.start(1) and c[1] == m.end(1)
        is_proposed = c[0] > title_end and OWN_BEFORE.search(text, max(0, c[0] - 60), c[0]) is not None
        if not (is_title or is_proposed):
            continue
        acronym = DEFINED_ACRONYM.match(text, c[1]) if is_proposed else None
        if acronym is not None:
            # `we present Adversarial Retriever-Ranker (AR2)`: the system goes by its short name
            short = next((d for d in cands if d[0] == acronym.start(1)), None)
            if short is not None:
                c = short
        elif is_proposed and not is_name_shaped(c[2]) and not PLAIN_WORD_NAME_END.match(text, c[1]):
            continue
        if c[3].rule.startswith(("notmodel.", "notbench.", "acronym.generic")) or not re.match(r"[A-Z0-9]", c[2]):
            continue
        label = c[3].label if c[3].label != "none" else "system"
        surface = trim_surface(c[2], label) or c[2]
        found.append(Mention(label=label, start=c[0], end=c[0] + len(surface), text=surface, name=surface, rule="own." + ("title" if is_title else "proposed")))
    return found


def _title_prefix(cands: list[list], text: str) -> None:
    """`Name: what it is` titles name the paper's own model or benchmark."""
    title_end = text.find("\n")
    m = TITLE_PREFIX.match(text[: title_end if title_end > 0 else len(text)])
    if not m:
        return
    for c in cands:
        if c[0] == m.start(1) and c[1] == m.end(1) and c[3].label == "none" and not c[3].rule:
            label = title_name_label(c[2], text[m.end(1) + 1 : title_end])
            if label != "none" and re.match(r"[A-Z0-9]", c[2]) and (len(c[2].split()) == 1 or any(ch.isupper() for ch in c[2][1:])):
                c[3] = Verdict(label, "title.name_prefix")
            return


TITLE_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w'^+.-]*\s+)*[A-Z][\w'^+.-]*")
MODEL_HEAD_END = re.compile(r"(?:Transformers?|Networks?|Nets?|Models?|Outlookers?|Encoders?|Decoders?|Detectors?|Tokenizers?)$")
VERSION_SUFFIX = re.compile(r"[-_]?[vV]?\d+(?:\.\d+)*$")


def _title_expansion(cands: list[list], text: str) -> None:
    """`DaViT: Dual Attention Vision Transformers`, `VOLO: Vision Outlooker for ...`: the capitalised phrase after a
    title's name spells the name out, and is reported too; `Forgetting Transformer: ...` is a name by itself."""
    title_end = text.find("\n")
    title = text[: max(title_end, 0)]
    m = TITLE_PREFIX.match(title)
    if m is None:
        return
    name = m.group(1)
    if not any(c[0] == m.start(1) and c[1] == m.end(1) and c[3].label == "model" for c in cands):
        words = name.split()
        if 2 <= len(words) <= 4 and "," not in name and all(w[0].isupper() for w in words) and MODEL_HEAD_END.search(name) and not PLURAL_CLASS_END.search(name):
            _replace_overlapped(cands, m.start(1), m.end(1), name, Verdict("model", "title.name_prefix"))
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
    if len(words) >= 2 and capitals >= len(words) - 1 and MODEL_HEAD_END.search(long_form) and _is_subsequence(
        [w[0].lower() for w in words], [ch.lower() for ch in core if ch.isalnum()]
    ):
        start = rest_start + offset
        _replace_overlapped(cands, start, start + len(long_form), long_form, Verdict("model", "title.expansion"))


def _is_subsequence(items: list[str], sequence: list[str]) -> bool:
    it = iter(sequence)
    return all(x in it for x in items)


TITLE_MAIN_PHRASE = re.compile(r"^\s*(?P<phrase>.*?)(?=\s(?:for|from|via|with|in|on|at|of|to|through|by|using|towards?|beyond|without|and)\s|[:,;?!]|$)", re.I)


def title_name_label(name: str, rest: str) -> str:
    """What `Name: rest of title` names: the head noun of the title's main phrase, else the name's ending."""
    m = TITLE_MAIN_PHRASE.match(rest)
    phrase = m.group("phrase") if m else rest
    if not re.match(r"\s*(?:\w+ing|[Tt]owards?|[Bb]eyond|[Oo]n|[Ff]or|[Vv]ia|[Ww]hen|[Ww]hy|[Hh]ow)\b", phrase):
        # `X: Toward Controllable Text-to-Music Generation` says what X is for, not what it is
        found = head_label(phrase)
        if found:
            return found[0]
    found = head_label(rest)
    if found and found[0] == "benchmark" or re.search(r"\b(?:benchmark|dataset)", phrase, re.I):
        return "benchmark"  # `X: ... system leveraging multiple datasets` is a system, not a dataset
    morpheme = morpheme_label(name)
    return morpheme[0] if morpheme else "model"


def _acronyms(cands: list[list], text: str, gaz: Gazetteer) -> None:
    """`Vision Transformer (ViT)`: long form and abbreviation share a label; a lower-case long form
    (`speech translation (ST)`) marks a generic term, not a name."""
    by_start = {c[0]: c for c in cands}
    title_end = text.find("\n")
    prefix = TITLE_PREFIX.match(text[: max(title_end, 0)])
    title_name = prefix.group(1) if prefix else None
    for m in acronym_definitions(text):
        short = m.group(2)
        words = re.split(r"[-\s]+", m.group(1))
        long_start = _long_form_start(words, short, m)
        by_letters = long_start is None
        if by_letters:
            long_start = _letters_long_form_start(short, m)
        short_c = by_start.get(m.start(2))
        if long_start is None or short_c is None:
            continue
        long_text = text[long_start : m.end(1)]
        content = [w for w in re.split(r"[-\s]+", long_text) if len(w) > 3]
        capitalised = sum(w[0].isupper() for w in content)
        listed = short_c[3].rule.startswith(("model.", "bench."))
        if content and capitalised * 2 < len(content) and (short_c[2] == title_name or OWN_NOUN_AFTER.match(text, m.end())):
            # `the conformer-based metric generative adversarial network (CMGAN) model`: the paper's own name
            if short_c[3].label == "none" and not short_c[3].rule:
                short_c[3] = Verdict("model", "acronym.own_short_form")
            continue
        if by_letters and (not content or capitalised * 2 < len(content)):
            continue  # a loose letter match says nothing about a lower-case phrase (`pyramid scene parsing network (PSPNet)`)
        if not content or capitalised * 2 < len(content) or not listed and not by_letters and (PLURAL_CLASS_END.search(long_text) or gaz.is_negative(long_text)):
            short_c[3] = Verdict("none", "acronym.generic_long_form")
            continue
        head = head_label(re.split(r"[-\s]+", long_text)[-1])
        inside = [c for c in cands if long_start <= c[0] and c[1] <= m.end(1)]
        if head is not None and head[0] == "none":
            # `Grouped-Query Attention (GQA)` is a method: its words are no model, whatever cue they met
            for c in inside:
                if c[3].label != "none" and not c[3].rule.startswith(("model.", "bench.")):
                    c[3] = Verdict("none", "acronym.method_long_form")
            if listed and short_c[3].entry is not None and short_c[3].entry.name.isupper():
                short_c[3] = Verdict("none", "acronym.method_long_form")  # `Group Query Attention (GQA)` is not the GQA dataset
                continue
        exact = [c for c in inside if c[0] == long_start and c[1] == m.end(1) and c[3].label != "none"]
        label, rule, entry = _acronym_label(short_c, exact, text, long_start, m)
        if label is None:
            continue
        if short_c[3].label == "none" and not short_c[3].rule.startswith(("model.", "bench.", "notmodel.", "notbench.")):
            short_c[3] = Verdict(label, "acronym.short_form", entry)
        listed_inside = [c for c in inside if c[3].rule.startswith(("model.", "bench."))]
        # `Image GPT (iGPT)`: a capitalised word before a listed name makes a name of its own
        extends = label == "model" and bool(listed_inside) and all(c[0] > long_start for c in listed_inside) and text[long_start].isupper()
        if not exact and (not listed_inside or extends) and not (head is not None and head[0] == "none"):
            for c in inside:
                cands.remove(c)
            cands.append([long_start, m.end(1), long_text, Verdict(label, "acronym.long_form", None if extends else entry)])
    _spelled_out_after(cands, text)
    cands.sort(key=lambda c: c[0])


SPELLED_OUT_AFTER = re.compile(r"\s+\((?P<long>[A-Z][^()\n,;:]{3,80}?)\)")


def _spelled_out_after(cands: list[list], text: str) -> None:
    """`SEW (Squeezed and Efficient Wav2vec)`: a name followed by its spelled-out form; both are reported."""
    for c in list(cands):
        if c[3].label not in ("model", "benchmark"):
            continue
        m = SPELLED_OUT_AFTER.match(text, c[1])
        if m is None or letters_start(c[2], m.group("long")) != 0:
            continue
        long_form, letters = m.group("long"), [ch for ch in c[2] if ch.isalnum()]
        words = [w for w in re.split(r"[-\s]+", long_form) if w]
        marked = {w[0].lower() for w in words} | {ch.lower() for ch in long_form if ch.isupper()}
        if len(words) < 2 or len(words) > len(letters) + 3 or sum(ch.lower() in marked for ch in letters) < len(words) - 1:
            continue
        start, end = m.start("long"), m.end("long")
        for inner in [d for d in cands if start <= d[0] and d[1] <= end]:
            cands.remove(inner)
        cands.append([start, end, long_form, Verdict(c[3].label, "acronym.long_form_after", None)])


def _acronym_label(short_c: list, exact: list[list], text: str, long_start: int, m: AcronymMatch) -> tuple[str | None, str, object]:
    """Label for an acronym pair: from whichever side is known, else a proposal cue, else the long form's head noun."""
    if short_c[3].label in ("model", "benchmark"):
        return short_c[3].label, "acronym.long_form", short_c[3].entry
    if exact:
        return exact[0][3].label, "acronym.short_form", exact[0][3].entry
    if short_c[3].rule:
        return None, "", None
    cue = match_cue(text, long_start, long_start)
    found = head_label(text[long_start : m.end(1)].split()[-1])
    if cue is not None and cue.label == "own":
        label = own_label(text[m.end() : m.end() + 90], default=found[0] if found else "none")
        return (label, "acronym.proposed", None) if label != "none" else (None, "", None)
    if found and found[0] != "none":
        return found[0], "acronym.head_noun", None
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
    if re.search(r"[,;:]", long_form) or len(long_form.split()) > min(len(letters) + 3, 2 * len(letters)):
        return None
    words = [w for w in re.split(r"[-\s]+", long_form) if w]
    marked = {w[0].lower() for w in words} | {ch.lower() for ch in long_form if ch.isupper()}
    hits = sum(ch.lower() in marked for ch in letters)
    if hits < min(2, len(words)) or hits < len(words) - 1:
        return None
    return m.start(1) + offset


def letters_start(short: str, before: str) -> int | None:
    """Schwartz & Hearst (2003): where the shortest tail of `before` starts that holds the short form's letters and
    digits in order, the first of them starting a word (None when there is none)."""
    chars = [ch.lower() for ch in short if ch.isalnum()]
    if len(chars) < 2 or not chars[0].isalpha():
        return None
    i = len(before) - 1
    for k in range(len(chars) - 1, -1, -1):
        while i >= 0 and (before[i].lower() != chars[k] or k == 0 and i > 0 and before[i - 1].isalnum()):
            i -= 1
        if i < 0:
            return None
        i -= 1
    return i + 1


def _initials_start(words: list[str], letters: list[str], m: AcronymMatch) -> int | None:
    for n in range(1, min(len(words), len(letters) + 2) + 1):
        chosen = words[-n:]
        initials = "".join(w[0].lower() for w in chosen if w)
        caps = "".join(ch.lower() for w in chosen for ch in w if ch.isupper())
        if initials == "".join(letters) or (caps == "".join(letters) and n >= 1):
            start_in_group = len(m.group(1)) - len(" ".join(chosen))
            probe = m.group(1).rfind(chosen[0])
            return m.start(1) + (probe if probe >= 0 else start_in_group)
    return None


FAMILY_SPLIT = re.compile(r"^(?P<stem>[A-Za-z][\w.^]*?)(?:[-\s](?:[vV]?\d[\w.]*|[A-Z]{1,2}\d?|XL|XXL|Large|Base|Small|Tiny|Huge|Lite|Plus|Pro|Max|Mini)\b)+$")


def _family_stems(cands: list[list]) -> None:
    """`CLIPA-v2` is a model, so `CLIPA` alone in the same paper is too; and `DaViT-Tiny` is a DaViT."""
    stems: dict[str, Verdict] = {}
    models = {c[2]: c[3] for c in cands if c[3].label == "model"}
    for c in cands:
        if c[3].label == "model":
            m = FAMILY_SPLIT.match(c[2])
            if m and len(m.group("stem")) >= 3:
                stems.setdefault(m.group("stem"), c[3])
    for c in cands:
        if c[3].label != "none" or c[3].rule:
            continue
        if c[2] in stems:
            c[3] = Verdict("model", "consistency.family_stem", stems[c[2]].entry)
            continue
        m = FAMILY_SPLIT.match(c[2])
        if m and m.group("stem") in models and len(m.group("stem")) >= 3:
            c[3] = Verdict("model", "consistency.family_variant", models[m.group("stem")].entry)


def _coordinations(cands: list[list], text: str) -> None:
    """`GPT-4o, Claude 3.5 Sonnet and X`: a name-shaped X in a list of models is a model."""
    groups: list[list[list]] = []
    for c in cands:
        if groups and COORDINATION.match(text[groups[-1][-1][1] : c[0]]):
            groups[-1].append(c)
        else:
            groups.append([c])
    for group in groups:
        enclosed = text[group[0][0] - 1 : group[0][0]] == "(" and text[group[-1][1] : group[-1][1] + 1] == ")"
        if len(group) < 2 or (len(group) == 2 and not CONJUNCTION.search(text[group[0][1] : group[1][0]]) and not enclosed):
            continue  # `On ImageNet-1K, ViT-L reaches ...` is not a list; `(AC, CL)` is
        labels = {c[3].label for c in group if c[3].label != "none"}
        intro = text[max(0, group[0][0] - 40) : group[0][0]]
        if labels == {"model", "benchmark"} and len(group) >= 3 and BENCH_LIST_INTRO.search(intro):
            # `tasks such as Koala, Self-Instruct, WizardLM and MT-Bench`: names that double as models are benchmarks here
            for c in group:
                if c[3].label == "model" and not c[3].rule.startswith("shape"):
                    c[3] = Verdict("benchmark", "coord.benchmark_list_override")
            labels = {"benchmark"}
        if "model" in labels and BENCH_NOUN_INTRO.search(intro):
            # `three datasets – EuroSAT-L, BigEarthNet-L, and LC100-L`: the list's noun outweighs a variant-like shape
            for c in group:
                if c[3].label == "model" and not c[3].rule.startswith("model."):
                    c[3] = Verdict("benchmark", "coord.benchmark_list_override")
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
    blocked = {squash(c[2]) for c in cands if c[3].rule == "acronym.generic_long_form"}
    for c in cands:
        if squash(c[2]) in blocked:
            c[3] = Verdict("none", "acronym.generic_long_form")
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
