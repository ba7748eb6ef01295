"""Bytes to text without ever raising: bad bytes survive as markers that records reject."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path


class UnreadableInput(Exception):
    """The file as a whole cannot be read (missing, permission, broken gzip, binary)."""


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is gzip (by extension or magic number)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableInput(f"broken gzip in {path}: {exc}") from exc
    return data


def decode(data: bytes) -> str:
    """UTF-8 (or UTF-16 with a BOM); undecodable bytes become lone surrogates that records reject."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if data.startswith(b"\xef\xbb\xbf"):
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
