"""One paper's facts as the tables state them: the spans its page highlights and its leaderboard rows.

Nothing is re-extracted: every span comes from a row's `field`, `start` and `end` (character offsets into the
title or the abstract), so the page shows what the published tables say, whatever extractor version wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

# the fact tables with a span in the text, the label their spans get, and what the table reads the text as
SPAN_TABLES = {
    "models": ("MODEL", "name"),
    "benchmarks": ("BENCHMARK", "name"),
    "results": ("RESULT", "kind || coalesce(' · ' || metric, '')"),
    "repos": ("REPO", "owner || '/' || repo"),
    "links": ("LINK", "domain"),
}
ON_BOARD = "LEADERBOARD"  # a result that a leaderboard row ranks: labelled apart from the other results
FIELDS = ("title", "abstract")
MAX_PAPER_PAGES = 1000  # pages for the papers of the first rows shown; later rows link to none


@dataclass(frozen=True)
class Fact:
    """One highlighted span: `row` is the leaderboard row (1-based, on the paper's page) a number feeds."""

    label: str
    field: str
    start: int
    end: int
    text: str
    reads_as: str
    rule: str
    row: int | None = None


@dataclass
class BoardRow:
    """One leaderboard row of the paper; `field`/`start`/`end` place its number in the text (None: not found)."""

    row: int
    values: dict[str, Any]
    number_rule: str | None = None
    field: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class PaperFacts:
    paper_id: str
    title: str
    abstract: str
    url: str | None
    facts: list[Fact] = field(default_factory=list)
    rows: list[BoardRow] = field(default_factory=list)

    def text(self, name: str) -> str:
        return self.title if name == "title" else self.abstract

    def row_of(self, entry: dict[str, Any]) -> int | None:
        """The page's row number of a leaderboard entry (the report's board rows carry the same columns)."""
        key = _row_key(entry)
        return next((r.row for r in self.rows if _row_key(r.values) == key), None)


def _row_key(values: dict[str, Any]) -> tuple:
    return tuple(values.get(k) for k in ("sentence", "number_start", "benchmark", "metric", "setting", "model", "value"))


def papers_to_show(entries: list[dict[str, Any]], limit: int = MAX_PAPER_PAGES) -> list[str]:
    """The distinct papers of the rows shown, in the order they are shown, at most `limit`."""
    return list(dict.fromkeys(e["paper_id"] for e in entries))[:limit]


def collect_papers(con: duckdb.DuckDBPyConnection, paper_ids: list[str]) -> dict[str, PaperFacts]:
    """Each paper's text, its spans from every fact table and its leaderboard rows, keyed by paper id."""
    if not paper_ids:
        return {}
    papers = {
        pid: PaperFacts(pid, title, abstract, url)
        for pid, title, abstract, url in con.execute(
            "SELECT paper_id, title, abstract, url FROM papers WHERE paper_id IN (SELECT unnest(?))", [paper_ids]).fetchall()
    }
    spans: dict[str, list[Fact]] = {pid: [] for pid in papers}
    for table, (label, reads_as) in SPAN_TABLES.items():
        rows = con.execute(f"""
            SELECT paper_id, field, start, "end", text, coalesce({reads_as}, ''), rule FROM {table}
            WHERE paper_id IN (SELECT unnest(?)) ORDER BY paper_id, field, start, "end" """, [paper_ids]).fetchall()
        for pid, where, start, end, text, read, rule in rows:
            if pid in spans:
                spans[pid].append(Fact(label, where, start, end, text, read, rule))
    board = con.execute("""
        SELECT paper_id, benchmark, metric, setting, model, value, unit, bound, confidence, rule, text, sentence,
               number_start, number_end
        FROM leaderboard WHERE paper_id IN (SELECT unnest(?))""", [paper_ids])
    columns = [d[0] for d in board.description]
    by_paper: dict[str, list[dict[str, Any]]] = {}
    for values in board.fetchall():
        row = dict(zip(columns, values, strict=True))
        by_paper.setdefault(row.pop("paper_id"), []).append(row)
    for pid, paper in papers.items():
        paper.rows = _number_rows(paper, by_paper.get(pid, []), spans[pid])
        paper.facts = _label_board_numbers([f for f in spans[pid] if _fits(paper, f)], paper.rows)
    return papers


def _fits(paper: PaperFacts, fact: Fact) -> bool:
    """Offsets inside the text they name (a span outside it cannot be drawn)."""
    return fact.field in FIELDS and 0 <= fact.start < fact.end <= len(paper.text(fact.field))


def _number_rows(paper: PaperFacts, rows: list[dict[str, Any]], spans: list[Fact]) -> list[BoardRow]:
    """Board rows in reading order, numbered from 1, each with where its number sits and the number's own rule."""
    number_rules = {(f.field, f.start, f.end): f.rule for f in spans if f.label == "RESULT"}

    def reading_order(item: tuple[tuple[str, int, int] | None, dict[str, Any]]) -> tuple:
        where, values = item
        return ((FIELDS.index(where[0]), where[1]) if where else (len(FIELDS), 0),
                *(str(values[k] or "") for k in ("benchmark", "metric", "setting", "model")), values["value"])

    placed = sorted(((_locate(paper, values), values) for values in rows), key=reading_order)
    return [
        BoardRow(n, values, number_rules.get(where) if where else None, *(where or (None, None, None)))
        for n, (where, values) in enumerate(placed, start=1)
    ]


def _locate(paper: PaperFacts, values: dict[str, Any]) -> tuple[str, int, int] | None:
    """(field, start, end) of a row's number: its sentence found in the text, the number at its offsets there."""
    sentence, n_start, n_end = values["sentence"], values["number_start"], values["number_end"]
    for name in FIELDS:
        text = paper.text(name)
        at = text.find(sentence) if sentence else -1
        while at >= 0:
            if text[at + n_start:at + n_end] == values["text"]:
                return name, at + n_start, at + n_end
            at = text.find(sentence, at + 1)
    return None


def _label_board_numbers(facts: list[Fact], rows: list[BoardRow]) -> list[Fact]:
    """A number a board row ranks is drawn as LEADERBOARD (one span per row, carrying the row's number) instead of
    RESULT, so the page shows which of the paper's numbers reached a leaderboard."""
    ranked: dict[tuple[str, int, int], list[BoardRow]] = {}
    for r in rows:
        if r.field is not None:
            ranked.setdefault((r.field, r.start, r.end), []).append(r)
    kept = [f for f in facts if not (f.label == "RESULT" and (f.field, f.start, f.end) in ranked)]
    for (where, start, end), board_rows in ranked.items():
        for r in board_rows:
            why = f"{r.values['model']} on {r.values['benchmark']}"
            kept.append(Fact(ON_BOARD, where, start, end, r.values["text"], why, r.values["rule"], r.row))
    return sorted(kept, key=lambda f: (FIELDS.index(f.field), f.start, -f.end, f.label, f.row or 0))
