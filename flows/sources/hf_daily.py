"""Hugging Face daily papers (JSON list of {"paper": {...}}) for one day: every page of it, kept raw."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from flows.readers.json_records import read_json_document
from flows.records import Paper
from flows.sources.fetch import page_task, register_check, tell
from flows.sources.options import FetchError, FetchResult, FetchSettings
from flows.sources.raw import discard, page_path, publish, raw_folder

DEFAULT_URL = "https://huggingface.co/api/daily_papers"
KEY = "daily_papers"


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
    """Every page of the daily-papers list of `day` (default: today's), stored under data/raw/hf-daily/<day>/.

    Pages are asked as `?date=D&limit=N&p=K` (K = 0, 1, ...); a page with fewer than N entries (an empty one
    included) is the last. A server that ignores `p` answers the same page again: that ends paging too.
    """
    day = day or today
    url = api_url or DEFAULT_URL
    folder = raw_folder(raw_root, "hf-daily", day)
    result = FetchResult(source="hf-daily", folder=folder)
    fetch_page = page_task(settings)
    size = settings.hf_page_size
    staged: list[Path] = []
    entries: list[int] = []
    digests: set[str] = set()
    try:
        for number in range(settings.hf_max_pages):
            dest = page_path(folder, KEY, number, "json")
            params = {"date": day.isoformat(), "limit": str(size), "p": str(number)}
            facts = fetch_page(url, params, str(dest), "hf-daily-json", 0.0, settings.timeout, settings.retry_after_max)
            result.requests += 1
            digest = hashlib.sha256(dest.read_bytes()).hexdigest()
            if digest in digests:
                dest.unlink()
                result.notes.append(f"page {number + 1} of the daily papers repeated an earlier page (the server ignores p=); paging stopped")
                break
            digests.add(digest)
            staged.append(dest)
            entries.append(facts["entries"])
            result.entries += facts["entries"]
            tell(f"{result.entries} entries, {result.requests} page(s)")
            if facts["truncated"]:
                result.notes.append(f"daily-papers page {number + 1} was cut off after {facts['entries']} complete entries; the rest is a reject")
                break
            if facts["entries"] < size:
                break
        else:
            result.notes.append(f"stopped after {settings.hf_max_pages} pages of daily papers (PAPERFACTS_HF_MAX_PAGES); the day may have more")
    except BaseException:
        discard([*staged, page_path(folder, KEY, len(staged), "json")])
        raise
    result.add_pages(publish(folder, KEY, staged), entries, day=day)
    return result
