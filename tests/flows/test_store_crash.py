"""Atomic commit, deterministically: the on-disk states a killed run can leave are built directly, then
readers (DuckDB over <out>/<table>/*.parquet) must see exactly the previous snapshot, and the next real
run must sweep the leftovers and finish the work."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from extractors.schemas import TABLES
from flows.extract import extract_to_parts
from flows.readers import read_path
from flows.records import Paper
from flows.store import CURRENT, Snapshot, Store, StoreCorrupt
from tests.conftest import all_tables, run_cli, run_flow, table_rows
from tests.flows.synthetic import paper_id, record, write_jsonl

pytestmark = pytest.mark.usefixtures("prefect_in_process")


def papers_of(path: Path) -> list[Paper]:
    return [r for r in read_path(path) if isinstance(r, Paper)]


def file_digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def stage_by_hand(store: Store, run_id: str) -> Snapshot:
    """A staging folder as a run starts it (hard links to the current parts), made without `begin`'s sweep."""
    staging = store.versions / f"{run_id}.staging"
    current = store.current_dir()
    for table in TABLES:
        (staging / table).mkdir(parents=True)
        if current is not None:
            for part in (current / table).glob("*.parquet"):
                os.link(part, staging / table / part.name)
    return Snapshot(store, run_id, staging, previous=current.name if current else None)


def query(out: Path, sql: str) -> list[tuple]:
    return duckdb.sql(sql.format(out=out)).fetchall()


def leftovers(out: Path) -> list[str]:
    found = [p.name for p in (out / ".versions").glob("*.staging")]
    found += [p.name for p in out.glob(f"{CURRENT}.*.tmp")]
    return found


def test_every_half_written_state_reads_as_the_previous_snapshot(tmp_path: Path) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out"
    write_jsonl(feed, [record(k) for k in range(30)])
    first = run_flow([feed], out, batch_size=8)
    store = Store(out)
    published = store.current_dir()
    before, published_bytes = all_tables(out), file_digests(published)
    new_papers = papers_of(write_jsonl(tmp_path / "new.jsonl", [record(k) for k in range(30, 40)]))
    now = datetime.now(UTC)

    # 1. killed after sealing: a complete version that `.current` never pointed to, and the temporary link
    #    the swap would have renamed
    sealed = stage_by_hand(store, "20990101T000001-sealed")
    extract_to_parts(new_papers, sealed.staging, "part-20990101T000001-sealed-00000", sealed.run_id, now)
    orphan = sealed.seal({"run_id": sealed.run_id})
    os.symlink(Path(".versions") / orphan.name, out / f"{CURRENT}.{sealed.run_id}.tmp")
    # 2. killed during a --full-refresh: every part unlinked from staging (they are hard links)
    refresh = stage_by_hand(store, "20990101T000002-refresh")
    refresh.drop_all()
    # 3. killed mid-run: replaced papers' parts rewritten, new parts written, one half-written, one temporary
    partial = stage_by_hand(store, "20990101T000003-partial")
    extract_to_parts(new_papers[:5], partial.staging, "part-20990101T000003-partial-00000", partial.run_id, now)
    partial.drop_papers({paper_id(0), paper_id(1)}, keep_run=partial.run_id)
    whole = partial.staging / "papers" / "part-20990101T000003-partial-00000.parquet"
    cut = partial.staging / "papers" / "part-20990101T000003-partial-00001.parquet"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    (partial.staging / "models" / ".part-20990101T000003-partial-00001.parquet.tmp").write_bytes(b"PAR1\x00")
    # 4. a temporary link to a version that does not exist (killed between symlink and rename of a staging)
    os.symlink(Path(".versions") / "20990101T000004-gone", out / f"{CURRENT}.20990101T000004-gone.tmp")

    assert store.current_dir() == published
    assert all_tables(out) == before
    assert file_digests(published) == published_bytes, "staging work changed bytes of the published snapshot"

    second = run_flow([feed, tmp_path / "new.jsonl"], out, batch_size=8)
    assert leftovers(out) == []
    assert sorted(p.name for p in (out / ".versions").iterdir()) == sorted([published.name, second["run_id"]])
    assert second["papers_written"] == 10 and second["papers_skipped"] == 30
    assert query(out, "SELECT paper_id FROM read_parquet('{out}/papers/*.parquet') ORDER BY 1") == [(paper_id(k),) for k in range(40)]
    runs = query(out, "SELECT run_id FROM read_parquet('{out}/runs/*.parquet') ORDER BY 1")
    assert runs == sorted([(first["run_id"],), (second["run_id"],)])


