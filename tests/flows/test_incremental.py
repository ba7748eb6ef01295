"""Incremental, exactly-once runs: a rerun adds nothing, a changed abstract replaces its paper's facts,
--full-refresh and a rules change re-extract everything, and the runs history says what each run did."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

import extractors.rules as rules
from extractors.schemas import FACT_TABLES, TABLES
from flows.pipeline import ARTIFACT_KEY
from tests.conftest import all_tables, run_flow, table_rows
from tests.flows.synthetic import paper_id, record, write_jsonl

pytestmark = pytest.mark.usefixtures("prefect_in_process")
BAD_LINES = ['{"title": "cut off', json.dumps({"title": "No abstract here"})]
N = 24


def query(out: Path, sql: str) -> list[tuple]:
    con = duckdb.connect()
    for table in TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{out / table}/*.parquet')")
    return con.execute(sql).fetchall()


def facts_by_paper(out: Path, pid: str) -> dict[str, list[tuple]]:
    return {t: query(out, f"SELECT * EXCLUDE (run_id) FROM {t} WHERE paper_id = '{pid}' ORDER BY ALL") for t in FACT_TABLES}


def assert_consistent(out: Path) -> None:
    """One row per paper, and every fact row comes from the run that extracted its paper's current text."""
    assert query(out, "SELECT count(*) - count(DISTINCT paper_id) FROM papers") == [(0,)]
    for table in FACT_TABLES:
        stale = query(out, f"SELECT count(*) FROM {table} f ANTI JOIN papers p USING (paper_id, run_id)")
        assert stale == [(0,)], f"{table} has rows of an earlier extraction"
    for table in ("models", "benchmarks", "results", "repos", "links"):
        bad = query(out, f"""SELECT count(*) FROM {table} t JOIN papers p USING (paper_id)
            WHERE substr(CASE t.field WHEN 'title' THEN p.title ELSE p.abstract END, t.start + 1, t."end" - t.start) <> t.text""")
        assert bad == [(0,)], f"{table} offsets do not match the current text"


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[Path, Path, dict]:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out"
    write_jsonl(feed, [record(k) for k in range(N)], BAD_LINES)
    first = run_flow([feed], out, batch_size=5)
    assert (first["papers_written"], first["papers_skipped"], first["rejected"]) == (N, 0, 2)
    return feed, out, first


def test_rerun_on_the_same_input_adds_zero_rows(loaded: tuple[Path, Path, dict]) -> None:
    feed, out, _ = loaded
    before = all_tables(out)
    again = run_flow([feed], out, batch_size=5)
    assert (again["papers_written"], again["papers_skipped"], again["papers_replaced"], again["rejected"]) == (0, N, 0, 2)
    after = all_tables(out)
    for table in TABLES:
        if table == "runs":
            assert len(after[table]) == len(before[table]) + 1
        elif table == "rejects":  # re-reading a source replaces its earlier rejects: same rows, this run's id
            assert table_rows(out, table, exclude=("run_id",)) == sorted(
                r.replace(f"'{loaded[2]['run_id']}', ", "") for r in before[table]
            )
        else:
            assert after[table] == before[table], f"{table} changed on a rerun"


def test_a_changed_abstract_replaces_the_papers_facts(loaded: tuple[Path, Path, dict]) -> None:
    feed, out, first = loaded
    untouched = facts_by_paper(out, paper_id(7))
    write_jsonl(feed, [record(k, version=1 if k in (3, 11) else 0) for k in range(N)], BAD_LINES)
    second = run_flow([feed], out, batch_size=5)
    assert (second["papers_written"], second["papers_skipped"], second["papers_replaced"]) == (2, N - 2, 2)
    assert query(out, "SELECT count(*) FROM papers") == [(N,)]
    assert_consistent(out)
    for k in (3, 11):
        assert query(out, f"SELECT run_id, abstract LIKE '%Version 1 adds 3.5%' FROM papers WHERE paper_id = '{paper_id(k)}'") == [
            (second["run_id"], True)
        ]
        assert ("3.5%",) in query(out, f"SELECT text FROM results WHERE paper_id = '{paper_id(k)}'")
    assert facts_by_paper(out, paper_id(7)) == untouched
    # a newer version again: the facts that only version 1 had are gone, version 2's are there
    write_jsonl(feed, [record(k, version=2 if k == 3 else 0) for k in range(N)], BAD_LINES)
    third = run_flow([feed], out, batch_size=5)
    assert (third["papers_written"], third["papers_replaced"]) == (2, 2)  # paper 11 went back to version 0
    assert_consistent(out)
    texts = {t for (t,) in query(out, f"SELECT text FROM results WHERE paper_id = '{paper_id(3)}'")}
    assert "3.5%" not in texts and "7.25 points" in texts
    assert query(out, f"SELECT count(*) FROM results WHERE paper_id = '{paper_id(11)}' AND text = '3.5%'") == [(0,)]
    manifest = json.loads((out / ".current" / "_manifest.json").read_text())
    assert manifest["summary"]["papers_replaced"] == 2 and manifest["previous"] == second["run_id"]


