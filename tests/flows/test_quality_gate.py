"""The data-quality gate (the real flows.quality code) fails a run loudly and nothing of it is published.

Violations are injected through test doubles of component outputs: the rows the extractors produce for a
paper (flows.extract.doc_to_rows), or the store's removal of a changed paper's old rows.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
from pathlib import Path

import pytest

import flows.extract
from flows.quality import DataQualityError
from flows.store import Snapshot
from tests.conftest import PAPERFACTS, ROOT, all_tables, run_flow
from tests.flows.synthetic import record, write_jsonl

pytestmark = pytest.mark.usefixtures("prefect_in_process")

CORRUPTING_CLI = """
import sys
import flows.extract as extract

real = extract.doc_to_rows

def corrupted(doc, paper_id, *args, **kwargs):
    rows = real(doc, paper_id, *args, **kwargs)
    spans = rows["models"] or rows["benchmarks"] or rows["results"]
    if paper_id in ("2400.00013", "2400.00014", "2400.00015") and spans:  # papers of a later batch, every attempt
        spans[0]["end"] += 1  # offsets that no longer give the text
    return rows

extract.doc_to_rows = corrupted
sys.argv = ["paperfacts", *sys.argv[1:]]
from flows.cli import main
main()
"""


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path, dict]:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out"
    write_jsonl(feed, [record(k) for k in range(8)])
    run_flow([feed], out, batch_size=4)
    write_jsonl(feed, [record(k, version=1 if k == 2 else 0) for k in range(20)])
    return feed, out, all_tables(out)


def assert_nothing_published(out: Path, before: dict) -> None:
    assert all_tables(out) == before
    assert not list((out / ".versions").glob("*.staging"))
    assert len(list((out / ".versions").iterdir())) == 1


@pytest.mark.slow
def test_cli_exits_4_and_publishes_nothing(published: tuple[Path, Path, dict], prefect_api: str) -> None:
    feed, out, before = published
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    result = subprocess.run([PAPERFACTS[0], "-c", CORRUPTING_CLI, "run", str(feed), "--out", str(out), "--batch-size", "4"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "data-quality gate failed:" in result.stderr and ": offsets " in result.stderr and "Traceback" not in result.stderr
    assert_nothing_published(out, before)


def _corrupt(table: str, change: dict):
    real = flows.extract.doc_to_rows

    def corrupted(*args, **kwargs):
        rows = real(*args, **kwargs)
        if rows[table]:
            rows[table][0].update(change)
        return rows

    return corrupted


@pytest.mark.parametrize(
    ("table", "change", "message"),
    [
        ("results", {"value": math.inf}, "value must be finite"),
        ("results", {"kind": "guess"}, "isin"),
        ("models", {"paper_id": "2400.99999"}, "has no row in papers"),
    ],
)
def test_a_bad_row_fails_the_run(published: tuple[Path, Path, dict], monkeypatch: pytest.MonkeyPatch, table: str, change: dict,
                                 message: str) -> None:
    feed, out, before = published
    monkeypatch.setattr(flows.extract, "doc_to_rows", _corrupt(table, change))
    with pytest.raises(DataQualityError, match=message):
        run_flow([feed], out, batch_size=4)
    assert_nothing_published(out, before)


def test_a_merge_that_keeps_old_rows_fails_the_run(published: tuple[Path, Path, dict], monkeypatch: pytest.MonkeyPatch) -> None:
    """If a changed paper's earlier rows were not removed, the snapshot would hold it twice, with stale facts."""
    feed, out, before = published
    monkeypatch.setattr(Snapshot, "drop_papers", lambda self, paper_ids, keep_run=None: 0)
    with pytest.raises(DataQualityError, match="paper_id not unique across the snapshot.*2400.00002"):
        run_flow([feed], out, batch_size=4)
    assert_nothing_published(out, before)
    manifest = json.loads((out / ".current" / "_manifest.json").read_text())
    assert manifest["summary"]["papers_written"] == 8


def test_the_runs_duckdb_is_capped_and_leaves_no_spill_folder(monkeypatch) -> None:
    """DuckDB's default takes 80% of RAM: the gate and catalogs cap it (and spill to a folder they remove)."""
    from flows.duck import MEMORY_ENV, bounded_duckdb

    monkeypatch.setenv(MEMORY_ENV, "100MB")
    with bounded_duckdb() as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        spill = Path(con.execute("SELECT current_setting('temp_directory')").fetchone()[0])
        assert spill.is_dir()
    assert limit in ("95.3 MiB", "100.0 MB", "100MB")
    assert not spill.exists()
