"""The Prefect flow `paperfacts-extract`, read top to bottom like the pipeline it is:

    fetch (a live source only: subflow `paperfacts-fetch`) -> plan-inputs -> read-records -> select-batches
    -> extract-batch (one task run per batch, in parallel) -> complete-snapshot -> quality-gate -> publish

Reading and selecting stream (one task run each, yielding as extraction asks for more), so memory stays flat
however large the input; the tables are published all at once by `publish`, or not at all.

No `from __future__ import annotations` here: a served run unpickles the flow function by value, and Prefect
validates its `options` parameter against the annotation, which must then be the class itself, not its name.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed

from flows import batching, stopping
from flows.catalog import build_catalogs
from flows.extract import extract_to_parts, write_part
from flows.options import RunOptions
from flows.quality import check_snapshot
from flows.readers import read_path, resolve_inputs
from flows.records import Paper, Reject
from flows.runners import release_workers
from flows.sources.command import fetch_live_source
from flows.staged_run import StagedRun, staged_run
from flows.streams import streaming_task
from flows.summary import RunSummary, run_row, summary_markdown

ARTIFACT_KEY = "paperfacts-run-summary"
READ_CHUNK = 500  # records per item of read-records: few items for Prefect to track, little memory held


class StrictModeFailure(Exception):
    """--strict and at least one reject."""


# --- read ---


@task(name="plan-inputs", cache_policy=NO_CACHE)
def plan_inputs(inputs: list[str]) -> list[str]:
    """Files, folders and globs to an ordered list of files."""
    return [str(p) for p in resolve_inputs(inputs)]


@streaming_task(name="read-records")
def read_records(paths: list[str], fmt: str | None) -> Iterator[list[Paper | Reject]]:
    """Every record of every file in order, papers and rejects, in chunks; the readers stream from the files."""
    chunk: list[Paper | Reject] = []
    for path in paths:
        for record in read_path(Path(path), fmt):
            chunk.append(record)
            if len(chunk) >= READ_CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


# --- select ---


@streaming_task(name="select-batches")
def select_batches(records: Iterable[list[Paper | Reject]], run: StagedRun) -> Iterator[list[Paper]]:
    """Batches of new or changed papers (all of them with --full-refresh), each paper once; unchanged papers are
    counted as skipped, duplicates and bad records go to the rejects."""
    stream = (record for chunk in records for record in chunk)
    options = run.options
    yield from batching.select_batches(stream, options.batch_size, run.known, options.full_refresh, run.summary, run.rejects, run.replaced)


# --- extract ---


class Batch:
    """A batch of papers as one opaque task argument. Prefect walks lists, tuples and dataclasses in task arguments
    looking for futures (a thousand papers per submit, about 3% of a one-worker run); a plain object it passes on.
    (Prefect's own `quote` is a tuple, which a Dask graph reads as a task of its own.)"""

    __slots__ = ("papers",)

    def __init__(self, papers: list[Paper]) -> None:
        self.papers = papers


@task(name="extract-batch", retries=1, retry_delay_seconds=1, cache_policy=NO_CACHE)
def extract_batch(
    batch: Batch, staging: str, part_name: str, run_id: str, extracted_at: datetime, min_confidence: float | None = None
) -> dict[str, int]:
    """Extract one batch and write its part files into the staging snapshot; returns row counts."""
    return extract_to_parts(batch.papers, Path(staging), part_name, run_id, extracted_at, min_confidence)


def extract_batches(batches: Iterable[list[Paper]], run: StagedRun) -> None:
    """One extract-batch task run per batch on the flow's task runner; at most `max_in_flight` batches are submitted
    and unfinished at a time, so memory stays flat however large the input is. Returns when all have finished.

    The batch goes as one opaque `Batch` and the task caches nothing (no batch result is ever reused), so Prefect
    neither walks nor hashes its papers."""
    for number, batch in enumerate(batches):
        run.in_flight.append(
            extract_batch.submit(Batch(batch), str(run.staging), run.part_name(number), run.run_id, run.started, run.options.min_confidence)
        )
        if len(run.in_flight) >= run.options.max_in_flight:
            run.collect(next(as_completed(run.in_flight)))
        run.show_progress()
    for future in list(run.in_flight):
        run.collect(future)
        run.show_progress()
    run.show_progress()


# --- quality gate ---


@task(name="complete-snapshot", cache_policy=NO_CACHE)
def complete_snapshot(run: StagedRun) -> None:
    """The staged snapshot made whole: the earlier rows of changed papers and the earlier rejects of the files read
    again go, the run's rejects, its `runs` row and the catalogs (rebuilt from the whole snapshot) come in."""
    summary, rejects = run.summary, run.rejects
    summary.papers_replaced = len(run.replaced)
    run.snapshot.drop_papers(run.replaced, keep_run=run.run_id)
    run.snapshot.drop_rows("rejects", "source", summary.inputs, keep_run=run.run_id)  # sources read again: their old rejects are superseded
    summary.papers_written = run.facts.pop("papers", 0)
    summary.facts = dict(sorted(run.facts.items()))
    summary.rejected = rejects.count
    summary.reject_reasons = dict(rejects.reasons)
    summary.files_rejected = rejects.whole_files
    for message in rejects.whole_files:
        get_run_logger().warning("file rejected whole: %s", message)
    rejects.flush()
    summary.status = "ok"  # published only if the gate lets the snapshot through
    write_part(run.staging, "runs", [run_row(summary, run.started)], f"part-{run.run_id}")
    build_catalogs(run.staging, run.run_id)


@task(name="quality-gate", cache_policy=NO_CACHE)
def quality_gate(run: StagedRun) -> None:
    """Nothing is published from a run with rejects under --strict, or whose snapshot breaks a table contract."""
    if run.options.strict and run.rejects.count:
        run.summary.status = "failed: rejects in strict mode"
        raise StrictModeFailure(f"{run.rejects.count} record(s) rejected and --strict is set; nothing published")
    check_snapshot(run.staging)


# --- publish ---


@task(name="publish", cache_policy=NO_CACHE)
def publish(run: StagedRun) -> None:
    """Seal the snapshot and swap it in with one atomic rename: readers see all of the run or none of it."""
    with stopping.publishing():  # a signal now is held: the tables are either published or untouched
        run.snapshot.commit({"run_id": run.run_id, "summary": run.summary.__dict__})


def report(summary: RunSummary) -> None:
    """The run's summary in its log and, as a markdown artifact, in the Prefect UI."""
    get_run_logger().info(
        "run %s: %d papers written, %d skipped, %d rejected", summary.run_id, summary.papers_written, summary.papers_skipped, summary.rejected
    )
    create_markdown_artifact(key=ARTIFACT_KEY, markdown=summary_markdown(summary), description="paperfacts run summary")


# --- the flow ---


@flow(name="paperfacts-extract", log_prints=False)
def extract_papers(options: RunOptions) -> dict[str, Any]:
    """Extract facts from every input (or the pages a live source gives) into the tables under `options.out`,
    publishing all or nothing."""
    fetched = fetch_live_source(options) if options.source else None
    paths = plan_inputs(list(options.inputs) if fetched is None else [str(f) for f in fetched.files])
    with staged_run(options, paths, fetched.pages if fetched else None) as run:
        with read_records(paths, options.fmt) as records, select_batches(records, run) as batches:
            extract_batches(batches, run)
        release_workers()
        complete_snapshot(run)
        quality_gate(run)
        publish(run)
    report(run.summary)
    return run.summary.__dict__
