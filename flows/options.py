"""What one run is asked to do: every option of `paperfacts run` (and of the runs `paperfacts serve` schedules)
in one value, built once by the command line and handed to the flow as its only parameter.

A frozen dataclass of plain values (strings, numbers, dates): Prefect validates it from a deployment's JSON
parameters and shows it as one form in the UI. No Prefect import here, so the command line stays quick to fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEFAULT_RAW_DIR = "data/raw"


@dataclass(frozen=True)
class RunOptions:
    """The options of one extraction run; the defaults are the command line's."""

    # what to read, where to write, how
    inputs: tuple[str, ...] = ()  # files, folders or globs (resolved by the run); empty with a live `source`
    out: str = "outputs"
    fmt: str | None = None  # force the input format (see flows.readers)
    batch_size: int = 1000  # papers per extract-batch task run
    full_refresh: bool = False  # re-extract every paper, not only new or changed ones
    strict: bool = False  # any rejected record fails the run
    lock_wait: float = 0.0  # seconds to wait for another run's lock on `out`
    min_confidence: float | None = None  # leaderboard threshold (None: the model's default)

    # where extraction batches run (flows.runners)
    task_runner: str = "local"  # local | process | dask
    workers: int = 1
    dask_address: str | None = None
    max_in_flight: int = 2  # batches submitted but not finished (flows.runners.in_flight_limit)

    # a live source instead of inputs (flows.sources)
    source: str | None = None  # hf-daily | arxiv
    day: date | None = None  # hf-daily: that day's list (None: today, UTC)
    category: str | None = None  # arxiv: e.g. cs.CL
    max_results: int = 100  # arxiv: at most this many newest entries
    since: date | None = None  # arxiv: papers submitted on or after this day (scheduled: the first run's start)
    api_url: str | None = None  # the source's API URL (a mirror, a local test server)
    raw_dir: str = DEFAULT_RAW_DIR  # raw responses are kept under <raw_dir>/<source>/<date>/
    # set for the runs `serve --source` schedules: hf-daily fetches the day the run is scheduled for in this time
    # zone, arXiv the papers since its last successful fetch (flows.sources.scheduled)
    schedule_timezone: str | None = None

    # the terminal (the command line only; a served run shows nothing)
    quiet: bool = False
    verbose: bool = False
