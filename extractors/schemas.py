"""Table contracts: explicit Arrow schemas for every output table (downstream users rely on them); a fact
table's schema is declared with the table (extractors.tables), the others here."""

from __future__ import annotations

import pyarrow as pa

from extractors.fact_table import I32, STR
from extractors.tables import FACT_TABLES

__all__ = ["CATALOG_TABLES", "FACT_TABLES", "PAPER_KEYED", "SCHEMAS", "TABLES", "empty_table"]

TS = pa.timestamp("us", tz="UTC")

FETCHED_PAGE = pa.struct(
    [
        pa.field("source", STR, False),  # hf-daily | arxiv
        pa.field("category", STR, True),  # arxiv category
        pa.field("since", STR, True),  # arxiv: first submission day asked for
        pa.field("day", STR, False),  # hf-daily: the list's date; arxiv: the fetch day (UTC)
        pa.field("page", I32, False),  # 0-based page of the query
        pa.field("entries", pa.int64(), False),  # entries on that page
        pa.field("file", STR, False),  # the raw response kept
    ]
)


SCHEMAS: dict[str, pa.Schema] = {
    "papers": pa.schema(
        [
            pa.field("paper_id", STR, False),
            pa.field("title", STR, False),
            pa.field("abstract", STR, False),
            pa.field("source", STR, False),
            pa.field("source_format", STR, False),
            pa.field("published", STR, True),
            pa.field("url", STR, True),
            pa.field("authors", pa.list_(STR), True),
            pa.field("content_sha256", STR, False),
            pa.field("extractor_version", STR, False),
            pa.field("run_id", STR, False),
            pa.field("extracted_at", TS, False),
        ]
    ),
    **{name: table.schema for name, table in FACT_TABLES.items()},
    "rejects": pa.schema(
        [
            pa.field("run_id", STR, False),
            pa.field("source", STR, False),
            pa.field("position", STR, False),
            pa.field("reason", STR, False),
            pa.field("raw", STR, True),
        ]
    ),
    "model_catalog": pa.schema(
        [
            pa.field("name", STR, False),
            pa.field("family", STR, True),
            pa.field("aliases", pa.list_(STR), False),
            pa.field("papers", pa.int64(), False),
            pa.field("mentions", pa.int64(), False),
            pa.field("first_seen", STR, True),
        ]
    ),
    "benchmark_catalog": pa.schema(
        [
            pa.field("name", STR, False),
            pa.field("parent", STR, True),
            pa.field("aliases", pa.list_(STR), False),
            pa.field("papers", pa.int64(), False),
            pa.field("mentions", pa.int64(), False),
            pa.field("results", pa.int64(), False),
            pa.field("first_seen", STR, True),
        ]
    ),
    "metric_catalog": pa.schema(
        [
            pa.field("name", STR, False),
            pa.field("aliases", pa.list_(STR), False),
            pa.field("higher_is_better", pa.bool_(), True),
            pa.field("scale", STR, True),
            pa.field("results", pa.int64(), False),
        ]
    ),
    "runs": pa.schema(
        [
            pa.field("run_id", STR, False),
            pa.field("started_at", TS, False),
            pa.field("finished_at", TS, False),
            pa.field("inputs", pa.list_(STR), False),
            pa.field("papers_read", pa.int64(), False),
            pa.field("papers_written", pa.int64(), False),
            pa.field("papers_skipped", pa.int64(), False),
            pa.field("rejected", pa.int64(), False),
            pa.field("facts", pa.map_(STR, pa.int64()), False),
            pa.field("status", STR, False),
            pa.field("version", STR, False),
            pa.field("extractor_version", STR, False),
            # live sources: every page a `--source` fetch kept for this run (null for runs over files; added later,
            # so older parts lack the column and read it as null)
            pa.field("fetched", pa.list_(FETCHED_PAGE), True),
        ]
    ),
}

PAPER_KEYED = ("papers", *FACT_TABLES)
# one row per canonical name, rebuilt from the snapshot at every publish (flows/catalog.py)
CATALOG_TABLES = ("model_catalog", "benchmark_catalog", "metric_catalog")
TABLES = (*PAPER_KEYED, "rejects", "runs", *CATALOG_TABLES)


def empty_table(name: str) -> pa.Table:
    return SCHEMAS[name].empty_table()
