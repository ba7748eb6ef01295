"""The report in a terminal: rich tables, widest first where the terminal is narrow."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from flows.report.data import Board, ReportData, Table, format_value


def rich_table(table: Table, title: str, hide: tuple[str, ...] = ("url",)) -> RichTable:
    out = RichTable(title=title, title_justify="left", title_style="bold", header_style="bold cyan", expand=False)
    keep = [i for i, c in enumerate(table.columns) if c not in hide]
    for i in keep:
        column = table.columns[i]
        wide_text = column in ("a paper", "title", "paper")
        out.add_column(column, justify="right" if column in table.numeric else "left", overflow="fold", min_width=len(column),
                       no_wrap=column in table.numeric, max_width=60 if wide_text else None)
    if not table.rows:
        out.add_row(*["-" for _ in keep])
    for row in table.rows:
        out.add_row(*[("" if row[i] is None else f"{row[i]:,}" if isinstance(row[i], int) else str(row[i])) for i in keep])
    return out


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def board_table(board: Board) -> RichTable:
    also = f" (also written {', '.join(board.aliases)})" if board.aliases else ""
    out = RichTable(title=f"Leaderboard: {board.benchmark}{also}", title_justify="left", title_style="bold", header_style="bold cyan")
    out.add_column("metric")
    out.add_column("model")
    out.add_column("best", justify="right")
    out.add_column("paper", overflow="fold", max_width=60)
    for e in board.entries:
        arrow = "↓" if e["lower"] else "↑"
        out.add_row(f"{e['metric'] or '-'} {arrow}", e["model"], format_value(e["value"], e["unit"]), f"{_short(e['title'])} ({e['paper_id']})")
    return out


def print_report(data: ReportData, console: Console, boards: int) -> None:
    """Overview line, then papers per run, top models, top benchmarks, repositories and leaderboards."""
    overview = " · ".join(f"{n:,} {label}" for label, n in data.overview.items())
    console.print(f"[bold]paperfacts report[/] for {data.out}: {overview}", highlight=False)
    console.print(rich_table(data.runs, "Papers per run", hide=("url", "seconds")))
    console.print(rich_table(data.models, "Top models (papers mentioning them)"))
    console.print(rich_table(data.benchmarks, "Top benchmarks (papers mentioning them)"))
    console.print(rich_table(data.repos, "Most-linked repositories"))
    for board in data.boards[:boards]:
        console.print(board_table(board))
    if len(data.boards) > boards:
        console.print(f"{len(data.boards) - boards} more leaderboard(s): use --boards N, or --html for all of them", highlight=False)
