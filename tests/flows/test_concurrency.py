"""Two real runs on one output folder: the second exits with a clear message (code 3) or, with --lock-wait,
waits for the first and then finishes; the tables stay consistent either way.

The first run is held inside its locked section with SIGSTOP (a stand-in for a long extraction), so the
overlap is certain rather than a matter of timing; SIGCONT lets it finish.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PAPERFACTS, ROOT
from tests.flows.synthetic import record, write_jsonl

pytestmark = pytest.mark.slow
N = 60


def start(args: list[str], api: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PREFECT_API_URL": api}
    return subprocess.Popen([*PAPERFACTS, *args], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def holds_open(pid: int, path: Path) -> bool:
    """The process has `path` open (the lock file: it has reached the lock step of its run)."""
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_second_run_exits_or_waits_and_tables_stay_consistent(prefect_api: str, tmp_path: Path) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out"
    write_jsonl(feed, [record(k) for k in range(N)])
    args = ["run", str(feed), "--out", str(out), "--batch-size", "10", "--quiet"]
    first = start(args, prefect_api, tmp_path / "first.log")
    try:
        wait_for(lambda: any((out / ".versions").glob("*.staging")) or first.poll() is not None, 240, "the first run to take the lock")
        os.kill(first.pid, signal.SIGSTOP)
        assert first.poll() is None, (tmp_path / "first.log").read_text()

        waiting = start([*args, "--lock-wait", "300"], prefect_api, tmp_path / "waiting.log")
        second = subprocess.run([*PAPERFACTS, *args], cwd=ROOT, env={**os.environ, "PREFECT_API_URL": prefect_api},
                                capture_output=True, text=True, timeout=240)
        assert second.returncode == 3, second.stderr
        assert f"another paperfacts run is writing to {out}" in second.stderr and "Traceback" not in second.stderr

        wait_for(lambda: holds_open(waiting.pid, (out / ".lock").resolve()) or waiting.poll() is not None, 240, "the waiting run to reach the lock")
        time.sleep(1.0)
        assert waiting.poll() is None, "--lock-wait did not wait: " + (tmp_path / "waiting.log").read_text()
        assert not (out / ".current").exists(), "something was published while the first run held the lock"
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert first.wait(timeout=240) == 0, (tmp_path / "first.log").read_text()
    assert waiting.wait(timeout=240) == 0, (tmp_path / "waiting.log").read_text()

    con = duckdb.connect()
    papers = con.execute(f"SELECT count(*), count(DISTINCT paper_id) FROM read_parquet('{out}/papers/*.parquet')").fetchall()
    assert papers == [(N, N)]
    runs = con.execute(f"SELECT papers_written, papers_skipped, status FROM read_parquet('{out}/runs/*.parquet') ORDER BY started_at").fetchall()
    assert runs == [(N, 0, "ok"), (0, N, "ok")]
    models = con.execute(f"SELECT count(*) FROM read_parquet('{out}/models/*.parquet') m ANTI JOIN read_parquet('{out}/papers/*.parquet') p USING (paper_id, run_id)").fetchall()
    assert models == [(0,)]
