"""The Prefect flow: read sources -> batches -> extract (in parallel) -> quality gate -> atomic publish."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.futures import as_completed

from extractors.rules import extractor_version
from flows import progress, stopping
from flows.batching import RejectSink, select_batches
from flows.catalog import build_catalogs
from flows.extract import extract_to_parts, paper_version, write_part
from flows.paper_index import KnownPapers
from flows.quality import check_snapshot
from flows.readers import read_path, resolve_inputs
from flows.records import Paper
from flows.store import Store
from flows.version import package_version

ARTIFACT_KEY = "paperfacts-run-summary"


@dataclass
class RunSummary:
    """What a run read, wrote, skipped and rejected; printed by the CLI and stored in `runs`."""

    run_id: str
    out: str
    inputs: list[str]
    papers_read: int = 0
    papers_written: int = 0
    papers_skipped: int = 0
    papers_replaced: int = 0
    rejected: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    reject_reasons: dict[str, int] = field(default_factory=dict)
    fetched: list[dict] | None = None
    files_rejected: list[str] = field(default_factory=list)  # "<file>: <reason>" for each file that gave nothing
    status: str = "running"


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


@task(name="plan-inputs")
def plan_inputs(inputs: list[str]) -> list[str]:
    """Files, folders and globs to an ordered list of files."""
    return [str(p) for p in resolve_inputs(inputs)]


@task(name="extract-batch", retries=1, retry_delay_seconds=1)
def extract_batch(
    papers: list[Paper], staging: str, part_name: str, run_id: str, extracted_at: datetime, min_confidence: float | None = None
) -> dict[str, int]:
    """Extract one batch and write its part files into the staging snapshot; returns row counts."""
    return extract_to_parts(papers, Path(staging), part_name, run_id, extracted_at, min_confidence)


@flow(name="paperfacts-extract", log_prints=False)
def extract_papers(
    inputs: list[str],
    out: str = "outputs",
    fmt: str | None = None,
    batch_size: int = 1000,
    full_refresh: bool = False,
    strict: bool = False,
    max_in_flight: int = 4,
    lock_wait_seconds: float = 0.0,
    fetched: list[dict] | None = None,
    min_confidence: float | None = None,
) -> dict[str, Any]:
    """Extract facts from every input into the tables under `out`, publishing all or nothing.

    `fetched` lists the pages a live-source fetch kept (FetchResult.pages); it is recorded in `runs`.
    """
    logger = get_run_logger()
    run_id = new_run_id()
    started = datetime.now(UTC)
    paths = plan_inputs(inputs)
    summary = RunSummary(run_id=run_id, out=out, inputs=paths, fetched=fetched)
    store = Store(Path(out))
    with store.lock(lock_wait_seconds):
        snapshot = store.begin(run_id)
        pending: list = []
        try:
            # compact indexes and chunked rejects: the flow's memory stays flat over millions of records
            known = KnownPapers.empty() if full_refresh else KnownPapers.from_parts(snapshot.staging / "papers", paper_version(min_confidence))
            if full_refresh:
                snapshot.drop_all()
            rejects = RejectSink(snapshot.staging, run_id)
            replaced: set[str] = set()
            records = (rec for path in paths for rec in read_path(Path(path), fmt))
            facts: Counter[str] = Counter()
            for number, batch in enumerate(select_batches(records, batch_size, known, full_refresh, summary, rejects, replaced)):
                pending.append(extract_batch.submit(batch, str(snapshot.staging), f"part-{run_id}-{number:05d}", run_id, started, min_confidence))
                if len(pending) >= max_in_flight:
                    # bounded in-flight batches keep memory flat however large the input is
                    finished = next(as_completed(pending))
                    facts.update(finished.result())
                    pending.remove(finished)
                progress.update(summary.papers_read, facts["papers"])
            for future in pending:
                facts.update(future.result())
                progress.update(summary.papers_read, facts["papers"])
            progress.update(summary.papers_read, facts["papers"])
            summary.papers_replaced = len(replaced)
            snapshot.drop_papers(replaced, keep_run=run_id)
            snapshot.drop_rows("rejects", "source", paths, keep_run=run_id)  # sources read again: their old rejects are superseded
            summary.papers_written = facts.pop("papers", 0)
            summary.facts = dict(sorted(facts.items()))
            summary.rejected = rejects.count
            summary.reject_reasons = dict(rejects.reasons)
            summary.files_rejected = rejects.whole_files
            for message in rejects.whole_files:
                logger.warning("file rejected whole: %s", message)
            rejects.flush()
            if strict and rejects.count:
                summary.status = "failed: rejects in strict mode"
                raise StrictModeFailure(f"{rejects.count} record(s) rejected and --strict is set; nothing published")
            summary.status = "ok"
            write_part(snapshot.staging, "runs", [_run_row(summary, started)], f"part-{run_id}")
            build_catalogs(snapshot.staging, run_id)  # from the snapshot about to be published, every run
            check_snapshot(snapshot.staging)
            with stopping.publishing():  # a signal now is held: the tables are either published or untouched
                snapshot.commit({"run_id": run_id, "summary": summary.__dict__})
        except BaseException as exc:
            with stopping.cleaning_up(exc):
                # batches still running would write into staging after it is removed; a stop by signal waits less
                _settle(pending, INTERRUPTED_SETTLE_SECONDS if stopping.is_interrupt(exc) else SETTLE_SECONDS)
                snapshot.abort()
            raise
    logger.info("run %s: %d papers written, %d skipped, %d rejected", run_id, summary.papers_written, summary.papers_skipped, summary.rejected)
    create_markdown_artifact(key=ARTIFACT_KEY, markdown=_summary_markdown(summary), description="paperfacts run summary")
    return summary.__dict__


SETTLE_SECONDS = 600
INTERRUPTED_SETTLE_SECONDS = 60


def _settle(futures: list, seconds: float) -> None:
    """Wait (at most `seconds` in all) for in-flight batches to end, however they end, before a failed run
    removes its staging snapshot."""
    deadline = time.monotonic() + seconds
    for future in futures:
        with contextlib.suppress(Exception):  # the run is failing already; its first error is the one to report
            future.wait(timeout=max(0.0, deadline - time.monotonic()))


class StrictModeFailure(Exception):
    """--strict and at least one reject."""


def _run_row(summary: RunSummary, started: datetime) -> dict:
    return {
        "run_id": summary.run_id,
        "started_at": started,
        "finished_at": datetime.now(UTC),
        "inputs": summary.inputs,
        "papers_read": summary.papers_read,
        "papers_written": summary.papers_written,
        "papers_skipped": summary.papers_skipped,
        "rejected": summary.rejected,
        "facts": list(summary.facts.items()),
        "status": summary.status,
        "version": package_version(),
        "extractor_version": extractor_version(),
        "fetched": summary.fetched,
    }


def _summary_markdown(summary: RunSummary) -> str:
    lines = [
        f"# paperfacts run `{summary.run_id}`",
        "",
        "| measure | count |",
        "|---|---:|",
        f"| papers read | {summary.papers_read} |",
        f"| papers written | {summary.papers_written} |",
        f"| papers skipped (unchanged) | {summary.papers_skipped} |",
        f"| papers replaced (changed) | {summary.papers_replaced} |",
        f"| records rejected | {summary.rejected} |",
    ]
    lines += [f"| {name} rows | {count} |" for name, count in summary.facts.items()]
    if summary.fetched:
        lines += ["", "## Pages fetched", "", "| source | category | since | day | page | entries |", "|---|---|---|---|---:|---:|"]
        lines += [f"| {p['source']} | {p['category'] or ''} | {p['since'] or ''} | {p['day']} | {p['page']} | {p['entries']} |" for p in summary.fetched]
    if summary.reject_reasons:
        lines += ["", "## Rejects by reason", "", "| reason | count |", "|---|---:|"]
        lines += [f"| {reason} | {count} |" for reason, count in summary.reject_reasons.items()]
    return "\n".join(lines)
