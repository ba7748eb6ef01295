"""`paperfacts run --source ...`: fetch inside a Prefect flow (`paperfacts-fetch`), tell the user what was kept."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

from prefect import flow
from rich.console import Console

from flows.sources import fetch
from flows.sources.fetch import listening
from flows.sources.options import FetchResult, check_options

LABELS = {"arxiv": "arXiv API", "hf-daily": "Hugging Face daily papers"}
fetch_flow = flow(name="paperfacts-fetch", validate_parameters=False, log_prints=False)(fetch)


def fetch_for_run(
    source: str, *, raw_dir: Path, api_url: str | None, day: date | None, category: str | None, max_results: int,
    since: date | None, console: Console | None,
) -> FetchResult:
    """The raw files to extract and the pages they are; raises FetchError (SourceUsageError for bad options)
    with a one-line message."""
    check_options(source, day, category, since, api_url)
    what = LABELS[source] + (f" {category}" if category else "")
    status = console.status(f"fetching from {what}…") if console is not None else contextlib.nullcontext()
    try:
        with status as shown, listening(lambda text: shown.update(f"fetching from {what}: {text}") if shown else None):
            result = fetch_flow(source, raw_dir=raw_dir, api_url=api_url, day=day, category=category, max_results=max_results, since=since)
    except Exception as exc:
        exc.args = (f"{LABELS[source]}: {exc}",)
        raise
    if console is not None:
        console.print(f"fetched {result.entries} entries from {what} in {result.requests} request(s) into {result.folder}/", highlight=False, soft_wrap=True)
        for note in result.notes:
            console.print(f"[yellow]warning:[/] {note}", highlight=False, soft_wrap=True)
    return result
