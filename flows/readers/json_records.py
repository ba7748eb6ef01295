"""JSON Lines, JSON arrays of paper objects, and Hugging Face daily-papers JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from flows.readers.decode import as_lines, line_damage
from flows.records import Record, Reject, make_paper, preview


def paper_from_object(obj: Any, source: str, fmt: str, position: str) -> Record:
    """One JSON object (flat or HF-daily nested under `paper`) to a Paper or Reject."""
    if not isinstance(obj, dict):
        return Reject(source, position, f"record is a JSON {type(obj).__name__}, not an object", preview(obj))
    inner = obj.get("paper") if isinstance(obj.get("paper"), dict) else None
    if inner is not None:
        fmt = "hf_daily"
        merged = {**obj, **inner}
    else:
        merged = obj
    return make_paper(
        title=merged.get("title"),
        abstract=merged.get("abstract", merged.get("summary")),
        ident=merged.get("arxiv_id") or merged.get("id"),
        url=merged.get("url"),
        published=merged.get("published") or merged.get("publishedAt") or merged.get("published_at"),
        authors=merged.get("authors"),
        source=source,
        source_format=fmt,
        position=position,
        raw=json.dumps(obj, ensure_ascii=False, default=str)[:500],
    )


def is_json_array(head: bytes) -> bool:
    return head.lstrip().startswith(b"[")


def is_json_object(head: bytes) -> bool:
    return head.lstrip().startswith(b"{")


def json_lines_named_json(head: bytes) -> str | None:
    """`jsonl` for a `.json` file that holds one object per line rather than one JSON document."""
    return "jsonl" if is_json_object(head) and b"\n{" in head.strip()[:1_000_000] else None


def read_json_lines(lines: str | Iterable[str], source: str) -> Iterator[Record]:
    """One object per line, read as a stream; a broken or undecodable line is one reject and reading goes on."""
    for number, line in enumerate(as_lines(lines), start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        damage = line_damage(line)
        if damage:
            yield Reject(source, f"line {number}", damage, preview(line))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(source, f"line {number}", f"malformed JSON: {exc.msg} (column {exc.colno})", preview(line))
            continue
        yield paper_from_object(obj, source, "jsonl", f"line {number}")


def read_json_document(text: str, source: str) -> Iterator[Record]:
    """A JSON array of objects (or an object holding one); truncated documents keep their complete records."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        yield from _salvage_truncated_array(text, source, exc)
        return
    items = doc
    if isinstance(doc, dict):
        items = next((v for k, v in doc.items() if isinstance(v, list) and k in ("papers", "data", "items", "results")), [doc])
    if not isinstance(items, list):
        yield Reject(source, "document", "JSON document is not a list of paper objects", preview(text), whole_file=True)
        return
    fmt = "hf_daily" if items and isinstance(items[0], dict) and isinstance(items[0].get("paper"), dict) else "json"
    for index, obj in enumerate(items):
        yield paper_from_object(obj, source, fmt, f"record {index}")


def _salvage_truncated_array(text: str, source: str, error: json.JSONDecodeError) -> Iterator[Record]:
    """Decode objects one by one from a broken array; the unreadable tail is one reject."""
    decoder = json.JSONDecoder()
    pos = text.find("[")
    if pos < 0:
        yield Reject(source, "document", f"malformed JSON: {error.msg} at line {error.lineno}", preview(text), whole_file=True)
        return
    pos += 1
    index = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            break
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield Reject(source, f"record {index}", f"malformed or truncated JSON: {exc.msg}", preview(text[pos:]))
            return
        fmt = "hf_daily" if isinstance(obj, dict) and isinstance(obj.get("paper"), dict) else "json"
        yield paper_from_object(obj, source, fmt, f"record {index}")
        index += 1
        pos = end
    if index == 0:
        yield Reject(source, "document", f"malformed JSON: {error.msg} at line {error.lineno}", preview(text), whole_file=True)
