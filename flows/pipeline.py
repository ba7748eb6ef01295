"""The Prefect flow: read sources -> batches -> extract (in parallel) -> quality gate -> atomic publish."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.futures import as_completed

from extractors.rules import extractor_version
from flows.extract import extract_to_parts, write_part
from flows.readers import read_path, resolve_inputs
from flows.records import Paper, Reject
from flows.store import Store

VERSION = "0.1.0"
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
    status: str = "running"


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


@task(name="plan-inputs")
def plan_inputs(inputs: list[str]) -> list[str]:
    """Files, folders and globs to an ordered list of files."""
    return [str(p) for p in resolve_inputs(inputs)]


@task(name="extract-batch", retries=1, retry_delay_seconds=1)
def extract_batch(papers: list[Paper], staging: str, part_name: str, run_id: str, extracted_at: datetime) -> dict[str, int]:
    """Extract one batch and write its part files into the staging snapshot; returns row counts."""
    return extract_to_parts(papers, Path(staging), part_name, run_id, extracted_at)


def _batches(
    records: Iterator[Paper | Reject], batch_size: int, known: dict[str, tuple[str, str]], full_refresh: bool, summary: RunSummary,
    rejects: list[Reject], replaced: set[str],
) -> Iterator[list[Paper]]:
    """Incremental selection and batching; duplicates and bad records go to `rejects`."""
    version = extractor_version()
    seen: dict[str, str] = {}
    batch: list[Paper] = []
    for record in records:
        if isinstance(record, Reject):
            rejects.append(record)
            continue
        summary.papers_read += 1
        first = seen.get(record.paper_id)
        if first is not None:
            rejects.append(Reject(record.source, record.position, f"duplicate paper_id {record.paper_id} (first at {first})", record.title[:200]))
            continue
        seen[record.paper_id] = f"{record.source} {record.position}"
        previous = known.get(record.paper_id)
        if previous is not None:
            if not full_refresh and previous == (record.content_sha256, version):
                summary.papers_skipped += 1
                continue
            replaced.add(record.paper_id)
        batch.append(record)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


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
) -> dict[str, Any]:
    """Extract facts from every input into the tables under `out`, publishing all or nothing."""
    logger = get_run_logger()
    run_id = new_run_id()
    started = datetime.now(UTC)
    paths = plan_inputs(inputs)
    summary = RunSummary(run_id=run_id, out=out, inputs=paths)
    store = Store(Path(out))
    with store.lock(lock_wait_seconds):
        snapshot = store.begin(run_id)
        try:
            known = {} if full_refresh else snapshot.known_papers()
            if full_refresh:
                snapshot.drop_all()
            rejects: list[Reject] = []
            replaced: set[str] = set()
            records = (rec for path in paths for rec in read_path(Path(path), fmt))
            facts: Counter[str] = Counter()
            pending = []
            for number, batch in enumerate(_batches(records, batch_size, known, full_refresh, summary, rejects, replaced)):
                pending.append(extract_batch.submit(batch, str(snapshot.staging), f"part-{run_id}-{number:05d}", run_id, started))
                if len(pending) >= max_in_flight:
                    # bounded in-flight batches keep memory flat however large the input is
                    finished = next(as_completed(pending))
                    facts.update(finished.result())
                    pending.remove(finished)
            for future in pending:
                facts.update(future.result())
            summary.papers_replaced = len(replaced)
            snapshot.drop_papers(replaced, keep_run=run_id)
            summary.papers_written = facts.pop("papers", 0)
            summary.facts = dict(sorted(facts.items()))
            summary.rejected = len(rejects)
            summary.reject_reasons = dict(Counter(r.reason.split(":")[0] for r in rejects))
            write_part(snapshot.staging, "rejects", [_reject_row(r, run_id) for r in rejects], f"part-{run_id}")
            if strict and rejects:
                summary.status = "failed: rejects in strict mode"
                raise StrictModeFailure(f"{len(rejects)} record(s) rejected and --strict is set; nothing published")
            summary.status = "ok"
            write_part(snapshot.staging, "runs", [_run_row(summary, started)], f"part-{run_id}")
            snapshot.commit({"run_id": run_id, "summary": summary.__dict__})
        except BaseException:
            snapshot.abort()
            raise
    logger.info("run %s: %d papers written, %d skipped, %d rejected", run_id, summary.papers_written, summary.papers_skipped, summary.rejected)
    create_markdown_artifact(key=ARTIFACT_KEY, markdown=_summary_markdown(summary), description="paperfacts run summary")
    return summary.__dict__


class StrictModeFailure(Exception):
    """--strict and at least one reject."""


def _reject_row(reject: Reject, run_id: str) -> dict:
    return {"run_id": run_id, "source": reject.source, "position": reject.position, "reason": reject.reason, "raw": reject.raw}


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
        "version": VERSION,
        "extractor_version": extractor_version(),
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
    if summary.reject_reasons:
        lines += ["", "## Rejects by reason", "", "| reason | count |", "|---|---:|"]
        lines += [f"| {reason} | {count} |" for reason, count in summary.reject_reasons.items()]
    return "\n".join(lines)
