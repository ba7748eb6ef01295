"""The scheduled arXiv catch-up reads the `runs` table: real Parquet parts, read back through DuckDB."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extractors.schemas import SCHEMAS
from flows.extract import write_part
from flows.sources.history import arxiv_catch_up_since, last_fetch_day

TODAY = date(2025, 1, 30)


def run_row(run_id: str, started: datetime, status: str, fetched: list[dict] | None) -> dict:
    return {"run_id": run_id, "started_at": started, "finished_at": started, "inputs": [], "papers_read": 0, "papers_written": 0,
            "papers_skipped": 0, "rejected": 0, "facts": [], "status": status, "version": "0", "extractor_version": "x", "fetched": fetched}


def page(category: str | None, source: str = "arxiv") -> dict:
    return {"source": source, "category": category, "since": None, "day": "2025-01-01", "page": 0, "entries": 1, "file": "f"}


def test_first_run_uses_since_or_yesterday(tmp_path: Path) -> None:
    assert arxiv_catch_up_since(tmp_path / "none", "cs.CL", None, TODAY, 3) == date(2025, 1, 29)
    assert arxiv_catch_up_since(tmp_path / "none", "cs.CL", date(2025, 1, 2), TODAY, 3) == date(2025, 1, 2)


def test_tables_from_before_runs_recorded_fetches_count_as_no_earlier_fetch(tmp_path: Path) -> None:
    (tmp_path / "runs").mkdir()
    old = pa.schema([f for f in SCHEMAS["runs"] if f.name != "fetched"])
    row = {k: v for k, v in run_row("r0", datetime(2025, 1, 20, tzinfo=UTC), "ok", None).items() if k != "fetched"}
    pq.write_table(pa.Table.from_pylist([row], schema=old), tmp_path / "runs" / "part-old.parquet")
    assert last_fetch_day(tmp_path, "arxiv", "cs.CL") is None
    assert arxiv_catch_up_since(tmp_path, "cs.CL", None, TODAY, 3) == date(2025, 1, 29)


def test_the_last_successful_fetch_of_the_same_category_less_the_overlap(tmp_path: Path) -> None:
    rows = [
        run_row("r1", datetime(2025, 1, 20, 23, 30, tzinfo=UTC), "ok", [page("cs.CL"), page("cs.CL")]),
        run_row("r2", datetime(2025, 1, 25, 6, 0, tzinfo=UTC), "failed: rejects in strict mode", [page("cs.CL")]),
        run_row("r3", datetime(2025, 1, 27, 6, 0, tzinfo=UTC), "ok", [page("cs.LG")]),
        run_row("r4", datetime(2025, 1, 28, 6, 0, tzinfo=UTC), "ok", [page(None, "hf-daily")]),
        run_row("r5", datetime(2025, 1, 29, 6, 0, tzinfo=UTC), "ok", None),
    ]
    (tmp_path / "runs").mkdir()
    write_part(tmp_path, "runs", rows, "part-x")
    assert last_fetch_day(tmp_path, "arxiv", "cs.CL") == date(2025, 1, 20)
    assert last_fetch_day(tmp_path, "arxiv", "cs.LG") == date(2025, 1, 27)
    assert last_fetch_day(tmp_path, "hf-daily") == date(2025, 1, 28)
    assert arxiv_catch_up_since(tmp_path, "cs.CL", None, TODAY, 3) == date(2025, 1, 17)
    assert arxiv_catch_up_since(tmp_path, "cs.CL", date(2025, 1, 19), TODAY, 3) == date(2025, 1, 19)  # never before --since
    assert arxiv_catch_up_since(tmp_path, "cs.CL", None, TODAY, 0) == date(2025, 1, 20)
