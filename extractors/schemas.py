"""Table contracts: explicit Arrow schemas for every output table (downstream users rely on them)."""

from __future__ import annotations

import pyarrow as pa

STR = pa.string()
I32 = pa.int32()
F64 = pa.float64()
TS = pa.timestamp("us", tz="UTC")

_MENTION = [
    ("paper_id", STR, False),
    ("text", STR, False),
    ("name", STR, False),
    ("field", STR, False),
    ("start", I32, False),
    ("end", I32, False),
    ("rule", STR, False),
    ("run_id", STR, False),
]

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


def _url_table(*extra: pa.Field) -> pa.Schema:
    """repos and links: the URL, what distinguishes the table, then where it was written."""
    return pa.schema(
        [pa.field("paper_id", STR, False), pa.field("url", STR, False), *extra, pa.field("text", STR, False)]
        + [pa.field(n, t, nullable) for n, t, nullable in _MENTION if n in ("field", "start", "end", "rule", "run_id")]
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
    "models": pa.schema(
        [pa.field(n, t, nullable) for n, t, nullable in _MENTION]
        + [
            pa.field("family", STR, True),
            pa.field("version", STR, True),
            pa.field("params", F64, True),
        ]
    ),
    "benchmarks": pa.schema([pa.field(n, t, nullable) for n, t, nullable in _MENTION]),
    "results": pa.schema(
        [
            pa.field("paper_id", STR, False),
            pa.field("text", STR, False),
            pa.field("value", F64, False),
            pa.field("scale", F64, False),
            pa.field("unit", STR, True),
            pa.field("kind", STR, False),
            pa.field("metric", STR, True),
            pa.field("benchmark", STR, True),
            pa.field("model", STR, True),
            pa.field("field", STR, False),
            pa.field("start", I32, False),
            pa.field("end", I32, False),
            pa.field("sentence", STR, False),
            pa.field("rule", STR, False),
            pa.field("link_rules", STR, True),
            pa.field("run_id", STR, False),
        ]
    ),
    "repos": _url_table(pa.field("owner", STR, False), pa.field("repo", STR, False)),
    "links": _url_table(pa.field("domain", STR, False)),
    "leaderboard": pa.schema(
        [
            pa.field("benchmark", STR, False),
            pa.field("metric", STR, True),  # canonical (metric_registry.jsonl); null when the text names none
            pa.field("metric_text", STR, True),  # as written
            pa.field("higher_is_better", pa.bool_(), True),  # null only when the metric is unknown
            pa.field("model", STR, False),
            pa.field("value", F64, False),  # as written
            pa.field("unit", STR, True),
            pa.field("value_normalized", F64, False),  # on the metric's usual scale (percent / fraction / absolute)
            pa.field("setting", STR, True),  # zero-shot, 5-shot, maj@64, test-other, 256×256, ...
            pa.field("bound", STR, True),  # <, ≤, >, ≥, ~ when the text gives a bound, not a value
            pa.field("confidence", F64, False),
            pa.field("paper_id", STR, False),
            pa.field("benchmark_text", STR, False),
            pa.field("model_text", STR, False),
            pa.field("text", STR, False),  # the number as written
            pa.field("sentence", STR, False),  # the evidence
            pa.field("number_start", I32, False),  # the number's offsets inside `sentence`
            pa.field("number_end", I32, False),
            pa.field("rule", STR, False),
            pa.field("run_id", STR, False),
        ]
    ),
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

FACT_TABLES = ("models", "benchmarks", "results", "repos", "links", "leaderboard")
PAPER_KEYED = ("papers", *FACT_TABLES)
# one row per canonical name, rebuilt from the snapshot at every publish (flows/catalog.py)
CATALOG_TABLES = ("model_catalog", "benchmark_catalog", "metric_catalog")
TABLES = (*PAPER_KEYED, "rejects", "runs", *CATALOG_TABLES)


def empty_table(name: str) -> pa.Table:
    return SCHEMAS[name].empty_table()
