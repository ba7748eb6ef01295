"""A local Prefect server for runs that have no PREFECT_API_URL.

Prefect's own "temporary server" prints shutdown tracebacks from inside its subprocess; a server this project
starts keeps its output in `$PREFECT_HOME/server.log` and is stopped cleanly when the run ends. It runs in its
own session (a terminal's Ctrl-C reaches the run only) under a parent-death watchdog (flows.lifeline), so a run
killed outright (SIGKILL, the OOM killer, a supervisor killing its process group) does not leave it behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

STARTUP_SECONDS = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_prefect_server(home: Path) -> tuple[subprocess.Popen, str]:
    """`prefect server start` on a free loopback port with its own PREFECT_HOME; returns once healthy."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    env.pop("PREFECT_API_URL", None)
    log = open(home / "server.log", "w")  # noqa: SIM115 - handed to the server process, closed here after
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.lifeline", str(os.getpid()),
         "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    log.close()
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"prefect server exited: {(home / 'server.log').read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    return proc, url
            time.sleep(0.3)
        raise RuntimeError(f"prefect server did not become healthy in {STARTUP_SECONDS} s (log: {home / 'server.log'})")
    except BaseException:  # an interrupt while it starts included
        stop_process(proc)
        raise


def stop_process(proc: subprocess.Popen) -> None:
    """SIGTERM the process group, then SIGKILL what is left."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


@contextlib.contextmanager
def prefect_api() -> Iterator[str]:
    """The API runs report to: PREFECT_API_URL when set, else a server started here for the duration."""
    url = os.environ.get("PREFECT_API_URL")
    if url:
        yield url
        return
    proc, url = start_prefect_server(Path(os.environ["PREFECT_HOME"]) / "server")
    os.environ["PREFECT_API_URL"] = url
    try:
        yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        stop_process(proc)
