"""What a run read, wrote, skipped and rejected: printed by the CLI, stored as its `runs` row and shown in the
Prefect UI as a markdown artifact."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from extractors.rules import extractor_version
from flows.version import package_version


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


def run_row(summary: RunSummary, started: datetime) -> dict:
    """The run's row of the `runs` table."""
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


def summary_markdown(summary: RunSummary) -> str:
    """The run summary as the markdown of its Prefect artifact."""
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
