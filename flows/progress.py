"""Run progress for people watching a terminal: papers read, extracted and papers/s.

The flow's batch loop calls `update(read, extracted)`; it costs nothing unless a listener is installed
(the CLI installs a rich progress bar unless --quiet), so schedulers and worker processes pay nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

Listener = Callable[[int, int], None]
_listener: Listener | None = None


def update(read: int, extracted: int) -> None:
    """Called by the flow after each batch: papers read so far, papers extracted so far."""
    if _listener is not None:
        _listener(read, extracted)


class RateColumn(ProgressColumn):
    """Average papers per second since the run started (batches finish in steps, so no moving rate)."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        if not elapsed or not task.completed:
            return Text("- papers/s", style="progress.data.speed")
        return Text(f"{task.completed / elapsed:,.0f} papers/s", style="progress.data.speed")


@contextmanager
def show(console: Console) -> Iterator[None]:
    """A progress bar on `console` while the block runs; the last frame stays as a record."""
    global _listener
    bar = Progress(
        SpinnerColumn(), TextColumn("extracting"), BarColumn(), TextColumn("{task.completed:,} read · {task.fields[extracted]:,} extracted ·"),
        RateColumn(), TimeElapsedColumn(), console=console, transient=False,
    )
    task = bar.add_task("extract", total=None, extracted=0, start=False)

    def listen(read: int, extracted: int) -> None:
        if bar.tasks[0].start_time is None:  # the clock starts with the first batch, not with Prefect's start-up
            bar.start_task(task)
        bar.update(task, completed=read, extracted=extracted)

    previous, _listener = _listener, listen
    try:
        with bar:
            yield
            bar.update(task, total=max(1, bar.tasks[0].completed))
    finally:
        _listener = previous
