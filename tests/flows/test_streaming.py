"""Streaming: readers yield lazily from file handles, per-paper state is compact, rejects are flushed in chunks."""

from __future__ import annotations

import csv
import gzip
import io
import json
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.batching import RejectSink, reason_kind, select_batches
from flows.paper_index import KnownPapers, SeenIds
from flows.readers import read_path
from flows.readers.json_records import read_json_lines
from flows.readers.tabular import read_csv_text
from flows.readers.trending_page import read_trending_page
from flows.records import Paper, Reject, content_hash

SEED = Path(__file__).resolve().parents[2] / "data" / "trending_papers.txt"
ABSTRACT = "We present ToyNet-7B, which reaches 51.7% on MATH and 88.2 on GSM8K. Code: https://github.com/a/b. " * 10


def _items(n: int) -> list[dict]:
    return [{"title": f"Paper number {i}", "abstract": f"{ABSTRACT} Variant {i}.", "id": f"2401.{i:05d}"} for i in range(n)]


def _write_jsonl(path: Path, items: list[dict]) -> None:
    path.write_text("".join(json.dumps(i) + "\n" for i in items))


def _write_csv(path: Path, items: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["title", "abstract", "id"])
    writer.writeheader()
    writer.writerows(items)
    path.write_text(buf.getvalue())


def _write_page(path: Path, items: list[dict]) -> None:
    path.write_text("Get trending papers in your email inbox!\n" + "".join(f"{i['title']}\n{i['abstract']}\n" for i in items))


