"""Which reader a file needs, from its name first and its content second."""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from pathlib import Path

from flows.readers.arxiv_atom import read_atom_text
from flows.readers.decode import (
    UnreadableInput,
    decode,
    is_gzip,
    not_text,
    read_bytes,
    read_head,
    text_lines,
)
from flows.readers.json_records import read_json_document, read_json_lines
from flows.readers.tabular import read_csv_text, read_parquet, read_parquet_bytes
from flows.readers.trending_page import read_trending_page
from flows.records import Record, Reject, preview

FORMATS = ("page", "jsonl", "json", "csv", "parquet", "atom", "hf-daily")
EXTENSIONS = {
    ".txt": "page",
    ".md": "page",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xml": "atom",
    ".atom": "atom",
}
INPUT_SUFFIXES = set(EXTENSIONS)


class InputNotFound(Exception):
    """An INPUT argument that names no file, folder or matching glob."""


def resolve_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files, folders (recursively, known extensions and .gz) and globs, in a stable order."""
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and _is_input(p)))
        elif path.exists():
            found.append(path)
        elif any(ch in str(item) for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(str(item), recursive=True) if Path(p).is_file())
            if not matches:
                raise InputNotFound(f"no files match {item}")
            found.extend(matches)
        else:
            raise InputNotFound(f"input not found: {item}")
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path, None)
    return list(unique)


def _is_input(path: Path) -> bool:
    suffixes = path.suffixes
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in INPUT_SUFFIXES


def detect_format(path: Path, data: bytes) -> str:
    """Extension wins; otherwise the first non-blank bytes decide (`data` is the file's head, ~1 MB)."""
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    fmt = EXTENSIONS.get(Path(name).suffix.lower())
    if fmt == "json":
        head = data.lstrip()[:4096]
        if head.startswith(b"{") and b"\n{" in data.strip()[:1_000_000]:
            return "jsonl"
        return fmt
    if fmt:
        return fmt
    if data[:4] == b"PAR1":
        return "parquet"
    head = data.lstrip()[:200]
    if head.startswith(b"<"):
        return "atom"
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        return "jsonl"
    first_line = head.split(b"\n", 1)[0].lower()
    if b"," in first_line and b"title" in first_line:
        return "csv"
    return "page"


LINE_READERS = {"page": read_trending_page, "jsonl": read_json_lines, "csv": read_csv_text}
DOCUMENT_READERS = {"json": read_json_document, "hf-daily": read_json_document, "atom": read_atom_text}


def read_path(path: Path, fmt: str | None = None) -> Iterator[Record]:
    """Every record of one file, lazily; a file that cannot be read at all is one Reject with `whole_file` set.

    Line formats stream from the (gunzipped) file handle, and a bad line costs that line only; a JSON array or
    Atom feed is read whole, and a Parquet file streams its row groups from disk. A file is rejected whole when
    it is not text at all (an image, an archive, random bytes); an empty line-format file is one reject too.
    """
    source = str(path)
    try:
        head = read_head(path)
    except UnreadableInput as exc:
        yield Reject(source, "file", str(exc), "", whole_file=True)
        return
    fmt = fmt or detect_format(path, head)
    if fmt == "parquet":
        yield from _read_parquet_path(path, source)
        return
    what = not_text(head)
    if what:
        yield Reject(source, "file", f"binary content where {fmt} text was expected: {what}", preview(head[:200]), whole_file=True)
        return
    if fmt in LINE_READERS:
        yield from _read_lines(path, source, fmt, empty=not head.strip())
        return
    try:
        data = read_bytes(path)
    except UnreadableInput as exc:
        yield Reject(source, "file", str(exc), "", whole_file=True)
        return
    yield from DOCUMENT_READERS[fmt](decode(data), source)


def _read_lines(path: Path, source: str, fmt: str, empty: bool) -> Iterator[Record]:
    """A line format streamed from the file; a file that gives no record at all says so in a reject."""
    count = 0
    try:
        for record in LINE_READERS[fmt](text_lines(path), source):
            count += 1
            yield record
    except UnreadableInput as exc:
        yield Reject(source, "file", f"{exc} (records before the break were read)", "", whole_file=not count)
        return
    if not count:
        reason = "empty file: no records" if empty else f"no records: nothing in the file reads as {fmt} records"
        yield Reject(source, "file", reason, "", whole_file=True)


def _read_parquet_path(path: Path, source: str) -> Iterator[Record]:
    """Plain Parquet is read from disk row group by row group; gzipped Parquet has to be unpacked in memory."""
    try:
        gz = is_gzip(path)
        data = read_bytes(path) if gz else None
    except (OSError, UnreadableInput) as exc:
        yield Reject(source, "file", str(exc), "", whole_file=True)
        return
    yield from read_parquet_bytes(data, source) if data is not None else read_parquet(str(path), source)
