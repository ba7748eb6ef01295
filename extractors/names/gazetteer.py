"""Curated lists of models and benchmarks (and what is neither), loaded from JSONL data files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from extractors.rules import load_jsonl

GAZETTEER_DIR = Path(__file__).resolve().parent / "gazetteers"
PLAIN_SURFACE = re.compile(r"^[A-Za-z][a-z]+$")
DISTINCTIVE_CASE = re.compile(r"[a-z][A-Z]|[A-Z]{2}|-")
CAPITAL_END = re.compile(r"[a-z][A-Z]$")  # `RotatE`, `TransE`: the last capital is all that tells them from a word
STEM_BREAK = re.compile(r"[-\s/_]")
VERSION_TAIL = re.compile(r"^(.*?[a-z])[-_ ]?(v?\d+(?:\.(?:\d+|x))*[a-z]?)$")  # `LLaMA3.x` is a Llama


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer line: a canonical name with its label and provenance."""

    id: str
    label: str  # "model" | "benchmark"
    name: str
    family: str | None
    optional: bool
    case_sensitive: bool
    prefix: bool
    ambiguous: bool = False  # a common word too (`Texas`, `Traffic`): counts only where the context says so
    metric: str | None = None  # a benchmark's headline metric, for a score the text gives without naming one


@dataclass
class Gazetteer:
    """Aliases by lower-cased surface, family stems for glued variants, and negative evidence."""

    entries: list[Entry] = field(default_factory=list)
    aliases: dict[str, list[tuple[str, Entry]]] = field(default_factory=dict)  # lower -> [(surface, entry)]
    stems: dict[str, Entry] = field(default_factory=dict)  # lower stem -> entry (prefix families)
    negatives: dict[str, tuple[str, bool, str]] = field(default_factory=dict)  # lower -> (id, case_sensitive, written)
    cache: dict[str, object] = field(default_factory=dict)  # surface -> WordFacts (see classify.word_facts)
    spellings: list[tuple[Entry, list[str]]] = field(default_factory=list)  # entry -> [name, *aliases], file order

    def lookup(self, surface: str) -> Entry | None:
        """The entry whose alias is this surface: an exact spelling first, then case-insensitive unless the entry says not."""
        bucket = self.aliases.get(squash(surface), ())
        for written, entry in bucket:
            if written == surface:
                return entry
        exact = squash_case(surface)
        for written, entry in bucket:
            if squash_case(written) == exact:
                return entry
        for written, entry in bucket:
            if entry.case_sensitive:
                continue
            if PLAIN_SURFACE.match(surface) and DISTINCTIVE_CASE.search(written) and ("-" in written or len(surface) < 6 or CAPITAL_END.search(written)):
                continue  # `shape`/`Multiple`/`Rotate` are not `Shap-E`/`MultiPL-E`/`RotatE`: a plain word loses what makes the name
            return entry
        return None

    def is_negative(self, surface: str) -> str | None:
        """Rule id of the negative entry for this surface, if any."""
        hit = self.negatives.get(squash(surface))
        if hit is None:
            return None
        rule, case_sensitive, written = hit
        if case_sensitive and squash_case(written) != squash_case(surface):
            return None
        return rule

    def stem_entry(self, surface: str) -> Entry | None:
        """A prefix family that starts this surface: `Qwen2.5-Coder-7B` -> Qwen, `YOLOv8` -> YOLO."""
        first = STEM_BREAK.split(surface, maxsplit=1)[0]
        for candidate in _stem_candidates(first):
            entry = self.stems.get(candidate.lower())
            if entry is None:
                continue
            if entry.case_sensitive and not _case_matches(candidate, entry):
                continue
            if PLAIN_SURFACE.match(candidate) and candidate != entry.name and DISTINCTIVE_CASE.search(entry.name):
                continue  # `Behavior` does not start BEHAVIOR-1K
            return entry
        return None


SEPARATORS = re.compile(r"[\s\-‐‑–_]+")


@lru_cache(maxsize=50_000)
def squash(surface: str) -> str:
    """Lower-case with spaces, hyphens and dashes folded: `GPT4-Turbo` and `GPT-4 Turbo` differ only here."""
    return SEPARATORS.sub("", surface.casefold())


def squash_case(surface: str) -> str:
    return SEPARATORS.sub("", surface)


def _stem_candidates(token: str) -> list[str]:
    out = [token]
    m = VERSION_TAIL.match(token.lower())
    if m:
        out.append(token[: len(m.group(1))])
    return out


def _case_matches(candidate: str, entry: Entry) -> bool:
    return candidate == entry.name or candidate.upper() == candidate and entry.name.upper() == entry.name


def _add(gaz: Gazetteer, surface: str, entry: Entry) -> None:
    key = squash(surface)
    if not key:
        return
    bucket = gaz.aliases.setdefault(key, [])
    if all(e.id != entry.id or w != surface for w, e in bucket):
        bucket.append((surface, entry))


@lru_cache(maxsize=1)
def load_gazetteer(directory: str | None = None) -> Gazetteer:
    """Read models, benchmarks and the negative lists; later files never override earlier aliases."""
    folder = Path(directory) if directory else GAZETTEER_DIR
    gaz = Gazetteer()
    for filename, label in (("models.jsonl", "model"), ("benchmarks.jsonl", "benchmark")):
        path = folder / filename
        if not path.exists():
            continue
        for row in load_jsonl(path):
            entry = Entry(
                id=row["id"],
                label=label,
                name=row["name"],
                family=row.get("family"),
                optional=bool(row.get("optional", False)),
                case_sensitive=bool(row.get("case_sensitive", False)),
                ambiguous=bool(row.get("ambiguous", False)),
                prefix=bool(row.get("prefix", False)),
                metric=row.get("metric"),
            )
            gaz.entries.append(entry)
            gaz.spellings.append((entry, [entry.name, *row.get("aliases", [])]))
            for surface in [entry.name, *row.get("aliases", [])]:
                _add(gaz, surface, entry)
                if entry.prefix and not re.search(r"\s", surface):
                    gaz.stems.setdefault(surface.lower(), entry)
    for filename in ("not_models.jsonl", "not_benchmarks.jsonl"):
        path = folder / filename
        if not path.exists():
            continue
        for row in load_jsonl(path):
            gaz.negatives.setdefault(squash(row["text"]), (row["id"], bool(row.get("case_sensitive", False)), row["text"]))
    return gaz
