"""An output folder that cannot be written is one line and exit status 7, on real file systems: a small tmpfs that
fills up (disk full) and a tmpfs remounted read-only. The published tables stay as they were and no staging is left."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import all_tables, run_cli
from tests.flows.synthetic import record, write_jsonl

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs: room for a first small run, not for a second big one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here (needs root and mount rights): {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def published_run(out: Path, prefect_api: str, tmp_path: Path) -> dict:
    """A first run that fits on the disk; returns what readers see of every table."""
    small = write_jsonl(tmp_path / "small.jsonl", (record(k) for k in range(5)))
    result = run_cli(["run", str(small), "--out", str(out), "--quiet"], prefect_api)
    assert result.returncode == 0, result.stderr
    return all_tables(out)


def assert_nothing_changed(out: Path, before: dict, current: str) -> None:
    assert all_tables(out) == before
    assert os.readlink(out / ".current") == current
    assert not list((out / ".versions").glob("*.staging")), "a staging snapshot was left behind"


@pytest.mark.parametrize("runner", [["--task-runner", "local"], ["--task-runner", "process", "--workers", "2"]], ids=["local", "process"])
def test_disk_full_is_one_line_and_status_7(prefect_api: str, tmp_path: Path, small_disk: Path, runner: list[str]) -> None:
    out = small_disk / "out"
    before = published_run(out, prefect_api, tmp_path)
    current = os.readlink(out / ".current")
    big = write_jsonl(tmp_path / "big.jsonl", (record(k) for k in range(1500)))  # ~500 KB of tables: twice the disk
    result = run_cli(["run", str(big), "--out", str(out), "--quiet", "--batch-size", "250", *runner], prefect_api)
    assert result.returncode == 7, result.stderr[-3000:]
    assert result.stderr.splitlines() == [
        f"error: cannot write the output folder {out}: no space left on the file system mounted at {small_disk}; "
        "nothing was published, the tables are as they were"
    ]
    assert_nothing_changed(out, before, current)


def test_read_only_output_is_one_line_and_status_7(prefect_api: str, tmp_path: Path, small_disk: Path) -> None:
    out = small_disk / "out"
    before = published_run(out, prefect_api, tmp_path)
    current = os.readlink(out / ".current")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    more = write_jsonl(tmp_path / "more.jsonl", (record(k) for k in range(5, 10)))
    result = run_cli(["run", str(more), "--out", str(out), "--quiet"], prefect_api)
    assert result.returncode == 7, result.stderr[-3000:]
    assert result.stderr.splitlines() == [
        f"error: cannot write the output folder {out}: the file system mounted at {small_disk} is read-only; "
        "nothing was published, the tables are as they were"
    ]
    assert_nothing_changed(out, before, current)