def test_full_refresh_reextracts_everything_once(loaded: tuple[Path, Path, dict]) -> None:
    feed, out, first = loaded
    before = {t: table_rows(out, t, exclude=("run_id", "extracted_at") if t == "papers" else ("run_id",)) for t in FACT_TABLES}
    refresh = run_flow([feed], out, batch_size=5, full_refresh=True)
    assert (refresh["papers_written"], refresh["papers_skipped"]) == (N, 0)
    assert query(out, "SELECT DISTINCT run_id FROM papers") == [(refresh["run_id"],)]
    for table in FACT_TABLES:
        assert table_rows(out, table, exclude=("run_id",)) == before[table], f"{table} differs after a full refresh"
    assert_consistent(out)


def test_a_rules_edit_reextracts_on_the_next_run(loaded: tuple[Path, Path, dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Edit a rule file (in a copy of extractors/ that the version function is pointed at): the extractor
    version changes, so the next run re-extracts every paper and replaces its rows."""
    feed, out, first = loaded
    copy = tmp_path / "extractors"
    shutil.copytree(rules.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "numbers" / "units.jsonl").open("a") as handle:
        handle.write("// reviewed again: no rule change, but the file changed\n")
    monkeypatch.setattr(rules, "PACKAGE_DIR", copy)
    rules.extractor_version.cache_clear()
    try:
        new_version = rules.extractor_version()
        assert new_version != query(out, "SELECT DISTINCT extractor_version FROM papers")[0][0]
        bumped = run_flow([feed], out, batch_size=5)
        assert (bumped["papers_written"], bumped["papers_skipped"], bumped["papers_replaced"]) == (N, 0, N)
        assert query(out, "SELECT DISTINCT extractor_version, run_id FROM papers") == [(new_version, bumped["run_id"])]
        assert_consistent(out)
        assert run_flow([feed], out, batch_size=5)["papers_written"] == 0
    finally:
        rules.extractor_version.cache_clear()


def test_runs_history_and_artifact_say_what_each_run_did(loaded: tuple[Path, Path, dict], prefect_in_process: str) -> None:
    import asyncio

    from prefect.client.orchestration import get_client

    feed, out, first = loaded
    write_jsonl(feed, [record(k, version=1 if k == 0 else 0) for k in range(N + 3)], BAD_LINES)
    second = run_flow([feed], out, batch_size=5)
    rows = query(out, "SELECT run_id, inputs, papers_read, papers_written, papers_skipped, rejected, status FROM runs ORDER BY started_at")
    assert rows == [
        (first["run_id"], [str(feed)], N, N, 0, 2, "ok"),
        (second["run_id"], [str(feed)], N + 3, 4, N - 1, 2, "ok"),
    ]
    facts = dict(query(out, f"SELECT unnest(map_keys(facts)), unnest(map_values(facts)) FROM runs WHERE run_id = '{second['run_id']}'"))
    assert facts == {k: v for k, v in second["facts"].items()}

    async def artifact() -> str:
        async with get_client() as client:
            found = await client.read_latest_artifacts()
            return next(a.data for a in found if a.key == ARTIFACT_KEY)

    markdown = asyncio.run(artifact())
    assert second["run_id"] in markdown
    for line in ("| papers read | 27 |", "| papers written | 4 |", f"| papers skipped (unchanged) | {N - 1} |",
                 "| papers replaced (changed) | 1 |", "| records rejected | 2 |"):
        assert line in markdown
