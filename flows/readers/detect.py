"""Which reader a file needs, from its name first and its content second."""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from pathlib import Path

from flows.readers.decode import UnreadableInput, decode, not_text, read_bytes, read_head, text_lines
from flows.readers.formats import INPUT_FORMATS, InputFormat
from flows.records import Record, Reject, preview

# the file extensions some format is named by (a folder is searched for these, gzipped or not)
EXTENSIONS: dict[str, InputFormat] = {ext: fmt for fmt in INPUT_FORMATS.values() for ext in fmt.extensions}


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
    return bool(suffixes) and suffixes[-1] in EXTENSIONS


def detect_format(path: Path, data: bytes) -> str:
    """Extension wins (unless that format's `refine` says otherwise); else the first format, in INPUT_FORMATS
    order, whose `sniff` accepts `data`, the file's head."""
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    fmt = EXTENSIONS.get(Path(name).suffix.lower())
    if fmt is not None:
        return (fmt.refine(data) if fmt.refine else None) or fmt.name
    return next(f.name for f in INPUT_FORMATS.values() if f.sniff is not None and f.sniff(data))


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
    input_format = INPUT_FORMATS[fmt or detect_format(path, head)]
    if input_format.reads == "file":
        yield from input_format.reader(path, source)
        return
    what = not_text(head)
    if what:
        yield Reject(source, "file", f"binary content where {input_format.name} text was expected: {what}", preview(head[:200]), whole_file=True)
        return
    if input_format.reads == "lines":
        yield from _read_lines(path, source, input_format, empty=not head.strip())
        return
    try:
        data = read_bytes(path)
    except UnreadableInput as exc:
        yield Reject(source, "file", str(exc), "", whole_file=True)
        return
    yield from input_format.reader(decode(data), source)


def _read_lines(path: Path, source: str, fmt: InputFormat, empty: bool) -> Iterator[Record]:
    """A line format streamed from the file; a file that gives no record at all says so in a reject."""
    count = 0
    try:
        for record in fmt.reader(text_lines(path), source):
            count += 1
            yield record
    except UnreadableInput as exc:
        yield Reject(source, "file", f"{exc} (records before the break were read)", "", whole_file=not count)
        return
    if not count:
        reason = "empty file: no records" if empty else f"no records: nothing in the file reads as {fmt.name} records"
        yield Reject(source, "file", reason, "", whole_file=True)
