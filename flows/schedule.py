"""`paperfacts serve`: the extract flow as a Prefect deployment that runs on a cron schedule.

The serving process registers the deployment (flow `paperfacts-extract`, deployment NAME) with the Prefect
API named by PREFECT_API_URL, then executes its scheduled runs, and runs triggered from the UI or API,
until it is stopped. Each run is the same flow as `paperfacts run`: incremental, locked, all-or-nothing.
On shutdown the schedule is paused, so runs do not pile up while nothing serves them.
With `--source`, the deployment is of flow `paperfacts-live` (flows/sources/scheduled.py): fetch, then extract.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prefect.schedules import Cron, Schedule

DEFAULT_NAME = "nightly"


class ScheduleError(ValueError):
    """A cron string or time zone the scheduler would not accept."""


def cron_schedule(cron: str, timezone: str = "UTC") -> Schedule:
    """A validated cron schedule; the time zone decides what '6 am' means and follows daylight saving."""
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"unknown time zone {timezone!r} (use an IANA name such as UTC or Europe/Berlin)") from None
    try:
        return Cron(cron, timezone=timezone)
    except ValueError as exc:
        raise ScheduleError(f"invalid cron expression {cron!r}: {exc}") from None


def run_parameters(
    inputs: list[str], out: Path, fmt: str | None = None, batch_size: int = 1000, strict: bool = False, lock_wait: float = 0.0
) -> dict[str, Any]:
    """Flow parameters with absolute paths: the served runs must not depend on the server's working folder.

    Inputs stay patterns (folders and globs are resolved again by every run, so new files are picked up).
    """
    return {
        "inputs": [os.path.abspath(i) for i in inputs],
        "out": os.path.abspath(out),
        "fmt": fmt,
        "batch_size": batch_size,
        "strict": strict,
        "max_in_flight": 2,
        "lock_wait_seconds": lock_wait,
    }


def live_parameters(
    source: str, out: Path, raw_dir: Path, timezone: str = "UTC", category: str | None = None, max_results: int = 100,
    since: date | None = None, api_url: str | None = None, fmt: str | None = None, batch_size: int = 1000,
    strict: bool = False, lock_wait: float = 0.0,
) -> dict[str, Any]:
    """Parameters of the `paperfacts-live` flow (serve --source): what to fetch, where, and the extract options."""
    extract = run_parameters([], out, fmt, batch_size, strict, lock_wait)
    del extract["inputs"]
    return {
        **extract,
        "source": source,
        "raw_dir": os.path.abspath(raw_dir),
        "timezone": timezone,
        "category": category,
        "max_results": max_results,
        "since": since.isoformat() if since else None,
        "api_url": api_url,
    }


def serve(name: str, schedule: Schedule, parameters: dict[str, Any]) -> None:
    """Register the deployment with its schedule and execute its runs until interrupted (blocks).

    Parameters with a `source` serve the `paperfacts-live` flow (fetch, then extract); others `paperfacts-extract`.
    """
    from flows.pipeline import extract_papers
    from flows.runners import make_task_runner

    if "source" in parameters:
        from flows.sources.scheduled import fetch_and_extract

        flow, what = fetch_and_extract, f"Scheduled fetch of {parameters['source']}, then incremental extraction (paperfacts serve --source)."
    else:
        flow = extract_papers.with_options(task_runner=make_task_runner("local", 1))
        what = "Incremental extraction of paper facts into Parquet tables (paperfacts serve)."
    flow.serve(
        name=name,
        schedules=[schedule],
        parameters=parameters,
        description=what,
        tags=["paperfacts"],
        pause_on_shutdown=True,
        print_starting_message=False,
    )
