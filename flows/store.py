"""Published tables with atomic commits: readers see the old snapshot or the new one, never half a run.

Layout of an output folder:

    <out>/<table>            -> symlink to .current/<table>   (what DuckDB, pandas and score.py read)
    <out>/.current           -> symlink to .versions/<run_id> (swapped with one os.replace per commit)
    <out>/.versions/<run_id>/<table>/part-*.parquet
    <out>/.versions/<run_id>.staging/                          (a run in progress; removed if abandoned)
    <out>/.lock                                                 (flock: one writer at a time)

A new snapshot starts as hard links to the current one, so unchanged part files cost nothing.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extractors.schemas import PAPER_KEYED, SCHEMAS, TABLES

CURRENT = ".current"
VERSIONS = ".versions"
STAGING_SUFFIX = ".staging"
KEEP_VERSIONS = 2


class StoreLocked(Exception):
    """Another run holds the output folder's lock."""


class Store:
    """An output folder of Parquet tables published as whole snapshots."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)

    @property
    def versions(self) -> Path:
        return self.out / VERSIONS

    def current_dir(self) -> Path | None:
        link = self.out / CURRENT
        if not link.is_symlink():
            return None
        target = link.resolve()
        return target if target.is_dir() else None

    @contextmanager
    def lock(self, wait_seconds: float = 0.0) -> Iterator[None]:
        """Exclusive writer lock; the kernel drops it when the process dies, even on SIGKILL."""
        self.out.mkdir(parents=True, exist_ok=True)
        handle = open(self.out / ".lock", "a+")  # noqa: SIM115 - held for the with-block
        deadline = time.monotonic() + wait_seconds
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreLocked(f"another paperfacts run is writing to {self.out} (lock {self.out / '.lock'})") from None
                    time.sleep(0.2)
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            handle.close()

    def begin(self, run_id: str) -> Snapshot:
        """A staging snapshot seeded with hard links to the current one; abandoned ones are swept first."""
        self.versions.mkdir(parents=True, exist_ok=True)
        for stale in self.versions.glob(f"*{STAGING_SUFFIX}"):
            shutil.rmtree(stale, ignore_errors=True)
        staging = self.versions / f"{run_id}{STAGING_SUFFIX}"
        staging.mkdir()
        current = self.current_dir()
        for table in TABLES:
            (staging / table).mkdir()
            if current is not None and (current / table).is_dir():
                for part in (current / table).glob("*.parquet"):
                    os.link(part, staging / table / part.name)
        return Snapshot(self, run_id, staging)

    def table_paths(self) -> dict[str, Path]:
        return {t: self.out / t for t in TABLES}


class Snapshot:
    """The next version of every table, written in staging and published by `commit`."""

    def __init__(self, store: Store, run_id: str, staging: Path) -> None:
        self.store = store
        self.run_id = run_id
        self.staging = staging

    def known_papers(self) -> dict[str, tuple[str, str]]:
        """paper_id -> (content_sha256, extractor_version) of everything already published."""
        folder = self.staging / "papers"
        parts = sorted(folder.glob("*.parquet"))
        if not parts:
            return {}
        table = pq.read_table(parts, columns=["paper_id", "content_sha256", "extractor_version"])
        return {
            pid: (sha, ver)
            for pid, sha, ver in zip(
                table["paper_id"].to_pylist(), table["content_sha256"].to_pylist(), table["extractor_version"].to_pylist(), strict=True
            )
        }

    def drop_all(self) -> None:
        """Full refresh: the new snapshot starts with no paper-keyed rows (rejects and runs history stay)."""
        for table in PAPER_KEYED:
            for part in (self.staging / table).glob("*.parquet"):
                part.unlink()

    def drop_papers(self, paper_ids: set[str], keep_run: str | None = None) -> int:
        """Remove earlier rows of re-extracted papers: affected parts are rewritten, never edited in place."""
        if not paper_ids:
            return 0
        removed = 0
        keys = pa.array(sorted(paper_ids), pa.string())
        for table in PAPER_KEYED:
            for part in sorted((self.staging / table).glob("*.parquet")):
                if keep_run and part.name.startswith(f"part-{keep_run}"):
                    continue
                ids = pq.read_table(part, columns=["paper_id"])["paper_id"]
                hit = pc.is_in(ids, value_set=keys)
                if not pc.any(hit).as_py():
                    continue
                data = pq.read_table(part, schema=SCHEMAS[table])
                kept = data.filter(pc.invert(hit))
                removed += data.num_rows - kept.num_rows
                part.unlink()  # a hard link: the published snapshot keeps its copy
                if kept.num_rows:
                    tmp = part.with_name("." + part.name + ".tmp")
                    pq.write_table(kept, tmp, compression="zstd")
                    tmp.replace(part)
        return removed

    def read(self, table: str) -> pa.Table:
        parts = sorted((self.staging / table).glob("*.parquet"))
        if not parts:
            return SCHEMAS[table].empty_table()
        return pa.concat_tables([pq.read_table(p, schema=SCHEMAS[table]) for p in parts])

    def commit(self, manifest: dict) -> Path:
        """fsync, rename staging to a version, then swap `.current` in one atomic os.replace."""
        for table in TABLES:
            folder = self.staging / table
            if not any(folder.glob("*.parquet")):
                # every table exists after every run, with its schema, so readers can always glob it
                pq.write_table(SCHEMAS[table].empty_table(), folder / "part-empty.parquet", compression="zstd")
        (self.staging / "_manifest.json").write_text(json.dumps(manifest, indent=2, default=str))
        _fsync_tree(self.staging)
        final = self.store.versions / self.run_id
        os.replace(self.staging, final)
        _fsync_dir(self.store.versions)
        out = self.store.out
        tmp_link = out / f"{CURRENT}.{self.run_id}.tmp"
        if tmp_link.is_symlink():
            tmp_link.unlink()
        os.symlink(Path(VERSIONS) / self.run_id, tmp_link)
        os.replace(tmp_link, out / CURRENT)
        _fsync_dir(out)
        for table in TABLES:
            link = out / table
            if not link.is_symlink():
                if link.exists():
                    raise RuntimeError(f"{link} exists and is not a paperfacts table link; move it away")
                os.symlink(Path(CURRENT) / table, link)
        self._sweep_old_versions(final)
        return final

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def _sweep_old_versions(self, keep: Path) -> None:
        """Keep the newest few snapshots: a reader that opened the previous one can finish."""
        done = sorted(
            (p for p in self.store.versions.iterdir() if p.is_dir() and not p.name.endswith(STAGING_SUFFIX)),
            key=lambda p: p.stat().st_mtime,
        )
        for old in done[:-KEEP_VERSIONS]:
            if old != keep:
                shutil.rmtree(old, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))
