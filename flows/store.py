"""Published tables with atomic commits: readers see the old snapshot or the new one, never half a run.

Layout of an output folder:

    <out>/<table>            -> symlink to .current/<table>   (what DuckDB, pandas and score.py read)
    <out>/.current           -> symlink to .versions/<run_id> (swapped with one os.replace per commit)
    <out>/.versions/<run_id>/<table>/part-*.parquet
    <out>/.versions/<run_id>/_manifest.json                    (run summary, previous version, part lists)
    <out>/.versions/<run_id>.staging/                          (a run in progress; removed if abandoned)
    <out>/.lock                                                 (flock: one writer at a time)

A new snapshot starts as hard links to the current one, so unchanged part files cost nothing; once a table
has many small parts they are merged (in staging, like every other change). A part file
name is never reused for different content (rewritten parts get new names), so a reader that listed the
old snapshot and opens a file after the swap gets the old bytes or no file, never a mix of two runs.
Whatever a killed run leaves behind (staging folders, a temporary `.current` link, a renamed version that
never became current) is invisible to readers and swept by the next writer under the lock.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extractors.schemas import PAPER_KEYED, SCHEMAS, TABLES

CURRENT = ".current"
VERSIONS = ".versions"
STAGING_SUFFIX = ".staging"
MANIFEST = "_manifest.json"
COMPACT_OVER = 24  # parts in one table before its small parts are merged
SMALL_PART_ROWS = 50_000  # parts with fewer rows are merged, into parts of about this many rows


class StoreLocked(Exception):
    """Another run holds the output folder's lock."""


class StoreCorrupt(Exception):
    """The published pointer names a snapshot that is gone, or its manifest is damaged: refuse to write rather
    than start from nothing or forget the previous snapshot."""


