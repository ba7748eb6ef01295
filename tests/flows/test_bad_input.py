"""Bad input never stops the batch (through the real CLI): every kind of bad record or file becomes one
`rejects` row with its reason and position, the good records of every file are written, the summary and the
runs table give the count, and --strict turns any reject into a failure that publishes nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import all_tables, run_cli
from tests.flows.synthetic import paper_id, record

pytestmark = pytest.mark.slow


def good(k: int) -> str:
    return json.dumps(record(k))


def write_inbox(inbox: Path) -> None:
    inbox.mkdir()
    (inbox / "a_records.jsonl").write_bytes(
        "\n".join([good(0), json.dumps({"abstract": "No title here."}), json.dumps({"title": "No abstract"}), good(0)]).encode()
        + b'\n{"title": "bad \xff\xfe bytes", "abstract": "text"}\n'
        + good(1).encode() + b"\n"
    )
    giant = {"id": "2400.90000", "title": "Giant", "abstract": "word " * 220_000}  # 1.1 MB
    (inbox / "b_giant.jsonl").write_text(good(2) + "\n" + json.dumps(giant) + "\n")
    (inbox / "c_blob.jsonl").write_bytes(bytes(range(256)) * 50)
    array = json.dumps([record(k) for k in (3, 4, 5)])
    (inbox / "d_cut.json").write_text(array[: len(array) - 40])
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["id", "title", "abstract"])
    writer.writerows([[r["id"], r["title"], r["abstract"]] for r in (record(6), record(7))])
    (inbox / "e_cut.csv").write_text(table.getvalue() + '2400.00008,"Cut title","an abstract that never')

    def entry(k: int) -> str:
        r = record(k)
        return f"<entry><id>http://arxiv.org/abs/{r['id']}v1</id><title>{r['title']}</title><summary>{r['abstract']}</summary></entry>"

    feed = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entry(9)}{entry(10)}{entry(11)}</feed>'
    (inbox / "f_cut.xml").write_text(feed[: len(feed) - 150])
    (inbox / "g_broken.jsonl.gz").write_bytes(b"\x1f\x8b not really gzip")
    (inbox / "h_good.jsonl").write_text(good(12) + "\n")


EXPECTED_REJECTS = [
    ("a_records.jsonl", "line 2", "missing title"),
    ("a_records.jsonl", "line 3", "missing abstract"),
    ("a_records.jsonl", "line 4", "duplicate paper_id 2400.00000"),
    ("a_records.jsonl", "line 5", "undecodable bytes"),
    ("b_giant.jsonl", "line 2", "abstract too large"),
    ("c_blob.jsonl", "file", "binary content"),
    ("d_cut.json", "record 2", "malformed or truncated JSON"),
    ("e_cut.csv", "line 4", "malformed CSV row: unexpected end of data"),
    ("f_cut.xml", "entry 2", "malformed or truncated XML"),
    ("g_broken.jsonl.gz", "file", "broken gzip"),
]
WRITTEN = [0, 1, 2, 3, 4, 6, 7, 9, 10, 12]


def test_every_bad_record_is_one_reject_and_the_rest_is_written(prefect_api: str, tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox)
    result = run_cli(["run", str(inbox), "--out", str(out)], prefect_api)
    assert result.returncode == 0, result.stderr
    assert f"{len(EXPECTED_REJECTS)} record(s) rejected" in result.stderr
    assert whole_file_warnings(result.stderr, [
        f"warning: file rejected whole: {inbox / 'c_blob.jsonl'}: binary content where jsonl text was expected: binary data (",
        f"warning: file rejected whole: broken gzip in {inbox / 'g_broken.jsonl.gz'}: ",
    ]), result.stderr
    con = duckdb.connect()
    rejects = con.execute(
        f"SELECT regexp_extract(source, '[^/]+$'), position, reason, raw FROM read_parquet('{out}/rejects/*.parquet') ORDER BY 1, 2"
    ).fetchall()
    assert len(rejects) == len(EXPECTED_REJECTS)
    for (source, position, reason, raw), (want_source, want_position, want_reason) in zip(rejects, EXPECTED_REJECTS, strict=True):
        assert (source, position) == (want_source, want_position) and reason.startswith(want_reason), (source, position, reason)
        assert raw is None or len(raw) <= 500
    papers = con.execute(f"SELECT paper_id FROM read_parquet('{out}/papers/*.parquet') ORDER BY 1").fetchall()
    assert papers == [(paper_id(k),) for k in WRITTEN]
    assert con.execute(f"SELECT papers_written, rejected, status FROM read_parquet('{out}/runs/*.parquet')").fetchall() == [
        (len(WRITTEN), len(EXPECTED_REJECTS), "ok")
    ]

    before = all_tables(out)
    strict = run_cli(["run", str(inbox), "--out", str(out), "--strict", "--full-refresh"], prefect_api)
    assert strict.returncode == 5, strict.stderr
    assert f"{len(EXPECTED_REJECTS)} record(s) rejected and --strict is set; nothing published" in strict.stderr
    assert all_tables(out) == before


def whole_file_warnings(stderr: str, expected: list[str]) -> bool:
    """The stderr lines naming a file rejected whole are one per expected message, each starting with it."""
    lines = [line for line in stderr.splitlines() if line.startswith("warning: file rejected whole: ")]
    return len(lines) == len(expected) and all(line.startswith(want) for line, want in zip(lines, expected, strict=True))


def test_one_bad_line_costs_that_line_and_a_file_that_is_not_text_is_named(prefect_api: str, tmp_path: Path) -> None:
    """The 8-line JSONL file of issue 12 (a NUL byte and bytes that are not UTF-8 on line 7) gave 1 reject and 0 papers."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    lines = [good(0).encode(), b'{"title": "No abstract"}', good(1).encode(), b'{"title": "broken', good(0).encode(),
             b'{"abstract": "No title here."}', b'{"title": "nul \x00 and \xff\xfe bytes", "abstract": "text"}', good(2).encode()]
    (inbox / "eight.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (inbox / "photo.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (inbox / "empty.csv").write_bytes(b"")
    result = run_cli(["run", str(inbox), "--out", str(out)], prefect_api)
    assert result.returncode == 0, result.stderr
    con = duckdb.connect()
    assert con.execute(f"SELECT paper_id FROM read_parquet('{out}/papers/*.parquet') ORDER BY 1").fetchall() == [(paper_id(k),) for k in range(3)]
    rejects = con.execute(
        f"SELECT regexp_extract(source, '[^/]+$'), position, reason FROM read_parquet('{out}/rejects/*.parquet') ORDER BY 1, 2"
    ).fetchall()
    assert rejects == [
        ("eight.jsonl", "line 2", "missing abstract"),
        ("eight.jsonl", "line 4", "malformed JSON: Unterminated string starting at (column 11)"),
        ("eight.jsonl", "line 5", f"duplicate paper_id {paper_id(0)} (first at {inbox / 'eight.jsonl'} line 1)"),
        ("eight.jsonl", "line 6", "missing title"),
        ("eight.jsonl", "line 7", "undecodable bytes: text is not valid UTF-8 and holds NUL bytes"),
        ("empty.csv", "file", "empty file: no records"),
        ("photo.jsonl", "file", "binary content where jsonl text was expected: a PNG image"),
    ]
    assert whole_file_warnings(result.stderr, [
        f"warning: file rejected whole: {inbox / 'empty.csv'}: empty file: no records",
        f"warning: file rejected whole: {inbox / 'photo.jsonl'}: binary content where jsonl text was expected: a PNG image",
    ]), result.stderr
