"""`--min-confidence`: the leaderboard keeps rows at or above the threshold, `results` keeps every number, and a run
with another threshold re-extracts what it changes (no table mixes two thresholds)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extractors.results.leaderboard import default_min_confidence
from tests.conftest import run_cli

pytestmark = pytest.mark.slow
PAPERS = Path(__file__).resolve().parents[1] / "gold" / "dev_papers.jsonl"


def _count(out: Path, sql: str) -> int:
    con = duckdb.connect()
    for table in ("papers", "results", "leaderboard"):
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{out / table}/*.parquet')")
    return con.execute(sql).fetchone()[0]


def test_min_confidence_filters_the_leaderboard_and_reextracts_on_change(tmp_path: Path, prefect_api: str) -> None:
    out = tmp_path / "out"
    first = run_cli(["run", str(PAPERS), "--out", str(out), "--quiet"], prefect_api)
    assert first.returncode == 0, first.stderr
    default_rows = _count(out, "SELECT count(*) FROM leaderboard")
    results = _count(out, "SELECT count(*) FROM results")
    assert _count(out, "SELECT min(confidence) FROM leaderboard") >= default_min_confidence()

    everything = run_cli(["run", str(PAPERS), "--out", str(out), "--quiet", "--min-confidence", "0"], prefect_api)
    assert everything.returncode == 0, everything.stderr
    assert _count(out, "SELECT count(*) FROM leaderboard") > default_rows  # the threshold changed: every paper re-extracted
    assert _count(out, "SELECT count(*) FROM results") == results  # every number stays in results
    assert _count(out, "SELECT count(DISTINCT extractor_version) FROM papers") == 1
    assert _count(out, "SELECT count(*) - count(DISTINCT paper_id) FROM papers") == 0

    again = run_cli(["run", str(PAPERS), "--out", str(out), "--quiet"], prefect_api)
    assert again.returncode == 0, again.stderr
    assert _count(out, "SELECT count(*) FROM leaderboard") == default_rows

    bad = run_cli(["run", str(PAPERS), "--out", str(out), "--quiet", "--min-confidence", "1.5"], prefect_api)
    assert bad.returncode == 2