def test_first_run_killed_before_the_swap_leaves_no_tables(tmp_path: Path) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out"
    write_jsonl(feed, [record(k) for k in range(12)])
    store = Store(out)
    with store.lock():
        snapshot = store.begin("20990101T000001-first0")
    extract_to_parts(papers_of(feed), snapshot.staging, "part-20990101T000001-first0-00000", snapshot.run_id, datetime.now(UTC))
    snapshot.seal({"run_id": snapshot.run_id})
    for table in TABLES:  # killed inside publish: table links made, `.current` not yet
        os.symlink(Path(CURRENT) / table, out / table)
    assert all_tables(out) == dict.fromkeys(TABLES)

    result = run_flow([feed], out, batch_size=5)
    assert result["papers_written"] == 12
    assert [p.name for p in (out / ".versions").iterdir()] == [result["run_id"]]
    assert len(table_rows(out, "papers")) == 12


def test_a_reader_that_listed_the_old_snapshot_never_reads_new_bytes(tmp_path: Path) -> None:
    """Part names are never reused for other content, so a listing taken before a commit and opened after it
    yields the old bytes or no file, not a mix of two runs."""
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out"
    write_jsonl(feed, [record(k) for k in range(20)])
    run_flow([feed], out, batch_size=4)
    listed = {p: p.read_bytes() for table in TABLES for p in sorted((out / table).glob("*.parquet"))}
    write_jsonl(feed, [record(k, version=1 if k in (2, 9) else 0) for k in range(20)])
    result = run_flow([feed], out, batch_size=4)
    assert result["papers_replaced"] == 2
    vanished = 0
    for path, old in listed.items():
        try:
            assert path.read_bytes() == old, f"{path} was reused for different content"
        except FileNotFoundError:
            vanished += 1
    assert vanished, "the replacing run rewrote no part: the test did not exercise a rewrite"


def test_a_current_link_to_a_missing_version_is_refused(tmp_path: Path, prefect_in_process: str) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out"
    write_jsonl(feed, [record(k) for k in range(5)])
    run_flow([feed], out)
    current = Store(out).current_dir()
    os.rename(current, current.with_name("moved-away"))
    with pytest.raises(StoreCorrupt, match="does not exist"):
        run_flow([feed], out)
    cli = run_cli(["run", str(feed), "--out", str(out), "--quiet"], prefect_in_process)
    assert cli.returncode == 2 and "does not exist; restore it" in cli.stderr and "Traceback" not in cli.stderr
    assert sorted(p.name for p in (out / ".versions").iterdir()) == ["moved-away"]


def test_sealed_parts_are_complete_parquet_files(tmp_path: Path) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out"
    write_jsonl(feed, [record(k) for k in range(6)])
    result = run_flow([feed], out, batch_size=2)
    version = out / ".versions" / result["run_id"]
    manifest_tables = json.loads((version / "_manifest.json").read_text())["tables"]
    for table in TABLES:
        names = sorted(p.name for p in (version / table).glob("*.parquet"))
        assert names == sorted(manifest_tables[table])
        for name in names:
            pq.read_metadata(version / table / name)  # raises on a torn file


def test_a_corrupt_manifest_of_the_current_snapshot_is_refused(tmp_path: Path, prefect_in_process: str) -> None:
    """The manifest names the previous snapshot (kept for readers that still have it open): a damaged one is a
    one-line error naming the file, not an empty manifest, and nothing is written or swept."""
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out"
    write_jsonl(feed, [record(k) for k in range(5)])
    run_flow([feed], out)
    write_jsonl(feed, [record(k) for k in range(7)])
    run_flow([feed], out)
    manifest = Store(out).current_dir() / "_manifest.json"
    manifest.write_text(manifest.read_text()[:40])  # cut off, as by a full disk or a bad copy
    before, versions = all_tables(out), sorted(p.name for p in (out / ".versions").iterdir())
    with pytest.raises(StoreCorrupt, match="manifest is corrupt"):
        run_flow([feed], out)
    cli = run_cli(["run", str(feed), "--out", str(out), "--quiet"], prefect_in_process)
    assert cli.returncode == 2, cli.stderr
    lines = cli.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {manifest}: the current snapshot's manifest is corrupt ("), lines
    assert all_tables(out) == before
    assert sorted(p.name for p in (out / ".versions").iterdir()) == versions and len(versions) == 2
