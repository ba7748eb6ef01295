"""`paperfacts serve --source`: a flow (`paperfacts-live`) that fetches the day a scheduled run is for, then extracts.

hf-daily fetches the list of the run's scheduled date in the schedule's time zone; arXiv fetches the papers
submitted since the last successful fetch of its category (from the output's `runs` table), so a missed day
is caught up. Both are subflows: `paperfacts-fetch`, then `paperfacts-extract` (which records the pages in `runs`).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger

from flows.sources.command import fetch_flow
from flows.sources.history import arxiv_catch_up_since
from flows.sources.options import FetchSettings


def run_day(timezone: str) -> date:
    """The date the flow run is scheduled for, in `timezone` (a run triggered by hand: now)."""
    from prefect.runtime import flow_run

    when = flow_run.scheduled_start_time if flow_run.id else None
    return (when or datetime.now(ZoneInfo("UTC"))).astimezone(ZoneInfo(timezone)).date()


@flow(name="paperfacts-live", log_prints=False)
def fetch_and_extract(
    source: str,
    out: str,
    raw_dir: str,
    timezone: str = "UTC",
    category: str | None = None,
    max_results: int = 100,
    since: str | None = None,
    api_url: str | None = None,
    fmt: str | None = None,
    batch_size: int = 1000,
    strict: bool = False,
    max_in_flight: int = 2,
    lock_wait_seconds: float = 0.0,
) -> dict[str, Any]:
    """Fetch what this scheduled run is for, then extract it into `out` like `paperfacts run --source`."""
    from flows.pipeline import extract_papers
    from flows.runners import make_task_runner

    logger = get_run_logger()
    settings = FetchSettings.from_env()
    day = run_day(timezone)
    options: dict[str, Any] = {"raw_dir": Path(raw_dir), "api_url": api_url}
    if source == "hf-daily":
        options["day"] = day
    else:
        first = date.fromisoformat(since) if since else None
        asked = arxiv_catch_up_since(Path(out), category or "", first, datetime.now(ZoneInfo("UTC")).date(), settings.arxiv_overlap_days)
        options.update(category=category, max_results=max_results, since=asked)
    result = fetch_flow(source, **options)
    logger.info("fetched %d entries from %s in %d request(s) into %s", result.entries, source, result.requests, result.folder)
    for note in result.notes:
        logger.warning(note)
    extract = extract_papers.with_options(task_runner=make_task_runner("local", 1))
    return extract(
        inputs=[str(f) for f in result.files], out=out, fmt=fmt, batch_size=batch_size, strict=strict,
        max_in_flight=max_in_flight, lock_wait_seconds=lock_wait_seconds, fetched=result.pages,
    )
