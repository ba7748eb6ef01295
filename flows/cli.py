"""The `paperfacts` command line: run the flow, score against gold, serve schedules, report."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flows.options import RunOptions
from flows.readers.formats import INPUT_FORMATS
from flows.report import command as report_commands
from flows.report import names as names_command
from flows.settings import DEFAULT_INPUT, configure_prefect

configure_prefect()

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Extract models, benchmarks, results and repos from ML abstracts.")
console = Console(stderr=False)
err = Console(stderr=True)

FORMAT_CHOICES = list(INPUT_FORMATS)


def _fail(message: str, code: int) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _check_rules() -> None:
    """An edited rule or gazetteer file that does not load is a one-line error before anything runs."""
    from extractors.rules import RuleFileError, check_rule_files

    try:
        check_rule_files()
    except RuleFileError as exc:
        _fail(str(exc), 2)


def _quiet_prefect(verbose: bool) -> None:
    if not verbose:
        # Prefect's background senders log under their class names: `EventsWorker - Still processing items` at exit
        # on a loaded machine would be a second line after a one-line failure
        for name in ("prefect", "prefect.flow_runs", "prefect.task_runs", "distributed", "httpx", "EventsWorker", "APILogWorker"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


@app.command()
def run(
    inputs: Annotated[list[str] | None, typer.Argument(help="Files, folders or globs (.gz read transparently). Default: data/")] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder of Parquet tables.")] = Path("outputs"),
    fmt: Annotated[str | None, typer.Option("--format", help=f"Force the input format: {', '.join(FORMAT_CHOICES)}.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Papers per extraction task.")] = 1000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Extraction processes.")] = 1,
    task_runner: Annotated[str, typer.Option("--task-runner", help="local | process | dask")] = "local",
    dask_address: Annotated[str | None, typer.Option("--dask-address", help="tcp://host:port of a running Dask scheduler.")] = None,
    full_refresh: Annotated[bool, typer.Option("--full-refresh", help="Re-extract every paper, not only new or changed ones.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Any rejected record fails the run (nothing is published).")] = False,
    lock_wait: Annotated[float, typer.Option("--lock-wait", help="Seconds to wait for another run's lock.")] = 0.0,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar and no summary table (for schedulers).")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", help="Show Prefect's own logs.")] = False,
    source: Annotated[str | None, typer.Option("--source", help="Fetch a live source instead of reading INPUTs: hf-daily | arxiv.")] = None,
    day: Annotated[datetime | None, typer.Option("--date", formats=["%Y-%m-%d"], help="hf-daily: that day's list (default: today, UTC).")] = None,
    category: Annotated[str | None, typer.Option("--category", help="arxiv: the category, e.g. cs.CL.")] = None,
    max_results: Annotated[int, typer.Option("--max", min=1, help="arxiv: at most N newest entries.")] = 100,
    since: Annotated[datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="arxiv: only papers submitted on or after this day.")] = None,
    api_url: Annotated[str | None, typer.Option("--api-url", help="Override the source's API URL (a mirror, a local test server).")] = None,
    raw_dir: Annotated[Path, typer.Option("--raw-dir", help="Raw responses are kept under <raw-dir>/<source>/<date>/.")] = Path("data/raw"),
    min_confidence: Annotated[float | None, typer.Option(
        "--min-confidence", min=0.0, max=1.0, help="Leaderboard rows need at least this confidence (default: confidence.json's min_confidence, 0.5); every number stays in results.",
    )] = None,
) -> None:
    """Extract facts from INPUTs (or a live --source) into Parquet tables under --out."""
    if fmt is not None and fmt not in FORMAT_CHOICES:
        _fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMAT_CHOICES)}", 2)
    if task_runner not in ("local", "process", "dask"):
        _fail(f"unknown task runner {task_runner!r}; choose local, process or dask", 2)
    from flows.stopping import interrupts_handled

    with interrupts_handled():
        _check_rules()
        if source is not None:
            _check_source_options(source, inputs, day, category, since, api_url)
        options = RunOptions(
            inputs=() if source else _input_files(inputs), out=str(out), fmt=fmt, batch_size=batch_size, full_refresh=full_refresh,
            strict=strict, lock_wait=lock_wait, min_confidence=min_confidence, task_runner=task_runner, workers=workers,
            dask_address=dask_address, max_in_flight=_in_flight_limit(workers, dask_address), source=source,
            day=day.date() if day else None, category=category, max_results=max_results, since=since.date() if since else None,
            api_url=api_url, raw_dir=str(raw_dir), quiet=quiet, verbose=verbose,
        )
        try:
            with prefect_api():
                _run(options)
        except BaseException as exc:
            _exit_if_interrupted(exc)
            raise


def _exit_if_interrupted(exc: BaseException) -> None:
    """SIGTERM or SIGINT (raised by flows.stopping, or by Prefect's SIGTERM bridge during the flow): one line, 143 or 130."""
    from flows import stopping

    if stopping.is_interrupt(exc):
        err.print(stopping.message(exc), highlight=False, soft_wrap=True, markup=False)
        stopping.ignore_further_signals()  # the run is done and exiting: a late SIGINT must not kill the interpreter's teardown
        raise typer.Exit(stopping.status(exc))


def _input_files(inputs: list[str] | None) -> tuple[str, ...]:
    """The files INPUTs name; a typo or nothing to read is a one-line error (exit 2) before anything runs."""
    from flows.readers.detect import InputNotFound, resolve_inputs

    sources = inputs or [str(DEFAULT_INPUT)]
    try:
        files = resolve_inputs(sources)
    except InputNotFound as exc:
        _fail(str(exc), 2)
    if not inputs:  # the embedded sample only, not raw responses fetched into data/raw/
        files = [f for f in files if not f.resolve().is_relative_to(DEFAULT_INPUT / "raw")]
    if not files:
        _fail(f"no input files found in {', '.join(sources)}", 2)
    return tuple(str(f) for f in files)


def _in_flight_limit(workers: int, dask_address: str | None) -> int:
    """Batches a run keeps in flight; an unreachable --dask-address is a one-line error (exit 2)."""
    from flows.runners import ClusterUnreachable, in_flight_limit

    try:
        return in_flight_limit(workers, dask_address)
    except ClusterUnreachable as exc:
        _fail(str(exc), 2)
    raise AssertionError("unreachable")


def _run(options: RunOptions) -> None:
    """The run proper, inside a Prefect API (the user's PREFECT_API_URL or a local server started for it)."""
    summary = execute_run(options)
    if not options.quiet:
        print_summary(summary)
    for message in summary["files_rejected"]:  # a whole file lost is worth a line even with --quiet
        err.print(f"warning: file rejected whole: {message}", highlight=False, soft_wrap=True, markup=False)
    if summary["rejected"] and not options.quiet:
        err.print(f"{summary['rejected']} record(s) rejected: see the rejects table under {options.out}", highlight=False)


def _check_source_options(
    source: str, inputs: list[str] | None, day: datetime | None, category: str | None, since: datetime | None, api_url: str | None
) -> None:
    """--source options that cannot make a fetch: one line, exit 2 (before anything runs or is registered)."""
    from flows.sources import SourceUsageError
    from flows.sources.options import check_options

    if inputs:
        _fail("give INPUTs or --source, not both", 2)
    try:
        check_options(source, day, category, since, api_url)
    except SourceUsageError as exc:
        _fail(str(exc), 2)


def prefect_api():  # noqa: ANN201 - imported late: prefect reads PREFECT_API_URL when first imported
    from flows.local_server import prefect_api as api

    return api()


def execute_run(options: RunOptions) -> dict:
    """Run the flow with the chosen task runner; known failures become one-line errors and exit codes."""
    _quiet_prefect(options.verbose)
    from flows import progress
    from flows.output_errors import current_snapshot, output_failure_message, output_write_error
    from flows.pipeline import extract_papers
    from flows.runners import make_task_runner

    _quiet_prefect(options.verbose)  # again: importing Prefect set its loggers up
    flow = extract_papers.with_options(task_runner=make_task_runner(options.task_runner, options.workers, options.dask_address))
    if not options.verbose:  # worker processes import Prefect with this: a failed batch is not a traceback per worker
        os.environ["PREFECT_LOGGING_LEVEL"] = "CRITICAL"
    out = Path(options.out)
    published = current_snapshot(out)
    try:
        with contextlib.nullcontext() if options.quiet else progress.show(err):
            return flow(options=options)
    except Exception as exc:
        code = _exit_status(exc)
        if code is not None:
            _fail(str(exc), code)
        error = output_write_error(exc, out)  # disk full, read-only... possibly raised in a task or worker process
        if error is None:
            raise
        _fail(output_failure_message(error, out, published=current_snapshot(out) != published), 7)
    raise AssertionError("unreachable")


def _exit_status(exc: Exception) -> int | None:
    """The exit status of a failure the operator can act on (its message is one line), or None."""
    from flows.pipeline import StrictModeFailure
    from flows.quality import DataQualityError
    from flows.readers.detect import InputNotFound
    from flows.sources import FetchError, SourceUsageError
    from flows.store import StoreCorrupt, StoreLocked

    statuses: list[tuple[type[Exception], int]] = [
        (SourceUsageError, 2), (FetchError, 6), (StoreLocked, 3), (StoreCorrupt, 2), (DataQualityError, 4), (StrictModeFailure, 5),
        (InputNotFound, 2),  # an input gone between the command's check and the flow's own resolution
    ]
    return next((status for kind, status in statuses if isinstance(exc, kind)), None)


def print_summary(summary: dict) -> None:
    table = Table(title=f"paperfacts run {summary['run_id']}", show_header=True)
    table.add_column("measure")
    table.add_column("count", justify="right")
    for label, key in (("papers read", "papers_read"), ("papers written", "papers_written"), ("papers skipped (unchanged)", "papers_skipped"),
                       ("papers replaced (changed)", "papers_replaced"), ("records rejected", "rejected")):
        table.add_row(label, str(summary[key]))
    for name, count in summary["facts"].items():
        table.add_row(f"{name} rows", str(count))
    console.print(table)
    console.print(f"tables written to {summary['out']}/", highlight=False)


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Option("--gold", exists=True, dir_okay=False, help="Gold JSONL (see GUIDELINE.md format).")],
    out: Annotated[Path, typer.Option("--out", help="Output folder to score.")] = Path("outputs"),
    errors: Annotated[int, typer.Option("--errors", help="List up to N misses and false hits per fact kind.")] = 0,
    json_path: Annotated[Path | None, typer.Option("--json", help="Also write the figures as JSON.")] = None,
) -> None:
    """Score the tables under --out against a gold file: P/R/F1 per fact kind."""
    from extractors.evaluation import format_report, score

    try:
        report = score(gold, out)
    except FileNotFoundError as exc:
        _fail(str(exc), 2)
    console.print(format_report(report, errors), highlight=False, markup=False)
    if json_path:
        import json

        json_path.write_text(json.dumps({k: v for k, v in report.items() if k != "errors"}, indent=2))


