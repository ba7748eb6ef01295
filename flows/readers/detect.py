"""Which reader a file needs, from its name first and its content second."""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from pathlib import Path

from flows.readers.arxiv_atom import read_atom_text
from flows.readers.decode import UnreadableInput, decode, looks_binary, read_bytes
from flows.readers.json_records import read_json_document, read_json_lines
from flows.readers.tabular import read_csv_text, read_parquet_bytes
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
    """Extension wins; otherwise the first non-blank bytes decide."""
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


def read_path(path: Path, fmt: str | None = None) -> Iterator[Record]:
    """Every record of one file; a file that cannot be read at all is one Reject."""
    source = str(path)
    try:
        data = read_bytes(path)
    except UnreadableInput as exc:
        yield Reject(source, "file", str(exc), "")
        return
    fmt = fmt or detect_format(path, data)
    if fmt == "parquet":
        yield from read_parquet_bytes(data, source)
        return
    if looks_binary(data):
        yield Reject(source, "file", f"binary content where {fmt} text was expected", preview(data[:200]))
        return
    text = decode(data)
    readers = {
        "page": read_trending_page,
        "jsonl": read_json_lines,
        "json": read_json_document,
        "hf-daily": read_json_document,
        "csv": read_csv_text,
        "atom": read_atom_text,
    }
    yield from readers[fmt](text, source)
