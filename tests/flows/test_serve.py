"""`paperfacts serve` against the session's real Prefect server (`prefect server start` on a loopback port with
its own PREFECT_HOME, stopped when the session ends): the deployment is registered with its cron schedule,
the server schedules its runs, a run triggered through the API completes and writes the tables, and
stopping the serving process pauses the schedule. With --source, runs fetch from recorded responses on a
loopback HTTP server: hf-daily the run's scheduled date, arXiv the papers since the last successful run."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from tests.conftest import PAPERFACTS, ROOT, stop_process
from tests.flows.synthetic import paper_id, record, write_jsonl
from tests.sources.recorded_server import RecordedServer, Reply

pytestmark = pytest.mark.slow
DEPLOYMENT = "paperfacts-extract/nightly-test"


async def wait_for_deployment(client, timeout: float = 180, name: str = DEPLOYMENT, proc: subprocess.Popen | None = None):
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + timeout
    while True:
        try:
            return await client.read_deployment_by_name(name)
        except ObjectNotFound:
            assert proc is None or proc.poll() is None, f"paperfacts serve exited with status {proc.returncode}"
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def run_deployment(client, deployment_id, state=None, timeout: float = 240):
    """Create a flow run of the deployment (now, or in `state`) and wait until the serving process has ended it."""
    flow_run = await client.create_flow_run_from_deployment(deployment_id, state=state)
    deadline = time.monotonic() + timeout
    while not (flow_run := await client.read_flow_run(flow_run.id)).state.is_final():
        assert time.monotonic() < deadline, f"flow run still {flow_run.state.name}"
        await asyncio.sleep(0.5)
    assert flow_run.state.is_completed(), flow_run.state
    return flow_run


@contextlib.contextmanager
def serving(args: list[str], prefect_api: str, log: Path, **env: str) -> Iterator[subprocess.Popen]:
    """`paperfacts serve ARGS` as a subprocess (its output in `log`, printed if the test fails), stopped afterwards."""
    full_env = {**os.environ, "PREFECT_API_URL": prefect_api, "PREFECT_RUNNER_POLL_FREQUENCY": "1", **env}
    proc = subprocess.Popen([*PAPERFACTS, "serve", *args], cwd=log.parent, env=full_env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    except BaseException:
        print(log.read_text())
        raise
    finally:
        stop_process(proc)


async def check_served(out: Path, inbox: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    async with get_client() as client:
        deployment = await wait_for_deployment(client)
        [schedule] = deployment.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone, schedule.active) == ("0 6 * * *", "Europe/Berlin", True)
        options = deployment.parameters["options"]
        assert options["inputs"] == [str(inbox)] and options["out"] == str(out)

        only_this = DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id]))
        deadline = time.monotonic() + 60
        while not (scheduled := await client.read_flow_runs(deployment_filter=only_this)) and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        berlin = [r.expected_start_time.astimezone(ZoneInfo("Europe/Berlin")) for r in scheduled]
        assert berlin and all((t.hour, t.minute) == (6, 0) and t > datetime.now(ZoneInfo("Europe/Berlin")) for t in berlin)

        await run_deployment(client, deployment.id)


async def is_paused() -> bool:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        return (await client.read_deployment_by_name(DEPLOYMENT)).paused


def test_serve_registers_the_schedule_and_runs_on_demand(prefect_in_process: str, tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    write_jsonl(inbox / "today.jsonl", [record(k) for k in range(6)])
    args = ["--cron", "0 6 * * *", str(inbox), "--out", str(out), "--name", "nightly-test", "--timezone", "Europe/Berlin"]
    with serving(args, prefect_in_process, tmp_path / "serve.log"):
        asyncio.run(check_served(out, inbox))
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


# --- serve --source: live sources on a schedule, against recorded responses on a loopback HTTP server ---

FAST_SOURCES = {
    "PAPERFACTS_ARXIV_DELAY": "0.3", "PAPERFACTS_ARXIV_PAGE_SIZE": "2", "PAPERFACTS_HF_PAGE_SIZE": "2",
    "PAPERFACTS_FETCH_BACKOFF": "0.05", "PAPERFACTS_FETCH_RETRIES": "2", "PAPERFACTS_FETCH_TIMEOUT": "5",
    "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
}
HF_PAGES = {"0": "hf_daily_2025-01-16_p0.json", "1": "hf_daily_2025-01-16_p1.json", "2": "hf_daily_2025-01-16_p2.json"}
ARXIV_PAGES = {"0": "arxiv_cs.CL_p0.xml", "2": "arxiv_cs.CL_p1.xml", "4": "arxiv_cs.CL_p2.xml"}


def table(out: Path, sql: str) -> list[tuple]:
    con = duckdb.connect()
    for name in ("papers", "runs"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{out / name}/*.parquet', union_by_name=true)")
    return con.execute(sql).fetchall()


async def run_served(proc: subprocess.Popen, name: str, *states) -> list:
    """Wait for deployment `name` (served by `proc`), then run it once per state (None: now), one after the other."""
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        deployment = await wait_for_deployment(client, name=name, proc=proc)
        return [await run_deployment(client, deployment.id, state) for state in states]


def test_serve_hf_daily_fetches_the_scheduled_date_in_the_schedule_time_zone(prefect_in_process: str, tmp_path: Path) -> None:
    from prefect.states import Scheduled

    out, raw = tmp_path / "out", tmp_path / "raw"
    route = {"/api/daily_papers": lambda params, count: Reply.file(HF_PAGES[params["p"]])}
    # 12:00 UTC on 2025-01-15 is 02:00 on 2025-01-16 at UTC+14: the run is for the 16th's list
    scheduled = Scheduled(scheduled_time=datetime(2025, 1, 15, 12, 0, tzinfo=UTC))
    with RecordedServer(route) as server:
        args = ["--cron", "30 23 * * *", "--source", "hf-daily", "--api-url", server.url("/api/daily_papers"), "--raw-dir", str(raw),
                "--out", str(out), "--name", "hf-test", "--timezone", "Pacific/Kiritimati"]
        with serving(args, prefect_in_process, tmp_path / "serve.log", **FAST_SOURCES) as proc:
            asyncio.run(run_served(proc, "paperfacts-live/hf-test", scheduled))
    seen = [s.params for s in server.requests_to("/api/daily_papers")]
    assert seen == [{"date": "2025-01-16", "limit": "2", "p": str(page)} for page in range(3)]
    assert [r[0] for r in table(out, "SELECT paper_id FROM papers ORDER BY 1")] == [f"2501.0910{k}" for k in range(1, 6)]
    pages = table(out, "SELECT f.source, f.day, f.page, f.entries FROM (SELECT unnest(fetched) AS f FROM runs) ORDER BY f.page")
    assert pages == [("hf-daily", "2025-01-16", 0, 2), ("hf-daily", "2025-01-16", 1, 2), ("hf-daily", "2025-01-16", 2, 1)]
    assert sorted(p.name for p in (raw / "hf-daily" / "2025-01-16").iterdir()) == [f"daily_papers__p000{k}.json" for k in range(3)]


def test_serve_arxiv_asks_each_run_for_papers_since_the_last_successful_run(prefect_in_process: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    route = {"/api/query": lambda params, count: Reply.file(ARXIV_PAGES[params["start"]])}
    with RecordedServer(route) as server:
        args = ["--cron", "0 6 * * *", "--source", "arxiv", "--category", "cs.CL", "--max", "5", "--since", "2025-01-01",
                "--api-url", server.url("/api/query"), "--raw-dir", str(tmp_path / "raw"), "--out", str(out), "--name", "arxiv-test"]
        with serving(args, prefect_in_process, tmp_path / "serve.log", **FAST_SOURCES) as proc:
            asyncio.run(run_served(proc, "paperfacts-live/arxiv-test", None, None))
    queries = [s.params["search_query"] for s in server.requests_to("/api/query") if s.params["start"] == "0"]
    runs = table(out, "SELECT CAST(timezone('UTC', started_at) AS DATE), papers_written, papers_skipped, status, "
                      "[f.since FOR f IN fetched] FROM runs ORDER BY started_at")
    assert len(queries) == 2 and len(runs) == 2, (queries, runs)
    first_day: date = runs[0][0]
    second_since = first_day - timedelta(days=3)  # the first run's day, less the documented 3-day overlap
    assert queries[0].startswith("cat:cs.CL AND submittedDate:[202501010000 TO ")  # the first run: --since
    assert queries[1].startswith(f"cat:cs.CL AND submittedDate:[{second_since:%Y%m%d}0000 TO "), queries
    # the second run stops after one page: its entries are older than what it asked for (the recorded feed is of January 2025)
    assert [r[1:] for r in runs] == [(5, 0, "ok", ["2025-01-01"] * 3), (0, 2, "ok", [second_since.isoformat()])]
    assert [r[0] for r in table(out, "SELECT paper_id FROM papers ORDER BY 1")] == [f"2501.0800{k}" for k in range(1, 6)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "arxiv"], "--source arxiv needs --category"),
        (["--source", "arxiv", "--category", "cs CL;"], "not an arXiv category"),
        (["--source", "hf-daily", "data"], "give INPUTs or --source, not both"),
        (["--source", "rss"], "unknown source 'rss'"),
        (["--source", "hf-daily", "--since", "2025-01-01"], "--category and --since apply to --source arxiv only"),
        (["--source", "hf-daily", "--api-url", "ftp://mirror/daily"], "--api-url must be an http:// or https:// URL"),
        (["--source", "arxiv", "--category", "cs.CL", "--since", "2025-02-30"], "Invalid value for '--since'"),
        (["--category", "cs.CL"], "--category, --since and --api-url need --source"),
    ],
)
def test_serve_rejects_bad_source_options_before_registering(args: list[str], message: str) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, ["serve", "--cron", "0 6 * * *", *args], env={"PREFECT_API_URL": ""})
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2 and message in result.output, result.output
    assert "serving deployment" not in result.output and "Traceback" not in result.output
    if not message.startswith("Invalid value"):  # typer's own usage errors come with a usage box
        assert len(lines) == 1, result.output
