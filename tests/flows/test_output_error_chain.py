"""The output-write error is found wherever it sits in the chain a flow failure carries, and only when it concerns the output."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

from flows.output_errors import output_write_error


def raised(make: Callable[[], None]) -> BaseException:
    try:
        make()
    except BaseException as exc:  # noqa: BLE001 - the test keeps whatever was raised
        return exc
    raise AssertionError("nothing raised")


def test_disk_full_is_found_behind_wrappers_and_groups(tmp_path: Path) -> None:
    full = OSError(errno.ENOSPC, "Error writing bytes to file. Detail: [errno 28] No space left on device")  # as pyarrow raises it

    def wrapped() -> None:
        try:
            raise full
        except OSError as exc:
            raise RuntimeError("task failed") from exc

    def during() -> None:
        try:
            raise full
        except OSError:
            raise ValueError("while cleaning up")  # noqa: B904 - the OSError is the context, not the cause

    assert output_write_error(raised(wrapped), tmp_path) is full
    assert output_write_error(raised(during), tmp_path) is full
    assert output_write_error(ExceptionGroup("batches", [ValueError("x"), full]), tmp_path) is full


def test_permission_errors_count_only_inside_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    inside = PermissionError(errno.EACCES, "Permission denied", str(out / ".lock"))
    elsewhere = PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "input.jsonl"))
    assert output_write_error(inside, out) is inside
    assert output_write_error(elsewhere, out) is None
    assert output_write_error(OSError(errno.ENOSPC, "No space left on device", "/var/other/file"), out) is None
    assert output_write_error(ValueError("not an OS error"), out) is None
