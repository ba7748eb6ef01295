"""CSV and Parquet files with title/abstract columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from flows.readers.decode import UnreadableInput, is_gzip, line_damage, read_bytes
from flows.records import Record, Reject, make_paper, preview

csv.field_size_limit(16 * 1024 * 1024)

ABSTRACT_COLUMNS = ("abstract", "summary")
ID_COLUMNS = ("arxiv_id", "id", "paper_id")
PARQUET_BATCH_ROWS = 2048


def _pick(row: dict, names: tuple[str, ...]) -> object:
    for name in names:
        if name in row and row[name] not in (None, ""):
            return row[name]
    return None


def _row_to_record(row: dict, source: str, fmt: str, position: str) -> Record:
    return make_paper(
        title=row.get("title"),
        abstract=_pick(row, ABSTRACT_COLUMNS),
        ident=_pick(row, ID_COLUMNS),
        url=row.get("url"),
        published=row.get("published"),
        authors=row.get("authors"),
        source=source,
        source_format=fmt,
        position=position,
        raw=row,
    )


def is_csv_with_titles(head: bytes) -> bool:
    """A first line with a comma and a `title` column."""
    first_line = head.lstrip()[:200].split(b"\n", 1)[0].lower()
    return b"," in first_line and b"title" in first_line


def read_csv_text(lines: str | Iterable[str], source: str) -> Iterator[Record]:
    """Rows with a title and abstract/summary column, read as a stream; a ragged, broken or undecodable row is one reject."""
    if isinstance(lines, str):
        lines = io.StringIO(lines, newline="")
    stream = _Remembering(lines)
    reader = csv.reader(stream, strict=True)  # a quoted field cut off by the end of the file is an error, not a row
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        yield Reject(source, "line 1", f"malformed CSV header: {exc}", preview(stream.last[:200]), whole_file=True)
        return
    if "title" not in header or not any(c in header for c in ABSTRACT_COLUMNS):
        yield Reject(source, "line 1", "CSV has no title and abstract/summary columns", preview(",".join(header)), whole_file=True)
        return
    while True:
        position = f"line {reader.line_num + 1}"
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Reject(source, position, f"malformed CSV row: {exc}", "")
            continue
        if not any(c.strip() for c in cells):
            continue
        damage = line_damage("".join(cells))
        if damage:
            yield Reject(source, position, damage, preview(cells))
            continue
        if len(cells) != len(header):
            yield Reject(source, position, f"CSV row has {len(cells)} fields, header has {len(header)}", preview(cells))
            continue
        yield _row_to_record(dict(zip(header, cells, strict=True)), source, "csv", position)


class _Remembering:
    """Line iterator that keeps the last line handed out (for a reject's preview)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.last = ""

    def __iter__(self) -> _Remembering:
        return self

    def __next__(self) -> str:
        self.last = next(self._lines)
        return self.last


def is_parquet(head: bytes) -> bool:
    return head[:4] == b"PAR1"


def read_parquet_file(path: Path, source: str) -> Iterator[Record]:
    """Plain Parquet is read from disk row group by row group; gzipped Parquet has to be unpacked in memory."""
    try:
        gz = is_gzip(path)
        data = read_bytes(path) if gz else None
    except (OSError, UnreadableInput) as exc:
        yield Reject(source, "file", str(exc), "", whole_file=True)
        return
    yield from read_parquet_bytes(data, source) if data is not None else read_parquet(str(path), source)


def read_parquet_bytes(data: bytes, source: str) -> Iterator[Record]:
    """A Parquet file already in memory (a gunzipped .parquet.gz)."""
    import pyarrow as pa

    yield from read_parquet(pa.BufferReader(data), source)


def read_parquet(where: object, source: str) -> Iterator[Record]:
    """Rows streamed in small record batches, row group by row group, so a large file never sits in memory whole."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(where)
    except (pa.ArrowInvalid, OSError) as exc:
        yield Reject(source, "file", f"unreadable Parquet: {exc}", "", whole_file=True)
        return
    names = [n.lower() for n in handle.schema_arrow.names]
    if "title" not in names or not any(c in names for c in ABSTRACT_COLUMNS):
        yield Reject(source, "file", "Parquet has no title and abstract/summary columns", preview(names), whole_file=True)
        return
    start = 0
    for group in range(handle.num_row_groups):
        rows = handle.metadata.row_group(group).num_rows
        offset = start
        try:
            for batch in handle.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=[group]):
                for i, row in enumerate(batch.rename_columns([n.lower() for n in batch.schema.names]).to_pylist()):
                    yield _row_to_record(row, source, "parquet", f"row {offset + i}")
                offset += batch.num_rows
        except (pa.ArrowInvalid, OSError) as exc:
            lost = start + rows - offset  # the rows of the group not read before the error
            yield Reject(source, f"row group {group}", f"unreadable Parquet row group: {lost} of its {rows} rows lost "
                         f"(rows {offset}-{start + rows - 1}): {' '.join(str(exc).split())}", "")
        start += rows
