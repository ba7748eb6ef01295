"""Prefect generator tasks that stream: one task run that yields items as the flow asks for them.

A generator task enters its task-run context inside the generator, and a generator runs in its caller's context:
between two items, the flow itself would look like it runs inside the task (its next task submissions and its
log lines would be taken for the task's). A `Stream` runs every step of the generator in a context of its own,
and closes it there, so the task run starts, yields and ends in its own context and nothing leaks out.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Generic, ParamSpec, TypeVar

from prefect import task
from prefect.cache_policies import NO_CACHE

T = TypeVar("T")
P = ParamSpec("P")


class Stream(Generic[T]):
    """The items of a generator task run, each made in the task run's own context; close it (or use it as a
    context manager) so the task run ends when the flow stops asking, however it stops."""

    def __init__(self, items: Iterator[T]) -> None:
        self._items = items
        self._context = contextvars.copy_context()  # the caller's context now: the task run is the flow's child

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        return self._context.run(next, self._items)

    def close(self) -> None:
        self._context.run(self._items.close)  # type: ignore[attr-defined]

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()


def streaming_task(name: str) -> Callable[[Callable[P, Iterator[T]]], Callable[P, Stream[T]]]:
    """A generator function as a Prefect task run named `name` that streams its items (no retries: a retried
    generator would yield its items twice; no cache: the items are side effects of reading)."""

    def decorate(generator: Callable[P, Iterator[T]]) -> Callable[P, Stream[T]]:
        prefect_task = task(name=name, cache_policy=NO_CACHE)(generator)

        @functools.wraps(generator)
        def start(*args: P.args, **kwargs: P.kwargs) -> Stream[T]:
            return Stream(prefect_task(*args, **kwargs))

        return start

    return decorate
