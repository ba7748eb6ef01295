"""The flow end to end through the real CLI: tables read back with DuckDB, offsets reproduce the text."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from extractors.schemas import SCHEMAS, TABLES
from tests.conftest import run_cli

pytestmark = pytest.mark.slow


def query(out: Path, sql: str) -> list[tuple]:
    con = duckdb.connect()
    for table in TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{out / table}/*.parquet', union_by_name=true)")
    return con.execute(sql).fetchall()


def test_every_table_exists_with_its_schema(seed_out: Path) -> None:
    for table in TABLES:
        parts = sorted((seed_out / table).glob("*.parquet"))
        assert parts, f"{table} has no part file"
        for part in parts:
            assert pq.read_schema(part).remove_metadata().equals(SCHEMAS[table]), table


def test_seed_papers_all_written(seed_out: Path) -> None:
    assert query(seed_out, "SELECT count(*), count(DISTINCT paper_id) FROM papers") == [(251, 251)]
    assert query(seed_out, "SELECT count(*) FROM rejects") == [(0,)]


@pytest.mark.parametrize("table", ["models", "benchmarks", "results", "repos", "links"])
def test_offsets_reproduce_the_text(seed_out: Path, table: str) -> None:
    bad = query(
        seed_out,
        f"""SELECT t.paper_id, t.text FROM {table} t JOIN papers p USING (paper_id)
            WHERE substr(CASE t.field WHEN 'title' THEN p.title ELSE p.abstract END, t.start + 1, t."end" - t.start) <> t.text""",
    )
    assert bad == []
    assert query(seed_out, f"SELECT count(*) FROM {table}")[0][0] > 0


def test_every_fact_row_names_its_rule(seed_out: Path) -> None:
    for table in ("models", "benchmarks", "results", "repos", "links"):
        assert query(seed_out, f"SELECT count(*) FROM {table} WHERE rule IS NULL OR rule = ''") == [(0,)]


def test_known_facts_of_the_deepseek_v3_report(seed_out: Path) -> None:
    pid = query(seed_out, "SELECT paper_id FROM papers WHERE title = 'DeepSeek-V3 Technical Report'")[0][0]
    repos = query(seed_out, f"SELECT owner || '/' || repo FROM repos WHERE paper_id = '{pid}'")
    assert repos == [("deepseek-ai/DeepSeek-V3",)]
    results = dict(query(seed_out, f"SELECT text, kind FROM results WHERE paper_id = '{pid}'"))
    assert results.get("671B") == "size" and results.get("2.788M") == "efficiency"
    scale = query(seed_out, f"SELECT value, scale FROM results WHERE paper_id = '{pid}' AND text = '2.788M'")
    assert scale == [(2.788, 1e6)]
    assert ("DeepSeek-V3",) in query(seed_out, f"SELECT text FROM models WHERE paper_id = '{pid}'")


def test_run_history_and_rerun_adds_nothing(seed_out: Path, prefect_api: str) -> None:
    before = query(seed_out, "SELECT count(*) FROM models")[0][0]
    result = run_cli(["run", "--out", str(seed_out), "--quiet"], prefect_api)
    assert result.returncode == 0, result.stderr
    assert query(seed_out, "SELECT count(*) FROM models")[0][0] == before
    runs = query(seed_out, "SELECT papers_written, papers_skipped, status FROM runs ORDER BY started_at")
    assert runs[-1] == (0, 251, "ok")


def test_missing_input_is_a_one_line_error(prefect_api: str, tmp_path: Path) -> None:
    result = run_cli(["run", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")], prefect_api)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: input not found: {tmp_path / 'nope.jsonl'}"]


def test_bad_records_land_in_rejects_and_the_rest_goes_on(prefect_api: str, tmp_path: Path) -> None:
    src = tmp_path / "mixed.jsonl"
    good = {"title": "A good paper", "abstract": "We introduce FooNet, reaching 90.1% top-1 accuracy on ImageNet-1K."}
    src.write_text(json.dumps(good) + "\n" + '{"title": "cut\n' + json.dumps({"title": "No abstract"}) + "\n")
    out = tmp_path / "o"
    result = run_cli(["run", str(src), "--out", str(out)], prefect_api)
    assert result.returncode == 0, result.stderr
    assert "2 record(s) rejected" in result.stderr
    assert query(out, "SELECT position, reason FROM rejects ORDER BY position") == [
        ("line 2", "malformed JSON: Unterminated string starting at (column 11)"),
        ("line 3", "missing abstract"),
    ]
    strict = run_cli(["run", str(src), "--out", str(tmp_path / "o2"), "--strict"], prefect_api)
    assert strict.returncode == 5 and "strict" in strict.stderr


def test_eval_command_scores_a_run_of_annotated_abstracts(prefect_api: str, tmp_path: Path) -> None:
    """`paperfacts run` then `paperfacts eval` on the held-out set: every gold paper is matched, and the figures
    are those of extracting the same abstracts directly, above the set's F1 floors."""
    from extractors.evaluation import score
    from flows.readers import read_path
    from flows.records import Paper
    from tests.extractors.test_evaluation import FLOORS, GOLD, _write_tables

    out, figures = tmp_path / "out", tmp_path / "figures.json"
    ran = run_cli(["run", str(GOLD / "unseen_papers.jsonl"), "--out", str(out), "--quiet"], prefect_api)
    assert ran.returncode == 0, ran.stderr
    result = run_cli(["eval", "--gold", str(GOLD / "unseen_gold.jsonl"), "--out", str(out), "--json", str(figures)], prefect_api)
    assert result.returncode == 0, result.stderr
    _write_tables([r for r in read_path(GOLD / "unseen_papers.jsonl") if isinstance(r, Paper)], tmp_path / "direct")
    direct = score(GOLD / "unseen_gold.jsonl", tmp_path / "direct")
    got = json.loads(figures.read_text())
    assert got == json.loads(json.dumps({k: v for k, v in direct.items() if k != "errors"}))
    assert got["papers"] == {"gold": 40, "found": 40} and "papers found 40/40" in result.stdout
    for kind, floor in FLOORS["unseen"].items():
        r = got[kind]
        assert r["tp"] > 0 and r["f1"] >= floor, (kind, r)
        assert f"{kind:16s} {r['precision']:7.3f} {r['recall']:7.3f} {r['f1']:7.3f}   {r['tp']}/{r['fp']}/{r['fn']}" in result.stdout


def test_run_without_a_prefect_server_starts_one_and_prints_no_noise(tmp_path: Path) -> None:
    """The README's main command: no PREFECT_API_URL, so the CLI starts a local server and stops it cleanly."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "home")
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps({"title": "T", "abstract": "FooNet reaches 90.1% top-1 accuracy on ImageNet-1K."}) + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(src), "--out", str(tmp_path / "o")],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "papers written" in result.stdout
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr
    assert (tmp_path / "home" / "server" / "server.log").exists()
