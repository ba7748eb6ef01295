"""`paperfacts serve`: the extract flow as a Prefect deployment that runs on a cron schedule.

The serving process registers the deployment (flow `paperfacts-extract`, deployment NAME) with the Prefect
API named by PREFECT_API_URL, then executes its scheduled runs, and runs triggered from the UI or API,
until it is stopped. Each run is the same flow as `paperfacts run`: incremental, locked, all-or-nothing.
On shutdown the schedule is paused, so runs do not pile up while nothing serves them.
With `--source`, the deployment is of flow `paperfacts-live`: the same flow, whose runs fetch (subflow
`paperfacts-fetch`, what for: flows/sources/scheduled.py), then extract.
"""

from __future__ import annotations

import os
from dataclasses import replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prefect.schedules import Cron, Schedule

from flows.options import RunOptions

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


def served_options(options: RunOptions) -> RunOptions:
    """The options with absolute paths: the served runs must not depend on the server's working folder.

    Inputs stay patterns (folders and globs are resolved again by every run, so new files are picked up).
    """
    return replace(
        options, inputs=tuple(os.path.abspath(i) for i in options.inputs), out=os.path.abspath(options.out),
        raw_dir=os.path.abspath(options.raw_dir), max_in_flight=2,
    )


def serve(name: str, schedule: Schedule, options: RunOptions) -> None:
    """Register the deployment with its schedule and execute its runs until interrupted (blocks).

    With a live `source` the flow is served as `paperfacts-live` (each run fetches, then extracts), else as
    `paperfacts-extract`; either way it is the one extract flow, with the run options as its one parameter.
    """
    from flows.pipeline import extract_papers
    from flows.runners import make_task_runner

    if options.source is not None:
        name_of_flow, what = "paperfacts-live", f"Scheduled fetch of {options.source}, then incremental extraction (paperfacts serve --source)."
    else:
        name_of_flow, what = "paperfacts-extract", "Incremental extraction of paper facts into Parquet tables (paperfacts serve)."
    flow = extract_papers.with_options(name=name_of_flow, task_runner=make_task_runner("local", 1))
    flow.serve(
        name=name,
        schedules=[schedule],
        parameters={"options": served_options(options)},
        description=what,
        tags=["paperfacts"],
        pause_on_shutdown=True,
        print_starting_message=False,
    )
