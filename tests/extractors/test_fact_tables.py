"""The fact-table registry (extractors.tables) is the one list of fact tables: the Parquet schemas, the quality
gate and the Doc → rows step all follow it, and a span label no table declares is an error, never a guess."""

from __future__ import annotations

import pyarrow as pa
import pytest
from spacy.tokens import Span

import flows.quality
from extractors.fact_table import SPAN_ROW_COLUMNS, FactTable, UnknownLabel
from extractors.pipeline import paper_text, shared_nlp
from extractors.rows import doc_to_rows
from extractors.schemas import PAPER_KEYED, SCHEMAS
from extractors.tables import FACT_TABLES, SPAN_TABLES, span_groups

TITLE = "GPT-4 beats Llama-2 on MMLU"
ABSTRACT = "Our ToyNet model gets 85.2% accuracy on MMLU and beats Llama-2 (71.0%); code at github.com/a/b, see https://x.org/y."


@pytest.fixture(scope="module")
def doc():
    return shared_nlp()(paper_text(TITLE, ABSTRACT))


@pytest.mark.parametrize("name", list(FACT_TABLES))
def test_every_table_has_its_schema_and_gate_wherever_tables_are_listed(name: str) -> None:
    table = FACT_TABLES[name]
    assert SCHEMAS[name] is table.schema and name in PAPER_KEYED
    gate = flows.quality.SCHEMAS[name]
    assert set(gate.columns) <= set(table.schema.names), "the gate checks a column the table does not have"
    assert {"paper_id", "run_id"} <= set(table.schema.names)


def test_the_pipeline_writes_the_span_tables_with_the_labels_they_declare(doc) -> None:
    assert set(doc.spans) == set(SPAN_TABLES)
    for name in SPAN_TABLES:
        assert doc.spans[name], f"the example paper gives no {name} span"
        assert {s.label_ for s in doc.spans[name]} <= set(FACT_TABLES[name].labels), name


def test_rows_have_exactly_the_columns_of_their_table(doc) -> None:
    rows = doc_to_rows(doc, "2400.00001", len(TITLE), "run")
    assert list(rows) == list(FACT_TABLES)
    for name, table in FACT_TABLES.items():
        assert rows[name], f"the example paper gives no {name} row"
        assert all(set(row) == set(table.schema.names) for row in rows[name]), name
        pa.Table.from_pylist(rows[name], schema=table.schema)  # and they fit its types


def test_a_label_no_table_takes_is_an_error_not_a_guess() -> None:
    assert span_groups([("benchmark", "b"), ("model", "m")], ("models", "benchmarks")) == {
        "models": [("model", "m")],
        "benchmarks": [("benchmark", "b")],
    }
    assert span_groups([], ("repos", "links")) == {"repos": [], "links": []}
    with pytest.raises(UnknownLabel, match="'task'"):
        span_groups([("model", "m"), ("task", "t")], ("models", "benchmarks"))
    with pytest.raises(UnknownLabel, match="'repo'"):
        span_groups([("repo", "r")], ("models", "benchmarks"))  # a label of another component's table


def test_a_span_in_a_group_its_label_does_not_belong_to_stops_the_rows() -> None:
    doc = shared_nlp()(paper_text(TITLE, ABSTRACT))
    doc.spans["benchmarks"] = [*doc.spans["benchmarks"], Span(doc, 0, 1, label="task")]
    with pytest.raises(UnknownLabel, match="labelled 'task'"):
        doc_to_rows(doc, "2400.00001", len(TITLE), "run")


def test_a_declaration_says_how_its_rows_are_made_and_has_the_columns_they_need() -> None:
    schema = pa.schema([pa.field(c, pa.string()) for c in SPAN_ROW_COLUMNS])
    with pytest.raises(ValueError, match="span_row .* or doc_rows"):
        FactTable("toys", schema, gate=lambda: None)
    with pytest.raises(ValueError, match="declares the labels"):
        FactTable("toys", schema, gate=lambda: None, span_row=lambda span, base, text: base)
    with pytest.raises(ValueError, match="lacks field, start"):
        FactTable(
            "toys",
            pa.schema([pa.field("paper_id", pa.string()), pa.field("text", pa.string())]),
            gate=lambda: None,
            labels=("toy",),
            span_row=lambda span, base, text: base,
        )
