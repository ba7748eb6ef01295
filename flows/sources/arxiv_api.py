"""The arXiv API (Atom): newest papers of one category, paged politely (arXiv asks for >= 3 s per request)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from flows.sources.fetch import page_task, register_check, tell
from flows.sources.options import (
    CATEGORY,
    FetchError,
    FetchResult,
    FetchSettings,
    SourceUsageError,
)
from flows.sources.raw import discard, page_path, publish, query_key, raw_folder

DEFAULT_URL = "https://export.arxiv.org/api/query"
ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


@register_check("arxiv-atom")
def check_atom(body: bytes) -> dict:
    """Totals and entry count of one feed page; API error feeds and non-feeds raise, a cut-off feed is kept."""
    parser = ET.XMLPullParser(events=("start", "end"))
    broken = None
    try:
        parser.feed(body)
        parser.close()
    except ET.ParseError as exc:
        broken = exc
    events = list(parser.read_events())
    if not events or events[0][1].tag != ATOM + "feed":
        head = body[:60].decode("utf-8", "replace").strip()
        raise FetchError(f"response is not an Atom feed (starts with {head!r})", retryable=True)
    facts: dict = {"total": None, "entries": 0, "truncated": broken is not None, "oldest": None}
    for kind, node in events:
        if kind != "end":
            continue
        if node.tag == OPENSEARCH + "totalResults" and (node.text or "").strip().isdigit():
            facts["total"] = int(node.text)
        elif node.tag == ATOM + "entry":
            if "/api/errors" in (node.findtext(ATOM + "id") or ""):
                message = " ".join((node.findtext(ATOM + "summary") or "unknown error").split())
                raise FetchError(f"arXiv API error: {message}")
            facts["entries"] += 1
            published = (node.findtext(ATOM + "published") or "")[:10]
            if published and (facts["oldest"] is None or published < facts["oldest"]):
                facts["oldest"] = published
    return facts


def search_query(category: str, since: date | None, today: date) -> str:
    query = f"cat:{category}"
    if since is not None:
        query += f" AND submittedDate:[{since:%Y%m%d}0000 TO {today:%Y%m%d}2359]"
    return query


def fetch_arxiv(
    category: str, *, raw_root: Path, today: date, settings: FetchSettings, api_url: str | None = None,
    max_results: int = 100, since: date | None = None,
) -> FetchResult:
    """Up to `max_results` newest entries of `category`, one raw Atom file per page."""
    if not CATEGORY.match(category):
        raise SourceUsageError(f"not an arXiv category: {category!r} (e.g. cs.CL, cs.LG, stat.ML)")
    url = api_url or DEFAULT_URL
    folder = raw_folder(raw_root, "arxiv", today)
    key = query_key(category, f"since-{since}" if since else "")
    result = FetchResult(source="arxiv", folder=folder)
    fetch_page = page_task(settings)
    staged: list[Path] = []
    entries: list[int] = []
    start = 0
    try:
        while start < max_results:
            size = min(settings.arxiv_page_size, max_results - start)
            params = {"search_query": search_query(category, since, today), "start": str(start), "max_results": str(size),
                      "sortBy": "submittedDate", "sortOrder": "descending"}
            dest = page_path(folder, key, len(staged), "xml")
            facts = fetch_page(url, params, str(dest), "arxiv-atom", settings.arxiv_delay, settings.timeout, settings.retry_after_max)
            staged.append(dest)
            entries.append(facts["entries"])
            result.requests += 1
            result.entries += facts["entries"]
            if facts["truncated"]:
                result.notes.append(f"arXiv page {len(staged)} was cut off after {facts['entries']} entries; the rest is a reject")
            start += size
            total = facts["total"]
            tell(f"{result.entries} of {min(max_results, total or max_results)} entries, {result.requests} page(s)")
            if facts["entries"] == 0 or (total is not None and start >= total):
                break
            if since is not None and facts["oldest"] is not None and facts["oldest"] < since.isoformat():
                break
    except BaseException:
        discard(staged)
        raise
    result.add_pages(publish(folder, key, staged), entries, day=today, category=category, since=since)
    return result
