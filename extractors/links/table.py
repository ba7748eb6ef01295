"""The `repos` and `links` fact tables: URLs paperfacts_links finds, a GitHub repository or any other link."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from extractors.extensions import fact_of
from extractors.fact_table import STR, FactTable, mention_columns

if TYPE_CHECKING:
    from pandera.pandas import DataFrameSchema
    from spacy.tokens import Span


def _url_schema(*extra: pa.Field) -> pa.Schema:
    """The URL, what distinguishes the table, then where it was written."""
    return pa.schema(
        [
            pa.field("paper_id", STR, False),
            pa.field("url", STR, False),
            *extra,
            pa.field("text", STR, False),
            *mention_columns("field", "start", "end", "rule", "run_id"),
        ]
    )


def _repo_row(span: Span, base: dict, text: str) -> dict:
    link = fact_of(span)
    return {**base, "url": link.url, "owner": link.owner, "repo": link.repo}


def _link_row(span: Span, base: dict, text: str) -> dict:
    link = fact_of(span)
    return {**base, "url": link.url, "domain": link.domain}


def _repo_gate() -> DataFrameSchema:
    from extractors.table_checks import NONEMPTY, pa, span_checks

    return pa.DataFrameSchema(
        {**span_checks(), "owner": pa.Column(str, NONEMPTY), "repo": pa.Column(str, NONEMPTY)}
    )


def _link_gate() -> DataFrameSchema:
    from extractors.table_checks import NONEMPTY, pa, span_checks

    return pa.DataFrameSchema({**span_checks(), "url": pa.Column(str, NONEMPTY)})


REPOS = FactTable(
    name="repos",
    schema=_url_schema(pa.field("owner", STR, False), pa.field("repo", STR, False)),
    gate=_repo_gate,
    labels=("repo",),
    span_row=_repo_row,
)

LINKS = FactTable(
    name="links",
    schema=_url_schema(pa.field("domain", STR, False)),
    gate=_link_gate,
    labels=("link",),
    span_row=_link_row,
)
