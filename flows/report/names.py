"""`paperfacts names`: the catalog of canonical names, and with --suspects the pairs that may be one thing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

KINDS = ("benchmark", "model", "metric")
COLUMNS = {
    "benchmark": "name, parent, aliases, papers, mentions, results, first_seen",
    "model": "name, family, aliases, papers, mentions, first_seen",
    "metric": "name, aliases, higher_is_better, scale, results",
}
ORDER = {"benchmark": "papers DESC, name", "model": "papers DESC, name", "metric": "results DESC, name"}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def names(
    out: Annotated[Path, typer.Option("--out", help="Output folder of Parquet tables.")] = Path("outputs"),
    kind: Annotated[str | None, typer.Option("--kind", help="benchmark | model | metric (default: all).")] = None,
    suspects: Annotated[bool, typer.Option("--suspects", help="List pairs that look like one thing under two names.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows printed per table.")] = 500,
) -> None:
    """The catalog of canonical names (aliases, papers, results), or with --suspects the pairs to review."""
    from flows.report.command import _fail
    from flows.sql import NoTables, connect

    if kind is not None and kind not in KINDS:
        _fail(f"unknown kind {kind!r}; choose benchmark, model or metric")
    try:
        con = connect(out)
    except NoTables as exc:
        _fail(str(exc))
    console = Console()
    kinds = (kind,) if kind else KINDS
    if suspects:
        print_suspects(con, tuple(k for k in kinds if k != "metric"), console)
        return
    for k in kinds:
        columns, rows = _catalog(con, k)
        table = Table(title=f"{k}_catalog: {len(rows)} names", title_justify="left", title_style="bold", header_style="bold cyan")
        for column in columns:
            table.add_column(column, overflow="fold", justify="right" if column in ("papers", "mentions", "results") else "left",
                             max_width=60 if column == "aliases" else None)
        for row in rows[:limit]:
            table.add_row(*[_cell(v) for v in row])
        console.print(table)
        if len(rows) > limit:
            console.print(f"first {limit} of {len(rows)} shown (--limit N)", highlight=False)


def _catalog(con, kind: str) -> tuple[list[str], list[tuple]]:  # noqa: ANN001 - a DuckDB connection
    relation = con.execute(f"SELECT {COLUMNS[kind]} FROM {kind}_catalog ORDER BY {ORDER[kind]}")
    return [d[0] for d in relation.description], relation.fetchall()


def print_suspects(con, kinds: tuple[str, ...], console: Console) -> None:  # noqa: ANN001 - a DuckDB connection
    """One line per suspect pair; a confirmed pair is fixed by an alias line in the gazetteer."""
    from flows.suspects import find_suspects

    found = find_suspects(con, kinds)
    table = Table(title=f"{len(found)} suspect pair{'s' if len(found) != 1 else ''}", title_justify="left", title_style="bold",
                  header_style="bold cyan")
    for column in ("kind", "name", "papers", "other name", "papers ", "why", "evidence"):
        table.add_column(column, overflow="fold", justify="right" if column.startswith("papers") else "left")
    for s in found:
        table.add_row(s.kind, s.a, str(s.papers_a), s.b, str(s.papers_b), s.reason, s.evidence)
    console.print(table)
    if found:
        console.print("one thing under two names? add the other spelling to the entry's \"aliases\" in "
                      "extractors/names/gazetteers/<models|benchmarks>.jsonl; the next run re-canonicalises", highlight=False)
