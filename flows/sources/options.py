"""Source options, settings and errors: no Prefect or HTTP imports, so bad options fail fast."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SOURCES = ("hf-daily", "arxiv")
CATEGORY = re.compile(r"^[a-z][a-z\-]*(?:\.[A-Za-z][A-Za-z\-]*)?$")


class FetchError(Exception):
    """A source could not be read; `str()` is the one-line message the CLI prints."""

    def __init__(self, message: str, retryable: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after  # seconds the server asked us to wait (Retry-After on 429/503)


class SourceUsageError(FetchError):
    """The source options themselves are wrong (exit status 2, like any bad argument)."""


@dataclass(frozen=True)
class FetchSettings:
    """Knobs for politeness and resilience; environment variables let tests and operators change them."""

    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    arxiv_delay: float = 3.0
    arxiv_page_size: int = 100
    arxiv_overlap_days: int = 3
    hf_page_size: int = 100
    hf_max_pages: int = 50
    retry_after_max: float = 300.0

    @classmethod
    def from_env(cls) -> FetchSettings:
        def number(name: str, default: float) -> float:
            raw = os.environ.get(name)
            try:
                return float(raw) if raw else default
            except ValueError:
                raise FetchError(f"{name}={raw!r} is not a number") from None

        return cls(
            timeout=number("PAPERFACTS_FETCH_TIMEOUT", cls.timeout),
            retries=int(number("PAPERFACTS_FETCH_RETRIES", cls.retries)),
            backoff=number("PAPERFACTS_FETCH_BACKOFF", cls.backoff),
            arxiv_delay=number("PAPERFACTS_ARXIV_DELAY", cls.arxiv_delay),
            arxiv_page_size=max(1, int(number("PAPERFACTS_ARXIV_PAGE_SIZE", cls.arxiv_page_size))),
            arxiv_overlap_days=max(0, int(number("PAPERFACTS_ARXIV_OVERLAP_DAYS", cls.arxiv_overlap_days))),
            hf_page_size=max(1, int(number("PAPERFACTS_HF_PAGE_SIZE", cls.hf_page_size))),
            hf_max_pages=max(1, int(number("PAPERFACTS_HF_MAX_PAGES", cls.hf_max_pages))),
            retry_after_max=max(0.0, number("PAPERFACTS_RETRY_AFTER_MAX", cls.retry_after_max)),
        )


@dataclass
class FetchResult:
    """What one fetch kept: the raw files to read, the entries they hold, and notes for the user."""

    source: str
    folder: Path
    files: list[Path] = field(default_factory=list)
    entries: int = 0
    requests: int = 0
    notes: list[str] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)

    def add_pages(self, files: list[Path], entries: list[int], *, day: date, category: str | None = None, since: date | None = None) -> None:
        """What the `runs` table records of this fetch: one item per page kept (see extractors/schemas.py)."""
        self.files = files
        self.pages = [
            {"source": self.source, "category": category, "since": since.isoformat() if since else None, "day": day.isoformat(),
             "page": number, "entries": count, "file": str(path)}
            for number, (path, count) in enumerate(zip(files, entries, strict=True))
        ]


def check_options(source: str, day: date | None, category: str | None, since: date | None, api_url: str | None = None) -> None:
    """Raise SourceUsageError for options that cannot make a fetch."""
    if api_url is not None and not re.match(r"^https?://[^/\s]+", api_url):
        raise SourceUsageError(f"--api-url must be an http:// or https:// URL, not {api_url!r}")
    if source not in SOURCES:
        raise SourceUsageError(f"unknown source {source!r}; choose one of {', '.join(SOURCES)}")
    if source != "arxiv" and (category or since):
        raise SourceUsageError("--category and --since apply to --source arxiv only")
    if source != "hf-daily" and day:
        raise SourceUsageError("--date applies to --source hf-daily only (use --since for arxiv)")
    if source == "arxiv":
        if not category:
            raise SourceUsageError("--source arxiv needs --category (e.g. cs.CL)")
        if not CATEGORY.match(category):
            raise SourceUsageError(f"not an arXiv category: {category!r} (e.g. cs.CL, cs.LG, stat.ML)")
