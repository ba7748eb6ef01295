"""Data-quality gate: every batch is checked before its part files are written, and the whole staged
snapshot before it is published; a violation fails the run and nothing is published."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from extractors.table_checks import NONEMPTY
from extractors.tables import FACT_TABLES, SPAN_TABLES
from flows.duck import bounded_duckdb


class DataQualityError(Exception):
    """A table breaks its contract; nothing of the run is published."""


# the papers table's checks; a fact table's come with its declaration (extractors.tables)
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "papers": pa.DataFrameSchema(
        {
            "paper_id": pa.Column(str, unique=True),
            "title": pa.Column(str, NONEMPTY),
            "abstract": pa.Column(str, NONEMPTY),
            "content_sha256": pa.Column(str, pa.Check.str_length(64, 64)),
        }
    ),
    **{name: table.gate() for name, table in FACT_TABLES.items()},
}


COUNT = pa.Check.ge(0)
CATALOG_CHUNK_ROWS = 100_000
CATALOG_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "model_catalog": pa.DataFrameSchema({"name": pa.Column(str, NONEMPTY, unique=True), "papers": pa.Column(int, pa.Check.ge(1)),
                                         "mentions": pa.Column(int, COUNT)}, coerce=True),  # 0: a leaderboard's own system
    "benchmark_catalog": pa.DataFrameSchema({"name": pa.Column(str, NONEMPTY, unique=True), "papers": pa.Column(int, pa.Check.ge(1)),
                                             "mentions": pa.Column(int, pa.Check.ge(1)), "results": pa.Column(int, COUNT)}, coerce=True),
    "metric_catalog": pa.DataFrameSchema({"name": pa.Column(str, NONEMPTY, unique=True), "results": pa.Column(int, pa.Check.ge(1)),
                                          "scale": pa.Column(str, pa.Check.isin(["percent", "fraction", "absolute"]), nullable=True)},
                                         coerce=True),
}
# every name a fact table uses has its catalog row: (fact table, column, catalog)
CATALOG_JOINS = (
    ("models", "name", "model_catalog"),
    ("benchmarks", "name", "benchmark_catalog"),
    ("leaderboard", "model", "model_catalog"),
    ("leaderboard", "benchmark", "benchmark_catalog"),
    ("leaderboard", "metric", "metric_catalog"),
)


def check_batch(tables: dict[str, list[dict]]) -> None:
    """Column contracts, offsets that reproduce the text, and every fact's paper present in `papers`."""
    papers = tables.get("papers", [])
    fields = {p["paper_id"]: {"title": p["title"], "abstract": p["abstract"]} for p in papers}
    problems: list[str] = []
    for name, schema in SCHEMAS.items():
        rows = tables.get(name, [])
        if not rows:
            continue
        try:
            schema.validate(pd.DataFrame(rows), lazy=True)
        except SchemaErrors as exc:
            problems.append(f"{name}: {exc.failure_cases.head(5).to_dict('records')}")
        if name == "papers":
            continue
        for row in rows:
            source = fields.get(row["paper_id"])
            if source is None:
                problems.append(f"{name}: paper_id {row['paper_id']} has no row in papers")
                break
            if name not in SPAN_TABLES:
                continue
            text = source.get(row["field"], "")
            start, end = row["start"], row["end"]
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)) or text[start:end] != row["text"]:
                problems.append(f"{name}: offsets {start}:{end} of {row['paper_id']}.{row['field']} do not give {row['text']!r}")
                break
    if problems:
        raise DataQualityError("data-quality gate failed: " + "; ".join(problems[:10]))


def check_snapshot(staging: Path) -> None:
    """The merged snapshot about to be published: one row per paper, and every fact row belongs to the
    extraction of its paper's current version (same paper_id and run_id), so no stale or orphan facts."""
    papers = sorted(str(p) for p in (staging / "papers").glob("*.parquet"))
    if not papers:
        return
    with bounded_duckdb() as con:
        problems: list[str] = []
        dupes = con.execute("SELECT paper_id, count(*) FROM read_parquet(?) GROUP BY 1 HAVING count(*) > 1 LIMIT 5", [papers]).fetchall()
        if dupes:
            problems.append(f"papers: paper_id not unique across the snapshot: {dupes}")
        for table in FACT_TABLES:
            parts = sorted(str(p) for p in (staging / table).glob("*.parquet"))
            if not parts:
                continue
            orphans = con.execute(
                "SELECT f.paper_id, f.run_id FROM read_parquet($facts) f"
                " ANTI JOIN (SELECT paper_id, run_id FROM read_parquet($papers)) p USING (paper_id, run_id) LIMIT 5",
                {"facts": parts, "papers": papers},
            ).fetchall()
            if orphans:
                problems.append(f"{table}: rows whose paper is not in papers with the same run_id: {orphans}")
        problems += _catalog_problems(con, staging)
    if problems:
        raise DataQualityError("data-quality gate failed on the staged snapshot: " + "; ".join(problems))


def _catalog_problems(con: duckdb.DuckDBPyConnection, staging: Path) -> list[str]:
    """Catalogs: one row per name, sane counts, and a row for every name the fact tables use."""
    problems: list[str] = []
    for table, schema in CATALOG_SCHEMAS.items():
        parts = sorted(str(p) for p in (staging / table).glob("*.parquet"))
        if not parts:
            continue
        dupes = con.execute("SELECT name FROM read_parquet(?) GROUP BY name HAVING count(*) > 1 LIMIT 5", [parts]).fetchall()
        if dupes:
            problems.append(f"{table}: name not unique: {[d[0] for d in dupes]}")
        # row checks a chunk at a time: a million-name catalog as one pandas frame took over a gigabyte
        for chunk in con.sql(f"SELECT * FROM read_parquet({parts!r})").to_arrow_reader(CATALOG_CHUNK_ROWS):
            try:
                schema.validate(chunk.to_pandas(), lazy=True)
            except SchemaErrors as exc:
                problems.append(f"{table}: {exc.failure_cases.head(5).to_dict('records')}")
                break
    for facts, column, catalog in CATALOG_JOINS:
        fact_parts = sorted(str(p) for p in (staging / facts).glob("*.parquet"))
        catalog_parts = sorted(str(p) for p in (staging / catalog).glob("*.parquet"))
        if not fact_parts or not catalog_parts:
            continue
        missing = con.execute(
            f"SELECT DISTINCT f.{column} FROM read_parquet($facts) f WHERE f.{column} IS NOT NULL"
            f" AND f.{column} NOT IN (SELECT name FROM read_parquet($catalog)) LIMIT 5",
            {"facts": fact_parts, "catalog": catalog_parts},
        ).fetchall()
        if missing:
            problems.append(f"{catalog}: names of {facts}.{column} without a catalog row: {[m[0] for m in missing]}")
    return problems
