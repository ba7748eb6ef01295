"""Catalog tables after real runs: read back with DuckDB, joined to the fact tables on name, stable across
incremental and full-refresh runs, and the `paperfacts names` command over them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extractors.schemas import CATALOG_TABLES, SCHEMAS
from flows.sql import connect
from tests.conftest import run_cli, run_flow
from tests.flows.synthetic import write_jsonl

pytestmark = pytest.mark.usefixtures("prefect_in_process")

PAPERS = [
    {"id": "2501.00001", "title": "Reasoning at scale", "published": "2025-01-10",
     "abstract": "Our model reaches 43.3% on AIME24 and 81.2% pass@1 on HumanEval+, while Llama-3-8B reaches 12.0% on AIME24."},
    {"id": "2502.00002", "title": "Small models that think", "published": "2025-02-03",
     "abstract": "Meta-Llama-3-8B achieves 14.5% accuracy on AIME 2024 and 60.1% on HumanEval-plus."},
    {"id": "2503.00003", "title": "Embeddings for everything",
     "abstract": "We evaluate on the Massive Text Embedding Benchmark (MTEB). Our encoder tops MTEB with an average score of 70.2."},
    {"id": "2504.00004", "title": "Transformers for images",
     "abstract": "Vision Transformers (ViTs) are strong. We compare ViT-B and ViT-L on ImageNet-1K and IN-1K subsets."},
]


def rows(out: Path, sql: str) -> list[tuple]:
    return connect(out).execute(sql).fetchall()


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "papers.jsonl", PAPERS)


def test_catalogs_read_back_and_join_on_name(feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_flow([feed], out)
    for table in CATALOG_TABLES:
        parts = sorted((out / table).glob("*.parquet"))
        assert parts, table
        con = duckdb.connect()
        assert con.execute(f"SELECT count(*) - count(DISTINCT name) FROM read_parquet('{out / table}/*.parquet')").fetchone() == (0,)
    benchmarks = {r[0]: r[1:] for r in rows(out, "SELECT name, parent, aliases, papers, mentions, results, first_seen FROM benchmark_catalog")}
    assert benchmarks["AIME 2024"][:4] == ("AIME", ["AIME 2024", "AIME24"], 2, 3)
    assert benchmarks["AIME 2024"][5] == "2025-01-10"  # the earliest published date of its papers
    assert benchmarks["HumanEval+"][:3] == ("HumanEval", ["HumanEval+", "HumanEval-plus"], 2)
    assert benchmarks["MTEB"][1] == ["MTEB", "Massive Text Embedding Benchmark"]
    assert benchmarks["ImageNet-1K"][1] == ["IN-1K", "ImageNet-1K"]
    assert benchmarks["AIME 2024"][4] == rows(out, "SELECT count(*) FROM leaderboard WHERE benchmark = 'AIME 2024'")[0][0] >= 1
    models = {r[0]: r[1:] for r in rows(out, "SELECT name, family, aliases, papers, first_seen FROM model_catalog")}
    assert models["Llama 3 8B"][1:3] == (["Llama-3-8B", "Meta-Llama-3-8B"], 2)
    assert "ViTs" not in models and "ViTs" in models["Vision Transformer"][1]  # a generic plural is its family
    # every name of the fact tables has its catalog row, so joins lose nothing
    for facts, column, catalog in (("models", "name", "model_catalog"), ("benchmarks", "name", "benchmark_catalog"),
                                   ("leaderboard", "model", "model_catalog"), ("leaderboard", "benchmark", "benchmark_catalog"),
                                   ("leaderboard", "metric", "metric_catalog")):
        lost = rows(out, f"SELECT count(*) FROM {facts} f ANTI JOIN {catalog} c ON c.name = f.{column} WHERE f.{column} IS NOT NULL")
        assert lost == [(0,)], f"{facts}.{column} rows without a {catalog} row"
    per_benchmark = rows(out, """SELECT c.name, count(*) FROM leaderboard l JOIN benchmark_catalog c ON c.name = l.benchmark
                                 GROUP BY c.name, c.results HAVING count(*) <> c.results""")
    assert per_benchmark == []
    assert rows(out, "SELECT text FROM benchmarks WHERE paper_id = '2501.00001' ORDER BY start")[0] == ("AIME24",)  # text as written
    metrics = rows(out, "SELECT name, results FROM metric_catalog ORDER BY name")
    assert metrics == rows(out, "SELECT metric, count(*) FROM leaderboard WHERE metric IS NOT NULL GROUP BY metric ORDER BY metric")
    assert ("accuracy", 2) in metrics  # `14.5% accuracy on AIME 2024 and 60.1% on HumanEval-plus`: both accuracy


def test_names_are_the_same_incremental_or_full_refresh(feed: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "inc", tmp_path / "full"
    half = write_jsonl(tmp_path / "half.jsonl", PAPERS[:2])
    run_flow([half], first)
    run_flow([feed], first)  # incremental: two papers new
    run_flow([feed], second, full_refresh=True)
    for table in ("models", "benchmarks", "leaderboard", *CATALOG_TABLES):
        columns = [f.name for f in SCHEMAS[table] if f.name not in ("run_id", "first_seen")]
        quoted = ", ".join(f'"{c}"' for c in columns)
        query = f"SELECT {quoted} FROM {table} ORDER BY ALL"
        assert rows(first, query) == rows(second, query), table
    # a paper alone gets the names it gets among others
    alone = tmp_path / "alone"
    run_flow([write_jsonl(tmp_path / "one.jsonl", PAPERS[1:2])], alone)
    query = "SELECT text, name FROM benchmarks WHERE paper_id = '2502.00002' ORDER BY ALL"
    assert rows(alone, query) == rows(first, query)


def test_first_seen_is_kept_from_the_first_run(feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_flow([feed], out)
    con = connect(out)
    con.execute("CREATE TABLE before AS SELECT name, first_seen FROM benchmark_catalog")
    (day,) = con.execute("SELECT first_seen FROM before WHERE name = 'MTEB'").fetchone()  # its paper has no date: the run's day
    assert day is not None and len(day) == 10
    run_flow([feed], out, full_refresh=True)
    assert rows(out, "SELECT first_seen FROM benchmark_catalog WHERE name = 'MTEB'") == [(day,)]


def test_names_command_lists_the_catalog_and_the_suspects(feed: Path, tmp_path: Path, prefect_api: str) -> None:
    out = tmp_path / "out"
    run_flow([feed], out)
    listed = run_cli(["names", "--kind", "benchmark", "--out", str(out)], prefect_api, env={"COLUMNS": "200"})
    assert listed.returncode == 0, listed.stderr
    assert "benchmark_catalog:" in listed.stdout and "AIME 2024" in listed.stdout and "AIME24" in listed.stdout
    assert "model_catalog" not in listed.stdout
    bad = run_cli(["names", "--kind", "dataset", "--out", str(out)], prefect_api)
    assert bad.returncode == 2 and "unknown kind 'dataset'" in bad.stderr
    # spellings no rule folds (a hyphen inside a word, a typo): suspect pairs for a user to confirm
    odd = write_jsonl(tmp_path / "odd.jsonl", [
        {"id": "2505.00005", "title": "A", "abstract": "We release ZorbBench, a benchmark. Our model scores 50.1% on ZorbBench."},
        {"id": "2505.00006", "title": "B", "abstract": "We evaluate on the Zorb-Bench benchmark and the ZorbBnch benchmark."},
    ])
    run_flow([odd], out)
    suspects = run_cli(["names", "--suspects", "--out", str(out)], prefect_api, env={"COLUMNS": "200"})
    assert suspects.returncode == 0, suspects.stderr
    assert "ZorbBench" in suspects.stdout and "ZorbBnch" in suspects.stdout and "close key" in suspects.stdout
    assert "HumanEval+" not in suspects.stdout


def test_quality_gate_refuses_a_name_without_its_catalog_row(feed: Path, tmp_path: Path) -> None:
    import shutil

    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from flows.quality import DataQualityError, check_snapshot

    out = tmp_path / "out"
    run_flow([feed], out)
    staged = tmp_path / "staged"
    shutil.copytree((out / ".current").resolve(), staged)
    for part in (staged / "model_catalog").glob("*.parquet"):
        table = pq.read_table(part)
        part.unlink()
        pq.write_table(table.filter(pc.not_equal(table["name"], "Llama 3 8B")), part)
    with pytest.raises(DataQualityError, match=r"model_catalog: names of models.name without a catalog row: \['Llama 3 8B'\]"):
        check_snapshot(staged)

