"""A paper's page: its facts drawn by displaCy from the tables' offsets, its leaderboard rows, and the links to it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extractors.schemas import SCHEMAS
from flows.report.data import collect, leaderboards
from flows.report.html import render_html
from flows.report.paper_facts import collect_papers, papers_to_show
from flows.report.paper_pages import link_board_rows, page_name, paper_page, write_paper_pages
from flows.sql import connect
from tests.conftest import run_cli

TITLE = "Whisper-Large: robust speech recognition"
ABSTRACT = "Whisper-Large reaches 1.9% WER on (LibriSpeech), while wav2vec 2.0 gets 2.1% and needs 16 GPUs."


class DrawnTokens(HTMLParser):
    """The tokens displaCy drew, as [text, labels] (labels on the token a span starts at), in order; text outside
    any span is a token with no labels."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: list[list] = []
        self.depth = -1  # span nesting inside div.spans; -1 outside it

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "div" and ("class", "spans") in attrs:
            self.depth = 0
        elif tag == "span" and self.depth >= 0:
            self.depth += 1
            if self.depth == 1:
                self.tokens.append(["", []])
            elif self.depth == 3:
                self.tokens[-1][1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.depth > 0:
            self.depth -= 1
        elif tag == "div":
            self.depth = -1

    def handle_data(self, data: str) -> None:
        if self.depth == 0:
            self.tokens.append([data, []])
        elif self.depth == 1:
            self.tokens[-1][0] += data
        elif self.depth >= 3:
            self.tokens[-1][1][-1] += data


def drawn(html: str, section: str) -> list[tuple[str, list[str]]]:
    """The tokens of one section of a page (`title` or `abstract`)."""
    part = re.search(rf'<section class="panel {section}">(.*?)</section>', html, re.S).group(1)
    parser = DrawnTokens()
    parser.feed(part)
    return [(text, [" ".join(label.split()) for label in labels]) for text, labels in parser.tokens]


def labelled(html: str, section: str) -> list[tuple[str, str]]:
    """Each label drawn, with the text of the token it starts at, in order."""
    return [(label, text.strip()) for text, labels in drawn(html, section) for label in labels]


def write_table(out: Path, name: str, rows: list[dict]) -> None:
    (out / name).mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[name]), out / name / "part-0.parquet")


def mention(paper: str, text: str, name: str, where: str = "abstract", nth: int = 0) -> dict:
    body = ABSTRACT if where == "abstract" else TITLE
    start = [m.start() for m in re.finditer(re.escape(text), body)][nth]
    return {"paper_id": paper, "text": text, "name": name, "field": where, "start": start, "end": start + len(text),
            "rule": f"gazetteer.{name}", "run_id": "run"}


def result(paper: str, text: str, value: float, kind: str = "score") -> dict:
    start = ABSTRACT.index(text)
    return {"paper_id": paper, "text": text, "value": value, "scale": 1.0, "unit": "%", "kind": kind, "metric": None,
            "benchmark": "LibriSpeech", "model": None, "field": "abstract", "start": start, "end": start + len(text),
            "sentence": ABSTRACT, "rule": f"number.{kind}", "link_rules": "link.benchmark.before", "run_id": "run"}


def board_row(paper: str, model: str, number: str, value: float) -> dict:
    return {"benchmark": "LibriSpeech", "metric": "WER", "metric_text": "WER", "higher_is_better": False, "model": model,
            "value": value, "unit": "%", "value_normalized": value, "setting": None, "bound": None, "confidence": 0.75,
            "paper_id": paper, "benchmark_text": "LibriSpeech", "model_text": model, "text": number, "sentence": ABSTRACT,
            "number_start": ABSTRACT.index(number), "number_end": ABSTRACT.index(number) + len(number),
            "rule": "link.benchmark.after,link.model.subject", "run_id": "run"}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """One paper with a model in its title, two models, a benchmark in brackets and three numbers, two of them ranked."""
    write_table(tmp_path, "papers", [{
        "paper_id": "p1", "title": TITLE, "abstract": ABSTRACT, "source": "test", "source_format": "jsonl",
        "published": None, "url": "https://example.org/p1", "authors": None, "content_sha256": "x",
        "extractor_version": "v", "run_id": "run", "extracted_at": datetime.now(UTC)}])
    write_table(tmp_path, "models", [
        {**mention("p1", "Whisper-Large", "Whisper-Large", "title"), "family": None, "version": None, "params": None},
        {**mention("p1", "Whisper-Large", "Whisper-Large"), "family": None, "version": None, "params": None},
        {**mention("p1", "wav2vec 2.0", "wav2vec 2.0"), "family": None, "version": None, "params": None},
    ])
    write_table(tmp_path, "benchmarks", [mention("p1", "LibriSpeech", "LibriSpeech")])
    write_table(tmp_path, "results", [result("p1", "1.9%", 1.9), result("p1", "2.1%", 2.1), result("p1", "16", 16, "size")])
    write_table(tmp_path, "leaderboard", [board_row("p1", "wav2vec 2.0", "2.1%", 2.1), board_row("p1", "Whisper-Large", "1.9%", 1.9)])
    return tmp_path


