"""Live sources (arXiv API, Hugging Face daily papers): fetch raw responses, then read them like any file.

`fetch_source` is the plain entry point (flows.sources.live): it writes the raw responses under
<raw_dir>/<source>/<date>/ and returns those files. A run with `--source` fetches in its subflow
`paperfacts-fetch` (flows.sources.command) and then reads them like any input.
Prefect and httpx are imported only when a fetch really starts, so option errors stay instant.
"""

from __future__ import annotations

from flows.sources.live import DEFAULT_RAW_DIR, fetch_source
from flows.sources.options import (
    SOURCES,
    FetchError,
    FetchResult,
    FetchSettings,
    SourceUsageError,
)

__all__ = ["DEFAULT_RAW_DIR", "SOURCES", "FetchError", "FetchResult", "FetchSettings", "SourceUsageError", "fetch_source"]
