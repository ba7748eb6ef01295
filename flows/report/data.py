"""What the report shows, computed once with DuckDB and shared by the terminal and HTML renderings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

# Metrics where a smaller number is the better result (errors, distances, costs).
LOWER_IS_BETTER = r"(?i)(\bwer\b|\bcer\b|\beer\b|rmse|\bmae\b|\bmse\b|fid\b|fvd\b|error|perplexity|\bppl\b|loss|latency|\bbpc\b|bits[ -]per|abs ?rel|chamfer|\bnll\b|\blpips\b)"
KINDS = ("score", "delta", "efficiency", "size", "setting")
# results name their benchmark as the paper writes it: counted under the canonical name of that mention
NAMED_RESULTS = """
    SELECT coalesce(m.name, r.benchmark) AS benchmark, r.kind FROM results r
    LEFT JOIN (SELECT DISTINCT paper_id, text, name FROM benchmarks) m ON m.paper_id = r.paper_id AND m.text = r.benchmark"""


@dataclass
class Table:
    """Rows with their column names; `numeric` columns are right-aligned."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    numeric: set[str] = field(default_factory=set)


@dataclass
class Board:
    """One benchmark's leaderboard: the best value per (metric, model), with the paper it comes from."""

    benchmark: str
    entries: list[dict[str, Any]]
    aliases: list[str] = field(default_factory=list)  # other spellings papers use (benchmark_catalog)


@dataclass
class ReportData:
    out: str
    generated: str
    overview: dict[str, int]
    runs: Table
    models: Table
    benchmarks: Table
    repos: Table
    boards: list[Board]
    results_by_kind: list[tuple[str, dict[str, int]]]


def _table(con: duckdb.DuckDBPyConnection, sql: str, numeric: set[str], params: list | None = None) -> Table:
    relation = con.execute(sql, params or [])
    return Table([d[0] for d in relation.description], relation.fetchall(), numeric)


def collect(con: duckdb.DuckDBPyConnection, out: Path, top: int = 15, boards: int = 12) -> ReportData:
    """Everything the report needs, from the views `flows.sql.connect` defines."""
    count = {
        name: con.execute(sql).fetchone()[0]
        for name, sql in {
            "papers": "SELECT count(*) FROM papers",
            "runs": "SELECT count(*) FROM runs",
            "models": "SELECT count(DISTINCT name) FROM models",
            "benchmarks": "SELECT count(DISTINCT name) FROM benchmarks",
            "results": "SELECT count(*) FROM results",
            "leaderboard": "SELECT count(*) FROM leaderboard",
            "repositories": "SELECT count(DISTINCT lower(owner || '/' || repo)) FROM repos",
            "rejects": "SELECT count(*) FROM rejects",
        }.items()
    }
    runs = _table(con, """
        SELECT r.run_id AS run, strftime(r.started_at, '%Y-%m-%d %H:%M') AS started,
               round(epoch(r.finished_at - r.started_at), 1) AS seconds, r.papers_read AS read,
               r.papers_written AS written, r.papers_skipped AS skipped, r.rejected, coalesce(p.n, 0) AS "papers now", r.status
        FROM runs r LEFT JOIN (SELECT run_id, count(*) AS n FROM papers GROUP BY run_id) p USING (run_id)
        ORDER BY r.started_at DESC LIMIT 30""", {"seconds", "read", "written", "skipped", "rejected", "papers now"})
    models = _table(con, """
        SELECT name AS model, coalesce(any_value(family), '') AS family, count(DISTINCT paper_id) AS papers, count(*) AS mentions
        FROM models GROUP BY name ORDER BY papers DESC, mentions DESC, name LIMIT ?""", {"papers", "mentions"}, [top])
    benchmarks = _table(con, f"""
        WITH named AS ({NAMED_RESULTS})
        SELECT b.name AS benchmark, count(DISTINCT b.paper_id) AS papers, count(*) AS mentions, coalesce(any_value(r.n), 0) AS results,
               coalesce(array_to_string(list_filter(any_value(c.aliases), lambda a: a <> b.name), ', '), '') AS "also written"
        FROM benchmarks b LEFT JOIN (SELECT benchmark, count(*) AS n FROM named GROUP BY benchmark) r ON r.benchmark = b.name
        LEFT JOIN benchmark_catalog c ON c.name = b.name
        GROUP BY b.name ORDER BY papers DESC, mentions DESC, b.name LIMIT ?""", {"papers", "mentions", "results"}, [top])
    repos = _table(con, """
        SELECT any_value(owner || '/' || repo) AS repository, count(DISTINCT r.paper_id) AS papers,
               any_value(p.title) AS "a paper", any_value(r.url) AS url
        FROM repos r LEFT JOIN papers p USING (paper_id)
        GROUP BY lower(owner || '/' || repo) ORDER BY papers DESC, repository LIMIT ?""", {"papers"}, [top])
    kinds = con.execute(f"""
        WITH named AS ({NAMED_RESULTS}) SELECT benchmark, kind, count(*) FROM named WHERE benchmark IS NOT NULL GROUP BY ALL""").fetchall()
    by_benchmark: dict[str, dict[str, int]] = {}
    for bench, kind, n in kinds:
        by_benchmark.setdefault(bench, {})[kind] = n
    results_by_kind = sorted(by_benchmark.items(), key=lambda item: (-sum(item[1].values()), item[0]))[:top]
    return ReportData(
        out=str(out), generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), overview=count, runs=runs, models=models,
        benchmarks=benchmarks, repos=repos, boards=leaderboards(con, boards), results_by_kind=results_by_kind,
    )


