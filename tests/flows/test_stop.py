"""A stopped run cleans up after itself: whatever stops `paperfacts run` (SIGKILL of the process or of its process
group, SIGTERM, SIGINT, two SIGINTs) while it is inside extraction, none of the processes it started (its
temporary Prefect server, process-pool workers, a local Dask cluster) outlives it, the tables read as before, and
the next run does the work. SIGTERM and SIGINT end with one line on stderr and statuses 143 and 130.
`paperfacts serve` stopped by SIGTERM pauses its schedule and its flow run in progress ends Crashed or Cancelled.

Each stopped run is the real CLI in its own session without PREFECT_API_URL, so it starts its own server; the
runs before and after it report to the session's server (they only set up and check the tables).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import psutil
import pytest

from tests.conftest import PAPERFACTS, ROOT, all_tables, run_cli, stop_process
from tests.flows.synthetic import record, write_jsonl

pytestmark = pytest.mark.slow

PAPERS, BASE_PAPERS = 400, 20
BATCH = ["--batch-size", "10"]  # 38 batches after the base run: the stop lands with most of them still to do
START_SECONDS = 300  # the run's own Prefect server starts first (slow on a loaded machine)
GONE_SECONDS = 10  # parent-death watchdogs act within about a second; leave room for a loaded machine
LEFTOVERS: dict[str, int] = {}


def line(signame: str) -> str:
    return f"interrupted by {signame}: nothing published; tables unchanged"


def tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Processes that still run (a zombie has exited: it holds no memory and no port)."""
    left = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                left.append(p)
        except psutil.NoSuchProcess:
            pass
    return left


def leftovers(processes: list[psutil.Process], name: str) -> list[psutil.Process]:
    """What is still running GONE_SECONDS after the stop; anything left is killed so it does not outlive the test."""
    deadline = time.monotonic() + GONE_SECONDS
    while (left := alive(processes)) and time.monotonic() < deadline:
        time.sleep(0.2)
    LEFTOVERS[name] = len(left)
    described = []
    for p in left:
        with contextlib.suppress(psutil.Error):
            described.append(" ".join(p.cmdline())[:100])
            p.kill()
    return described


def new_parts(out: Path, before: set[str]) -> list[Path]:
    """Part files of `papers` in a staging snapshot that the base run did not write: the run is inside extraction."""
    return [p for p in out.glob(".versions/*.staging/papers/*.parquet") if p.name not in before]


def wait_inside_extraction(proc: subprocess.Popen, out: Path, before: set[str], must_have: Callable[[list[str]], bool]) -> list[psutil.Process]:
    """Block until a batch of the run has been written to staging; returns the run's process tree at that moment."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the run ended before the stop, with status {proc.returncode}"
        if new_parts(out, before):
            processes = tree(proc.pid)
            if must_have([" ".join(p.cmdline()) for p in alive(processes)]):
                return processes
        time.sleep(0.05)
    raise AssertionError("the run never reached extraction")


@pytest.fixture
def base(prefect_api: str, tmp_path: Path) -> tuple[Path, Path, dict]:
    """A feed of PAPERS abstracts, and an output folder holding a run over the first BASE_PAPERS of them."""
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out"
    write_jsonl(feed, [record(k) for k in range(BASE_PAPERS)])
    result = run_cli(["run", str(feed), "--out", str(out), "--quiet"], prefect_api)
    assert result.returncode == 0, result.stderr
    write_jsonl(feed, [record(k) for k in range(PAPERS)])
    return feed, out, all_tables(out)


def start_own_server_run(feed: Path, out: Path, home: Path, stderr: Path, *extra: str) -> subprocess.Popen:
    """`paperfacts run` in its own session (a supervisor's child), without PREFECT_API_URL. Its stderr goes to a
    file, not a pipe: a pipe would stay open as long as any process that inherited it lives on."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(home)
    cmd = [*PAPERFACTS, "run", str(feed), "--out", str(out), "--quiet", *BATCH, *extra]
    with stderr.open("w") as err:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)


def check_next_run(feed: Path, out: Path, prefect_api: str) -> None:
    result = run_cli(["run", str(feed), "--out", str(out), "--quiet", "--batch-size", "100"], prefect_api)
    assert result.returncode == 0, result.stderr
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM read_parquet('{out}/papers/*.parquet')").fetchone() == (PAPERS,)
    assert con.execute(f"SELECT count(*), max(papers_written) FROM read_parquet('{out}/runs/*.parquet')").fetchone() == (2, PAPERS - BASE_PAPERS)


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)


def kill_group(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)


def term(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGTERM)


def interrupt(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGINT)


def interrupt_twice(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGINT)
    time.sleep(0.5)  # the first one is being handled (batches settling, server stopping) when the second lands
    os.kill(proc.pid, signal.SIGINT)


