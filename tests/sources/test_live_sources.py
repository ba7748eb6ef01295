"""Live sources through the real CLI against a real loopback HTTP server answering recorded responses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from email.utils import formatdate
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, run_cli
from tests.sources.recorded_server import RECORDED, RecordedServer, Reply, in_order

pytestmark = pytest.mark.slow

FAST = {
    "PAPERFACTS_ARXIV_DELAY": "0.3",
    "PAPERFACTS_ARXIV_PAGE_SIZE": "2",
    "PAPERFACTS_FETCH_BACKOFF": "0.05",
    "PAPERFACTS_FETCH_RETRIES": "2",
    "PAPERFACTS_FETCH_TIMEOUT": "2",
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}
ARXIV_PAGES = {"0": "arxiv_cs.CL_p0.xml", "2": "arxiv_cs.CL_p1.xml", "4": "arxiv_cs.CL_p2.xml"}


def cli(args: list[str], prefect_api: str, **env: str):
    return run_cli(args, prefect_api, env={**FAST, **env})


def rows(out: Path, sql: str) -> list[tuple]:
    con = duckdb.connect()
    for table in ("papers", "models", "rejects", "runs"):
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{out / table}/*.parquet', union_by_name=true)")
    return con.execute(sql).fetchall()


def paper_ids(out: Path) -> list[str]:
    return [r[0] for r in rows(out, "SELECT paper_id FROM papers ORDER BY paper_id")]


def test_arxiv_pages_politely_keeps_raw_and_replays_offline(prefect_api: str, tmp_path: Path) -> None:
    route = {"/api/query": lambda params, count: Reply.file(ARXIV_PAGES[params["start"]])}
    with RecordedServer(route) as server:
        result = cli(["run", "--source", "arxiv", "--category", "cs.CL", "--max", "5", "--since", "2025-01-01",
                      "--api-url", server.url("/api/query"), "--raw-dir", str(tmp_path / "raw"), "--out", str(tmp_path / "out")], prefect_api)
    assert result.returncode == 0, result.stderr
    seen = server.requests_to("/api/query")
    assert [(s.params["start"], s.params["max_results"]) for s in seen] == [("0", "2"), ("2", "2"), ("4", "1")]
    assert seen[0].params["search_query"].startswith("cat:cs.CL AND submittedDate:[202501010000 TO ")
    assert seen[0].params["sortBy"] == "submittedDate" and seen[0].params["sortOrder"] == "descending"
    assert min(b.at - a.at for a, b in zip(seen, seen[1:], strict=False)) >= 0.3
    assert "fetched 5 entries from arXiv API cs.CL in 3 request(s)" in result.stderr
    assert "papers/s" in result.stderr and "papers written" in result.stdout
    ids = ["2501.08001", "2501.08002", "2501.08003", "2501.08004", "2501.08005"]
    assert paper_ids(tmp_path / "out") == ids
    assert ("Tiny-Coder-1.3B",) in rows(tmp_path / "out", "SELECT text FROM models")
    (day,) = (tmp_path / "raw" / "arxiv").iterdir()
    raw = sorted(p.name for p in day.iterdir())
    assert raw == ["cs.CL_since-2025-01-01__p0000.xml", "cs.CL_since-2025-01-01__p0001.xml", "cs.CL_since-2025-01-01__p0002.xml"]
    assert (day / raw[1]).read_bytes() == (RECORDED / "arxiv_cs.CL_p1.xml").read_bytes()
    # the server is gone: the kept raw responses replay the run offline, paper for paper (all unchanged)
    replay = cli(["run", str(day), "--out", str(tmp_path / "out"), "--quiet"], prefect_api)
    assert replay.returncode == 0, replay.stderr
    runs = rows(tmp_path / "out", "SELECT papers_read, papers_written, papers_skipped, rejected FROM runs ORDER BY started_at")
    assert runs == [(5, 5, 0, 0), (5, 0, 5, 0)]
    assert paper_ids(tmp_path / "out") == ids


def test_hf_daily_retries_a_500_and_rejects_bad_entries(prefect_api: str, tmp_path: Path) -> None:
    route = {"/api/daily_papers": in_order(Reply(500, b"upstream error"), Reply.file("hf_daily_2025-01-15.json"))}
    with RecordedServer(route) as server:
        result = cli(["run", "--source", "hf-daily", "--date", "2025-01-15", "--api-url", server.url("/api/daily_papers"),
                      "--raw-dir", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--quiet"], prefect_api)
    assert result.returncode == 0, result.stderr
    seen = server.requests_to("/api/daily_papers")
    assert len(seen) == 2 and seen[1].params == {"date": "2025-01-15", "limit": "100", "p": "0"}
    assert result.stdout == "" and "papers/s" not in result.stderr  # --quiet: no summary, no progress bar
    assert paper_ids(tmp_path / "out") == ["2501.07001", "2501.07002", "2501.07003"]
    assert rows(tmp_path / "out", "SELECT position, reason FROM rejects") == [("record 3", "missing abstract")]
    kept = tmp_path / "raw" / "hf-daily" / "2025-01-15" / "daily_papers__p0000.json"
    assert json.loads(kept.read_text())[0]["paper"]["id"] == "2501.07001"


def test_cut_off_responses_are_retried_or_salvaged(prefect_api: str, tmp_path: Path) -> None:
    whole = Reply.file("arxiv_cs.CL_p0.xml")
    route = {"/api/query": in_order(Reply(200, whole.body, whole.content_type, cut_at=400), Reply.file("arxiv_cs.CL_cut.xml"))}
    with RecordedServer(route) as server:
        result = cli(["run", "--source", "arxiv", "--category", "cs.CL", "--max", "3", "--api-url", server.url("/api/query"),
                      "--raw-dir", str(tmp_path / "raw"), "--out", str(tmp_path / "out")], prefect_api, PAPERFACTS_ARXIV_PAGE_SIZE="3")
    assert result.returncode == 0, result.stderr
    assert len(server.requests_to("/api/query")) == 2  # the dropped connection was retried
    assert "warning: arXiv page 1 was cut off after 1 entries" in result.stderr
    assert paper_ids(tmp_path / "out") == ["2501.08001"]
    reasons = rows(tmp_path / "out", "SELECT reason FROM rejects")
    assert len(reasons) == 1 and reasons[0][0].startswith("malformed or truncated XML")


FAILURES = {
    "404 is not retried": ("hf-daily", in_order(Reply(404, b'{"error":"Not Found"}')), 1, "HTTP 404 Not Found (Not Found): http://127.0.0.1:"),
    "503 until retries run out": ("arxiv", in_order(Reply(503, b"busy")), 3, "HTTP 503 Service Unavailable: http://127.0.0.1:"),
    "timeout": ("hf-daily", in_order(Reply.file("hf_daily_2025-01-15.json", delay=1.5)), 3, "timed out after 0.5 s"),
    "Retry-After beyond the cap": ("hf-daily", in_order(Reply(429, b"slow down", headers=(("Retry-After", "3600"),))), 1,
                                   "HTTP 429 Too Many Requests: http://127.0.0.1:"),
    "arXiv error feed": ("arxiv", in_order(Reply.file("arxiv_error.xml", status=400)), 1, "HTTP 400 Bad Request (start must be non-negative)"),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_source_failures_end_in_one_clear_line(prefect_api: str, tmp_path: Path, case: str) -> None:
    source, route, attempts, message = FAILURES[case]
    path = "/api/query" if source == "arxiv" else "/api/daily_papers"
    extra = ["--category", "cs.CL"] if source == "arxiv" else []
    with RecordedServer({path: route}) as server:
        result = cli(["run", "--source", source, *extra, "--api-url", server.url(path), "--raw-dir", str(tmp_path / "raw"),
                      "--out", str(tmp_path / "out")], prefect_api, PAPERFACTS_FETCH_TIMEOUT="0.5", PAPERFACTS_ARXIV_DELAY="0")
    assert result.returncode == 6, result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.stderr, result.stderr
    assert message in lines[0] and f"(attempt {attempts})" in lines[0]
    if case == "Retry-After beyond the cap":
        assert "Retry-After asks for 3600 s, more than the 300 s cap (PAPERFACTS_RETRY_AFTER_MAX)" in lines[0]
    assert len(server.requests_to(path)) == attempts
    assert not [p for p in (tmp_path / "raw").rglob("*") if p.is_file()]  # nothing half-fetched is left to replay
    assert not (tmp_path / "out" / "papers").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "arxiv"], "--source arxiv needs --category"),
        (["--source", "arxiv", "--category", "cs CL;"], "not an arXiv category"),
        (["--source", "hf-daily", "data"], "give INPUTs or --source, not both"),
        (["--source", "rss"], "unknown source 'rss'"),
        (["--source", "hf-daily", "--date", "2025-13-01"], "Invalid value for '--date'"),
    ],
)
def test_bad_source_options_exit_2(prefect_api: str, tmp_path: Path, args: list[str], message: str) -> None:
    result = cli(["run", *args, "--out", str(tmp_path / "out"), "--api-url", "http://127.0.0.1:9/unused"], prefect_api)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_fetch_source_is_a_plain_function_for_scheduled_flows(prefect_api: str, tmp_path: Path) -> None:
    script = ("import sys; from datetime import date; from pathlib import Path; from flows.sources import fetch_source; "
              "print(fetch_source('hf-daily', raw_dir=Path(sys.argv[1]), api_url=sys.argv[2], day=date(2025, 1, 15)))")
    with RecordedServer({"/api/daily_papers": in_order(Reply.file("hf_daily_2025-01-15.json"))}) as server:
        result = subprocess.run([sys.executable, "-c", script, str(tmp_path), server.url("/api/daily_papers")], cwd=ROOT,
                                env={**os.environ, **FAST, "PREFECT_API_URL": prefect_api}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    kept = tmp_path / "hf-daily" / "2025-01-15" / "daily_papers__p0000.json"
    assert result.stdout.strip() == f"[PosixPath('{kept}')]" and kept.read_bytes() == (RECORDED / "hf_daily_2025-01-15.json").read_bytes()


HF_PAGES = {"0": "hf_daily_2025-01-16_p0.json", "1": "hf_daily_2025-01-16_p1.json", "2": "hf_daily_2025-01-16_p2.json"}
HF_IDS = [f"2501.0910{k}" for k in range(1, 6)]
HF_PAGING = {
    # the day's five entries in pages of two: the short third page is the last
    "short last page": (lambda params, count: Reply.file(HF_PAGES[params["p"]]), 3, HF_IDS, [2, 2, 1], ""),
    # four entries: two full pages, then an empty one
    "empty last page": (lambda params, count: Reply.file(HF_PAGES[params["p"]]) if params["p"] != "2" else Reply(200, b"[]"),
                        3, HF_IDS[:4], [2, 2, 0], ""),
    # a server that ignores p= answers page 0 again: paging stops instead of looping
    "server ignores p": (lambda params, count: Reply.file(HF_PAGES["0"]), 2, HF_IDS[:2], [2],
                         "warning: page 2 of the daily papers repeated an earlier page (the server ignores p=); paging stopped"),
}


@pytest.mark.parametrize("case", HF_PAGING, ids=list(HF_PAGING))
def test_hf_daily_follows_every_page_of_the_day_and_records_them_in_runs(prefect_api: str, tmp_path: Path, case: str) -> None:
    route, requests, ids, entries, warning = HF_PAGING[case]
    with RecordedServer({"/api/daily_papers": route}) as server:
        result = cli(["run", "--source", "hf-daily", "--date", "2025-01-16", "--api-url", server.url("/api/daily_papers"),
                      "--raw-dir", str(tmp_path / "raw"), "--out", str(tmp_path / "out")], prefect_api, PAPERFACTS_HF_PAGE_SIZE="2")
    assert result.returncode == 0, result.stderr
    seen = [s.params for s in server.requests_to("/api/daily_papers")]
    assert seen == [{"date": "2025-01-16", "limit": "2", "p": str(page)} for page in range(requests)]
    assert f"fetched {len(ids)} entries from Hugging Face daily papers in {requests} request(s)" in result.stderr
    assert warning in result.stderr
    assert paper_ids(tmp_path / "out") == ids
    kept = sorted((tmp_path / "raw" / "hf-daily" / "2025-01-16").iterdir())
    assert [p.name for p in kept] == [f"daily_papers__p{k:04d}.json" for k in range(len(entries))]
    pages = rows(tmp_path / "out", "SELECT f.source, f.category, f.day, f.page, f.entries, f.file FROM (SELECT unnest(fetched) AS f FROM runs)")
    assert sorted(pages) == [("hf-daily", None, "2025-01-16", k, n, str(kept[k])) for k, n in enumerate(entries)]


def _http_date_in(seconds: float) -> str:
    return formatdate(time.time() + seconds, usegmt=True)


RETRY_AFTER = {
    "429, seconds": lambda: Reply(429, b'{"error":"rate limited"}', headers=(("Retry-After", "1"),)),
    # an HTTP date 2 s ahead (whole seconds): the wait is between 1 and 2 s
    "503, HTTP date": lambda: Reply(503, b"busy", content_type="text/plain", headers=(("Retry-After", _http_date_in(2)),)),
}


@pytest.mark.parametrize("case", RETRY_AFTER, ids=list(RETRY_AFTER))
def test_hf_daily_waits_as_long_as_retry_after_says(prefect_api: str, tmp_path: Path, case: str) -> None:
    busy = RETRY_AFTER[case]
    route = {"/api/daily_papers": lambda params, count: busy() if count == 0 else Reply.file("hf_daily_2025-01-15.json")}
    with RecordedServer(route) as server:
        result = cli(["run", "--source", "hf-daily", "--date", "2025-01-15", "--api-url", server.url("/api/daily_papers"),
                      "--raw-dir", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--quiet"], prefect_api)
    assert result.returncode == 0, result.stderr
    first, retry = server.requests_to("/api/daily_papers")
    assert retry.at - first.at >= 1.0  # the retry backoff is 0.05 s: only Retry-After explains the wait
    assert retry.at - first.at < 30
    assert paper_ids(tmp_path / "out") == ["2501.07001", "2501.07002", "2501.07003"]

