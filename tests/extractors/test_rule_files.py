"""A broken edit of a rule file is a one-line error naming the file and the rule, before any run starts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import extractors.rules as rules
from extractors.names.word_lists import name_patterns
from extractors.results.link_rules import link_cues
from extractors.rules import rules_from
from flows.cli import app

PACKAGE = Path(rules.__file__).resolve().parent


@pytest.fixture
def rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the extractors' data files that the loaders read instead of the installed ones."""
    copy = tmp_path / "extractors"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(rules, "PACKAGE_DIR", copy)
    return copy


def _break_first_rule(path: Path, field: str, value: str) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("{"):
            row = json.loads(line)
            row[field] = value
            lines[i] = json.dumps(row)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return row["id"]
    raise AssertionError("no rule line")


def test_the_shipped_rule_files_all_load() -> None:
    rules.check_rule_files()


def test_a_bad_regex_names_file_rule_and_field(rules_copy: Path) -> None:
    rule_id = _break_first_rule(rules_copy / "numbers" / "kind_rules.jsonl", "after", "^(unclosed")
    with pytest.raises(rules.RuleFileError, match=rf"numbers/kind_rules.jsonl: rule {rule_id}: bad after regex"):
        rules.check_rule_files()


def test_a_line_that_is_not_json_names_its_line(rules_copy: Path) -> None:
    path = rules_copy / "names" / "context_cues.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + '{"id": "ctx.broken", "pattern": \n', encoding="utf-8")
    with pytest.raises(rules.RuleFileError, match=r"context_cues.jsonl:\d+: bad rule line"):
        rules.check_rule_files()


def test_run_refuses_a_broken_rule_file_with_exit_2_and_no_traceback(rules_copy: Path, tmp_path: Path) -> None:
    _break_first_rule(rules_copy / "names" / "name_phrases.jsonl", "pattern", "(?P<name>[")
    result = CliRunner().invoke(app, ["run", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "name_phrases.jsonl" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_a_bad_regex_in_a_word_list_names_file_and_rule(rules_copy: Path) -> None:
    path = rules_copy / "results" / "link_cues.jsonl"
    rows = [json.loads(line) if line.startswith("{") else line for line in path.read_text(encoding="utf-8").splitlines()]
    rows[-1]["words"] = ["(unclosed"] if isinstance(rows[-1]["words"], list) else {k: ["(unclosed"] for k in rows[-1]["words"]}
    path.write_text("\n".join(json.dumps(r) if isinstance(r, dict) else r for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(rules.RuleFileError, match=rf"results/link_cues.jsonl: rule {rows[-1]['id']}: bad pattern regex"):
        rules.check_rule_files()


def test_a_cue_the_extractor_reads_cannot_go_missing(rules_copy: Path) -> None:
    path = rules_copy / "results" / "link_cues.jsonl"
    kept = [line for line in path.read_text(encoding="utf-8").splitlines() if '"link_cue.respectively"' not in line]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(rules.RuleFileError, match=r"results/link_cues.jsonl has no rule link_cue.respectively"):
        link_cues()


def test_a_bad_word_in_a_word_list_names_file_rule_and_word(rules_copy: Path) -> None:
    _break_first_rule(rules_copy / "names" / "word_lists.jsonl", "words", ["Pro", "(unclosed"])
    with pytest.raises(rules.RuleFileError, match=r"names/word_lists.jsonl: rule words.variant_word: bad word '\(unclosed'"):
        rules.check_rule_files()


def test_a_word_list_no_pattern_uses_is_an_error_naming_it(rules_copy: Path) -> None:
    path = rules_copy / "names" / "word_lists.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + '{"id": "words.orphan", "kind": "k", "words": ["x"], "examples": []}\n', encoding="utf-8")
    with rules_from(rules_copy), pytest.raises(rules.RuleFileError, match=r"no pattern uses the list words.orphan"):
        name_patterns()
