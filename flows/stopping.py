"""SIGTERM and SIGINT end a run as a clean failure, not a crash.

The first signal raises `Interrupted` in the main thread: the flow stops taking batches, lets those in flight
settle (bounded), removes its staging snapshot and the run stops its temporary server; the CLI then prints one
line and exits 143 (SIGTERM) or 130 (SIGINT). A second SIGINT exits at once: nothing is published either
way, helpers end through their parent-death watchdogs (flows.lifeline), the next run removes the leftovers.

While the snapshot is being published a signal is held; once published, the run is done and simply finishes.
During a flow run Prefect swaps its own SIGTERM handler in (raising TerminationSignal, then re-sending SIGTERM
to the handler it replaced): the flow's cleanup treats that exception the same way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass

STATUS = {signal.SIGTERM: 143, signal.SIGINT: 130}


class Interrupted(BaseException):
    """SIGTERM or SIGINT reached the run. A BaseException (like KeyboardInterrupt): no `except Exception` on its
    way out may swallow it."""

    def __init__(self, signum: int) -> None:
        self.signum = signal.Signals(signum)
        super().__init__(self.signum.name)


@dataclass
class _State:
    received: int | None = None  # the first signal
    holding: bool = False  # publishing, or cleaning up after a failure: a signal must not cut that short
    published: bool = False


_state = _State()


def _handler(signum: int, frame: object) -> None:
    if _state.received is not None:
        if signum == signal.SIGINT:
            done = "the run was already published" if _state.published else "nothing published; tables unchanged"
            os.write(2, f"interrupted by SIGINT twice: stopped at once; {done}\n".encode())
            os._exit(STATUS[signal.SIGINT])
        return  # a repeated SIGTERM: the clean stop is under way already
    _state.received = signum
    if not (_state.holding or _state.published):
        raise Interrupted(signum)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def interrupts_handled() -> Iterator[None]:
    """SIGTERM and SIGINT raise Interrupted for the duration (a no-op outside the main thread)."""
    if not _in_main_thread():
        yield
        return
    _state.received, _state.published = None, False
    previous = {signum: signal.signal(signum, _handler) for signum in STATUS}
    try:
        yield
    finally:
        if _state.received is None:  # after a signal our handler stays: the run is exiting, a second SIGINT exits 130
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def ignore_further_signals() -> None:
    """After the one line is printed: SIGINT/SIGTERM are ignored while the interpreter exits. Python resets a signal
    whose handler is a function to the default action during finalisation, so a second Ctrl-C landing then would end
    the process by the signal (status -2) instead of 130; an ignored signal stays ignored."""
    if _in_main_thread():
        for signum in STATUS:
            signal.signal(signum, signal.SIG_IGN)


@contextlib.contextmanager
def _holding() -> Iterator[None]:
    """Signals are held for the duration; our handler stands in for Prefect's SIGTERM bridge meanwhile."""
    if not _in_main_thread() or _state.holding:
        yield
        return
    previous = signal.signal(signal.SIGTERM, _handler)
    _state.holding = True
    try:
        yield
    finally:
        _state.holding = False
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def publishing() -> Iterator[None]:
    """Around the commit: the tables end up either published or untouched. Once published the run is done, and a
    signal held meanwhile is dropped: the run just finishes."""
    with _holding():
        yield
        _state.published = True


@contextlib.contextmanager
def cleaning_up(exc: BaseException) -> Iterator[None]:
    """A failed (or interrupted) run settles its batches and removes its staging snapshot: a SIGTERM does not cut
    that short (a second SIGINT still stops at once)."""
    from prefect.exceptions import TerminationSignal

    if isinstance(exc, TerminationSignal) and _state.received is None:
        _state.received = exc.signal  # Prefect's bridge took the first SIGTERM: the one it re-sends is no news
    with _holding():
        yield


def _interrupt_in(exc: BaseException) -> BaseException | None:
    """The interrupt behind an exception: itself, its cause or context, a member of an exception group, or a
    TerminationSignal that a library turned into its own error (pydantic serialising a flow result when SIGTERM
    landed: `PydanticSerializationError: ... TerminationSignal`)."""
    prefect_exceptions = sys.modules.get("prefect.exceptions")  # not imported: it cannot have raised
    kinds: tuple[type[BaseException], ...] = (Interrupted, KeyboardInterrupt)
    if prefect_exceptions is not None:
        kinds += (prefect_exceptions.TerminationSignal,)
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kinds):
            return current
        if "TerminationSignal" in f"{type(current).__name__}: {current}"[:2000]:
            return current
        todo += [current.__cause__, current.__context__, *getattr(current, "exceptions", ())]
    return None


def is_interrupt(exc: BaseException) -> bool:
    """Interrupted, Prefect's TerminationSignal (its SIGTERM bridge during a flow run) or a KeyboardInterrupt, also
    when another error wraps it."""
    return _interrupt_in(exc) is not None


def _signum(exc: BaseException) -> signal.Signals:
    found = _interrupt_in(exc) or exc
    if isinstance(found, Interrupted):
        return found.signum
    if isinstance(found, KeyboardInterrupt):
        return signal.SIGINT
    return signal.Signals(getattr(found, "signal", signal.SIGTERM))  # TerminationSignal, or an error naming it: SIGTERM


def status(exc: BaseException) -> int:
    """The exit status of an interrupted run: 143 for SIGTERM, 130 for SIGINT (128 + the signal's number)."""
    return STATUS.get(_signum(exc), 128 + _signum(exc))


def message(exc: BaseException) -> str:
    """The one line an interrupted run prints."""
    if _state.published:  # the signal came after the commit point
        return f"interrupted by {_signum(exc).name} after publishing: tables updated"
    return f"interrupted by {_signum(exc).name}: nothing published; tables unchanged"
