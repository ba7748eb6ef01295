"""Every input format, declared once: its name, the file extensions that name it, how its content is
recognised, and its reader. Detection and reading (flows.readers.detect) and the CLI's `--format` choices
(flows.cli) derive from INPUT_FORMATS; a reader lives in its own module beside this one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from flows.readers.arxiv_atom import is_xml, read_atom_text
from flows.readers.json_records import (
    is_json_array,
    is_json_object,
    json_lines_named_json,
    read_json_document,
    read_json_lines,
)
from flows.readers.tabular import is_csv_with_titles, is_parquet, read_csv_text, read_parquet_file
from flows.readers.trending_page import is_any_text, read_trending_page
from flows.records import Record


@dataclass(frozen=True)
class InputFormat:
    """How one input format is found and read.

    `reads` says what the reader is given besides the file's name (`source`): `lines`, the decoded lines as they
    stream from the (gunzipped) file; `document`, the whole decoded text; `file`, the path (a binary format that
    opens the file itself). `sniff` tells from a file's head (its first bytes, gunzipped) whether the file is
    this format when its extension names none; `refine` gives another format's name for a file with one of
    `extensions` whose content says otherwise."""

    name: str
    reads: Literal["lines", "document", "file"]
    reader: Callable[[Any, str], Iterator[Record]]
    extensions: tuple[str, ...] = ()
    sniff: Callable[[bytes], bool] | None = None
    refine: Callable[[bytes], str | None] | None = None


def _registry(*formats: InputFormat) -> dict[str, InputFormat]:
    named: dict[str, InputFormat] = {}
    for fmt in formats:
        taken = [e for e in fmt.extensions if any(e in other.extensions for other in named.values())]
        if fmt.name in named or taken or any(e != e.lower() or not e.startswith(".") for e in fmt.extensions):
            raise ValueError(
                f"input format {fmt.name}: a name or extension taken twice, or not a lower-case .suffix"
            )
        named[fmt.name] = fmt
    return named


# Content is sniffed in this order (the first `sniff` that accepts the head wins), so a format whose test is
# looser than another's comes after it; `page` accepts anything and comes last.
INPUT_FORMATS: dict[str, InputFormat] = _registry(
    InputFormat("parquet", "file", read_parquet_file, (".parquet", ".pq"), sniff=is_parquet),
    InputFormat("atom", "document", read_atom_text, (".xml", ".atom"), sniff=is_xml),
    InputFormat(
        "json", "document", read_json_document, (".json",), sniff=is_json_array, refine=json_lines_named_json
    ),
    InputFormat("jsonl", "lines", read_json_lines, (".jsonl", ".ndjson"), sniff=is_json_object),
    InputFormat("csv", "lines", read_csv_text, (".csv",), sniff=is_csv_with_titles),
    InputFormat("page", "lines", read_trending_page, (".txt", ".md"), sniff=is_any_text),
    InputFormat(
        "hf-daily", "document", read_json_document
    ),  # by --format only: its files read as json anyway
)
