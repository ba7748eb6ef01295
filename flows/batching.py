"""Records to batches in constant memory: incremental selection, duplicate detection, rejects flushed in chunks.

Nothing here holds a paper after its batch is handed out: ids go into compact indexes (flows.paper_index)
and rejects are written to part files every `REJECT_CHUNK` records, so a run over millions of records keeps
the flow process's memory flat.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from flows.extract import write_part
from flows.paper_index import KnownPapers, SeenIds
from flows.records import Paper, Reject

REJECT_CHUNK = 10_000
DUPLICATE = "duplicate paper_id"


class Tally(Protocol):
    """What batching counts (the flow's RunSummary)."""

    papers_read: int
    papers_skipped: int


def reason_kind(reason: str) -> str:
    """The reason without its particulars, for counting: `malformed JSON: ...` -> `malformed JSON`."""
    return DUPLICATE if reason.startswith(DUPLICATE) else reason.split(":")[0]


class RejectSink:
    """Rejects go to `rejects` part files in chunks; only counts stay in memory."""

    def __init__(self, staging: Path, run_id: str, chunk: int = REJECT_CHUNK) -> None:
        self.staging = staging
        self.run_id = run_id
        self.chunk = chunk
        self.count = 0
        self.reasons: Counter[str] = Counter()
        self.whole_files: list[str] = []  # the reason (naming the file) of every file rejected whole, for the operator
        self._rows: list[dict] = []
        self._parts = 0

    def add(self, reject: Reject) -> None:
        self.count += 1
        self.reasons[reason_kind(reject.reason)] += 1
        if reject.whole_file:
            self.whole_files.append(reject.reason if reject.source in reject.reason else f"{reject.source}: {reject.reason}")
        self._rows.append(
            {"run_id": self.run_id, "source": reject.source, "position": reject.position, "reason": reject.reason, "raw": reject.raw}
        )
        if len(self._rows) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            write_part(self.staging, "rejects", self._rows, f"part-{self.run_id}-{self._parts:05d}")
            self._parts += 1
            self._rows = []


def select_batches(
    records: Iterable[Paper | Reject], batch_size: int, known: KnownPapers, full_refresh: bool, tally: Tally,
    rejects: RejectSink, replaced: set[str],
) -> Iterator[list[Paper]]:
    """Batches of papers to extract: new or changed ones (all with `full_refresh`), each paper id once."""
    seen = SeenIds()
    batch: list[Paper] = []
    for record in records:
        if isinstance(record, Reject):
            rejects.add(record)
            continue
        tally.papers_read += 1
        first = seen.first_seen(record.paper_id, record.source, record.position)
        if first is not None:
            rejects.add(Reject(record.source, record.position, f"{DUPLICATE} {record.paper_id} (first at {first})", record.title[:200]))
            continue
        if not full_refresh:
            state = known.state(record.paper_id, record.content_sha256)
            if state == KnownPapers.UNCHANGED:
                tally.papers_skipped += 1
                continue
            if state == KnownPapers.CHANGED:
                replaced.add(record.paper_id)
        batch.append(record)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch
