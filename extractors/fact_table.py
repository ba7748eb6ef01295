"""What a fact table is: one declaration that the Parquet schema, the data-quality gate and the Doc → rows step
all read (the declarations: `table.py` beside each extractor; the registry: extractors.tables)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    from pandera.pandas import DataFrameSchema
    from spacy.tokens import Doc, Span

STR = pa.string()
I32 = pa.int32()
F64 = pa.float64()

# A span table's row always has these (the row builder adds the rest): where the fact was written, and by which rule.
SPAN_ROW_COLUMNS = ("paper_id", "text", "field", "start", "end", "rule", "run_id")
# A name mention (models, benchmarks) in column order; the URL tables pick from it.
MENTION_COLUMNS = [
    pa.field("paper_id", STR, False),
    pa.field("text", STR, False),
    pa.field("name", STR, False),
    pa.field("field", STR, False),
    pa.field("start", I32, False),
    pa.field("end", I32, False),
    pa.field("rule", STR, False),
    pa.field("run_id", STR, False),
]


def mention_columns(*names: str) -> list[pa.Field]:
    """The MENTION_COLUMNS called `names`, in their usual order (all of them when no name is given)."""
    return [f for f in MENTION_COLUMNS if not names or f.name in names]


@dataclass(frozen=True)
class PaperDoc:
    """One processed paper as the row builders see it: the Doc, its text and where its rows go."""

    doc: Doc
    text: str  # title + "\n" + abstract: a fact's offsets are into this text
    paper_id: str
    title_len: int
    run_id: str
    min_confidence: float | None = None  # leaderboard threshold; None: the confidence model's default


def field_offsets(start: int, end: int, title_len: int) -> tuple[str, int, int] | None:
    """Map doc offsets to (field, start, end) in that field; None for spans across the title break."""
    if end <= title_len:
        return "title", start, end
    if start > title_len:
        return "abstract", start - title_len - 1, end - title_len - 1
    return None


SpanRow = Callable[["Span", dict, str], dict]  # (span, its SPAN_ROW_COLUMNS, doc text) -> the whole row
DocRows = Callable[[PaperDoc, dict[str, list[dict]]], list[dict]]  # (paper, the span tables' rows) -> rows


@dataclass(frozen=True)
class FactTable:
    """One fact table, declared once. A span table (`labels` and `span_row`) has a row per span of
    `doc.spans[name]`; a derived table (`doc_rows`) is made from the whole paper after the span tables.

    `gate` builds the pandera schema the data-quality gate checks every batch with; it is a function so that
    pandera (which loads pandas) is imported by the gate only, not by extraction or the sql/report commands."""

    name: str
    schema: pa.Schema  # the Parquet contract, columns in the order they are written
    gate: Callable[[], DataFrameSchema]
    labels: tuple[str, ...] = ()  # the span labels doc.spans[name] holds; any other label is an error
    span_row: SpanRow | None = None
    doc_rows: DocRows | None = None

    def __post_init__(self) -> None:
        if (self.span_row is None) == (self.doc_rows is None):
            raise ValueError(
                f"fact table {self.name}: give span_row (a span table) or doc_rows (a derived table)"
            )
        if self.span_row is not None and not self.labels:
            raise ValueError(f"fact table {self.name}: a span table declares the labels of its spans")
        needed = SPAN_ROW_COLUMNS if self.span_row is not None else ("paper_id", "run_id")
        missing = [c for c in needed if c not in self.schema.names]
        if missing:
            raise ValueError(f"fact table {self.name}: the schema lacks {', '.join(missing)}")

    @property
    def from_spans(self) -> bool:
        return self.span_row is not None


class UnknownLabel(ValueError):
    """A fact span whose label no fact table declares: a new kind of fact needs its own table, never a guess."""
