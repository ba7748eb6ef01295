"""Live sources (arXiv API, Hugging Face daily papers): fetch raw responses, then read them like any file.

`fetch_source` is the plain entry point for the CLI and the scheduled deployment alike: it writes the raw
responses under <raw_dir>/<source>/<date>/ and returns those files, which `extract_papers` then reads.
Prefect and httpx are imported only when a fetch really starts, so option errors stay instant.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from flows.sources.options import (
    SOURCES,
    FetchError,
    FetchResult,
    FetchSettings,
    SourceUsageError,
    check_options,
)

DEFAULT_RAW_DIR = Path("data/raw")

__all__ = ["DEFAULT_RAW_DIR", "SOURCES", "FetchError", "FetchResult", "FetchSettings", "SourceUsageError", "fetch", "fetch_source"]


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
    """The raw files of one fetch (options as for `fetch`), ready for `extract_papers(inputs=...)`."""
    return fetch(source, **options).files  # type: ignore[arg-type]
