"""Every input format, well-formed and broken: papers come out, bad records become rejects with reasons."""

from __future__ import annotations

import gzip
import io
import json
import random
import struct
import zipfile
import zlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.readers import detect_format, read_path, resolve_inputs
from flows.readers.detect import InputNotFound
from flows.records import Paper, Reject

ABSTRACT = "We present ToyNet, which reaches 51.7% on MATH. Code: https://github.com/a/b."


def records(path: Path, fmt: str | None = None) -> tuple[list[Paper], list[Reject]]:
    out = list(read_path(path, fmt))
    return [r for r in out if isinstance(r, Paper)], [r for r in out if isinstance(r, Reject)]


def test_seed_page_gives_251_papers_and_strips_the_header(tmp_path: Path) -> None:
    papers, rejects = records(Path(__file__).resolve().parents[2] / "data" / "trending_papers.txt")
    assert len(papers) == 251 and not rejects
    assert papers[0].title.startswith("DeepSeek-Coder-V2:")
    assert not any("Subscribe" in p.title or "trending papers" in p.title for p in papers)


def test_page_with_dangling_title_rejects_it(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text("SubscribeA Title\n" + ABSTRACT + "\nLonely title without abstract\n")
    papers, rejects = records(page)
    assert [p.title for p in papers] == ["A Title"]
    assert rejects[0].reason == "title line without an abstract"


def test_jsonl_with_broken_and_incomplete_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(
        json.dumps({"title": "T1", "abstract": ABSTRACT, "id": "2412.19437v2"}) + "\n"
        + '{"title": "broken\n'
        + json.dumps({"title": "T3"}) + "\n"
        + json.dumps({"title": "T4", "summary": ABSTRACT}) + "\n"
    )
    papers, rejects = records(path)
    assert [p.paper_id for p in papers][0] == "2412.19437"
    assert [p.title for p in papers] == ["T1", "T4"]
    assert {r.reason.split(":")[0] for r in rejects} == {"malformed JSON", "missing abstract"}
    assert [r.position for r in rejects] == ["line 2", "line 3"]


def test_json_array_and_truncated_array(tmp_path: Path) -> None:
    items = [{"title": f"T{i}", "abstract": ABSTRACT} for i in range(3)]
    whole = tmp_path / "a.json"
    whole.write_text(json.dumps(items))
    assert len(records(whole)[0]) == 3
    cut = tmp_path / "b.json"
    cut.write_text(json.dumps(items)[:-30])
    papers, rejects = records(cut)
    assert [p.title for p in papers] == ["T0", "T1"]
    assert "truncated" in rejects[0].reason


def test_hf_daily_papers_json(tmp_path: Path) -> None:
    path = tmp_path / "daily.json"
    path.write_text(json.dumps([{"paper": {"id": "2501.12948", "title": "R1", "summary": ABSTRACT, "publishedAt": "2025-01-22T00:00:00Z"}}]))
    papers, _ = records(path)
    assert papers[0].paper_id == "2501.12948" and papers[0].source_format == "hf_daily"
    assert papers[0].published == "2025-01-22T00:00:00Z"


def test_csv_with_ragged_row(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('title,abstract,url\nT1,"' + ABSTRACT + '",https://arxiv.org/abs/2401.00001v1\nT2,only two\nT3\n')
    papers, rejects = records(path)
    assert papers[0].paper_id == "2401.00001"
    assert [r.reason for r in rejects] == ["CSV row has 2 fields, header has 3", "CSV row has 1 fields, header has 3"]


def test_parquet_and_missing_columns(tmp_path: Path) -> None:
    good = tmp_path / "g.parquet"
    pq.write_table(pa.table({"title": ["T1", None], "abstract": [ABSTRACT, ABSTRACT]}), good)
    papers, rejects = records(good)
    assert len(papers) == 1 and rejects[0].reason == "missing title"
    bad = tmp_path / "b.parquet"
    pq.write_table(pa.table({"name": ["x"]}), bad)
    assert "no title" in records(bad)[1][0].reason


def test_atom_feed_and_truncated_feed(tmp_path: Path) -> None:
    entry = (
        "<entry><id>http://arxiv.org/abs/2402.03300v3</id><title>DeepSeekMath</title>"
        f"<summary>{ABSTRACT}</summary><published>2024-02-05T18:55:32Z</published></entry>"
    )
    feed = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entry}{entry.replace("2402.03300", "2402.03301")}</feed>'
    path = tmp_path / "f.xml"
    path.write_text(feed)
    papers, rejects = records(path)
    assert [p.paper_id for p in papers] == ["2402.03300", "2402.03301"] and not rejects
    cut = tmp_path / "cut.xml"
    cut.write_text(feed[: len(feed) - 120])
    papers, rejects = records(cut)
    assert len(papers) == 1 and "XML" in rejects[0].reason


def test_gzip_is_read_transparently(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps({"title": "T", "abstract": ABSTRACT}) + "\n").encode()))
    assert len(records(path)[0]) == 1


