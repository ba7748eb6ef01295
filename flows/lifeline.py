"""Helper processes end with the run that started them, however it ends (SIGKILL of it or of its group included).

A helper (the temporary Prefect server, a process-pool or local Dask worker) runs a watchdog thread that waits
for its parent *process* to exit, then stops its own descendants and itself: SIGTERM, a short grace, SIGKILL.
The wait is a pidfd (woken by the kernel at once) with a check of getppid, so a recycled pid cannot fool it.

Why not prctl(PR_SET_PDEATHSIG) alone: the kernel sends it when the parent *thread* that forked the child ends,
and pool and cluster workers are started (and restarted) from helper threads that end long before the run;
it also needs a preexec_fn, which is unsafe in a process that runs threads (the run does), and it does not
reach the helper's own children. The watchdog covers all three.

`python -m flows.lifeline PARENT_PID -m MODULE ARGS...` runs MODULE as `__main__` with the watchdog armed:
that is how the temporary server is started.
"""

from __future__ import annotations

import contextlib
import os
import runpy
import select
import signal
import sys
import threading
import time

import psutil

GRACE_SECONDS = 5.0
POLL_SECONDS = 1.0


def watch_parent(parent_pid: int | None = None, grace: float = GRACE_SECONDS) -> None:
    """End this process and its descendants when `parent_pid` (default: the current parent) has exited."""
    parent = parent_pid if parent_pid is not None else os.getppid()
    if os.getppid() != parent:  # gone already, before the watch began
        _end_family(grace)
    threading.Thread(target=_watch, args=(parent, grace), name="paperfacts-lifeline", daemon=True).start()


def _watch(parent: int, grace: float) -> None:
    _wait_for_exit(parent)
    _end_family(grace)


def _wait_for_exit(parent: int) -> None:
    """Return once `parent` is no longer this process's parent (it exited; we were re-parented)."""
    pidfd = None
    with contextlib.suppress(AttributeError, OSError):  # no pidfd before Linux 5.3: polling alone
        pidfd = os.pidfd_open(parent)
    try:
        while os.getppid() == parent:  # checked after the open: the pidfd is the parent's, not a recycled pid's
            if pidfd is not None:
                select.select([pidfd], [], [], POLL_SECONDS)
            else:
                time.sleep(POLL_SECONDS)
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _end_family(grace: float) -> None:
    """SIGTERM to our descendants and us, SIGKILL to whatever is left after `grace` seconds."""
    me = psutil.Process()
    leader = os.getpgrp() == os.getpid()  # the server leads its own group: the group holds its whole family
    family = me.children(recursive=True)
    _signal(family, signal.SIGTERM)
    with contextlib.suppress(OSError):  # our own SIGTERM: the server shuts down cleanly, a pool worker just ends
        os.killpg(os.getpid(), signal.SIGTERM) if leader else os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(grace)  # reached only while our SIGTERM handler is still shutting down
    _signal(me.children(recursive=True) + family, signal.SIGKILL)
    if leader:
        os.killpg(os.getpid(), signal.SIGKILL)
    os._exit(1)


def _signal(processes: list[psutil.Process], sig: int) -> None:
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.send_signal(sig)


def main() -> None:
    """`python -m flows.lifeline PARENT_PID -m MODULE ARGS...`: MODULE as __main__, ended with PARENT_PID."""
    parent, flag, module, *args = sys.argv[1:]
    if flag != "-m":
        raise SystemExit("usage: python -m flows.lifeline PARENT_PID -m MODULE [ARGS...]")
    watch_parent(int(parent))
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
