"""Shared fixtures: a real Prefect server for the session, the CLI as a subprocess, the seed run's tables."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "trending_papers.txt"
PAPERFACTS = [sys.executable, "-m", "flows.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_prefect_server(home: Path) -> tuple[subprocess.Popen, str]:
    """`prefect server start` on a free loopback port with its own PREFECT_HOME; waits until healthy."""
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
    log = open(home / "server.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited: {(home / 'server.log').read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError("prefect server did not become healthy in 180 s")


def stop_process(proc: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory):
    """A real Prefect server for the whole session; every flow run in the tests reports to it."""
    home = tmp_path_factory.mktemp("prefect-home")
    proc, url = start_prefect_server(home)
    old = {k: os.environ.get(k) for k in ("PREFECT_API_URL", "PREFECT_HOME")}
    os.environ["PREFECT_API_URL"] = url
    os.environ["PREFECT_HOME"] = str(home)
    yield url
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    stop_process(proc)


def run_cli(args: list[str], prefect_api: str, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """The real command line in a subprocess, reporting to the session's Prefect server."""
    env = {**os.environ, "PREFECT_API_URL": prefect_api, **kwargs.pop("env", {})}
    return subprocess.run([*PAPERFACTS, *args], cwd=kwargs.pop("cwd", ROOT), env=env, capture_output=True, text=True, timeout=timeout, **kwargs)


@pytest.fixture(scope="session")
def seed_out(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tables from one CLI run over data/ (the embedded seed page)."""
    out = tmp_path_factory.mktemp("seed-out")
    shutil.rmtree(out)
    result = run_cli(["run", "--out", str(out)], prefect_api)
    assert result.returncode == 0, result.stderr + result.stdout
    return out