class Store:
    """An output folder of Parquet tables published as whole snapshots."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)

    @property
    def versions(self) -> Path:
        return self.out / VERSIONS

    def current_dir(self) -> Path | None:
        """The published snapshot, or None before the first commit."""
        link = self.out / CURRENT
        if not link.is_symlink():
            return None
        target = link.resolve()
        if not target.is_dir():
            raise StoreCorrupt(f"{link} points to {target}, which does not exist; restore it, or remove {link} to start empty")
        return target

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

    def recover(self) -> None:
        """Remove what killed runs left: staging folders, temporary links, versions nobody points to.

        Call with the lock held. Readers never look at any of it, so this only reclaims space.
        """
        for tmp_link in self.out.glob(f"{CURRENT}.*.tmp"):
            if tmp_link.is_symlink() or tmp_link.is_file():
                tmp_link.unlink()
        if not self.versions.is_dir():
            return
        for stale in self.versions.glob(f"*{STAGING_SUFFIX}"):
            shutil.rmtree(stale, ignore_errors=True)
        current = self.current_dir()
        if current is not None:
            previous = _manifest(current).get("previous", ...)
            if previous is not ...:  # older manifests do not name their predecessor: keep everything then
                self._sweep(keep={current.name, previous})

    def begin(self, run_id: str) -> Snapshot:
        """A staging snapshot seeded with hard links to the current one; leftovers of killed runs are swept first."""
        self.versions.mkdir(parents=True, exist_ok=True)
        self.recover()
        staging = self.versions / f"{run_id}{STAGING_SUFFIX}"
        staging.mkdir()
        current = self.current_dir()
        for table in TABLES:
            (staging / table).mkdir()
            if current is not None and (current / table).is_dir():
                for part in (current / table).glob("*.parquet"):
                    os.link(part, staging / table / part.name)
        return Snapshot(self, run_id, staging, previous=current.name if current is not None else None)

    def table_paths(self) -> dict[str, Path]:
        return {t: self.out / t for t in TABLES}

    def _sweep(self, keep: set[str | None]) -> None:
        """Delete finished versions except `keep` (the current one and the one before, which a reader may still have open)."""
        for version in self.versions.iterdir():
            if version.is_dir() and not version.name.endswith(STAGING_SUFFIX) and version.name not in keep:
                shutil.rmtree(version, ignore_errors=True)


class Snapshot:
    """The next version of every table, written in staging and published by `commit`."""

    def __init__(self, store: Store, run_id: str, staging: Path, previous: str | None = None) -> None:
        self.store = store
        self.run_id = run_id
        self.staging = staging
        self.previous = previous
        self._rewrites = itertools.count()

    def parts(self, table: str) -> list[Path]:
        return sorted((self.staging / table).glob("*.parquet"))

    def drop_all(self) -> None:
        """Full refresh: the new snapshot starts with no paper-keyed rows (rejects and runs history stay)."""
        for table in PAPER_KEYED:
            for part in self.parts(table):
                part.unlink()  # a hard link: the published snapshot keeps its copy

    def drop_papers(self, paper_ids: set[str], keep_run: str | None = None) -> int:
        """Remove earlier rows of re-extracted papers from every paper-keyed table; returns rows removed."""
        return sum(self.drop_rows(table, "paper_id", paper_ids, keep_run) for table in PAPER_KEYED)

    def drop_rows(self, table: str, column: str, values: Iterable[str], keep_run: str | None = None) -> int:
        """Remove rows whose `column` is in `values`; affected parts are rewritten under new names, never edited.

        Parts written by `keep_run` (this run's own output) are left alone.
        """
        values = set(values)
        if not values:
            return 0
        removed = 0
        keys = pa.array(sorted(values), pa.string())
        for part in self.parts(table):
            if keep_run and part.name.startswith(f"part-{keep_run}"):
                continue
            hit = pc.is_in(pq.read_table(part, columns=[column])[column], value_set=keys)
            if not pc.any(hit).as_py():
                continue
            data = pq.read_table(part, schema=SCHEMAS[table])
            kept = data.filter(pc.invert(hit))
            removed += data.num_rows - kept.num_rows
            if kept.num_rows:
                name = f"part-{self.run_id}-x{next(self._rewrites):05d}.parquet"
                tmp = part.with_name(f".{name}.tmp")
                pq.write_table(kept, tmp, compression="zstd")
                tmp.replace(part.with_name(name))
            part.unlink()  # a hard link: the published snapshot keeps its copy
        return removed

    def read(self, table: str) -> pa.Table:
        parts = self.parts(table)
        if not parts:
            return SCHEMAS[table].empty_table()
        return pa.concat_tables([pq.read_table(p, schema=SCHEMAS[table]) for p in parts])

    def commit(self, manifest: dict) -> Path:
        """Seal the snapshot, then publish it; a crash between or inside the two leaves the old one published."""
        return self.publish(self.seal(manifest))

    def compact(self, over: int = COMPACT_OVER, small_rows: int = SMALL_PART_ROWS) -> None:
        """Merge a table's small parts once it has more than `over`: every nightly run adds a few parts, and
        readers, later runs and the quality gate would otherwise open ever more files."""
        for table in TABLES:
            parts = self.parts(table)
            if len(parts) <= over:
                continue
            small = [p for p in parts if pq.read_metadata(p).num_rows < small_rows]
            if len(small) < 2:
                continue
            chunk: list[pa.Table] = []
            for number, part in enumerate(small):
                chunk.append(pq.read_table(part, schema=SCHEMAS[table]))
                if sum(t.num_rows for t in chunk) >= small_rows or number == len(small) - 1:
                    name = f"part-{self.run_id}-c{next(self._rewrites):05d}.parquet"
                    tmp = self.staging / table / f".{name}.tmp"
                    pq.write_table(pa.concat_tables(chunk), tmp, compression="zstd")
                    tmp.replace(self.staging / table / name)
                    chunk = []
            for part in small:
                part.unlink()  # hard links: the published snapshot keeps its copies

    def seal(self, manifest: dict) -> Path:
        """Make staging complete and durable and rename it to `.versions/<run_id>`; readers do not see it yet."""
        self.compact()
        for table in TABLES:
            if not self.parts(table):
                # every table exists after every run, with its schema, so readers can always glob it
                empty = self.staging / table / f"part-{self.run_id}-empty.parquet"
                pq.write_table(SCHEMAS[table].empty_table(), empty, compression="zstd")
        manifest = {
            **manifest,
            "previous": self.previous,
            "tables": {table: [p.name for p in self.parts(table)] for table in TABLES},
        }
        (self.staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str))
        _fsync_new_files(self.staging)
        final = self.store.versions / self.run_id
        os.replace(self.staging, final)
        _fsync_dir(self.store.versions)
        return final

    def publish(self, final: Path) -> Path:
        """Point `.current` at the sealed version with one atomic os.replace (the commit point), then sweep."""
        out = self.store.out
        for table in TABLES:
            # table links point through `.current`, so they can be made before it exists or changes
            link = out / table
            if not link.is_symlink():
                if link.exists():
                    raise RuntimeError(f"{link} exists and is not a paperfacts table link; move it away")
                os.symlink(Path(CURRENT) / table, link)
        tmp_link = out / f"{CURRENT}.{self.run_id}.tmp"
        if tmp_link.is_symlink():
            tmp_link.unlink()
        os.symlink(Path(VERSIONS) / final.name, tmp_link)
        os.replace(tmp_link, out / CURRENT)
        _fsync_dir(out)
        self.store._sweep(keep={final.name, self.previous})
        return final

    def abort(self) -> None:
        """Remove the staging snapshot; a file written while the tree was being removed gets a second pass."""
        for _ in range(3):
            shutil.rmtree(self.staging, ignore_errors=True)
            if not self.staging.exists():
                return


def _manifest(version: Path) -> dict:
    """A sealed snapshot's manifest. Every seal writes one, so a missing or unreadable manifest is damage: refuse
    to run (in one line, naming the file) rather than read it as empty and lose its pointer to the previous snapshot."""
    path = version / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problem = "is missing"
    except OSError as exc:
        problem = f"cannot be read ({exc.strerror})"
    except ValueError as exc:  # bad JSON or bad UTF-8
        problem = f"is corrupt ({str(exc).splitlines()[0]})"
    else:
        if isinstance(manifest, dict):
            return manifest
        problem = f"is corrupt (a JSON {type(manifest).__name__}, not an object)"
    raise StoreCorrupt(f"{path}: the current snapshot's manifest {problem}; restore it before running again (the tables are unchanged)")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_new_files(root: Path) -> None:
    """fsync files new in this snapshot and every folder; hard-linked parts were made durable by earlier commits."""
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.stat(path).st_nlink > 1:
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))