# way of stopping -> (exit status, stderr) wanted; None: killed, nothing to ask of it
STOPS: dict[str, tuple[Callable[[subprocess.Popen], None], int, str | tuple[str, ...] | None]] = {
    "sigkill": (kill, -signal.SIGKILL, None),
    "sigkill-group": (kill_group, -signal.SIGKILL, None),
    "sigterm": (term, 143, line("SIGTERM")),
    "sigint": (interrupt, 130, line("SIGINT")),
    # the second Ctrl-C stops the clean-up at once; when the clean-up was done before it landed, the run exits as for one
    "sigint-twice": (interrupt_twice, 130, ("interrupted by SIGINT twice: stopped at once; nothing published; tables unchanged", line("SIGINT"))),
}
RUNNERS = {  # extra arguments -> processes the run must have started before the stop
    "local": ((), 0),
    "process-pool": (("--workers", "2"), 2),
    "dask": (("--task-runner", "dask", "--workers", "2"), 2),
}
CASES = [(stop, "local") for stop in STOPS] + [("sigkill", "process-pool"), ("sigkill", "dask"), ("sigterm", "process-pool")]


@pytest.mark.parametrize(("stop", "runner"), CASES, ids=[f"{s}-{r}" for s, r in CASES])
def test_a_stopped_run_leaves_no_process_and_the_tables_as_they_were(
    stop: str, runner: str, base: tuple[Path, Path, dict], prefect_api: str, tmp_path: Path
) -> None:
    feed, out, before = base
    how, status, message = STOPS[stop]
    extra, workers = RUNNERS[runner]
    base_parts = {p.name for p in out.glob("papers/*.parquet")}

    def started_all(cmdlines: list[str]) -> bool:
        return any("prefect server start" in c for c in cmdlines) and sum("spawn_main" in c for c in cmdlines) >= workers

    log = tmp_path / "stderr.log"
    proc = start_own_server_run(feed, out, tmp_path / "prefect-home", log, *extra)
    try:
        processes = wait_inside_extraction(proc, out, base_parts, started_all)
        how(proc)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            kill_group(proc)
    left = leftovers(processes, f"{stop}-{runner}")
    stderr = log.read_text()
    assert not left, f"{len(left)} of the run's {len(processes)} processes outlived it: {left}"
    if message is not None:
        assert proc.returncode == status and stderr.strip() in (message if isinstance(message, tuple) else (message,)), stderr
        assert not list(out.glob(".versions/*.staging")), "an interrupted run left its staging snapshot"
    else:
        assert proc.returncode == status
    assert all_tables(out) == before, "a stopped run changed the tables"
    check_next_run(feed, out, prefect_api)


DEPLOYMENT = "paperfacts-extract/stop-test"


async def start_flow_run() -> str:
    from prefect.client.orchestration import get_client

    from tests.flows.test_serve import wait_for_deployment

    async with get_client() as client:
        deployment = await wait_for_deployment(client, name=DEPLOYMENT)
        return str((await client.create_flow_run_from_deployment(deployment.id)).id)


async def final_state(flow_run_id: str, timeout: float = 60) -> tuple[str, bool]:
    """The flow run's final state name once it is final (or its state at the deadline), and the deployment's pause."""
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        deadline = time.monotonic() + timeout
        while not (flow_run := await client.read_flow_run(flow_run_id)).state.is_final() and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        return flow_run.state.name, (await client.read_deployment_by_name(DEPLOYMENT)).paused


def test_serve_stopped_by_sigterm_pauses_and_ends_its_flow_run(
    base: tuple[Path, Path, dict], prefect_in_process: str, tmp_path: Path
) -> None:
    feed, out, before = base
    base_parts = {p.name for p in out.glob("papers/*.parquet")}
    env = {**os.environ, "PREFECT_API_URL": prefect_in_process, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    args = ["serve", "--cron", "0 6 * * *", str(feed), "--out", str(out), "--name", "stop-test", "--batch-size", "10"]
    log = tmp_path / "serve.log"
    serving = subprocess.Popen([*PAPERFACTS, *args], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        flow_run_id = asyncio.run(start_flow_run())
        processes = wait_inside_extraction(serving, out, base_parts, lambda _: True)
        term(serving)
        serving.wait(timeout=120)
    finally:
        if serving.poll() is None:
            stop_process(serving)
    left = leftovers(processes, "serve-sigterm")
    state, paused = asyncio.run(final_state(flow_run_id))
    assert not left, f"{len(left)} of serve's {len(processes)} processes outlived it: {left}\n{log.read_text()}"
    assert state in ("Cancelled", "Crashed"), f"the flow run in progress was left {state}\n{log.read_text()}"
    assert paused, "stopping serve did not pause the schedule"
    assert all_tables(out) == before, "a stopped flow run changed the tables"
    assert not list(out.glob(".versions/*.staging")), "the stopped flow run left its staging snapshot"
    check_next_run(feed, out, prefect_in_process)


def teardown_module() -> None:
    print(f"\nleftover processes per way of stopping: {LEFTOVERS}", file=sys.stderr)