@app.command()
def serve(
    cron: Annotated[str, typer.Option("--cron", help='Cron schedule, e.g. "0 6 * * *" (every day at 06:00).')],
    inputs: Annotated[list[str] | None, typer.Argument(help="Files, folders or globs, resolved again by every run. Default: data/")] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder of Parquet tables.")] = Path("outputs"),
    name: Annotated[str, typer.Option("--name", help="Deployment name (flow paperfacts-extract).")] = "nightly",
    timezone: Annotated[str, typer.Option("--timezone", help="IANA time zone of the cron schedule.")] = "UTC",
    fmt: Annotated[str | None, typer.Option("--format", help=f"Force the input format: {', '.join(FORMAT_CHOICES)}.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Papers per extraction task.")] = 1000,
    strict: Annotated[bool, typer.Option("--strict", help="Any rejected record fails the run (nothing is published).")] = False,
    lock_wait: Annotated[float, typer.Option("--lock-wait", help="Seconds a run waits for another run's lock.")] = 0.0,
    verbose: Annotated[bool, typer.Option("--verbose", help="Show Prefect's own logs.")] = False,
    source: Annotated[str | None, typer.Option("--source", help="Fetch a live source in every run: hf-daily (the run's date) | arxiv (since the last run).")] = None,
    category: Annotated[str | None, typer.Option("--category", help="arxiv: the category, e.g. cs.CL.")] = None,
    max_results: Annotated[int, typer.Option("--max", min=1, help="arxiv: at most N newest entries per run.")] = 100,
    since: Annotated[datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="arxiv: the first run's start day (default: the day before), and the earliest any run asks for.")] = None,
    api_url: Annotated[str | None, typer.Option("--api-url", help="Override the source's API URL (a mirror, a local test server).")] = None,
    raw_dir: Annotated[Path, typer.Option("--raw-dir", help="Raw responses are kept under <raw-dir>/<source>/<date>/.")] = Path("data/raw"),
) -> None:
    """Serve the extract flow (or, with --source, fetch then extract) as a Prefect deployment on a cron schedule
    (runs until stopped; needs PREFECT_API_URL)."""
    from flows.readers.detect import InputNotFound, resolve_inputs
    from flows.schedule import ScheduleError, cron_schedule
    from flows.schedule import serve as serve_deployment

    if fmt is not None and fmt not in FORMAT_CHOICES:
        _fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMAT_CHOICES)}", 2)
    _check_rules()
    try:
        schedule = cron_schedule(cron, timezone)
    except ScheduleError as exc:
        _fail(str(exc), 2)
    if source is not None:
        _check_source_options(source, inputs, None, category, since, api_url)
    elif category or since or api_url:
        _fail("--category, --since and --api-url need --source (hf-daily or arxiv)", 2)
    else:
        inputs = inputs or [str(DEFAULT_INPUT)]
        try:
            resolve_inputs(inputs)  # a typo fails now, not at 6 am; an empty folder is fine (files may arrive later)
        except InputNotFound as exc:
            _fail(str(exc), 2)
    options = RunOptions(
        inputs=tuple(inputs or ()), out=str(out), fmt=fmt, batch_size=batch_size, strict=strict, lock_wait=lock_wait, source=source,
        category=category, max_results=max_results, since=since.date() if since else None, api_url=api_url, raw_dir=str(raw_dir),
        schedule_timezone=timezone if source else None, verbose=verbose,
    )
    from prefect.settings import get_current_settings

    if not get_current_settings().api.url:
        _fail("serve needs a running Prefect server: start one with `prefect server start` and set PREFECT_API_URL", 2)
    _quiet_prefect(verbose)
    flow_name = "paperfacts-live" if source else "paperfacts-extract"
    console.print(f"serving deployment {flow_name}/{name} on {cron!r} ({timezone}); stop with Ctrl-C", highlight=False)
    serve_deployment(name, schedule, options)


app.command("report")(report_commands.report)
app.command("sql")(report_commands.sql)
app.command("names")(names_command.names)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