@pytest.mark.parametrize("writer", [_write_jsonl, _write_csv, _write_page], ids=["jsonl", "csv", "page"])
def test_line_readers_do_not_hold_the_file_in_memory(tmp_path: Path, writer) -> None:
    items = _items(4_000)  # ~4.4 MB of text: the old whole-file read peaked at twice that
    path = tmp_path / {"_write_jsonl": "big.jsonl", "_write_csv": "big.csv", "_write_page": "big.txt"}[writer.__name__]
    writer(path, items)
    assert path.stat().st_size > 4_000_000
    tracemalloc.start()
    try:
        count = sum(isinstance(r, Paper) for r in read_path(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == len(items)
    assert peak < 1_500_000, f"reading a {path.stat().st_size / 1e6:.0f} MB file peaked at {peak / 1e6:.1f} MB"


def test_records_before_a_broken_gzip_are_read(tmp_path: Path) -> None:
    data = gzip.compress("".join(json.dumps(i) + "\n" for i in _items(400)).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    out = list(read_path(path))
    papers = [r for r in out if isinstance(r, Paper)]
    assert 0 < len(papers) < 400
    assert isinstance(out[-1], Reject) and "broken gzip" in out[-1].reason and out[-1].position == "file"


def test_streamed_readers_match_the_whole_text_readers(tmp_path: Path) -> None:
    items = _items(30)
    items[3]["abstract"] = 'A "quoted"\nabstract, with a comma and a newline inside the CSV field.'
    cases = [(SEED, read_trending_page)]
    for name, writer, reader in (("x.jsonl", _write_jsonl, read_json_lines), ("x.csv", _write_csv, read_csv_text)):
        writer(tmp_path / name, items)
        cases.append((tmp_path / name, reader))
    for path, reader in cases:
        whole = list(reader(path.read_text(), str(path)))
        streamed = list(read_path(path))
        assert streamed == whole and len(whole) >= 30, path.name


def test_undecodable_line_is_one_reject_and_the_stream_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl.gz"
    good = json.dumps({"title": "ok", "abstract": "fine text"}).encode()
    path.write_bytes(gzip.compress(good + b'\n{"title": "bad \xff", "abstract": "x"}\n' + good.replace(b"ok", b"ok2") + b"\n"))
    out = list(read_path(path))
    assert [type(r).__name__ for r in out] == ["Paper", "Reject", "Paper"]
    assert "not valid UTF-8" in out[1].reason and out[1].position == "line 2"


def test_seen_ids_find_duplicates_before_and_after_merging() -> None:
    seen = SeenIds(merge_every=3)
    for i in range(10):
        assert seen.first_seen(f"2401.{i:05d}", "a.jsonl", f"line {i + 1}") is None
    assert seen.first_seen("2401.00001", "b.jsonl", "line 9") == "a.jsonl line 2"  # merged into the sorted array
    assert seen.first_seen("2401.00009", "b.jsonl", "line 9") == "a.jsonl line 10"  # still in the recent buffer
    long_id = "x" * 80
    assert seen.first_seen(long_id, "c.csv", "odd place") is None
    assert seen.first_seen(long_id, "c.csv", "line 3") == "c.csv odd place"
    assert seen.first_seen("2401.99999", "d.csv", "odd place") is None  # a short id first seen at an odd position
    assert seen.first_seen("2401.99999", "d.csv", "line 4") == "d.csv odd place"
    assert len(seen) == 12


def test_seen_ids_stay_small_for_many_papers() -> None:
    n = 50_000
    tracemalloc.start()
    try:
        seen = SeenIds(merge_every=5_000)
        for i in range(n):
            seen.first_seen(f"t-{i:016x}", "/data/corpus/arxiv-abstracts.jsonl.gz", f"line {i + 1}")
        current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(seen) == n
    assert current / n < 60, f"{current / n:.0f} bytes per paper id"


def test_known_papers_tell_new_unchanged_and_changed(tmp_path: Path) -> None:
    rows = [("2401.00001", "T1", "A1", "v2"), ("2401.00002", "T2", "A2", "v2"), ("2401.00003", "T3", "A3", "v1")]
    pq.write_table(
        pa.table({
            "paper_id": [r[0] for r in rows],
            "content_sha256": [content_hash(r[1], r[2]) for r in rows],
            "extractor_version": [r[3] for r in rows],
        }),
        tmp_path / "part-1.parquet",
    )
    known = KnownPapers.from_parts(tmp_path, "v2")
    assert len(known) == 3
    assert known.state("2401.00001", content_hash("T1", "A1")) == KnownPapers.UNCHANGED
    assert known.state("2401.00002", content_hash("T2", "A2 edited")) == KnownPapers.CHANGED
    assert known.state("2401.00003", content_hash("T3", "A3")) == KnownPapers.CHANGED  # older extractor version
    assert known.state("2401.00004", content_hash("T4", "A4")) == KnownPapers.NEW


class _Tally:
    papers_read = 0
    papers_skipped = 0


def test_batching_flushes_rejects_in_chunks_and_keeps_counts(tmp_path: Path) -> None:
    papers = [Paper(f"2401.{i % 5:05d}", f"T{i}", "A", "s.jsonl", "jsonl", f"line {i + 1}") for i in range(12)]
    records = [*papers, Reject("s.jsonl", "line 13", "malformed JSON: Expecting value (column 1)")]
    sink = RejectSink(tmp_path, "run1", chunk=3)
    tally = _Tally()
    batches = list(select_batches(records, 2, KnownPapers.empty(), False, tally, sink, set()))
    sink.flush()
    assert [len(b) for b in batches] == [2, 2, 1] and tally.papers_read == 12
    assert sink.count == 8 and sink.reasons == {"duplicate paper_id": 7, "malformed JSON": 1}
    parts = sorted((tmp_path / "rejects").glob("*.parquet"))
    assert len(parts) == 3
    rows = pa.concat_tables([pq.read_table(p) for p in parts]).to_pylist()
    assert rows[0]["reason"] == "duplicate paper_id 2401.00000 (first at s.jsonl line 1)"
    assert reason_kind(rows[0]["reason"]) == "duplicate paper_id"


def test_extraction_leaves_the_shared_vocab_as_it_found_it_and_changes_no_row() -> None:
    from datetime import UTC, datetime

    from extractors.pipeline import build_nlp, paper_text, shared_nlp
    from extractors.rows import doc_to_rows
    from flows.extract import extract_rows

    papers = [r for r in read_path(SEED) if isinstance(r, Paper)][:60]
    nlp = shared_nlp()
    extract_rows(papers[:5], "warm", datetime.now(UTC))
    strings = len(nlp.vocab.strings)
    batches = [papers[0:20], papers[20:40], papers[40:60]]
    got = [extract_rows(batch, "r", datetime.now(UTC)) for batch in batches]  # consecutive batches, one zone each
    assert len(nlp.vocab.strings) == strings, "a batch's strings outlived its memory zone"
    plain = build_nlp()  # reference: the same pipeline, no memory zone
    plain_strings = len(plain.vocab.strings)
    for batch, tables in zip(batches, got, strict=True):
        for paper, doc in zip(batch, plain.pipe(paper_text(p.title, p.abstract) for p in batch), strict=True):
            for name, rows in doc_to_rows(doc, paper.paper_id, len(paper.title), "r").items():
                assert rows == [r for r in tables[name] if r["paper_id"] == paper.paper_id], (name, paper.title)
    assert len(plain.vocab.strings) > plain_strings  # without the zone the vocab grows: the check above can fail
