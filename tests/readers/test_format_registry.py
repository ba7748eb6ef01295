"""The input-format registry (flows.readers.formats) is the one list of formats: detection, folder search, reading
and the CLI's --format all follow it, and every registered format reads a sample of its own."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from flows.cli import FORMAT_CHOICES, app
from flows.readers import INPUT_FORMATS, detect_format, read_path, resolve_inputs
from flows.records import Paper

ABSTRACT = "We present ToyNet, which reaches 51.7% on MATH. Code: https://github.com/a/b."
PAPER = {"title": "ToyNet", "abstract": ABSTRACT}


def _parquet(path: Path) -> None:
    pq.write_table(pa.table({"title": [PAPER["title"]], "abstract": [ABSTRACT]}), path)


def _atom(path: Path) -> None:
    entry = f"<entry><id>http://arxiv.org/abs/2402.03300v3</id><title>ToyNet</title><summary>{ABSTRACT}</summary></entry>"
    path.write_text(f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entry}</feed>')


# One small file per registered format, written under a name without a known extension so the content decides.
SAMPLES: dict[str, Callable[[Path], None]] = {
    "parquet": _parquet,
    "atom": _atom,
    "json": lambda p: p.write_text(json.dumps([PAPER])),
    "jsonl": lambda p: p.write_text(json.dumps(PAPER) + "\n"),
    "csv": lambda p: p.write_text(f'title,abstract\nToyNet,"{ABSTRACT}"\n'),
    "page": lambda p: p.write_text(f"ToyNet\n{ABSTRACT}\n"),
    "hf-daily": lambda p: p.write_text(json.dumps([{"paper": {"id": "2501.12948", **PAPER}}])),
}


def test_every_registered_format_has_a_sample_here() -> None:
    assert set(SAMPLES) == set(INPUT_FORMATS)


@pytest.mark.parametrize("name", list(INPUT_FORMATS))
def test_every_format_reads_its_sample_when_forced_and_when_detected(tmp_path: Path, name: str) -> None:
    path = tmp_path / "sample.data"
    SAMPLES[name](path)
    for fmt in (name, None):
        papers = [r for r in read_path(path, fmt) if isinstance(r, Paper)]
        assert [p.title for p in papers] == ["ToyNet"], (name, fmt)
    if INPUT_FORMATS[name].sniff is not None:
        assert detect_format(path, path.read_bytes()[:4096]) == name


@pytest.mark.parametrize(("name", "ext"), [(f.name, e) for f in INPUT_FORMATS.values() for e in f.extensions])
def test_every_registered_extension_names_its_format_and_is_found_in_folders(
    tmp_path: Path, name: str, ext: str
) -> None:
    assert detect_format(Path("x" + ext), b"") == name
    assert detect_format(Path("x" + ext.upper() + ".gz"), b"") == name
    (tmp_path / ("a" + ext)).write_bytes(b"")
    (tmp_path / ("b" + ext + ".gz")).write_bytes(gzip.compress(b""))
    (tmp_path / "c.unknown").write_bytes(b"")
    assert sorted(p.name for p in resolve_inputs([tmp_path])) == ["a" + ext, "b" + ext + ".gz"]


def test_the_cli_offers_exactly_the_registered_formats() -> None:
    assert list(INPUT_FORMATS) == FORMAT_CHOICES
    result = CliRunner().invoke(app, ["run", "--format", "pdf", "x.jsonl"])
    assert result.exit_code == 2
    assert f"choose one of {', '.join(INPUT_FORMATS)}" in " ".join(result.output.split())
