"""Parallel extraction gives the single-process tables: `--workers 2` (process pool) and a real Dask cluster."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extractors.schemas import FACT_TABLES
from flows.readers import read_path
from flows.records import Paper
from tests.conftest import PAPERFACTS, ROOT, SEED, run_cli

pytestmark = pytest.mark.slow

BATCH = ["--batch-size", "15"]  # 120 seed papers make 8 batches to spread over the workers
VOLATILE = ("run_id", "extracted_at")


def rows(out: Path, table: str) -> list[str]:
    """A table's rows without run_id/extracted_at, sorted: equal for equal extraction whatever the batching."""
    parts = sorted((out / table).glob("*.parquet"))
    data = pa.concat_tables([pq.read_table(p) for p in parts])
    data = data.drop_columns([c for c in VOLATILE if c in data.column_names])
    return sorted(repr(sorted(r.items())) for r in data.to_pylist())


def assert_same_tables(got: Path, want: Path) -> None:
    for table in ("papers", *FACT_TABLES):
        expected = rows(want, table)
        assert expected or table not in ("papers", "models", "benchmarks", "results"), f"{table} is empty in the single-process run"
        assert rows(got, table) == expected, table


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 120 papers of the seed page as JSONL."""
    papers = [r for r in read_path(SEED) if isinstance(r, Paper)][:120]
    path = tmp_path_factory.mktemp("corpus") / "papers.jsonl"
    path.write_text("".join(json.dumps({"title": p.title, "abstract": p.abstract}) + "\n" for p in papers))
    return path


@pytest.fixture(scope="module")
def single_out(corpus: Path, prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("single") / "out"
    result = run_cli(["run", str(corpus), "--out", str(out), "--workers", "1", *BATCH, "--quiet"], prefect_api)
    assert result.returncode == 0, result.stderr
    return out


def test_two_worker_processes_give_the_single_process_tables(corpus: Path, single_out: Path, prefect_api: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    cmd = [*PAPERFACTS, "run", str(corpus), "--out", str(out), "--workers", "2", *BATCH, "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers_seen = 0
    while proc.poll() is None:  # the pool's worker processes are children of the CLI process
        try:
            children = psutil.Process(proc.pid).children(recursive=True)
            workers_seen = max(workers_seen, sum("spawn_main" in " ".join(c.cmdline()) for c in children))
        except psutil.Error:
            pass
        time.sleep(0.2)
    _, stderr = proc.communicate()
    assert proc.returncode == 0, stderr
    assert workers_seen == 2
    assert_same_tables(out, single_out)


def test_a_real_dask_cluster_gives_the_single_process_tables(corpus: Path, single_out: Path, prefect_api: str, tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        out = tmp_path / "out"
        args = ["run", str(corpus), "--out", str(out), "--task-runner", "dask", "--dask-address", cluster.scheduler_address, *BATCH, "--quiet"]
        result = run_cli(args, prefect_api)
        assert result.returncode == 0, result.stderr

        def pipeline_built() -> bool:
            from extractors.pipeline import shared_nlp

            return shared_nlp.cache_info().currsize == 1

        built = client.run(pipeline_built)  # each worker process built its own pipeline and extracted batches
        assert len(built) == 2 and all(built.values()), built
    assert_same_tables(out, single_out)


def test_an_unreachable_cluster_is_a_one_line_error(prefect_api: str, tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_cli(["run", str(SEED), "--out", str(tmp_path / "o"), "--dask-address", f"tcp://127.0.0.1:{port}"], prefect_api)
    assert result.returncode == 2
    assert "cannot reach the Dask scheduler" in result.stderr and "Traceback" not in result.stderr
