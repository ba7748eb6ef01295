"""The `paperfacts_names` component: model and benchmark mentions with canonical names and rule ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from extractors.extensions import register_extensions, write_fact_spans
from extractors.facts import Mention
from extractors.names.acronyms import resolve_acronyms
from extractors.names.candidates import replace_overlapped
from extractors.names.canonical import Canonicaliser, display, paper_names
from extractors.names.classify import (
    NONE,
    PLAIN_WORD_NAME_END,
    Verdict,
    classify,
    head_nouns,
    load_cues,
    name_morphemes,
    negative_shapes,
    strip_junk,
)
from extractors.names.gazetteer import Gazetteer, load_gazetteer, squash
from extractors.names.shapes import BENCH_TASK_TAIL, NAME, TAIL, is_name_shaped, params_of, version_of
from extractors.names.titles import TITLE_PREFIX, add_title_expansion, is_title_cased, label_title_prefix
from extractors.rules import check_rule_files, copy_rule_folder, rule_cache, rule_file, rules_from
from extractors.tables import span_groups
from extractors.tokenizer import doc_text

GAZETTEERS = "names/gazetteers"
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
BENCH_LIST_INTRO = re.compile(r"\b(?:on|across|benchmarks?|datasets?|tasks?|suites?)\s*[,:–—-]?\s+(?:such as|like|including|namely)?\s*(?:the\s+)?$", re.I)
BENCH_NOUN_INTRO = re.compile(r"\b(?:benchmarks?|datasets?|suites?)\s*[,:–—-]?\s+(?:such as|like|including|namely)?\s*(?:the\s+)?$", re.I)
CONJUNCTION = re.compile(r"\b(?:and|or)\b|[&/]")
COORDINATION = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*|/\s*|,?\s*as well as\s+)$")
NET_TRAILER = re.compile(r"\s(?:[Nn]etworks?|[Nn]ets)$")


RULE_RANK = {"gaz": 4, "phrase": 4, "acronym": 3, "title": 3, "ctx": 2, "coord": 1, "shape": 1, "consistency": 0}


def _rank(rule: str) -> int:
    return RULE_RANK.get(rule.split(".", 1)[0].replace("model", "gaz").replace("bench", "gaz"), 2)


class NameMentions:
    """Finds names by gazetteer (PhraseMatcher for multi-word names), word shape and context cues.
    Its rules (names/*.jsonl and names/gazetteers/) are read from `rules_dir` (None: the package's) by
    `initialize`, saved with the pipeline by `to_disk` and read back from the saved copy by `from_disk`."""

    def __init__(self, nlp: Language, name: str = "paperfacts_names", *, rules_dir: str | None = None) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.make_doc = nlp.make_doc
        self.rules_dir: Path | None = Path(rules_dir) if rules_dir else None
        self.gaz: Gazetteer | None = None

    def initialize(self, get_examples: Callable | None = None, *, nlp: Language | None = None) -> None:
        self.load_rules()

    def load_rules(self) -> None:
        """Check and load the rule files and gazetteers of `rules_dir` and build the phrase matchers."""
        check_rule_files(self.rules_dir)
        with rules_from(self.rules_dir):
            for loader in (load_cues, negative_shapes, head_nouns, name_morphemes, name_phrases):
                loader()  # compiled once per rule folder, here rather than in the first paper
        self.gaz = load_gazetteer(str(self.rules_dir / GAZETTEERS) if self.rules_dir else None)
        self.canon = Canonicaliser(self.gaz)
        self._build_matchers()

    def _build_matchers(self) -> None:
        """PhraseMatchers over every gazetteer spelling: lower-case, capitalised plain-word and the rest."""
        self.phrases = PhraseMatcher(self.vocab, attr="LOWER")
        self.exact_phrases = PhraseMatcher(self.vocab, attr="ORTH")
        self.phrase_entries: dict[int, object] = {}
        self.plain_ids: set[int] = set()
        self.lower_words = PhraseMatcher(self.vocab, attr="ORTH")
        for bucket in self.gaz.aliases.values():
            for written, entry in bucket:
                if written.islower() and any(ch.isalpha() for ch in written):
                    # `ogbn-arxiv`, `lmms-eval`: lower-case names the word-shape scan skips
                    match_id = self.vocab.strings.add(entry.id + "#lower")
                    self.phrase_entries[match_id] = entry
                    self.lower_words.add(entry.id + "#lower", [self.make_doc(written)])
                    continue
                if " " not in written and not ODD_PUNCTUATION.search(written):
                    if LOWERABLE.match(written) and not entry.case_sensitive:
                        # `cityscapes` written in lower case is still Cityscapes; only for long, plain names
                        match_id = self.vocab.strings.add(entry.id + "#lower")
                        self.phrase_entries[match_id] = entry
                        self.lower_words.add(entry.id + "#lower", [self.make_doc(written.lower())])
                    continue
                # "Vision Transformer" is a name, "vision transformer" a description: plain-word names match only as capitalised
                plain = bool(PLAIN_WORDS.match(written)) and written != written.lower()
                key = entry.id + ("#plain" if plain else "")
                matcher = self.exact_phrases if entry.case_sensitive or plain else self.phrases
                match_id = self.vocab.strings.add(key)
                self.phrase_entries[match_id] = entry
                if plain:
                    self.plain_ids.add(match_id)
                matcher.add(key, [self.make_doc(written)])

    def __call__(self, doc: Doc) -> Doc:
        if self.gaz is None:
            raise ValueError(f"{self.name} has no rules loaded: call nlp.initialize() (extractors.build_nlp does)")
        with rules_from(self.rules_dir):
            doc._.mentions, doc._.systems = find_mentions(self, doc)
        write_fact_spans(doc, span_groups([(m.label, m) for m in doc._.mentions], ("models", "benchmarks")))
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """The rule files and gazetteers this component reads, as files a user may edit in the saved copy."""
        copy_rule_folder(self.rules_dir, "names", Path(path))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> NameMentions:
        self.rules_dir = Path(path)
        self.load_rules()
        return self


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
    title_cased = is_title_cased(text[: max(title_end, 0)])
    for start, core, tail in _name_words(text, gaz):
        if any(a <= start < b for a, b in in_links):
            continue  # `github.com/NVlabs/...` names an account, not a model
        verdict = classify(gaz, core + tail, text, start, start + len(core + tail)) if tail else NONE
        if verdict.label != "none":
            cands.append([start, start + len(core + tail), core + tail, verdict])
            continue
        verdict = classify(gaz, core, text, start, start + len(core))
        if verdict.label in ("model", "none") and tail and not (verdict.label == "none" and verdict.rule) or verdict.label == "benchmark" and BENCH_TASK_TAIL.match(tail):
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
        replace_overlapped(cands, start, end, text[start:end], verdict)
    for start, end, verdict in _shaped_phrases(text):
        replace_overlapped(cands, start, end, text[start:end], verdict, yield_to_equal=True)
    cands.sort(key=lambda c: c[0])
    _drop_metric_names(cands, text)
    label_title_prefix(cands, text)
    add_title_expansion(cands, text)
    resolve_acronyms(cands, text, gaz)
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
                entry=entry,
            )
        )
    paper_names(mentions, text, comp.canon)
    for s in systems:
        s.canonical = display(s.text, "model")
    return mentions, systems


@rule_cache
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


# `Inception Score`, `Frechet Inception Distance`, `CLIP score`: a listed name inside a metric's name is no mention
METRIC_NAME_AFTER = re.compile(r"\s+(?:[Ss]core|Distance|distance)\b")


def _drop_metric_names(cands: list[list], text: str) -> None:
    """Listed model names that are part of a metric's name are no mentions."""
    for c in cands:
        if c[3].label == "model" and METRIC_NAME_AFTER.match(text, c[1]):  # `GLUE score` is a score on GLUE
            c[3] = Verdict("none", "ctx.none.metric_after")


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
TITLE_OWN = re.compile(r"^\s*([^:\n]{2,60}?)\s*(?::\s+\S|\s+--?\s+[A-Z]|\s+(?:Technical Report|technical report|Report)\b)")
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


TITLE_WORD = re.compile(r"[A-Z][\w'-]*")


def _title_acronyms(title: str) -> set[str]:
    """Initials of every run of 3-6 capitalised title words (`Efficient Neural Architecture Search` gives ENAS):
    an abstract that uses one names the paper's own system by it."""
    words = [w for w in re.split(r"[\s:,]+", title) if w]
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


def _own_systems(cands: list[list], text: str) -> list[Mention]:
    """The paper's own system(s): the title's `Name:` and what `we propose/introduce` names, whatever their label.
    Results are usually reported for these, so the result linker falls back to them."""
    title_end = text.find("\n")
    found: list[Mention] = []
    m = TITLE_OWN.match(text[: title_end if title_end > 0 else len(text)])
    # only a title that names no system of its own (`Name: ...`) may name it by initials
    title_acronyms = _title_acronyms(text[: title_end if title_end > 0 else len(text)]) if m is None else set()
    for c in cands:
        is_title = m is not None and c[0] == m.start(1) and c[1] == m.end(1)
        is_proposed = c[0] > title_end and OWN_BEFORE.search(text, max(0, c[0] - 60), c[0]) is not None
        if not (is_title or is_proposed) and c[0] > title_end and c[2] in title_acronyms:
            is_title = True  # `ENAS` in a paper titled `Efficient Neural Architecture Search ...`
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


@Language.factory(
    "paperfacts_names",
    default_config={"rules_dir": None},
    assigns=["doc._.mentions", "doc._.systems", "doc.spans"],
    requires=["doc._.sentences", "doc._.links"],
)
def make_names(nlp: Language, name: str, rules_dir: str | None) -> NameMentions:
    register_extensions()
    return NameMentions(nlp, name, rules_dir=rules_dir)
