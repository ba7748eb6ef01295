"""What earlier runs fetched, read back from the `runs` table of the output folder (scheduled catch-up)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from flows.sql import NoTables, connect


def last_fetch_day(out: Path, source: str, category: str | None = None) -> date | None:
    """The UTC start day of the newest successful run that fetched `source` (and `category`), or None."""
    try:
        con = connect(Path(out))
    except NoTables:
        return None
    columns = {row[0] for row in con.execute("DESCRIBE runs").fetchall()}
    if "fetched" not in columns:  # tables written before runs recorded their fetches
        return None
    (day,) = con.execute(
        """SELECT max(CAST(timezone('UTC', started_at) AS DATE)) FROM (SELECT started_at, status, unnest(fetched) AS f FROM runs)
           WHERE status = 'ok' AND f.source = $source AND f.category IS NOT DISTINCT FROM $category""",
        {"source": source, "category": category},
    ).fetchone()
    return day


def arxiv_catch_up_since(out: Path, category: str, first_since: date | None, today: date, overlap_days: int) -> date:
    """The --since of a scheduled arXiv run: the last successful fetch of `category`, less `overlap_days` (arXiv
    lists a paper up to a few days after its submission date, weekends included), never before `first_since`.
    Without an earlier fetch: `first_since`, else yesterday."""
    last = last_fetch_day(out, "arxiv", category)
    if last is None:
        return first_since or today - timedelta(days=1)
    since = last - timedelta(days=overlap_days)
    return max(since, first_since) if first_since else since
