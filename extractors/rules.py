"""Rule and gazetteer files are data: loaded from JSONL beside each extractor, versioned by content."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache, wraps
from pathlib import Path
from typing import TypeVar

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


# The folder rule files are read from: the package's, or the one a pipeline copy was saved to (`rules_from`).
_ROOT: ContextVar[Path | None] = ContextVar("paperfacts_rule_root", default=None)
T = TypeVar("T")


def rule_root() -> Path:
    root = _ROOT.get()
    return root if root is not None else PACKAGE_DIR


RULES_DIR_KEY = "paperfacts.rules_dir"  # doc.user_data: the rule folder of the pipeline copy that made the Doc


def rule_file(relative: str) -> list[dict]:
    """A rule file under the rule folder, e.g. 'numbers/units.jsonl' (extractors/ unless `rules_from` says)."""
    return load_jsonl(rule_root() / relative)


def rule_cache(loader: Callable[[], T]) -> Callable[[], T]:
    """Cache what a loader builds from rule files once per rule folder (a saved pipeline copy has its own)."""
    built: dict[Path, T] = {}
    last: list[tuple[Path | None, T | None]] = [(None, None)]  # the folder asked last and its rules: no hashing

    @wraps(loader)
    def cached() -> T:
        root = _ROOT.get() or PACKAGE_DIR  # rule_root(), inlined: this runs for every number
        folder, rules = last[0]
        if root is folder:
            return rules  # type: ignore[return-value]
        if root not in built:
            built[root] = loader()
        last[0] = (root, built[root])
        return built[root]

    def cache_clear() -> None:
        built.clear()
        last[0] = (None, None)

    cached.cache_clear = cache_clear  # type: ignore[attr-defined]
    return cached


@contextmanager
def rules_from(folder: Path | None) -> Iterator[None]:
    """Read rule files from `folder` (None: the package's) inside the block."""
    root = Path(folder).resolve() if folder is not None else None
    if root is None or root == rule_root():
        yield
        return
    token = _ROOT.set(root)
    try:
        yield
    finally:
        _ROOT.reset(token)


class RuleFileError(ValueError):
    """A rule or gazetteer file a user edited does not load: the message names the file, line and rule."""


PATTERN_FIELDS = ("pattern", "before", "after")
# `{name}` in a pattern stands for the word list words[name] (`{words}` when words is one list); `{0,3}` is no name
WORD_LIST = re.compile(r"(?<!\\)\{([a-z_]+)\}")


def pattern_with_words(row: dict) -> str:
    """A rule's regex with its word lists filled in, so a list of words is data a user extends one word at a time:
    `{"words": ["than", "vs\\.?"], "pattern": "\\b(?:{words})\\s+$"}` reads `\\b(?:than|vs\\.?)\\s+$`."""
    words = row.get("words")
    if words is None:
        return row["pattern"]
    lists = {"words": words} if isinstance(words, list) else words
    try:
        return WORD_LIST.sub(lambda m: "|".join(lists[m.group(1)]), row["pattern"])
    except KeyError as exc:
        raise RuleFileError(f"rule {row.get('id')}: its pattern names a word list {exc} it does not have") from exc


def compile_pattern(row: dict) -> re.Pattern[str]:
    """A rule line's `pattern` with its word lists filled in, ignoring case when the line says `"ci": true`."""
    return re.compile(pattern_with_words(row), re.I if row.get("ci") else 0)


def named_patterns(relative: str, prefix: str, names: Iterable[str]) -> dict[str, re.Pattern[str]]:
    """The compiled patterns of a rule file by name (id less `prefix.`): exactly the names the extractor reads, so a
    renamed, missing or unread line fails when the rules load."""
    patterns = {row["id"].removeprefix(prefix + "."): compile_pattern(row) for row in rule_file(relative)}
    wanted = set(names)
    for name in sorted(wanted ^ set(patterns)):
        problem = "has no rule" if name in wanted else "has a rule no extractor reads:"
        raise RuleFileError(f"{relative} {problem} {prefix}.{name}")
    return patterns


def check_rule_files(folder: Path | None = None) -> None:
    """Load every rule file and compile every pattern, so a broken edit fails before a run starts, in one line.
    Checked once per process and folder (the CLI and the pipeline builder both ask); a failure is never cached."""
    _check_rule_files(Path(folder) if folder is not None else PACKAGE_DIR)


@lru_cache(maxsize=4)
def _check_rule_files(package_dir: Path) -> None:
    for path in rule_files(package_dir):
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
                        re.compile(pattern_with_words(row) if name == "pattern" else row[name])
                    except re.error as exc:
                        raise RuleFileError(f"{relative}: rule {rule_id}: bad {name} regex: {exc}") from exc
                    except RuleFileError as exc:
                        raise RuleFileError(f"{relative}: {exc}") from exc
            words = row.get("words", ())
            for word in words if isinstance(words, (list, tuple)) else [w for ws in words.values() for w in ws]:  # regex alternatives
                try:
                    re.compile(word)
                except re.error as exc:
                    raise RuleFileError(f"{relative}: rule {rule_id}: bad word {word!r}: {exc}") from exc


def rule_files(folder: Path | None = None) -> list[Path]:
    folder = PACKAGE_DIR if folder is None else folder
    return sorted(p for p in folder.rglob("*") if p.suffix in (".jsonl", ".csv", ".json") and p.is_file())


def copy_rule_folder(root: Path | None, relative: str, dest: Path) -> None:
    """Copy the rule and gazetteer files under `root/relative` (the package's for None) to `dest/relative`."""
    source = (root or PACKAGE_DIR) / relative
    for path in rule_files(source):
        target = dest / relative / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())


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
