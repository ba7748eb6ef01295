"""One run between taking the output folder's lock and publishing: its staging snapshot, what earlier runs left in
it, and what this run has read, rejected and extracted so far. A run that fails, or is stopped by a signal, lets
its batches settle and removes its snapshot: the published tables stay as they were."""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from prefect.futures import PrefectFuture

from flows import progress, stopping
from flows.batching import RejectSink
from flows.extract import paper_version
from flows.options import RunOptions
from flows.paper_index import KnownPapers
from flows.store import Snapshot, Store
from flows.summary import RunSummary, new_run_id

SETTLE_SECONDS = 600
INTERRUPTED_SETTLE_SECONDS = 60


class StagedRun:
    """A run in progress. Compact indexes and chunked rejects: its memory stays flat over millions of records."""

    def __init__(self, options: RunOptions, summary: RunSummary, snapshot: Snapshot, started: datetime) -> None:
        self.options = options
        self.summary = summary
        self.snapshot = snapshot
        self.started = started
        self.known = KnownPapers.empty() if options.full_refresh else KnownPapers.from_parts(self.staging / "papers", paper_version(options.min_confidence))
        self.rejects = RejectSink(self.staging, self.run_id)
        self.replaced: set[str] = set()  # papers read again with new content: their earlier rows go
        self.facts: Counter[str] = Counter()  # rows written per table by the batches finished so far
        self.in_flight: list[PrefectFuture] = []  # batches submitted and not collected

    @property
    def run_id(self) -> str:
        return self.summary.run_id

    @property
    def staging(self) -> Path:
        return self.snapshot.staging

    def part_name(self, number: int) -> str:
        """The part files of batch `number` (one per table)."""
        return f"part-{self.run_id}-{number:05d}"

    def collect(self, future: PrefectFuture) -> None:
        """A finished batch's row counts into the run's (its error, if it failed); it is no longer in flight."""
        self.facts.update(future.result())
        self.in_flight.remove(future)

    def show_progress(self) -> None:
        progress.update(self.summary.papers_read, self.facts["papers"])

    def settle(self, seconds: float) -> None:
        """Wait (at most `seconds` in all) for the batches in flight to end, however they end, before a failed run
        removes its staging snapshot."""
        deadline = time.monotonic() + seconds
        for future in self.in_flight:
            with contextlib.suppress(Exception):  # the run is failing already; its first error is the one to report
                future.wait(timeout=max(0.0, deadline - time.monotonic()))


@contextlib.contextmanager
def staged_run(options: RunOptions, inputs: list[str], fetched: list[dict] | None = None) -> Iterator[StagedRun]:
    """A run of `inputs` with the output folder's lock held and its staging snapshot begun (from scratch with
    --full-refresh). On any failure, a stop by signal included, its batches settle and the snapshot is removed."""
    summary = RunSummary(run_id=new_run_id(), out=options.out, inputs=inputs, fetched=fetched)
    started = datetime.now(UTC)
    store = Store(Path(options.out))
    with store.lock(options.lock_wait):
        snapshot = store.begin(summary.run_id)
        run: StagedRun | None = None
        try:
            run = StagedRun(options, summary, snapshot, started)
            if options.full_refresh:
                snapshot.drop_all()
            progress.begin()
            yield run
        except BaseException as exc:
            with stopping.cleaning_up(exc):
                # batches still running would write into staging after it is removed; a stop by signal waits less
                if run is not None:
                    run.settle(INTERRUPTED_SETTLE_SECONDS if stopping.is_interrupt(exc) else SETTLE_SECONDS)
                snapshot.abort()
            raise
