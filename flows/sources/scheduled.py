"""What a live-source run fetches: the options as given (`paperfacts run --source`), or what a scheduled run
(`paperfacts serve --source`, flow `paperfacts-live`) is for.

A scheduled hf-daily run fetches the list of the date it is scheduled for, in the schedule's time zone; a scheduled
arXiv run fetches the papers submitted since the last successful fetch of its category (from the output's `runs`
table), so a missed day is caught up.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flows.options import RunOptions
from flows.sources.history import arxiv_catch_up_since
from flows.sources.options import FetchSettings


def run_day(timezone: str) -> date:
    """The date the flow run is scheduled for, in `timezone` (a run triggered by hand: now)."""
    from prefect.runtime import flow_run

    when = flow_run.scheduled_start_time if flow_run.id else None
    return (when or datetime.now(ZoneInfo("UTC"))).astimezone(ZoneInfo(timezone)).date()


def fetch_arguments(options: RunOptions) -> dict[str, Any]:
    """Keyword arguments of `flows.sources.live.fetch` for the run's source (call it in the run's flow: the scheduled
    day is the flow run's)."""
    day, since = options.day, options.since
    if options.schedule_timezone is not None and options.source == "hf-daily":
        day = run_day(options.schedule_timezone)
    elif options.schedule_timezone is not None:
        today = datetime.now(ZoneInfo("UTC")).date()
        since = arxiv_catch_up_since(Path(options.out), options.category or "", options.since, today, FetchSettings.from_env().arxiv_overlap_days)
    return {"raw_dir": Path(options.raw_dir), "api_url": options.api_url, "day": day, "category": options.category,
            "max_results": options.max_results, "since": since}
