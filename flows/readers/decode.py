"""Bytes to text without ever raising: bad bytes survive as markers that records reject.

Line-oriented formats (JSONL, CSV, the trending page) are streamed line by line from a file handle, so a
multi-GB input never sits in memory; whole-document formats (a JSON array, an Atom feed) read the file whole.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

HEAD_BYTES = 262_144
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"
GZIP_ERRORS = (OSError, EOFError, zlib.error)


class UnreadableInput(Exception):
    """The file as a whole cannot be read (missing, permission, broken gzip, binary)."""


def is_gzip(path: Path) -> bool:
    """By extension or by magic number."""
    if path.suffix == ".gz":
        return True
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def open_binary(path: Path) -> BinaryIO:
    """A binary handle on the file's content, gunzipping on the fly when it is gzip."""
    try:
        return gzip.open(path, "rb") if is_gzip(path) else path.open("rb")  # type: ignore[return-value]
    except OSError as exc:
        raise UnreadableInput(f"cannot read {path}: {exc.strerror or exc}") from exc


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first `size` bytes of the (gunzipped) content: enough to detect the format and spot binary files.

    A gzip stream broken after its first bytes still gives a head, so the records before the break are read.
    """
    chunks: list[bytes] = []
    got = 0
    with open_binary(path) as handle:
        while got < size:
            try:
                chunk = handle.read(min(65_536, size - got))
            except GZIP_ERRORS as exc:
                if got:
                    break
                raise UnreadableInput(_read_error(path, exc)) from exc
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    return b"".join(chunks)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is gzip (by extension or magic number)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except GZIP_ERRORS as exc:
            raise UnreadableInput(f"broken gzip in {path}: {exc}") from exc
    return data


def text_lines(path: Path) -> Iterator[str]:
    """Decoded lines, line endings kept, read lazily; a read error mid-file raises UnreadableInput.

    UTF-8 never uses the byte 0x0A inside a character, so decoding line by line with surrogateescape gives
    exactly what decoding the whole file would. (UTF-16 files hold NUL bytes and are rejected as binary.)
    """
    with open_binary(path) as handle:
        try:
            for number, raw in enumerate(handle):
                if number == 0 and raw.startswith(UTF8_BOM):
                    raw = raw[3:]
                yield raw.decode("utf-8", "surrogateescape")
        except GZIP_ERRORS as exc:
            raise UnreadableInput(_read_error(path, exc)) from exc


def _read_error(path: Path, exc: BaseException) -> str:
    if isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)):
        return f"broken gzip in {path}: {exc}"
    return f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}"


def decode(data: bytes) -> str:
    """UTF-8 (or UTF-16 with a BOM); undecodable bytes become lone surrogates that records reject."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16", "replace")
    if data.startswith(UTF8_BOM):
        data = data[3:]
    return data.decode("utf-8", "surrogateescape")


def looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly non-text bytes in the head: not a text format."""
    head = data[:4096]
    if not head:
        return False
    if b"\x00" in head:
        return True
    text_bytes = sum(1 for b in head if b >= 32 or b in (9, 10, 13))
    return text_bytes / len(head) < 0.85


def as_lines(text: str | Iterable[str]) -> Iterable[str]:
    """Readers take a stream of lines; a whole text (from a test or a fetched response) is split first."""
    return text.splitlines(keepends=True) if isinstance(text, str) else text
