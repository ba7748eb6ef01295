"""Pairs of catalog names that look like one thing under two names, for a user to confirm with an alias line.

Read from the fact tables (not the catalogs), so it works on any published snapshot. A pair is suspect when
* `same key`: the names fold to one `name_key` (case, hyphens, spaces, `+`/Plus, year and version spellings);
* `close key`: the folded keys differ by one letter (`cityscape`/`cityscapes`), with the same numbers and `+`;
* `short form`: a paper writes one right before the other in parentheses (`Massive Text Embedding Benchmark (MTEB)`);
* `initials`: one spells the initials of the other and both occur in one paper.
Names that differ in a number, a size or a `+` are never suspects of one another (`AIME 2024`/`AIME 2025`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

import duckdb

from extractors.names.canonical import name_key, signature
from extractors.names.gazetteer import load_gazetteer

LABELS = {"model": "models", "benchmark": "benchmarks"}


@dataclass(frozen=True)
class Suspect:
    kind: str  # model | benchmark
    a: str
    b: str
    reason: str
    papers_a: int
    papers_b: int
    evidence: str  # a paper where the two meet, or the folded key


def _one_letter_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[-\s]+", name) if w and w[0].isalpha()).casefold()


def _apart(a: str, b: str) -> bool:
    """Names that differ in a number, a size or variant word, or a `+` are different things."""
    sa, sb = signature(a), signature(b)
    return sa[0] != sb[0] or sa[2] != sb[2] or sa[1] != sb[1]


def find_suspects(con: duckdb.DuckDBPyConnection, kinds: tuple[str, ...] = ("benchmark", "model")) -> list[Suspect]:
    """Every suspect pair of the snapshot behind `con` (views from flows.sql.connect), most papers first."""
    found = [s for kind in kinds for s in _suspects_of(con, kind)]
    return sorted(found, key=lambda s: (s.kind, -(s.papers_a + s.papers_b), s.a, s.b))


def _suspects_of(con: duckdb.DuckDBPyConnection, kind: str) -> list[Suspect]:
    table = LABELS[kind]
    papers = dict(con.execute(f"SELECT name, count(DISTINCT paper_id) FROM {table} GROUP BY name").fetchall())
    listed = {e.name for e in load_gazetteer().entries if e.label == kind}
    found: dict[tuple[str, str], Suspect] = {}

    def add(a: str, b: str, reason: str, evidence: str) -> None:
        a, b = sorted((a, b))
        if a in listed and b in listed and reason == "close key":
            return  # two gazetteer entries: the gazetteer says they differ (`LLaVA`, `Llama`)
        found.setdefault((a, b), Suspect(kind, a, b, reason, papers.get(a, 0), papers.get(b, 0), evidence))

    by_key: dict[str, list[str]] = {}
    for name in papers:
        by_key.setdefault(name_key(name), []).append(name)
    for key, names in by_key.items():
        for a, b in combinations(sorted(names), 2):
            add(a, b, "same key", key)
    for a, b, paper in _short_forms(con, table):
        if a != b and not _apart(a, b):
            add(a, b, "short form", paper)
    for ka, kb in combinations(sorted(by_key), 2):
        if min(len(ka), len(kb)) >= 5 and _one_letter_apart(ka, kb):
            for a in by_key[ka]:
                for b in by_key[kb]:
                    if not _apart(a, b):
                        add(a, b, "close key", f"{ka} ~ {kb}")
    for (a, b), paper in _co_occurring(con, table).items():
        for short, long_ in ((a, b), (b, a)):
            if " " in long_ and len(short) >= 2 and _initials(long_) == re.sub(r"[^a-z]", "", short.casefold()) and not _apart(a, b):
                add(a, b, "initials", paper)
    return list(found.values())


def _co_occurring(con: duckdb.DuckDBPyConnection, table: str) -> dict[tuple[str, str], str]:
    rows = con.execute(f"""
        SELECT a.name, b.name, min(a.paper_id) FROM (SELECT DISTINCT paper_id, name FROM {table}) a
        JOIN (SELECT DISTINCT paper_id, name FROM {table}) b ON a.paper_id = b.paper_id AND a.name < b.name
        GROUP BY ALL""").fetchall()
    return {(a, b): paper for a, b, paper in rows}


def _short_forms(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str]]:
    """(name, name in parentheses right after it, paper): `Long Form (LF)` and `SEW (Squeezed and Efficient Wav2vec)`."""
    return con.execute(f"""
        SELECT a.name, b.name, min(a.paper_id)
        FROM {table} a JOIN {table} b ON a.paper_id = b.paper_id AND a.field = b.field AND b.start BETWEEN a."end" + 1 AND a."end" + 3
        JOIN papers p ON p.paper_id = a.paper_id
        WHERE regexp_matches(substr(CASE a.field WHEN 'title' THEN p.title ELSE p.abstract END, a."end" + 1, b.start - a."end"), '^\\s*\\($')
        GROUP BY ALL""").fetchall()