def page_of(out: Path) -> str:
    return paper_page(collect_papers(connect(out), ["p1"])["p1"], "../report.html")


def test_page_draws_each_fact_from_the_tables_offsets_and_ranked_numbers_apart(out: Path) -> None:
    html = page_of(out)
    assert labelled(html, "title") == [("MODEL", "Whisper-Large")]
    # rows are numbered in reading order; a ranked number links to its row, the unranked one stays a RESULT
    assert labelled(html, "abstract") == [("MODEL", "Whisper-Large"), ("LEADERBOARD 1", "1.9%"), ("BENCHMARK", "LibriSpeech"),
                                          ("MODEL", "wav2vec 2.0"), ("LEADERBOARD 2", "2.1%"), ("RESULT", "16")]
    assert 'href="#row1">1</a>' in html and '<tr id="row1">' in html and '<tr id="row2">' in html


def test_page_text_reads_as_written(out: Path) -> None:
    html = page_of(out)
    for section, text in (("title", TITLE), ("abstract", ABSTRACT)):
        # displaCy would put a space after every token: "( LibriSpeech ) ," is not what the paper says
        assert " ".join("".join(t for t, _ in drawn(html, section)).split()) == text


def test_page_lists_each_rows_rules_confidence_and_evidence(out: Path) -> None:
    html = page_of(out)
    row = re.search(r'<tr id="row2">(.*?)</tr>', html, re.S).group(1)
    assert "wav2vec 2.0" in row and "2.1%" in row and ">0.75<" in row
    assert "<code>link.benchmark.after</code><code>link.model.subject</code>" in row  # the leaderboard row's rules
    assert "<code>number.score</code>" in row and "<mark>2.1%</mark>" in row  # the number's rule, in its sentence


def test_each_board_row_links_to_its_row_on_the_papers_page(out: Path) -> None:
    con = connect(out)
    boards = leaderboards(con, 10)
    papers = collect_papers(con, papers_to_show([e for b in boards for e in b.entries]))
    link_board_rows(boards, papers, "report_papers")
    assert {e["model"]: e["page"] for e in boards[0].entries} == {
        "Whisper-Large": "report_papers/p1.html#row1", "wav2vec 2.0": "report_papers/p1.html#row2"}


def test_report_says_when_papers_past_the_cap_have_no_page(out: Path) -> None:
    rows = pq.read_table(out / "leaderboard").to_pylist()
    write_table(out, "leaderboard", [*rows, {**rows[0], "paper_id": "p2", "model": "Conformer"}])
    con = connect(out)
    data = collect(con, out)
    entries = [e for b in data.boards for e in b.entries]
    assert papers_to_show(entries) == ["p1", "p2"] and papers_to_show(entries, limit=1) == ["p1"]
    link_board_rows(data.boards, collect_papers(con, papers_to_show(entries, limit=1)), "report_papers")
    html = render_html(data)
    assert html.count('href="report_papers/p1.html#row') == 2 and "pages for the first 1 of 2 papers" in html


def test_paper_ids_become_distinct_safe_file_names() -> None:
    assert page_name("t-e9e9625c9096ad64") == "t-e9e9625c9096ad64.html"
    odd = [page_name(pid) for pid in ("arxiv:2401.1/v2", "arxiv_2401.1_v2", "../etc")]
    assert len(set(odd)) == 3 and all(re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*\.html", name) for name in odd), odd


def test_writing_pages_again_removes_pages_of_papers_no_longer_shown(out: Path, tmp_path: Path) -> None:
    papers = collect_papers(connect(out), ["p1"])
    folder = tmp_path / "report_papers"
    folder.mkdir()
    (folder / "gone.html").write_text("old")
    assert write_paper_pages(papers, folder, "../report.html") == 1
    assert sorted(p.name for p in folder.iterdir()) == ["p1.html"]


@pytest.mark.slow
def test_every_board_row_of_the_seed_report_links_to_a_page_drawing_its_number(seed_out: Path, prefect_api: str, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = run_cli(["report", "--out", str(seed_out), "--html", str(report)], prefect_api, env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    links = re.findall(r'<a class="t" href="(report_papers/[^"#]+)#row(\d+)"', report.read_text())
    assert len(links) >= 20, len(links)
    con = connect(seed_out)
    for file, row in links:
        html = (tmp_path / file).read_text()
        assert not re.search(r"<link\b|\bsrc\s*=|url\(|@import", html, re.I)  # self-contained like the report
        number = re.search(rf'<tr id="row{row}">.*?<mark>(.*?)</mark>', html, re.S).group(1)
        assert dict(labelled(html, "title") + labelled(html, "abstract"))[f"LEADERBOARD {row}"] == number
        paper = re.search(r'<div class="pid">([^<]+)', html).group(1).split(" · ")[0]
        for table, label in (("models", "MODEL"), ("benchmarks", "BENCHMARK")):
            mentions = con.execute(f"SELECT count(*) FROM {table} WHERE paper_id = ?", [paper]).fetchone()[0]
            drawn_labels = [x for s in ("title", "abstract") for _, labels in drawn(html, s) for x in labels if x == label]
            assert len(drawn_labels) == mentions, (paper, table)
