"""Fetch one live source into raw files: the plain functions behind `paperfacts run --source` and scheduled runs.

In a module of their own, not in the package's `__init__`: importing the submodule `flows.sources.fetch` (HTTP)
rebinds the package's attribute `fetch` to that module, so a function named `fetch` there would be lost to
anyone importing it afterwards.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from flows.sources.options import FetchResult, FetchSettings, check_options

DEFAULT_RAW_DIR = Path("data/raw")


def fetch(
    source: str, *, raw_dir: Path = DEFAULT_RAW_DIR, api_url: str | None = None, day: date | None = None,
    category: str | None = None, max_results: int = 100, since: date | None = None, settings: FetchSettings | None = None,
) -> FetchResult:
    """Fetch one source into raw files; every failure is a FetchError with a one-line message."""
    check_options(source, day, category, since)
    settings = settings or FetchSettings.from_env()
    today = datetime.now(UTC).date()
    if source == "hf-daily":
        from flows.sources.hf_daily import fetch_hf_daily

        return fetch_hf_daily(raw_root=Path(raw_dir), today=today, settings=settings, api_url=api_url, day=day)
    from flows.sources.arxiv_api import fetch_arxiv

    return fetch_arxiv(category or "", raw_root=Path(raw_dir), today=today, settings=settings, api_url=api_url, max_results=max_results, since=since)


def fetch_source(source: str, **options: object) -> list[Path]:
    """The raw files of one fetch (options as for `fetch`), ready for `extract_papers` to read."""
    return fetch(source, **options).files  # type: ignore[arg-type]
