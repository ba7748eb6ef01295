"""Rule and gazetteer files are data: loaded from JSONL beside each extractor, versioned by content."""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# What the extractor version hashes: the code and every rule/gazetteer file, as a wheel installs them
# (pyproject's package-data), so a worker's installation gives the same version as the flow's checkout.
VERSIONED_SUFFIXES = (".py", ".jsonl", ".json", ".csv")


def load_jsonl(path: Path) -> list[dict]:
    """Rows of a rule file; blank lines and lines starting with // are skipped."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise RuleFileError(f"{path}:{number}: bad rule line: {exc.msg}") from exc
    return rows


def rule_file(relative: str) -> list[dict]:
    """A rule file under extractors/, e.g. 'numbers/units.jsonl'."""
    return load_jsonl(PACKAGE_DIR / relative)


class RuleFileError(ValueError):
    """A rule or gazetteer file a user edited does not load: the message names the file, line and rule."""


PATTERN_FIELDS = ("pattern", "before", "after")


def check_rule_files() -> None:
    """Load every rule file and compile every pattern, so a broken edit fails before a run starts, in one line.
    Checked once per process and folder (the CLI and the pipeline builder both ask); a failure is never cached."""
    _check_rule_files(PACKAGE_DIR)


@lru_cache(maxsize=4)
def _check_rule_files(package_dir: Path) -> None:
    for path in rule_files():
        if path.suffix != ".jsonl":
            continue
        relative = path.relative_to(package_dir)
        rows = load_jsonl(path)  # raises with file:line on bad JSON
        for row in rows:
            rule_id = row.get("id")
            if not rule_id:
                raise RuleFileError(f"{relative}: a line has no id: {json.dumps(row)[:80]}")
            for name in PATTERN_FIELDS:
                if name in row:
                    try:
                        re.compile(row[name])
                    except re.error as exc:
                        raise RuleFileError(f"{relative}: rule {rule_id}: bad {name} regex: {exc}") from exc


def rule_files() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*") if p.suffix in (".jsonl", ".csv", ".json") and p.is_file())


def versioned_files() -> list[Path]:
    """Every source and data file of the extractors, in a fixed order (caches such as __pycache__ left out)."""
    files = (p for p in PACKAGE_DIR.rglob("*") if p.suffix in VERSIONED_SUFFIXES and p.is_file() and "__pycache__" not in p.parts)
    return sorted(files, key=lambda p: p.relative_to(PACKAGE_DIR).as_posix())


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A content hash of the extractors' code and rule files, computed once per process (each worker computes
    it from its own installation): any edit, code or data, re-extracts every paper on the next run."""
    digest = hashlib.sha256()
    for path in versioned_files():
        data = path.read_bytes()
        name = path.relative_to(PACKAGE_DIR).as_posix().encode()
        digest.update(b"%d:%s\0%d:" % (len(name), name, len(data)))
        digest.update(data)
    return digest.hexdigest()[:12]
