"""Bytes to text without ever raising: bad bytes survive as markers that records reject.

Line-oriented formats (JSONL, CSV, the trending page) are streamed line by line from a file handle, so a
multi-GB input never sits in memory; whole-document formats (a JSON array, an Atom feed) read the file whole.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from flows.records import UNDECODABLE, UNDECODABLE_REASON

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
    exactly what decoding the whole file would. (UTF-16 files are rejected whole: see `not_text`.)
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


MAGIC_NUMBERS = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\x1f\x8b", "gzip data (compressed twice?)"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x7fELF", "an executable"),
    (b"PAR1", "a Parquet file"),
)
SAMPLE_BYTES = 65_536
BINARY_SHARE = 0.3  # random or compressed bytes score ~0.55; a text file with a few bad lines, a few percent
NOT_TEXT = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\udc80-\udcff]")
NUL = "\x00"


def not_text(head: bytes) -> str | None:
    """What the file is when it is not text at all (an image, an archive, random bytes), else None.

    Judged on the whole head, never on one line: a text file with some bad lines is a text file, and its bad
    lines are rejected one by one (`line_damage`). Only a file whose head is mostly not text is rejected whole.
    """
    for magic, what in MAGIC_NUMBERS:
        if head.startswith(magic):
            return what
    if head.startswith(b"BZh") and head[4:10] == b"1AY&SY":
        return "bzip2-compressed data"
    if head.startswith(UTF16_BOMS):
        return "UTF-16 text (only UTF-8 is read)"
    sample = head[:SAMPLE_BYTES].decode("utf-8", "surrogateescape")
    if not sample:
        return None
    share = len(NOT_TEXT.findall(sample)) / len(sample)
    if share > BINARY_SHARE:
        return f"binary data ({share:.0%} of its first {len(sample):,} characters are not UTF-8 text)"
    return None


def line_damage(line: str) -> str | None:
    """Why one line of a text file is not text (the reject reason), or None: NUL bytes, bytes that are not UTF-8."""
    undecodable = UNDECODABLE.search(line) is not None
    nul = NUL in line
    if undecodable and nul:
        return f"{UNDECODABLE_REASON} and holds NUL bytes"
    if nul:
        return "undecodable bytes: NUL byte in text"
    return UNDECODABLE_REASON if undecodable else None


def as_lines(text: str | Iterable[str]) -> Iterable[str]:
    """Readers take a stream of lines; a whole text (from a test or a fetched response) is split first."""
    return text.splitlines(keepends=True) if isinstance(text, str) else text
