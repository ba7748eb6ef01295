"""`paperfacts report` and `paperfacts sql` through the real CLI on the seed tables, and the leaderboard rule."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extractors.schemas import SCHEMAS
from flows.report.data import collect, leaderboards
from flows.report.html import render_html
from flows.sql import connect
from tests.conftest import ROOT, run_cli

WIDE = {"COLUMNS": "200"}


def readme_queries() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Reports and SQL"):]
    section = section[: section.index("\n## ", 1)]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_readme_has_five_queries() -> None:
    assert len(readme_queries()) == 5


@pytest.mark.slow
@pytest.mark.parametrize("number", range(5))
def test_readme_query_runs_on_the_seed_tables(seed_out: Path, prefect_api: str, number: int) -> None:
    result = run_cli(["sql", readme_queries()[number], "--out", str(seed_out), "--csv"], prefect_api)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) >= 2, result.stdout  # a header and at least one row


@pytest.mark.slow
def test_sql_prints_a_table_and_fails_in_one_line(seed_out: Path, prefect_api: str, tmp_path: Path) -> None:
    result = run_cli(["sql", "SELECT count(*) AS papers FROM papers", "--out", str(seed_out)], prefect_api, env=WIDE)
    assert result.returncode == 0 and re.search(r"│\s+\d{3}\s+│", result.stdout) and "1 row" in result.stdout, result.stdout
    bad = run_cli(["sql", "SELECT nope FROM models", "--out", str(seed_out)], prefect_api, env=WIDE)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Binder Error" in bad.stderr, bad.stderr
    empty = run_cli(["report", "--out", str(tmp_path / "nothing")], prefect_api, env=WIDE)
    assert empty.returncode == 2 and "no tables under" in empty.stderr and "Traceback" not in empty.stderr


@pytest.mark.slow
def test_terminal_report_has_every_section(seed_out: Path, prefect_api: str) -> None:
    result = run_cli(["report", "--out", str(seed_out), "--boards", "3"], prefect_api, env=WIDE)
    assert result.returncode == 0, result.stderr
    for heading in ("Papers per run", "Top models", "Top benchmarks", "Most-linked repositories", "Leaderboard: "):
        assert heading in result.stdout, heading
    assert result.stdout.count("Leaderboard: ") == 3
    con = connect(seed_out)
    top_model = con.execute("SELECT name FROM models GROUP BY name ORDER BY count(DISTINCT paper_id) DESC, count(*) DESC, name LIMIT 1").fetchone()[0]
    top_repo = con.execute("SELECT owner || '/' || repo FROM repos GROUP BY ALL ORDER BY count(DISTINCT paper_id) DESC, 1 LIMIT 1").fetchone()[0]
    assert top_model in result.stdout and top_repo in result.stdout
    papers = con.execute("SELECT count(*) FROM papers").fetchone()[0]
    assert f"{papers:,} papers" in result.stdout


@pytest.mark.slow
def test_html_report_is_one_self_contained_file(seed_out: Path, prefect_api: str, tmp_path: Path) -> None:
    page = tmp_path / "sub" / "report.html"
    result = run_cli(["report", "--out", str(seed_out), "--html", str(page)], prefect_api, env=WIDE)
    assert result.returncode == 0 and "HTML report written to" in result.stdout, result.stderr
    html = page.read_text()
    assert not re.search(r"<link\b|\bsrc\s*=|url\(|@import", html, re.I)  # nothing is loaded from anywhere
    assert html.count("<svg") == 4 and html.count('class="panel board"') >= 3 and "Benchmarks with one result" in html
    for heading in ("Top benchmarks", "Top models", "Results per benchmark", "Leaderboards", "Most-linked repositories", "Papers per run"):
        assert f"<h2>{heading}</h2>" in html


def write_table(out: Path, name: str, rows: list[dict]) -> None:
    (out / name).mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[name]), out / name / "part-0.parquet")


def board_row(benchmark: str, metric: str | None, model: str, value: float, paper: str, *, higher: bool | None = None,
              bound: str | None = None, setting: str | None = None) -> dict:
    sentence = f"{model} gets {value}"
    return {"benchmark": benchmark, "metric": metric, "metric_text": metric, "higher_is_better": higher, "model": model,
            "value": value, "unit": "%", "value_normalized": value, "setting": setting, "bound": bound, "confidence": 0.9,
            "paper_id": paper, "benchmark_text": benchmark, "model_text": model, "text": str(value), "sentence": sentence,
            "number_start": sentence.index(str(value)), "number_end": len(sentence), "rule": "r", "run_id": "run"}


def test_leaderboard_keeps_each_models_best_value_in_the_metrics_direction(tmp_path: Path) -> None:
    write_table(tmp_path, "leaderboard", [
        board_row("LibriSpeech", "WER", "Whisper", 2.7, "p1"), board_row("LibriSpeech", "WER", "Whisper", 1.9, "p2"),
        board_row("LibriSpeech", "WER", "wav2vec 2.0", 2.1, "p3"),
        board_row("HumanEval", "pass@1", "Coder-7B", 61.0, "p1"), board_row("HumanEval", "pass@1", "Coder-7B", 72.5, "p4"),
        board_row("HumanEval", "pass@1", "GPT-4o", 90.2, "p5"), board_row("HumanEval", None, "Coder-7B", 40.0, "p1"),
    ])
    boards = {b.benchmark: [(e["metric"], e["model"], e["value"], e["paper_id"], e["lower"]) for e in b.entries] for b in leaderboards(connect(tmp_path), 10)}
    assert boards["LibriSpeech"] == [("WER", "Whisper", 1.9, "p2", True), ("WER", "wav2vec 2.0", 2.1, "p3", True)]
    assert boards["HumanEval"] == [("pass@1", "GPT-4o", 90.2, "p5", False), ("pass@1", "Coder-7B", 72.5, "p4", False),
                                   (None, "Coder-7B", 40.0, "p1", False)]


def test_leaderboard_ranks_by_the_registry_direction_and_never_ranks_a_bound(tmp_path: Path) -> None:
    write_table(tmp_path, "leaderboard", [
        board_row("MMLU", "accuracy", "A", 70.0, "p1", higher=True), board_row("MMLU", "accuracy", "B", 80.0, "p2", higher=True),
        board_row("MMLU", "accuracy", "C", 90.0, "p3", higher=True, bound=">"),
        board_row("MMLU", "accuracy", "D", 60.0, "p4", higher=True, setting="5-shot"),
        board_row("Arena", "regret", "A", 3.0, "p1", higher=False), board_row("Arena", "regret", "B", 1.0, "p2", higher=False),
    ])
    boards = {b.benchmark: [(e["setting"], e["model"], e["value"]) for e in b.entries] for b in leaderboards(connect(tmp_path), 10)}
    assert boards["MMLU"] == [(None, "B", 80.0), (None, "A", 70.0), ("5-shot", "D", 60.0)]
    assert boards["Arena"] == [(None, "B", 1.0), (None, "A", 3.0)]  # lower is better, though the name says nothing


def test_report_of_empty_tables_renders_placeholders(tmp_path: Path) -> None:
    for name in SCHEMAS:
        (tmp_path / name).mkdir()
    html = render_html(collect(connect(tmp_path), tmp_path))
    assert "No leaderboard rows yet" in html and "none yet" in html and "<svg" not in html
