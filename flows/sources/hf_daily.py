"""Hugging Face daily papers (JSON list of {"paper": {...}}) for one day: one request, kept raw."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flows.readers.json_records import read_json_document
from flows.records import Paper
from flows.sources.fetch import page_task, register_check
from flows.sources.options import FetchError, FetchResult, FetchSettings
from flows.sources.raw import discard, page_path, publish, raw_folder

DEFAULT_URL = "https://huggingface.co/api/daily_papers"
PAGE_LIMIT = 100


@register_check("hf-daily-json")
def check_daily_json(body: bytes) -> dict:
    """A JSON list is fine, a cut-off list is kept (its complete entries are read); anything else raises."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        raise FetchError("empty response", retryable=True)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        if not text.startswith("["):
            raise FetchError(f"response is not JSON (starts with {text[:40]!r})", retryable=True) from None
        complete = sum(isinstance(r, Paper) for r in read_json_document(text, "response"))
        return {"entries": complete, "truncated": True}
    if isinstance(doc, dict) and doc.get("error"):
        raise FetchError(f"API error: {' '.join(str(doc['error']).split())[:200]}")
    if not isinstance(doc, list):
        raise FetchError(f"response is a JSON {type(doc).__name__}, not a list of daily papers")
    return {"entries": len(doc), "truncated": False}


def fetch_hf_daily(*, raw_root: Path, today: date, settings: FetchSettings, api_url: str | None = None, day: date | None = None) -> FetchResult:
    """The daily-papers list of `day` (default: today's), stored under data/raw/hf-daily/<day>/."""
    day = day or today
    folder = raw_folder(raw_root, "hf-daily", day)
    result = FetchResult(source="hf-daily", folder=folder)
    dest = page_path(folder, "daily_papers", 0, "json")
    params = {"date": day.isoformat(), "limit": str(PAGE_LIMIT)}
    try:
        facts = page_task(settings)(api_url or DEFAULT_URL, params, str(dest), "hf-daily-json", 0.0, settings.timeout)
    except BaseException:
        discard([dest])
        raise
    result.requests = 1
    result.entries = facts["entries"]
    if facts["truncated"]:
        result.notes.append(f"the daily-papers response was cut off after {facts['entries']} complete entries; the rest is a reject")
    result.files = publish(folder, "daily_papers", [dest])
    return result
