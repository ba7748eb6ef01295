"""Shared fixtures: a real Prefect server for the session, the CLI as a subprocess, the seed run's tables."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from flows.local_server import free_port, start_prefect_server, stop_process  # noqa: F401 - re-exported for tests

# Hypothesis draws new random examples on every run. The `ci` profile (the default) keeps the suite fast;
# HYPOTHESIS_PROFILE=nightly runs many more. A test's count is the profile's max_examples (a flow run per
# example), or a multiple of it for cheap tests (`examples`). A failure prints the blob that reproduces it.
settings.register_profile("ci", max_examples=8, deadline=None, print_blob=True)
settings.register_profile("nightly", max_examples=200, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(per_flow_example: int) -> int:
    """Examples for a test that costs about 1/per_flow_example of a flow run, under the loaded profile."""
    return per_flow_example * settings.default.max_examples

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "trending_papers.txt"
PAPERFACTS = [sys.executable, "-m", "flows.cli"]


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory):
    """A real Prefect server for the whole session; every flow run in the tests reports to it."""
    home = tmp_path_factory.mktemp("prefect-home")
    proc, url = start_prefect_server(home)
    old = {k: os.environ.get(k) for k in ("PREFECT_API_URL", "PREFECT_HOME")}
    os.environ["PREFECT_API_URL"] = url
    os.environ["PREFECT_HOME"] = str(home)
    yield url
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    stop_process(proc)


def run_cli(args: list[str], prefect_api: str, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """The real command line in a subprocess, reporting to the session's Prefect server."""
    env = {**os.environ, "PREFECT_API_URL": prefect_api, **kwargs.pop("env", {})}
    return subprocess.run([*PAPERFACTS, *args], cwd=kwargs.pop("cwd", ROOT), env=env, capture_output=True, text=True, timeout=timeout, **kwargs)


@pytest.fixture(scope="session")
def seed_out(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tables from one CLI run over data/ (the embedded seed page)."""
    out = tmp_path_factory.mktemp("seed-out")
    shutil.rmtree(out)
    result = run_cli(["run", "--out", str(out)], prefect_api)
    assert result.returncode == 0, result.stderr + result.stdout
    return out


@pytest.fixture
def prefect_in_process(prefect_api: str):
    """In-process flow calls report to the session's server (Prefect reads PREFECT_API_URL once, at import)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        yield prefect_api
        # send buffered logs and events now: after the session server stops they would be retried at exit
        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogWorker

        APILogWorker.drain_all(timeout=10, at_exit=False)
        EventsWorker.drain_all(timeout=10, at_exit=False)


def run_flow(inputs: list[str | Path], out: Path, **options) -> dict:
    """The real flow in this process with the CLI's default (one local worker) task runner; `options` as RunOptions."""
    from flows.options import RunOptions
    from flows.pipeline import extract_papers
    from flows.runners import make_task_runner

    flow = extract_papers.with_options(task_runner=make_task_runner("local", 1))
    return flow(options=RunOptions(inputs=tuple(str(i) for i in inputs), out=str(out), **options))


def table_rows(out: Path, table: str, exclude: tuple[str, ...] = ()) -> list[str]:
    """A table as readers see it (DuckDB over <out>/<table>/*.parquet): sorted row reprs, `exclude` columns left out."""
    import duckdb

    cols = "* EXCLUDE (" + ", ".join(f'"{c}"' for c in exclude) + ")" if exclude else "*"
    rows = duckdb.connect().execute(f"SELECT {cols} FROM read_parquet('{out / table}/*.parquet')").fetchall()
    return sorted(repr(r) for r in rows)


def all_tables(out: Path) -> dict[str, list[str]]:
    """Every table as readers see it; a missing table reads as None (as before a first run)."""
    from extractors.schemas import TABLES

    seen: dict[str, list[str] | None] = {}
    for table in TABLES:
        seen[table] = table_rows(out, table) if any((out / table).glob("*.parquet")) else None
    return seen
