"""`paperfacts report` and `paperfacts sql`: thin typer commands over flows.report and flows.sql."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

OutOption = Annotated[Path, typer.Option("--out", help="Output folder of Parquet tables.")]


def _fail(message: str, code: int = 2) -> None:
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def report(
    out: OutOption = Path("outputs"),
    html: Annotated[Path | None, typer.Option("--html", help="Write one self-contained HTML file (tables and charts) instead, and a page per leaderboard paper beside it.")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows in the top-N tables and charts.")] = 15,
    boards: Annotated[int, typer.Option("--boards", min=0, help="Leaderboards shown in the terminal (the HTML shows up to 60).")] = 8,
) -> None:
    """Papers per run, top models and benchmarks, most-linked repositories and per-benchmark leaderboards."""
    from flows.report.data import collect
    from flows.sql import NoTables, connect

    try:
        con = connect(out)
    except NoTables as exc:
        _fail(str(exc))
    if html is None:
        from flows.report.terminal import print_report

        print_report(collect(con, out, top=top, boards=max(boards, 1)), Console(), boards)
        return
    from flows.report.html import render_html
    from flows.report.paper_facts import collect_papers, papers_to_show
    from flows.report.paper_pages import link_board_rows, write_paper_pages

    data = collect(con, out, top=top, boards=60)
    papers = collect_papers(con, papers_to_show([e for b in data.boards for e in b.entries]))
    folder = html.with_name(f"{html.stem}_papers")  # next to the report, as a browser saves a page's files
    link_board_rows(data.boards, papers, folder.name)
    page = render_html(data)
    try:
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(page, encoding="utf-8")
        written = write_paper_pages(papers, folder, f"../{html.name}#leaderboards")
    except OSError as exc:
        _fail(f"cannot write {html}: {exc.strerror or exc}")
    Console().print(f"HTML report written to {html} ({len(page.encode()) // 1024} KB, self-contained), and a page per "
                    f"leaderboard paper ({written}) in {folder}/", highlight=False, soft_wrap=True)


def sql(
    statement: Annotated[str, typer.Argument(help="A DuckDB query; the tables are views: papers, models, benchmarks, results, ...")],
    out: OutOption = Path("outputs"),
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows printed in table mode.")] = 200,
) -> None:
    """Run one SQL query over the tables (a view per table is already defined)."""
    import duckdb
    from rich.table import Table

    from flows.sql import NoTables, connect, query, to_csv

    try:
        columns, rows = query(connect(out), statement)
    except NoTables as exc:
        _fail(str(exc))
    except duckdb.Error as exc:
        _fail(" ".join(str(exc).split()))
    if as_csv:
        typer.echo(to_csv(columns, rows), nl=False)
        return
    table = Table(header_style="bold cyan")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows[:limit]:
        table.add_row(*["NULL" if v is None else str(v) for v in row])
    console = Console()
    console.print(table)
    more = f", first {limit} shown" if len(rows) > limit else ""
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}{more}", highlight=False)
