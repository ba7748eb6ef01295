"""Run progress for people watching a terminal: what a live source fetch kept, then papers read, extracted and
papers/s.

The flow calls `fetching`, `note`, `begin` and `update`; they cost nothing unless a view is installed (the CLI
installs one with `show` unless --quiet), so schedulers and worker processes pay nothing. The progress bar goes
live when extraction begins, after a fetch's status line is gone: a terminal shows one live display at a time.
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


class RateColumn(ProgressColumn):
    """Average papers per second since the run started (batches finish in steps, so no moving rate)."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        if not elapsed or not task.completed:
            return Text("- papers/s", style="progress.data.speed")
        return Text(f"{task.completed / elapsed:,.0f} papers/s", style="progress.data.speed")


class _View:
    """A status line while fetching, then a progress bar while extracting, on one console."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar = Progress(
            SpinnerColumn(), TextColumn("extracting"), BarColumn(), TextColumn("{task.completed:,} read · {task.fields[extracted]:,} extracted ·"),
            RateColumn(), TimeElapsedColumn(), console=console, transient=False,
        )
        self.task = self.bar.add_task("extract", total=None, extracted=0, start=False)
        self.live = False

    def begin(self) -> None:
        if not self.live:
            self.bar.start()
            self.live = True

    def update(self, read: int, extracted: int) -> None:
        self.begin()
        if self.bar.tasks[0].start_time is None:  # the clock starts with the first batch, not with Prefect's start-up
            self.bar.start_task(self.task)
        self.bar.update(self.task, completed=read, extracted=extracted)

    def finish(self) -> None:
        if self.live:
            self.bar.update(self.task, total=max(1, self.bar.tasks[0].completed))

    def stop(self) -> None:
        if self.live:
            self.bar.stop()  # the last frame stays as a record
            self.live = False


_view: _View | None = None


def begin() -> None:
    """Called by the flow when extraction begins: the progress bar shows (its clock waits for the first batch)."""
    if _view is not None:
        _view.begin()


def update(read: int, extracted: int) -> None:
    """Called by the flow after each batch: papers read so far, papers extracted so far."""
    if _view is not None:
        _view.update(read, extracted)


@contextmanager
def fetching(what: str) -> Iterator[Callable[[str], None]]:
    """A status line `what…` while a live source is fetched; yields a function that adds the latest news to it."""
    if _view is None:
        yield lambda text: None
        return
    with _view.console.status(f"{what}…") as status:
        yield lambda text: status.update(f"{what}: {text}")


def note(text: str, warning: bool = False) -> None:
    """A line for the operator (what a fetch kept, a warning about it)."""
    if _view is not None:
        _view.console.print(f"[yellow]warning:[/] {text}" if warning else text, highlight=False, soft_wrap=True)


@contextmanager
def show(console: Console) -> Iterator[None]:
    """Progress on `console` while the block runs; the progress bar's last frame stays as a record."""
    global _view
    previous, _view = _view, _View(console)
    try:
        yield
        _view.finish()
    finally:
        _view.stop()
        _view = previous
