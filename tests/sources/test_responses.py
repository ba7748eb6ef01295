"""Response checks, raw-file publishing and pacing on their own: fast, no server, no Prefect run."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.readers import read_path
from flows.records import Paper, Reject
from flows.sources.arxiv_api import check_atom
from flows.sources.fetch import Pacer, retry_after_seconds
from flows.sources.hf_daily import check_daily_json
from flows.sources.options import FetchError
from flows.sources.raw import page_path, publish
from tests.sources.recorded_server import RECORDED


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


def test_atom_page_facts() -> None:
    assert check_atom(recorded("arxiv_cs.CL_p0.xml")) == {"total": 5, "entries": 2, "truncated": False, "oldest": "2025-01-14"}
    assert check_atom(recorded("arxiv_cs.CL_cut.xml"))["truncated"] is True


def test_atom_error_feed_and_non_feeds_raise() -> None:
    with pytest.raises(FetchError, match="arXiv API error: start must be non-negative") as error:
        check_atom(recorded("arxiv_error.xml"))
    assert not error.value.retryable
    with pytest.raises(FetchError, match="not an Atom feed") as error:
        check_atom(recorded("hf_maintenance.html"))
    assert error.value.retryable


def test_daily_json_whole_cut_and_wrong() -> None:
    assert check_daily_json(recorded("hf_daily_2025-01-15.json")) == {"entries": 4, "truncated": False}
    assert check_daily_json(recorded("hf_daily_cut.json")) == {"entries": 1, "truncated": True}
    for body, message in [(b"", "empty response"), (b'{"error": "Invalid date"}', "API error: Invalid date"),
                          (b'{"papers": 3}', "not a list"), (recorded("hf_maintenance.html"), "not JSON")]:
        with pytest.raises(FetchError, match=message) as error:
            check_daily_json(body)
        assert error.value.retryable == (message in ("empty response", "not JSON"))  # a maintenance page may pass


def test_kept_cut_daily_list_reads_as_papers_and_one_reject(tmp_path: Path) -> None:
    kept = tmp_path / "daily_papers__p0000.json"
    kept.write_bytes(recorded("hf_daily_cut.json"))
    records = list(read_path(kept))
    assert [r.paper_id for r in records if isinstance(r, Paper)] == ["2501.07001"]
    assert [r.reason.split(":")[0] for r in records if isinstance(r, Reject)] == ["malformed or truncated JSON"]


def test_publish_replaces_the_previous_pages_of_the_same_query(tmp_path: Path) -> None:
    for page in range(3):
        page_path(tmp_path, "cs.CL", page, "xml").write_text("old")
    publish(tmp_path, "cs.CL", [page_path(tmp_path, "cs.CL", p, "xml") for p in range(3)])
    (tmp_path / "cs.LG__p0000.xml").write_text("other query")
    staged = page_path(tmp_path, "cs.CL", 0, "xml")
    staged.write_text("new")
    assert publish(tmp_path, "cs.CL", [staged]) == [tmp_path / "cs.CL__p0000.xml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cs.CL__p0000.xml", "cs.LG__p0000.xml"]
    assert (tmp_path / "cs.CL__p0000.xml").read_text() == "new"


def test_pacer_spaces_requests_from_the_end_of_the_previous_one() -> None:
    pacer, starts = Pacer(), []
    for _ in range(3):
        with pacer.turn("export.arxiv.org", 0.2):
            starts.append(time.monotonic())
            time.sleep(0.05)
    assert all(b - a >= 0.25 for a, b in zip(starts, starts[1:], strict=False))
    with pacer.turn("huggingface.co", 0.2):
        assert time.monotonic() - starts[-1] < 0.2  # another host does not wait


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2025, 1, 15, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds("Wed, 15 Jan 2025 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 15 Jan 2025 11:59:00 GMT", now) == 0.0  # a date already past: retry now
    assert retry_after_seconds("soon", now) is None and retry_after_seconds(None, now) is None and retry_after_seconds("", now) is None


def test_pacer_holds_a_host_for_its_retry_after() -> None:
    pacer = Pacer()
    pacer.hold("api.test", 0.4)
    start = time.monotonic()
    with pacer.turn("api.test", 0.0):
        waited = time.monotonic() - start
    with pacer.turn("other.test", 0.0):
        other = time.monotonic() - start - waited
    assert 0.35 <= waited < 5 and other < 0.2
