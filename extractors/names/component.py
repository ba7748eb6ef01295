"""The `paperfacts_names` component: model and benchmark mentions with canonical names and rule ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from extractors.extensions import register_extensions, write_fact_spans
from extractors.facts import Link, Mention
from extractors.names.acronyms import resolve_acronyms
from extractors.names.candidates import Candidate, replace_overlapped, trim_surface
from extractors.names.canonical import Canonicaliser, display, paper_names
from extractors.names.classify import (
    NONE,
    Verdict,
    classify,
    head_nouns,
    name_morphemes,
    negative_shapes,
    strip_junk,
)
from extractors.names.cues import before_cues, load_cues
from extractors.names.gazetteer import Gazetteer, load_gazetteer, squash
from extractors.names.joined_names import join_benchmark_parts, second_variant_mentions
from extractors.names.shapes import BENCH_TASK_TAIL, params_of, version_of
from extractors.names.spread_labels import (
    agree_labels,
    drop_metric_names,
    label_benchmark_splits,
    label_coordinations,
    label_family_stems,
)
from extractors.names.systems import own_systems
from extractors.names.titles import TITLE_PREFIX, add_title_expansion, is_title_cased, label_title_prefix
from extractors.names.word_lists import name_patterns
from extractors.regex_needs import Needs, may_match, needs
from extractors.rules import check_rule_files, copy_rule_folder, rule_cache, rule_file, rules_from
from extractors.tables import span_groups
from extractors.tokenizer import doc_text

GAZETTEERS = "names/gazetteers"
ODD_PUNCTUATION = re.compile(r"[&;!'()]")
PLAIN_CAPITALISED = re.compile(r"^[A-Z][a-z]+$")
SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)$")
LOWERABLE = re.compile(r"^[A-Z][a-z]{5,}$")
PLAIN_WORDS = re.compile(r"^[A-Za-z][a-z]+(?: [A-Za-z][a-z]+)+$")
JOINER = re.compile(r"[/+](?=[A-Za-z]{2})")


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
            for loader in (load_cues, before_cues, negative_shapes, head_nouns, name_morphemes, name_phrases, name_patterns):
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
    cands = _word_candidates(comp.gaz, text, doc._.links or ())
    _add_phrases(comp, doc, text, cands)
    cands.sort(key=lambda c: c.start)
    drop_metric_names(cands, text)
    label_title_prefix(cands, text)
    add_title_expansion(cands, text)
    resolve_acronyms(cands, text, comp.gaz)
    label_coordinations(cands, text)
    agree_labels(cands)
    join_benchmark_parts(cands, text)
    systems = own_systems(cands, text, {link.repo.rsplit("/", 1)[-1] for link in doc._.links or () if link.repo})
    label_family_stems(cands)
    label_benchmark_splits(cands)
    mentions = [_mention(c) for c in cands if c.verdict.label in ("model", "benchmark")]
    paper_names(mentions, text, comp.canon)
    mentions = second_variant_mentions(mentions, text, comp.canon)
    for s in systems:
        s.canonical = display(s.text, "model")
    return mentions, systems


def _word_candidates(gaz: Gazetteer, text: str, links: Iterable[Link]) -> list[Candidate]:
    """Every name-shaped word, classified with its tail (`Gemini 1.5 Pro`) when that makes a name, else alone."""
    cands: list[Candidate] = []
    in_links = [(link.start, link.end) for link in links]
    title_end = text.find("\n")
    title_cased = is_title_cased(text[: max(title_end, 0)])
    for start, core, tail in _name_words(text, gaz):
        if in_links and any(a <= start < b for a, b in in_links):
            continue  # `github.com/NVlabs/...` names an account, not a model
        if tail:
            whole = core + tail
            verdict = classify(gaz, whole, text, start, start + len(whole))
            if verdict.label != "none":
                cands.append(Candidate(start, start + len(whole), whole, verdict))
                continue
        verdict = classify(gaz, core, text, start, start + len(core))
        if verdict.label in ("model", "none") and tail and not (verdict.label == "none" and verdict.rule) or verdict.label == "benchmark" and BENCH_TASK_TAIL.match(tail):
            core = core + tail
        if verdict.entry is not None and verdict.entry.case_sensitive and PLAIN_CAPITALISED.match(core) and (
            SENTENCE_START.search(text, max(0, start - 3), start) or start < title_end and title_cased
        ):
            verdict = NONE  # `Weather forecasting ...`, `Global Weather Forecast`: a capitalised common word is no name
        cands.append(Candidate(start, start + len(core), core, verdict))
    return cands


def _add_phrases(comp: NameMentions, doc: Doc, text: str, cands: list[Candidate]) -> None:
    """Multi-word names (gazetteer phrases with their tails, then shaped phrases) replace the words they cover."""
    tail_run = name_patterns().tail_run
    for start, end, verdict in _phrase_hits(comp, doc):
        if verdict.label == "model":
            tail = tail_run.match(text, end).group(0)
            if tail:
                end += len(tail)
                longer = comp.gaz.lookup(text[start:end])  # `Swin Transformer` + ` V2` is its own entry
                if longer is not None and longer.label == "model":
                    verdict = Verdict("model", longer.id, longer)
        replace_overlapped(cands, start, end, text[start:end], verdict)
    for start, end, verdict in _shaped_phrases(text):
        if "\n" in text[start:end]:
            continue  # a title's last words and the abstract's first are no one name
        replace_overlapped(cands, start, end, text[start:end], verdict, yield_to_equal=True)


def _mention(c: Candidate) -> Mention:
    """The mention a model or benchmark candidate reports: its name trimmed, its rule with the deciding step."""
    start, surface, verdict = c.start, c.surface, c.verdict
    end = c.end
    trimmed = trim_surface(surface, verdict.label)
    if trimmed and trimmed != surface:
        surface, end = trimmed, start + len(trimmed)
    entry = verdict.entry
    exact = entry is not None and squash(entry.name) == squash(surface)
    family = entry.family or entry.name if entry is not None and verdict.label == "model" else None
    is_model = verdict.label == "model"
    return Mention(
        label=verdict.label,
        start=start,
        end=end,
        text=surface,
        name=entry.name if exact else surface,
        rule=f"{verdict.rule}|{verdict.step}" if verdict.step else verdict.rule,
        optional=bool(entry and entry.optional),
        family=family,
        version=version_of(surface, family) if is_model else None,
        params=params_of(surface) if is_model else None,
        entry=entry,
    )


@rule_cache
def name_phrases() -> tuple[tuple[str, str, tuple[str, ...], re.Pattern[str], Needs], ...]:
    rows = []
    for r in rule_file("names/name_phrases.jsonl"):
        pattern = re.compile(r["pattern"])
        rows.append((r["id"], r["label"], tuple(r["trigger"]), pattern, needs(pattern)))
    return tuple(rows)


def _shaped_phrases(text: str) -> Iterator[tuple[int, int, Verdict]]:
    """Multi-word names by shape (`the Hanabi challenge`): patterns from names/name_phrases.jsonl, each tried only
    when one of its trigger words occurs (most abstracts have none) and a string every match holds does too
    (`Challenge`, as the pattern writes it)."""
    lowered = None
    for rule_id, label, triggers, pattern, needed in name_phrases():
        lowered = lowered or text.lower()
        if not any(t in lowered for t in triggers) or not may_match(needed, text):
            continue
        for m in pattern.finditer(text):
            yield m.start("name"), m.end("name"), Verdict(label, rule_id)


def _name_words(text: str, gaz: Gazetteer) -> Iterator[tuple[int, str, str]]:
    """(start, core, tail) of every word that could be a name; `DeiT-B/ResMLP-B24` is two names."""
    for m in name_patterns().name.finditer(text):
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


@Language.factory(
    "paperfacts_names",
    default_config={"rules_dir": None},
    assigns=["doc._.mentions", "doc._.systems", "doc.spans"],
    requires=["doc._.sentences", "doc._.links"],
)
def make_names(nlp: Language, name: str, rules_dir: str | None) -> NameMentions:
    register_extensions()
    return NameMentions(nlp, name, rules_dir=rules_dir)
