"""A run with a live source (`paperfacts run --source ...`, `paperfacts serve --source ...`): the fetch is the
subflow `paperfacts-fetch` of the run's flow, and what it kept is told to the terminal and the run's log."""

from __future__ import annotations

from prefect import flow, get_run_logger

from flows import progress
from flows.options import RunOptions
from flows.sources.fetch import listening
from flows.sources.live import fetch
from flows.sources.options import FetchResult
from flows.sources.scheduled import fetch_arguments

LABELS = {"arxiv": "arXiv API", "hf-daily": "Hugging Face daily papers"}
fetch_flow = flow(name="paperfacts-fetch", validate_parameters=False, log_prints=False)(fetch)


def fetch_live_source(options: RunOptions) -> FetchResult:
    """Fetch `options.source` in the subflow `paperfacts-fetch`: the raw files are the run's inputs, the pages are
    recorded in `runs`. Raises FetchError (SourceUsageError for bad options) with a one-line message."""
    source = options.source or ""
    what = LABELS[source] + (f" {options.category}" if options.category else "")
    try:
        with progress.fetching(f"fetching from {what}") as status, listening(status):
            result = fetch_flow(source, **fetch_arguments(options))
    except Exception as exc:
        exc.args = (f"{LABELS[source]}: {exc}",)
        raise
    logger = get_run_logger()
    logger.info("fetched %d entries from %s in %d request(s) into %s", result.entries, source, result.requests, result.folder)
    progress.note(f"fetched {result.entries} entries from {what} in {result.requests} request(s) into {result.folder}/")
    for note in result.notes:
        logger.warning(note)
        progress.note(note, warning=True)
    return result
