"""DuckDB connections for the run's own checks and catalogs, with a memory cap.

DuckDB takes up to 80% of the machine's RAM by default. The quality gate's anti-joins and the catalogs'
group-bys over a snapshot of a million papers took ~2.4 GB that way, on top of the extraction workers. Capped,
DuckDB spills to a temporary folder instead, so a run's memory does not grow with the snapshot.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator

import duckdb

MEMORY_ENV = "PAPERFACTS_DUCKDB_MEMORY"
DEFAULT_MEMORY = "256MB"


@contextlib.contextmanager
def bounded_duckdb() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection capped at $PAPERFACTS_DUCKDB_MEMORY (256MB), one thread, spilling to a temporary
    folder that is removed afterwards."""
    spill = tempfile.mkdtemp(prefix="paperfacts-duckdb-")
    con = duckdb.connect()
    try:
        con.execute(f"SET memory_limit = '{os.environ.get(MEMORY_ENV, DEFAULT_MEMORY)}'")
        con.execute("SET threads = 1")
        con.execute("SET preserve_insertion_order = false")
        con.execute(f"SET temp_directory = '{spill}'")
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
