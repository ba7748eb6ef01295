"""`paperfacts serve` against the session's real Prefect server (`prefect server start` on a loopback port with
its own PREFECT_HOME, stopped when the session ends): the deployment is registered with its cron schedule,
the server schedules its runs, a run triggered through the API completes and writes the tables, and
stopping the serving process pauses the schedule."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from tests.conftest import PAPERFACTS, ROOT, stop_process
from tests.flows.synthetic import paper_id, record, write_jsonl

pytestmark = pytest.mark.slow
DEPLOYMENT = "paperfacts-extract/nightly-test"


async def wait_for_deployment(client, timeout: float = 180, name: str = DEPLOYMENT):
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + timeout
    while True:
        try:
            return await client.read_deployment_by_name(name)
        except ObjectNotFound:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def check_served(out: Path, inbox: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    async with get_client() as client:
        deployment = await wait_for_deployment(client)
        [schedule] = deployment.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone, schedule.active) == ("0 6 * * *", "Europe/Berlin", True)
        assert deployment.parameters["inputs"] == [str(inbox)] and deployment.parameters["out"] == str(out)

        only_this = DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id]))
        deadline = time.monotonic() + 60
        while not (scheduled := await client.read_flow_runs(deployment_filter=only_this)) and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        berlin = [r.expected_start_time.astimezone(ZoneInfo("Europe/Berlin")) for r in scheduled]
        assert berlin and all((t.hour, t.minute) == (6, 0) and t > datetime.now(ZoneInfo("Europe/Berlin")) for t in berlin)

        flow_run = await client.create_flow_run_from_deployment(deployment.id)
        deadline = time.monotonic() + 240
        while not (flow_run := await client.read_flow_run(flow_run.id)).state.is_final():
            assert time.monotonic() < deadline, f"flow run still {flow_run.state.name}"
            await asyncio.sleep(0.5)
        assert flow_run.state.is_completed(), flow_run.state


async def is_paused() -> bool:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        return (await client.read_deployment_by_name(DEPLOYMENT)).paused


def test_serve_registers_the_schedule_and_runs_on_demand(prefect_in_process: str, tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    write_jsonl(inbox / "today.jsonl", [record(k) for k in range(6)])
    env = {**os.environ, "PREFECT_API_URL": prefect_in_process, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    args = ["serve", "--cron", "0 6 * * *", str(inbox), "--out", str(out), "--name", "nightly-test", "--timezone", "Europe/Berlin"]
    log = tmp_path / "serve.log"
    serving = subprocess.Popen([*PAPERFACTS, *args], cwd=tmp_path, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        asyncio.run(check_served(out, inbox))
    except BaseException:
        print(log.read_text())
        raise
    finally:
        stop_process(serving)
    assert asyncio.run(is_paused()), "stopping the server process did not pause the schedule"
    con = duckdb.connect()
    assert con.execute(f"SELECT paper_id FROM read_parquet('{out}/papers/*.parquet') ORDER BY 1").fetchall() == [
        (paper_id(k),) for k in range(6)
    ]
    assert con.execute(f"SELECT papers_written, status FROM read_parquet('{out}/runs/*.parquet')").fetchall() == [(6, "ok")]


def test_serve_rejects_a_bad_cron_string_before_registering(prefect_api: str) -> None:
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    result = subprocess.run([*PAPERFACTS, "serve", "--cron", "0 6 * *"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "invalid cron expression '0 6 * *'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--timezone", "Mars/Olympus"], "unknown time zone"), (["no/such/folder"], "input not found"),
     (["--format", "pdf"], "unknown format")],
)
def test_serve_rejects_other_bad_arguments(args: list[str], message: str) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, ["serve", "--cron", "0 6 * * *", *args])
    assert result.exit_code == 2 and message in result.output, result.output
