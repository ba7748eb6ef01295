"""Catalog tables: one row per canonical model, benchmark and metric, rebuilt from the snapshot at every publish.

`models.name`, `benchmarks.name` and `leaderboard.model/benchmark/metric` join to them on `name`. A catalog is
derived data: it is rewritten whole in the staging snapshot (after the run's facts are in) and published with them.
`first_seen` is the earliest `published` date of the papers naming it, else the day of the first run that saw it
(remembered from the previous catalog, so a full refresh keeps it).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from extractors.names.canonical import parent_name
from extractors.names.gazetteer import load_gazetteer
from extractors.results.metrics import canonical_metric
from extractors.schemas import CATALOG_TABLES, SCHEMAS
from flows.duck import bounded_duckdb

PART_COMPRESSION = "zstd"


def _parts(staging: Path, table: str) -> list[str]:
    return sorted(str(p) for p in (staging / table).glob("*.parquet"))


def _view(con: duckdb.DuckDBPyConnection, staging: Path, table: str) -> None:
    parts = _parts(staging, table)
    if parts:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet({parts!r}, union_by_name = true)")
    else:
        con.register(f"_empty_{table}", SCHEMAS[table].empty_table())
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM _empty_{table}")


FIRST_SEEN = """
    seen AS (
        SELECT m.name, min(left(p.published, 10)) AS published, min(strftime(r.started_at, '%Y-%m-%d')) AS run_day
        FROM {facts} m LEFT JOIN papers p USING (paper_id) LEFT JOIN runs r ON r.run_id = m.run_id
        GROUP BY m.name
    )"""


def _first_seen(previous: str) -> str:
    return f"coalesce(s.published, least(s.run_day, {previous}.first_seen), s.run_day, {previous}.first_seen)"


def build_catalogs(staging: Path, run_id: str) -> dict[str, int]:
    """Rewrite the three catalog tables of a staging snapshot from its fact tables; returns their row counts."""
    with bounded_duckdb() as con:
        for table in ("papers", "runs", "models", "benchmarks", "leaderboard", *CATALOG_TABLES):
            _view(con, staging, table)
        tables = {
            "model_catalog": _model_catalog(con),
            "benchmark_catalog": _benchmark_catalog(con),
            "metric_catalog": _metric_catalog(con),
        }
    for name, data in tables.items():
        old = list((staging / name).glob("*.parquet"))
        (staging / name).mkdir(exist_ok=True)
        path = staging / name / f"part-{run_id}-catalog.parquet"
        tmp = path.with_name(f".{path.name}.tmp")
        pq.write_table(data, tmp, compression=PART_COMPRESSION)
        for part in old:
            if part != path:
                part.unlink()  # hard links: the published snapshot keeps its copies
        tmp.replace(path)
    return {name: data.num_rows for name, data in tables.items()}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, table: str) -> pa.Table:
    """The query's result as Arrow, cast to the catalog's schema (no Python row objects: a million names would
    take gigabytes as dicts)."""
    schema = SCHEMAS[table]
    return con.sql(sql).to_arrow_table().select(schema.names).cast(schema)


def _model_catalog(con: duckdb.DuckDBPyConnection) -> pa.Table:
    return _rows(con, f"""
        WITH {FIRST_SEEN.format(facts="models", extra=" UNION ALL SELECT model, paper_id, run_id FROM leaderboard")},
        fam AS (
            SELECT name, family FROM (
                SELECT name, family, row_number() OVER (PARTITION BY name ORDER BY count(*) DESC, family) AS k
                FROM models WHERE family IS NOT NULL GROUP BY name, family
            ) WHERE k = 1
        ),
        agg AS (
            SELECT name, list_sort(list(DISTINCT text)) AS aliases, count(DISTINCT paper_id) AS papers, count(*) AS mentions
            FROM models GROUP BY name
            UNION ALL  -- a leaderboard model that is the paper's own system, never a model mention: no mentions
            SELECT model, list_sort(list(DISTINCT model_text)), count(DISTINCT paper_id), 0
            FROM leaderboard WHERE model NOT IN (SELECT name FROM models) GROUP BY model
        )
        SELECT a.name, f.family, a.aliases, a.papers, a.mentions, {_first_seen("prev")} AS first_seen
        FROM agg a LEFT JOIN fam f USING (name) LEFT JOIN seen s USING (name) LEFT JOIN model_catalog prev USING (name)
        ORDER BY a.name""", "model_catalog")


def _benchmark_catalog(con: duckdb.DuckDBPyConnection) -> pa.Table:
    rows = con.execute(f"""
        WITH {FIRST_SEEN.format(facts="benchmarks", extra="")},
        agg AS (
            SELECT name, list_sort(list(DISTINCT text)) AS aliases, count(DISTINCT paper_id) AS papers, count(*) AS mentions
            FROM benchmarks GROUP BY name
        ),
        res AS (SELECT benchmark AS name, count(*) AS results FROM leaderboard GROUP BY benchmark)
        SELECT a.name, a.aliases, a.papers, a.mentions, coalesce(r.results, 0) AS results, {_first_seen("prev")} AS first_seen
        FROM agg a LEFT JOIN res r USING (name) LEFT JOIN seen s USING (name) LEFT JOIN benchmark_catalog prev USING (name)
        ORDER BY a.name""").fetchall()
    known = {r[0] for r in rows} | {e.name for e in load_gazetteer().entries if e.label == "benchmark"}
    data = [
        {"name": n, "parent": parent_name(n, known), "aliases": al, "papers": p, "mentions": m, "results": res, "first_seen": fs}
        for n, al, p, m, res, fs in rows
    ]
    return pa.Table.from_pylist(data, schema=SCHEMAS["benchmark_catalog"])


def _metric_catalog(con: duckdb.DuckDBPyConnection) -> pa.Table:
    columns = {r[0] for r in con.execute("DESCRIBE leaderboard").fetchall()}
    written = "metric_text" if "metric_text" in columns else "metric"  # the metric as written, once leaderboard has it
    rows = con.execute(f"""
        SELECT metric AS name, list_sort(list(DISTINCT {written}) FILTER (WHERE {written} IS NOT NULL)) AS aliases, count(*) AS results
        FROM leaderboard WHERE metric IS NOT NULL GROUP BY metric ORDER BY metric""").fetchall()
    data = []
    for name, aliases, results in rows:
        metric = canonical_metric(name)  # a canonical name maps to its own registry line
        higher, scale = metric.higher_is_better, metric.scale
        data.append({"name": name, "aliases": aliases, "higher_is_better": higher, "scale": scale, "results": results})
    return pa.Table.from_pylist(data, schema=SCHEMAS["metric_catalog"])
