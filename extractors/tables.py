"""Every fact table, registered once. The Parquet schemas (extractors.schemas), the data-quality gate
(flows.quality) and the Doc → rows step (extractors.rows) read this registry; a fact table is declared in the
`table.py` beside the extractor that finds its facts. Order is the order the tables are made and listed."""

from __future__ import annotations

from collections.abc import Iterable

from extractors.fact_table import FactTable, UnknownLabel
from extractors.links.table import LINKS, REPOS
from extractors.names.table import BENCHMARKS, MODELS
from extractors.numbers.table import RESULTS
from extractors.results.table import LEADERBOARD


def _registry(*tables: FactTable) -> dict[str, FactTable]:
    named = {t.name: t for t in tables}
    labels = [label for t in tables for label in t.labels]
    if len(named) < len(tables) or len(set(labels)) < len(labels):
        raise ValueError("two fact tables of one name, or a span label two tables declare")
    return named


FACT_TABLES: dict[str, FactTable] = _registry(
    MODELS,
    BENCHMARKS,
    RESULTS,
    REPOS,
    LINKS,
    LEADERBOARD,
)
# the tables made one row per span of doc.spans[name]
SPAN_TABLES = tuple(name for name, table in FACT_TABLES.items() if table.from_spans)


def span_groups(
    facts: Iterable[tuple[str, object]], tables: Iterable[str]
) -> dict[str, list[tuple[str, object]]]:
    """`(label, record)` pairs sorted into the span groups of `tables` (every one present, empty or not) by the
    labels each table declares, in their order; a label none of `tables` declares raises UnknownLabel.

    >>> span_groups([("model", "m"), ("benchmark", "b")], ("models", "benchmarks"))
    {'models': [('model', 'm')], 'benchmarks': [('benchmark', 'b')]}
    """
    groups: dict[str, list[tuple[str, object]]] = {name: [] for name in tables}
    by_label = {label: name for name in groups for label in FACT_TABLES[name].labels}
    for label, record in facts:
        if label not in by_label:
            raise UnknownLabel(
                f"{getattr(record, 'text', record)!r} is labelled {label!r}: no table of {', '.join(groups)} takes it"
            )
        groups[by_label[label]].append((label, record))
    return groups
