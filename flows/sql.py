"""DuckDB over the published Parquet tables: one view per table, all read from the same snapshot.

Used by `paperfacts sql`, `paperfacts report` and anyone in Python (`connect("outputs")`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import duckdb

from extractors.schemas import SCHEMAS, TABLES


class NoTables(Exception):
    """The output folder has no published tables yet."""


def snapshot_dir(out: Path) -> Path:
    """The folder holding the current snapshot's tables (resolved once, so a concurrent commit cannot mix two runs)."""
    from flows.store import Store

    out = Path(out)
    try:
        current = Store(out).current_dir()
    except Exception as exc:  # a broken snapshot link: the store says what to do
        raise NoTables(str(exc)) from exc
    if current is not None:
        return current
    if any((out / t).is_dir() for t in TABLES):
        return out
    raise NoTables(f"no tables under {out}: run `paperfacts run --out {out}` first")


def connect(out: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with a view per table (`papers`, `models`, ..., `runs`); empty tables keep their columns."""
    root = snapshot_dir(out)
    con = duckdb.connect()
    for table in TABLES:
        parts = sorted((root / table).glob("*.parquet")) if (root / table).is_dir() else []
        if parts:
            files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in parts)
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{files}], union_by_name = true)")
        else:
            con.register(f"_empty_{table}", SCHEMAS[table].empty_table())
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM _empty_{table}")
    return con


def query(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of one statement."""
    relation = con.execute(sql)
    columns = [d[0] for d in relation.description] if relation.description else []
    return columns, relation.fetchall()


def to_csv(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()
