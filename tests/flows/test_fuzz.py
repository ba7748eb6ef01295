"""Hypothesis feeds random files, random records and random text through the pipeline: no exception escapes,
and every input record is accounted for (written or rejected, exactly once)."""

from __future__ import annotations

import gzip
import json
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flows.batching import DUPLICATE
from flows.extract import extract_rows
from flows.quality import check_batch
from flows.readers import read_path
from flows.readers.trending_page import HEADER_LINE
from flows.records import Paper, Reject, make_paper
from tests.conftest import examples, run_flow

WORDS = ["We", "propose", "FooNet-7B", "GPT-4o", "ImageNet-1K", "SWE-bench", "accuracy", "of", "91.2%", "+3.4", "2x", "faster",
         "https://github.com/a/b", "http://x.org/p?q=1", "on", "MMLU", "(", ")", "1.5B", "parameters", "Llama-3.1-8B", ".", ",",
         "\u00e9t\u00e9", "\u4e2d\u6587", "\U0001f600", "\t", "1e309", "NaN", "-0", "\u00a0", "10^5", "\u2212", "5.0\u00d7"]
prose = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=40).map(" ".join)
value = st.one_of(prose, st.none(), st.integers(), st.floats(), st.lists(st.text(max_size=5), max_size=3), st.just(""))
paper_record = st.fixed_dictionaries(
    {"title": value, "abstract": value},
    optional={"id": st.one_of(st.sampled_from(["2401.00001", "2401.00002v3", "cs/0101001"]), st.text(max_size=12)),
              "url": st.one_of(st.none(), prose), "authors": st.one_of(st.none(), st.lists(st.text(max_size=8), max_size=3), st.text())},
)
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
one_line = prose.map(lambda s: LINE_BREAKS.sub(" ", s))  # a generated line must stay one line of the file
garbage_line = st.text(min_size=1, max_size=80).map(lambda s: LINE_BREAKS.sub(" ", s)).filter(lambda s: s.strip() != "")
line = st.one_of(paper_record.map(lambda r: json.dumps(r, ensure_ascii=False)), garbage_line)


@settings(max_examples=examples(20), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), name=st.sampled_from(["x.jsonl", "x.json", "x.csv", "x.xml", "x.txt", "x.parquet", "x.jsonl.gz", "x"]),
       gz=st.booleans())
def test_random_bytes_in_any_format_never_raise(data: bytes, name: str, gz: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(gzip.compress(data) if gz and name.endswith(".gz") else data)
        records = list(read_path(path))
    assert all(isinstance(r, Paper | Reject) for r in records)
    assert all(r.position for r in records)


@settings(max_examples=examples(8))
@given(title=prose, abstract=prose)
def test_the_gate_accepts_whatever_the_extractors_make_of_random_text(title: str, abstract: str) -> None:
    paper = make_paper(title=title, abstract=abstract, source="fuzz", source_format="jsonl", position="line 1")
    if isinstance(paper, Reject):
        return
    check_batch(extract_rows([paper], "fuzz", datetime.now(UTC)))


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_in_process")
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # the profile's max_examples
@given(lines=st.lists(line, min_size=1, max_size=30), page=st.lists(one_line, max_size=12))
@example(lines=['{"title": "A", "abstract": "B"}'], page=["\x07", "An abstract.", "", "Same title", "x", "Same title", "x"])  # rejected pair, duplicate
def test_random_records_through_the_flow_are_all_accounted_for(lines: list[str], page: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        inbox, out = Path(folder) / "inbox", Path(folder) / "out"
        inbox.mkdir()
        (inbox / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        (inbox / "page.txt").write_text("\n".join(page) + "\n", encoding="utf-8", errors="surrogatepass")
        summary = run_flow([inbox], out, batch_size=7)
        con = duckdb.connect()
        rejects = con.execute(f"SELECT source, position, reason FROM read_parquet('{out}/rejects/*.parquet')").fetchall()
        papers = con.execute(f"SELECT source, title FROM read_parquet('{out}/papers/*.parquet')").fetchall()

    assert summary["rejected"] == len(rejects) and summary["papers_written"] == len(papers) and summary["papers_skipped"] == 0
    assert len({(src, pos) for src, pos, _ in rejects}) == len(rejects), "a record was rejected twice"
    for name, file_lines in (("records.jsonl", lines), ("page.txt", page)):
        file_rejects = [(pos, reason) for src, pos, reason in rejects if src.endswith(name)]
        file_papers = [title for src, title in papers if src.endswith(name)]
        if any(pos == "file" for pos, _ in file_rejects):  # binary content: the whole file is one reject, nothing written
            assert len(file_rejects) == 1 and not file_papers
            continue
        if name == "records.jsonl":  # one record per line, written or rejected
            numbers = [int(pos.removeprefix("line ")) for pos, _ in file_rejects]
            assert all(1 <= n <= len(file_lines) for n in numbers), file_rejects
            assert len(numbers) + len(file_papers) == len(file_lines)
        else:
            assert_page_lines_accounted(file_lines, file_papers, file_rejects)


def assert_page_lines_accounted(page: list[str], papers: list[str], rejects: list[tuple[str, str]]) -> None:
    """Every non-blank line of a page (but its header) is part of exactly one paper or reject: a paper is a title
    line and an abstract line, and so is a reject at `lines N-M` or a duplicate of a paper; any other reject is
    one line. Reject positions name non-blank lines of the page."""
    content = {n for n, text in enumerate(page, start=1) if text.strip() and not HEADER_LINE.match(text)}
    covered = 2 * len(papers)
    for position, reason in rejects:
        first, _, last = position.removeprefix("lines ").removeprefix("line ").partition("-")
        span = [n for n in range(int(first), int(last or first) + 1) if n in content]
        assert span and span[0] == int(first) and span[-1] == int(last or first), (position, reason)
        if position.startswith("lines "):
            assert len(span) == 2, (position, reason)
        covered += 2 if position.startswith("lines ") or reason.startswith(DUPLICATE) else 1
    assert covered == len(content), (covered, len(content), len(papers), rejects)
