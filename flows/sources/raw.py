"""Raw responses on disk: data/raw/<source>/<date>/<query>__p<page>.<ext>, replayable with `paperfacts run`.

Pages are written as `.part` files (which no reader picks up) and renamed only when the whole fetch worked,
replacing the pages of an earlier fetch of the same query, so a replayed folder never holds a query twice.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

PART = ".part"


def raw_folder(raw_root: Path, source: str, day: date) -> Path:
    return Path(raw_root) / source / day.isoformat()


def query_key(*pieces: str) -> str:
    """A file-name-safe name for one query (category, since, ...)."""
    text = "_".join(p for p in pieces if p)
    return re.sub(r"[^A-Za-z0-9.\-_]+", "-", text).replace("__", "_") or "query"


def page_path(folder: Path, key: str, page: int, ext: str) -> Path:
    """Where page `page` of a query is staged (a `.part` file until `publish`)."""
    return folder / f"{key}__p{page:04d}.{ext}{PART}"


def publish(folder: Path, key: str, staged: list[Path]) -> list[Path]:
    """Replace the query's previous pages with the staged ones; returns the published files."""
    for old in folder.glob(f"{key}__p*"):
        if old.name.endswith(PART) or old in staged:
            continue
        old.unlink()
    published = []
    for part in staged:
        final = part.with_name(part.name[: -len(PART)])
        part.replace(final)
        published.append(final)
    return published


def discard(staged: list[Path]) -> None:
    for part in staged:
        part.unlink(missing_ok=True)
