"""Where extraction batches run: in-process, a local process pool, or a Dask cluster."""

from __future__ import annotations

from typing import Any


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

        return ProcessPoolTaskRunner(max_workers=max(1, workers))
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=1)
