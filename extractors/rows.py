"""Doc consumer: one processed paper becomes rows for every registered fact table (extractors.tables)."""

from __future__ import annotations

from spacy.tokens import Doc

from extractors.extensions import fact_of, fact_spans
from extractors.fact_table import FactTable, PaperDoc, UnknownLabel, field_offsets
from extractors.tables import FACT_TABLES
from extractors.tokenizer import doc_text


def doc_to_rows(doc: Doc, paper_id: str, title_len: int, run_id: str, min_confidence: float | None = None) -> dict[str, list[dict]]:
    """Rows for every fact table: a span table's from its span group, then each derived table's from the paper
    and those rows (the leaderboard keeps the scores at or above `min_confidence`)."""
    paper = PaperDoc(doc, doc_text(doc), paper_id, title_len, run_id, min_confidence)
    out: dict[str, list[dict]] = {name: [] for name in FACT_TABLES}
    for table in FACT_TABLES.values():
        if table.from_spans:
            out[table.name] = span_rows(table, paper)
    for table in FACT_TABLES.values():
        if table.doc_rows is not None:
            out[table.name] = table.doc_rows(paper, out)
    return out


def span_rows(table: FactTable, paper: PaperDoc) -> list[dict]:
    """A row per span of the table's group that lies in the title or the abstract (not across the break)."""
    rows = []
    for span in fact_spans(paper.doc, table.name):
        if span.label_ not in table.labels:
            raise UnknownLabel(f"doc.spans[{table.name!r}] holds {span.text!r} labelled {span.label_!r}; the table takes {', '.join(table.labels)}")
        fact = fact_of(span)  # the record, read once: each `span._.x` builds an accessor object and finds it again
        start, end = fact.start, fact.end
        loc = field_offsets(start, end, paper.title_len)
        if loc is not None:
            base = {"paper_id": paper.paper_id, "text": paper.text[start:end], "field": loc[0], "start": loc[1], "end": loc[2],
                    "rule": fact.rule, "run_id": paper.run_id}
            rows.append(table.span_row(span, base, paper.text))
    return rows