def leaderboards(con: duckdb.DuckDBPyConnection, limit: int) -> list[Board]:
    """Per benchmark (most models first), each model's best value per (metric, setting), ranked in the metric's
    direction (`higher_is_better` from the metric registry; error-like names when the registry does not know the
    metric). Bounds (`over 60 AP`) are never ranked; rows under the confidence threshold never reach the table."""
    rows = con.execute(f"""
        WITH scored AS (
            SELECT l.benchmark, l.metric, l.setting, l.model, l.value, l.unit, l.paper_id, p.title, l.sentence,
                   l.number_start, l.number_end, l.confidence,
                   coalesce(NOT l.higher_is_better, regexp_matches(coalesce(l.metric, ''), '{LOWER_IS_BETTER}')) AS lower
            FROM leaderboard l LEFT JOIN papers p USING (paper_id)
            WHERE l.bound IS NULL
        ), best AS (
            SELECT *, row_number() OVER (PARTITION BY benchmark, coalesce(metric, ''), coalesce(setting, ''), model
                                         ORDER BY CASE WHEN lower THEN value ELSE -value END, paper_id) AS rank
            FROM scored
        ), chosen AS (
            SELECT benchmark FROM best WHERE rank = 1 GROUP BY benchmark
            ORDER BY count(DISTINCT model) DESC, count(*) DESC, benchmark LIMIT ?
        )
        SELECT b.benchmark, b.metric, b.setting, b.model, b.value, b.unit, b.paper_id, b.title, b.sentence,
               b.number_start, b.number_end, b.confidence, b.lower
        FROM best b JOIN chosen USING (benchmark) WHERE b.rank = 1
        ORDER BY b.benchmark, b.metric NULLS LAST, b.setting NULLS FIRST, CASE WHEN b.lower THEN b.value ELSE -b.value END, b.model""",
        [limit]).fetchall()
    boards: dict[str, list[dict[str, Any]]] = {}
    for bench, metric, setting, model, value, unit, paper_id, title, sentence, n_start, n_end, conf, lower in rows:
        boards.setdefault(bench, []).append({
            "metric": metric, "setting": setting, "model": model, "value": value, "unit": unit, "paper_id": paper_id,
            "title": title or paper_id, "sentence": sentence, "number_start": n_start, "number_end": n_end,
            "confidence": conf, "lower": bool(lower),
        })
    order = sorted(boards, key=lambda b: (-len({e["model"] for e in boards[b]}), -len(boards[b]), b))
    aliases = dict(con.execute("SELECT name, aliases FROM benchmark_catalog").fetchall())
    return [Board(b, boards[b], [a for a in aliases.get(b) or [] if a != b]) for b in order]


def format_value(value: float, unit: str | None) -> str:
    text = f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.3e}"
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}" if unit else text
