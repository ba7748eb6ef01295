"""An upgrade re-extracts what the old extractors made: the extractor version is a hash of every file under
extractors/ (code and rule data), so the next run re-extracts exactly the papers whose stored version differs.

Tested the way it happens: a copy of the package is run from its own folder (PYTHONPATH), one file of the copy
is edited (a line of code, then a gazetteer line), and the copy runs again on the same output folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.flows.synthetic import paper_id, record, write_jsonl
from tests.flows.test_incremental import assert_consistent, query

pytestmark = pytest.mark.slow
EXTRA = " We did not try Wombatica here."  # a name no rule finds until the gazetteer lists it
A, B = range(8), range(8, 12)  # papers of the first run, papers added later
CODE_LINE = '"rule": fact.rule, "run_id": paper.run_id}'  # the one line of extractors/rows.py the upgrade edits
GAZETTEER_LINE = {"id": "model.wombatica", "name": "Wombatica", "aliases": [], "family": "Wombatica", "area": "nlp",
                  "prefix": False, "case_sensitive": True}


def feed(path: Path, papers: range | list[int]) -> Path:
    return write_jsonl(path, [{**record(k), "abstract": record(k)["abstract"] + EXTRA} for k in papers])


def run_copy(copy: Path, args: list[str], prefect_api: str) -> subprocess.CompletedProcess:
    """`paperfacts ARGS` from the copy: its flows/ and extractors/ are the ones imported, in workers too."""
    result = run_cli(args, prefect_api, cwd=copy, env={"PYTHONPATH": str(copy)})
    assert result.returncode == 0, result.stderr + result.stdout
    return result


def copy_version(copy: Path) -> str:
    """The extractor version the copy computes (and proof that the copy, not the checkout, is imported)."""
    code = "from extractors import rules; print(rules.PACKAGE_DIR, rules.extractor_version())"
    result = subprocess.run([sys.executable, "-c", code], cwd=copy, env={**os.environ, "PYTHONPATH": str(copy)},
                            capture_output=True, text=True, check=True)
    package_dir, version = result.stdout.split()
    assert Path(package_dir) == copy / "extractors"
    return version


def last_run(out: Path) -> tuple:
    """(papers written, papers skipped, extractor version) of the newest run, and its manifest's papers replaced."""
    row = query(out, "SELECT papers_written, papers_skipped, extractor_version FROM runs ORDER BY started_at DESC LIMIT 1")[0]
    manifest = json.loads((out / ".current" / "_manifest.json").read_text())
    return (*row, manifest["summary"]["papers_replaced"])


def versions(out: Path) -> dict[str, str]:
    return dict(query(out, "SELECT paper_id, extractor_version FROM papers"))


def test_an_edited_extractor_reextracts_exactly_the_papers_of_older_versions(tmp_path: Path, prefect_api: str) -> None:
    copy, out = tmp_path / "copy", tmp_path / "out"
    for package in ("flows", "extractors"):
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", copy)
    first_feed, all_feed = feed(tmp_path / "a.jsonl", A), feed(tmp_path / "ab.jsonl", [*A, *B])
    v0 = copy_version(copy)
    run_copy(copy, ["run", str(first_feed), "--out", str(out), "--quiet"], prefect_api)
    assert last_run(out) == (len(A), 0, v0, 0)
    models_before = query(out, "SELECT paper_id, text, start, rule FROM models ORDER BY ALL")
    assert models_before and query(out, "SELECT count(*) FROM models WHERE text = 'Wombatica'") == [(0,)]

    # an upgrade edits one line of extractor code: every stored paper is of an older version now
    rows_py = copy / "extractors" / "rows.py"
    source = rows_py.read_text()
    assert source.count(CODE_LINE) == 1
    rows_py.write_text(source.replace(CODE_LINE, CODE_LINE.replace("fact.rule", 'fact.rule + ":upgraded"')))
    pyproject = (copy / "pyproject.toml").read_text()
    released = tomllib.loads(pyproject)["project"]["version"]
    (copy / "pyproject.toml").write_text(pyproject.replace(f'version = "{released}"', 'version = "99.0.0"'))  # the one place
    v1 = copy_version(copy)
    assert v1 != v0
    run_copy(copy, ["run", str(all_feed), "--out", str(out), "--quiet"], prefect_api)
    assert last_run(out) == (len(A) + len(B), 0, v1, len(A))  # A re-extracted (replaced), B new
    assert set(versions(out).values()) == {v1} and len(versions(out)) == len(A) + len(B)
    assert query(out, "SELECT version FROM runs ORDER BY started_at") == [(released,), ("99.0.0",)]
    models_a = query(out, f"SELECT paper_id, text, start, rule FROM models WHERE paper_id <= '{paper_id(A[-1])}' ORDER BY ALL")
    assert models_a == [(p, t, s, f"{r}:upgraded") for p, t, s, r in models_before]  # replaced, not added to
    assert_consistent(out)

    # a gazetteer line changes the version too; extracted in worker processes, which hash their own installation
    with (copy / "extractors" / "names" / "gazetteers" / "models.jsonl").open("a") as handle:
        handle.write(json.dumps(GAZETTEER_LINE) + "\n")
    v2 = copy_version(copy)
    assert v2 not in (v0, v1)
    run_copy(copy, ["run", str(first_feed), "--out", str(out), "--quiet", "--task-runner", "process", "--workers", "2",
                    "--batch-size", "3"], prefect_api)
    assert last_run(out) == (len(A), 0, v2, len(A))
    assert versions(out) == {**{paper_id(k): v2 for k in A}, **{paper_id(k): v1 for k in B}}
    wombatica = "SELECT paper_id, count(*) FROM models WHERE text = 'Wombatica' AND rule = 'model.wombatica|classify.listed:upgraded' GROUP BY 1 ORDER BY 1"
    assert query(out, wombatica) == [(paper_id(k), 1) for k in A]
    assert_consistent(out)

    # nothing edited: only the papers still at the older version (B) are extracted again
    run_copy(copy, ["run", str(all_feed), "--out", str(out), "--quiet"], prefect_api)
    assert last_run(out) == (len(B), len(A), v2, len(B))
    assert set(versions(out).values()) == {v2} and len(versions(out)) == len(A) + len(B)
    assert query(out, wombatica) == [(paper_id(k), 1) for k in [*A, *B]]
    assert query(out, "SELECT count(*) FROM models WHERE NOT rule LIKE '%:upgraded'") == [(0,)]
    assert_consistent(out)
