"""Where extraction batches run: in-process, a local process pool, or a Dask cluster.

Every worker process builds the spaCy pipeline once (`extractors.pipeline.shared_nlp`) and keeps it for all
the batches it runs; batches travel as lists of small `Paper` records and only row counts come back (the
rows themselves go to part files), so the runners move little data.

Why Prefect's ProcessPoolTaskRunner for `--workers N`, not `nlp.pipe(n_process=N)`: spaCy's n_process starts
fresh processes (and rebuilds the pipeline, ~3 s) on every `pipe` call, i.e. every batch, while a pool's
workers live for the whole run; the pool also keeps one Prefect task run per batch (retries, run history).
"""

from __future__ import annotations

from typing import Any

IN_FLIGHT_PER_WORKER = 2
CONNECT_TIMEOUT_SECONDS = 10


class ClusterUnreachable(Exception):
    """--dask-address names no running scheduler."""


def warm_up() -> None:
    """Pool initializer: end with the run (flows.lifeline), leave Ctrl-C to the run (a terminal sends SIGINT to
    the whole process group; the run stops cleanly, a worker interrupted mid-batch would only add noise), and
    build the pipeline as the worker starts, overlapping the reading of the first batch."""
    import signal

    from extractors.pipeline import shared_nlp
    from flows.lifeline import watch_parent

    watch_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    shared_nlp()


def make_task_runner(kind: str, workers: int, dask_address: str | None = None) -> Any:
    """A Prefect task runner; Dask workers import the extractors and rebuild the pipeline themselves."""
    if kind == "dask" or dask_address:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={"n_workers": max(1, workers), "threads_per_worker": 1, "processes": True, "dashboard_address": None},
        )
    if kind == "process" or workers > 1:
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=max(1, workers), initializer=warm_up)
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=1)


def in_flight_limit(workers: int, dask_address: str | None = None) -> int:
    """Batches submitted but not finished: enough to keep every worker busy, few enough to keep memory flat.

    On an existing Dask cluster the number of worker threads is asked from the scheduler, not --workers.
    """
    slots = max(1, workers)
    if dask_address:
        from distributed import Client

        try:
            with Client(dask_address, timeout=CONNECT_TIMEOUT_SECONDS) as client:
                slots = max(1, sum(client.nthreads().values()))
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterUnreachable(f"cannot reach the Dask scheduler at {dask_address}: {exc}") from None
    return max(2, IN_FLIGHT_PER_WORKER * slots)


def release_workers() -> None:
    """End a process pool's workers once every batch is in: each holds a pipeline (~0.5 GB), and the steps after
    extraction (catalogs, quality gate, publish) run in the flow process. Other runners are left to the flow."""
    from prefect.context import FlowRunContext
    from prefect.task_runners import ProcessPoolTaskRunner

    context = FlowRunContext.get()
    runner = context.task_runner if context is not None else None
    if isinstance(runner, ProcessPoolTaskRunner):
        runner.cancel_all()  # every future is collected by now: this only shuts the idle pool down