def test_undecodable_bytes_and_binary_files(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"title": "ok", "abstract": "fine text"}\n{"title": "bad \xff\xfe", "abstract": "x"}\n')
    papers, rejects = records(path)
    assert len(papers) == 1 and "not valid UTF-8" in rejects[0].reason
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    assert "binary" in records(binary)[1][0].reason


def test_giant_abstract_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"title": "T", "abstract": "word " * 300_000}) + "\n")
    _, rejects = records(path)
    assert rejects[0].reason.startswith("abstract too large")


def test_unreadable_file_is_one_reject(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl.gz"
    path.write_bytes(b"\x1f\x8b not really gzip")
    _, rejects = records(path)
    assert len(rejects) == 1 and "gzip" in rejects[0].reason


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [("a.bin", b"PAR1....", "parquet"), ("a", b"  <?xml", "atom"), ("a", b"[{", "json"), ("a", b'{"t', "jsonl"),
     ("a.dat", b"title,abstract\n", "csv"), ("a.dat", b"Some title\nSome abstract", "page"), ("x.json", b'{"a":1}\n{"a":2}\n', "jsonl")],
)
def test_format_detection(name: str, head: bytes, expected: str) -> None:
    assert detect_format(Path(name), head) == expected


def test_resolve_inputs_folders_globs_and_missing(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.jsonl").write_text("")
    (tmp_path / "b.csv.gz").write_bytes(gzip.compress(b""))
    (tmp_path / "notes.pdf").write_text("")
    assert [p.name for p in resolve_inputs([tmp_path])] == ["b.csv.gz", "a.jsonl"]
    assert [p.name for p in resolve_inputs([str(tmp_path / "*.gz")])] == ["b.csv.gz"]
    with pytest.raises(InputNotFound):
        resolve_inputs([tmp_path / "nope.txt"])


def test_page_missing_lines_cost_one_reject_each_and_never_shift_pairs(tmp_path: Path) -> None:
    long = "This is an abstract. It has several sentences. It is long enough to be prose about a model."
    page = tmp_path / "p.txt"
    page.write_text("\n".join(["SubscribeT1", long, "T2", "T3", long, long, "T4", "Short abstract here.", "T5"]) + "\n")
    papers, rejects = records(page)
    assert [(p.title, p.abstract[:5]) for p in papers] == [("T1", "This "), ("T3", "This "), ("T4", "Short")]
    assert [(r.position, r.reason) for r in rejects] == [
        ("line 3", "title line without an abstract"),
        ("line 6", "abstract line without a title"),
        ("line 9", "title line without an abstract"),
    ]


def eight_lines() -> bytes:
    """The issue's file: 8 JSONL lines, 3 good papers, and a 7th line with a NUL byte and bytes that are not UTF-8."""
    good = [json.dumps({"id": f"2400.0000{k}", "title": f"T{k}", "abstract": ABSTRACT}).encode() for k in range(3)]
    lines = [good[0], b'{"title": "No abstract"}', good[1], b'{"title": "broken', good[0], b'{"abstract": "No title here."}',
             b'{"title": "nul \x00 and \xff\xfe bytes", "abstract": "text"}', good[2]]
    return b"\n".join(lines) + b"\n"


def test_a_nul_line_costs_that_line_not_the_file(tmp_path: Path) -> None:
    path = tmp_path / "eight.jsonl"
    path.write_bytes(eight_lines())
    papers, rejects = records(path)
    assert [(p.paper_id, p.position) for p in papers] == [
        ("2400.00000", "line 1"), ("2400.00001", "line 3"), ("2400.00000", "line 5"), ("2400.00002", "line 8"),  # line 5: a duplicate, for the flow
    ]
    assert [(r.position, r.reason.split(":")[0], r.whole_file) for r in rejects] == [
        ("line 2", "missing abstract", False), ("line 4", "malformed JSON", False), ("line 6", "missing title", False),
        ("line 7", "undecodable bytes", False),
    ]
    assert rejects[-1].reason == "undecodable bytes: text is not valid UTF-8 and holds NUL bytes"
    assert "\x00" not in rejects[-1].raw and "\\x00" in rejects[-1].raw


def test_bad_lines_of_csv_and_page_files_cost_those_lines(tmp_path: Path) -> None:
    table = tmp_path / "x.csv"
    table.write_bytes(b'title,abstract\nT1,"' + ABSTRACT.encode() + b'"\nT\x002,nul\nT3,bad \xff byte\nT4,"' + ABSTRACT.encode() + b'"\n')
    papers, rejects = records(table)
    assert [p.title for p in papers] == ["T1", "T4"]
    assert [(r.position, r.reason) for r in rejects] == [
        ("line 3", "undecodable bytes: NUL byte in text"), ("line 4", "undecodable bytes: text is not valid UTF-8"),
    ]
    page = tmp_path / "p.txt"
    page.write_bytes(b"T1\n" + ABSTRACT.encode() + b"\nT\x002\n" + ABSTRACT.encode() + b"\nT3\n" + ABSTRACT.encode() + b"\n")
    papers, rejects = records(page)
    assert [p.title for p in papers] == ["T1", "T3"]
    assert [(r.position, r.reason) for r in rejects] == [("lines 3-4", "undecodable bytes: NUL byte in text")]


def test_undecodable_bytes_in_any_field_are_a_reject(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 in a url or author (not only title/abstract) once reached the Parquet writer and crashed the run."""
    array = tmp_path / "a.json"
    array.write_bytes(b'[{"title": "T1", "abstract": "fine", "url": "http://x.org/\xff"}, {"title": "T2", "abstract": "fine", "authors": ["A \xfe"]},'
                      b' {"title": "T3", "abstract": "fine"}]')
    papers, rejects = records(array)
    assert [p.title for p in papers] == ["T3"]
    assert [(r.position, r.reason) for r in rejects] == [("record 0", "undecodable bytes: text is not valid UTF-8"),
                                                        ("record 1", "undecodable bytes: text is not valid UTF-8")]


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"".join(b"\x00" + bytes(range(i, i + 48)) for i in range(16)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("papers.jsonl", json.dumps({"title": "T", "abstract": ABSTRACT}) + "\n")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [("image.jsonl", _png(), "a PNG image"), ("papers.csv", _zip(), "a zip archive"), ("page.txt", bytes(range(256)) * 8, "binary data"),
     ("twice.jsonl.gz", gzip.compress(gzip.compress(b'{"title": "T"}\n', mtime=0), mtime=0), "gzip data"),
     ("wide.jsonl", '{"title": "T"}\n'.encode("utf-16"), "UTF-16 text"), ("noise.txt", random.Random(1).randbytes(5000), "binary data")],
)
def test_a_file_that_is_not_text_is_rejected_whole(tmp_path: Path, name: str, content: bytes, what: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    papers, rejects = records(path)
    assert not papers and len(rejects) == 1 and rejects[0].whole_file and rejects[0].position == "file"
    assert rejects[0].reason.startswith("binary content where ") and what in rejects[0].reason, rejects[0].reason


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [("x.csv", b"", "empty file: no records"), ("x.jsonl", b"\n \n", "empty file: no records"), ("x.txt", b"", "empty file: no records"),
     ("x.csv", b"title,abstract\n", "no records: nothing in the file reads as csv records"),
     ("x.csv.gz", gzip.compress(b"", mtime=0), "empty file: no records")],
)
def test_an_empty_file_is_one_reject(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert [(r.position, r.reason, r.whole_file) for r in records(path)[1]] == [("file", reason, True)]


def test_a_bad_parquet_row_group_counts_the_rows_it_held(tmp_path: Path) -> None:
    path = tmp_path / "groups.parquet"
    pq.write_table(pa.table({"title": [f"T{i}" for i in range(10)], "abstract": [ABSTRACT] * 10}), path, row_group_size=4, compression="none")
    group = pq.ParquetFile(path).metadata.row_group(1)
    data = bytearray(path.read_bytes())
    for c in range(group.num_columns):  # overwrite the second row group's pages: its page headers no longer parse
        column = group.column(c)
        start = column.dictionary_page_offset or column.data_page_offset
        data[start : start + column.total_compressed_size] = b"\xff" * column.total_compressed_size
    path.write_bytes(bytes(data))
    papers, rejects = records(path)
    assert [p.position for p in papers] == ["row 0", "row 1", "row 2", "row 3", "row 8", "row 9"]
    assert [r.position for r in rejects] == ["row group 1"]
    assert rejects[0].reason.startswith("unreadable Parquet row group: 4 of its 4 rows lost (rows 4-7): ")
def test_a_rejected_page_pair_names_both_of_its_lines(tmp_path: Path) -> None:
    """A title and its abstract rejected together cost two lines of the page: the position says which."""
    page = tmp_path / "p.txt"
    page.write_text("\n".join(["T1", "Abstract one.", "\x07", "", "Abstract two, whose title is only a control character.", "T3",
                               "Abstract three."]) + "\n")
    papers, rejects = records(page)
    assert [(p.title, p.position) for p in papers] == [("T1", "line 1"), ("T3", "line 6")]
    assert [(r.position, r.reason) for r in rejects] == [("lines 3-5", "missing title")]
