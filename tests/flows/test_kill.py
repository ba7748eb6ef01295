"""Crash safety under real SIGKILL: a nightly-style feed grows and changes, every trial's `paperfacts run`
process is killed at a random moment (seeded), then the tables must read exactly as before the run (or as
the fully committed run, when the kill came after the commit point), a reader polling the tables during
the trial must never see anything else, and a clean re-run must finish the work with the right totals.
At the end the tables must equal those of one uninterrupted run over the final feed.

Trial processes are forked from a forkserver that has imported the pipeline (tests/flows/kill_child.py),
so a trial costs its run, not Python's start-up; each is still its own OS process running the real CLI.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from extractors.schemas import FACT_TABLES, PAPER_KEYED, TABLES
from tests.conftest import table_rows
from tests.flows.synthetic import record, write_jsonl

pytestmark = pytest.mark.slow

RNG_SEED = 20261125
KILLS_WANTED = 20
STAGING_KILLS_WANTED = 6  # kills that land while the run writes its staging snapshot (the work itself)
MAX_TRIALS = 40
BASE, NEW_PER_TRIAL, CHANGED_PER_TRIAL = 200, 12, 3
BATCH, BIG_BATCH = 6, 100
BAD_LINE = '{"title": "a record cut off in the middle'


class Feed:
    """The input folder a nightly job reads: one base file whose papers get new versions, plus a file of new
    papers per night; every file has one malformed line."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir()
        self.versions = dict.fromkeys(range(BASE), 0)
        self.next_id = BASE
        self.nights = 0
        self._write_base()

    def _write_base(self) -> None:
        write_jsonl(self.folder / "base.jsonl", [record(k, v) for k, v in self.versions.items() if k < BASE], [BAD_LINE])

    def new_night(self, rng: random.Random) -> tuple[int, int]:
        """New papers and changed abstracts for the next run; returns (new, changed)."""
        self.nights += 1
        changed = rng.sample(range(BASE), CHANGED_PER_TRIAL)
        for k in changed:
            self.versions[k] = (self.versions[k] + 1) % 3
        self._write_base()
        new = range(self.next_id, self.next_id + NEW_PER_TRIAL)
        write_jsonl(self.folder / f"night-{self.nights:03d}.jsonl", [record(k) for k in new], [BAD_LINE])
        self.next_id += NEW_PER_TRIAL
        return NEW_PER_TRIAL, CHANGED_PER_TRIAL

    @property
    def papers(self) -> int:
        return self.next_id

    @property
    def bad_lines(self) -> int:
        return 1 + self.nights


class Reader(threading.Thread):
    """An analyst querying the tables while the run works: records what each query returned."""

    QUERIES = {
        "papers": "SELECT count(*), count(DISTINCT paper_id), sum(hash(paper_id || run_id || content_sha256)) FROM read_parquet('{t}/*.parquet')",
        "models": "SELECT count(*), sum(hash(paper_id || run_id || text || start)) FROM read_parquet('{t}/*.parquet')",
        "runs": "SELECT count(*), max(run_id) FROM read_parquet('{t}/*.parquet')",
    }

    def __init__(self, out: Path) -> None:
        super().__init__(daemon=True)
        self.out = out
        self.seen: list[tuple[str, tuple | None]] = []
        self.errors = 0
        self.stop = threading.Event()

    def run(self) -> None:
        con = duckdb.connect()
        while not self.stop.is_set():
            for table, sql in self.QUERIES.items():
                self.seen.append((table, fingerprint(con, self.out, table, sql)))
            time.sleep(0.1)

    @classmethod
    def expected(cls, out: Path) -> dict[str, tuple | None]:
        con = duckdb.connect()
        return {table: fingerprint(con, out, table, sql) for table, sql in cls.QUERIES.items()}


def fingerprint(con: duckdb.DuckDBPyConnection, out: Path, table: str, sql: str) -> tuple | str | None:
    try:
        return tuple(con.execute(sql.format(t=out / table)).fetchone())
    except duckdb.IOException as exc:
        # a file listed just before a commit and unlinked by it: the query fails, it never mixes snapshots
        return None if "No files found" in str(exc) else "io-error"


def current(out: Path) -> str | None:
    link = out / ".current"
    return os.readlink(link) if link.is_symlink() else None


def versions(out: Path) -> set[str]:
    return {p.name for p in (out / ".versions").glob("*") if not p.name.endswith(".staging")}


def phase(out: Path, before: str | None, versions_before: set[str]) -> str:
    """Where the kill landed, read from what is on disk."""
    if current(out) != before:
        return "after commit"
    if versions(out) - versions_before:
        return "sealed, not published"
    if any((out / ".versions").glob("*.staging")):
        return "staging"
    return "before staging"


def query(out: Path, sql: str) -> list[tuple]:
    con = duckdb.connect()
    for table in TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{out / table}/*.parquet')")
    return con.execute(sql).fetchall()


def table_hashes(out: Path) -> dict[str, tuple | None]:
    """Every table as readers see it, as (rows, order-independent sum of row hashes); None if it does not exist."""
    con = duckdb.connect()
    hashes: dict[str, tuple | None] = {}
    for table in TABLES:
        if any((out / table).glob("*.parquet")):
            hashes[table] = con.execute(f"SELECT count(*), sum(hash(t)::HUGEINT) FROM read_parquet('{out / table}/*.parquet') t").fetchone()
        else:
            hashes[table] = None
    return hashes


def check_consistent(out: Path, feed: Feed) -> None:
    checks = [f"(SELECT count(*) FROM {t} f ANTI JOIN papers p USING (paper_id, run_id))" for t in FACT_TABLES]
    found = query(out, f"SELECT count(*), count(DISTINCT paper_id), {', '.join(checks)} FROM papers")
    assert found == [(feed.papers, feed.papers, *[0] * len(FACT_TABLES))], "duplicate papers or facts of an earlier extraction"


class Chain(threading.Thread):
    """One output folder and its feed, night after night: each night's run is killed, checked, re-run, checked."""

    def __init__(self, name: str, folder: Path, start: Callable[[list[str], str], multiprocessing.Process], kills_wanted: int,
                 full_refresh_trials: set[int]) -> None:
        super().__init__(name=name, daemon=True)
        self.rng = random.Random(f"{RNG_SEED}-{name}")
        folder.mkdir()
        self.feed, self.out, self.logs = Feed(folder / "feed"), folder / "out", folder / "logs"
        self.logs.mkdir()
        self.start_process, self.kills_wanted, self.full_refresh_trials = start, kills_wanted, full_refresh_trials
        self.kills = self.trials = 0
        self.outcomes: Counter[str] = Counter()
        self.timeline: list[str] = []
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            self.nights()
            self.compare_with_an_uninterrupted_run()
        except BaseException as exc:  # re-raised by the test in the main thread
            self.failure = exc

    def run_clean(self, args: list[str], name: str) -> float:
        began = time.monotonic()
        process = self.start_process(args, str(self.logs / f"{name}.log"))
        process.join(timeout=300)
        assert process.exitcode == 0, (self.logs / f"{name}.log").read_text()
        return time.monotonic() - began

    def args(self, full_refresh: bool, out: Path | None = None) -> list[str]:
        extra = ["--full-refresh", "--batch-size", str(BIG_BATCH)] if full_refresh else ["--batch-size", str(BATCH)]
        return ["run", str(self.feed.folder), "--out", str(out or self.out), "--quiet", *extra]

    def nights(self) -> None:
        feed, out = self.feed, self.out
        base_seconds = self.run_clean([*self.args(False), "--batch-size", str(BIG_BATCH)], "base")
        feed.new_night(self.rng)
        durations = {False: [self.run_clean(self.args(False), "calibration")], True: []}
        runs_expected = 2
        # kill times are random, so where they land varies with the machine: go on until enough landed in staging
        while (self.kills < self.kills_wanted or self.outcomes["staging"] < STAGING_KILLS_WANTED // 2) and self.trials < MAX_TRIALS:
            self.trials += 1
            trial, full = self.trials, self.trials in self.full_refresh_trials
            new, changed = feed.new_night(self.rng)
            before, before_current, versions_before = table_hashes(out), current(out), versions(out)
            expected_reads = Reader.expected(out)
            estimate = statistics.median(durations[full]) if durations[full] else base_seconds * feed.papers / BASE
            # every other trial aims at the second half of the run, where the merge, the gate and the commit happen
            kill_at = estimate * self.rng.uniform(0.0 if trial % 2 else 0.5, 1.05)

            reader = Reader(out)
            reader.start()
            process = self.start_process(self.args(full), str(self.logs / f"trial-{trial:02d}.log"))
            process.join(timeout=kill_at)
            killed = process.exitcode is None
            if killed:
                os.kill(process.pid, signal.SIGKILL)
                process.join()
                self.kills += 1
            else:
                assert process.exitcode == 0, (self.logs / f"trial-{trial:02d}.log").read_text()
            reader.stop.set()
            reader.join()

            where = phase(out, before_current, versions_before)
            self.outcomes[where if killed else "finished before the kill"] += 1
            self.timeline.append(f"{self.name}.{trial}:{kill_at:.1f}s/{estimate:.1f}s {where if killed else 'finished'}")
            committed = current(out) != before_current
            if committed:
                runs_expected += 1
                check_consistent(out, feed)
                assert query(out, "SELECT count(*) FROM runs")[0][0] == runs_expected
            else:
                assert table_hashes(out) == before, f"{self.name} trial {trial}: tables changed by a run killed {where!r}"
            seen_ok = {table: {expected_reads[table], Reader.expected(out)[table], "io-error"} for table in Reader.QUERIES}
            for table, value in reader.seen:
                assert value in seen_ok[table], f"{self.name} trial {trial}: a reader saw {table} = {value}, neither before nor after"

            seconds = self.run_clean(self.args(full), f"trial-{trial:02d}-rerun")
            runs_expected += 1
            read, written, skipped, rejected, status = query(
                out, "SELECT papers_read, papers_written, papers_skipped, rejected, status FROM runs ORDER BY started_at DESC LIMIT 1"
            )[0]
            if full:
                assert written == feed.papers
            elif committed:
                assert written == 0
            else:
                assert written == new + changed
                durations[False].append(seconds)
            if full and not committed:
                durations[True].append(seconds)
            assert (read, skipped, rejected, status) == (feed.papers, feed.papers - written, feed.bad_lines, "ok")
            check_consistent(out, feed)
            assert query(out, "SELECT count(*) FROM runs")[0][0] == runs_expected
            assert query(out, "SELECT count(*) FROM rejects") == [(feed.bad_lines,)]
            assert not list((out / ".versions").glob("*.staging")) and not list(out.glob(".current.*.tmp"))
            assert len(list((out / ".versions").iterdir())) <= 2

    def compare_with_an_uninterrupted_run(self) -> None:
        reference = self.out.with_name("reference")
        self.run_clean(self.args(False, reference), "reference")
        volatile = {"papers": ("run_id", "extracted_at")}
        for table in PAPER_KEYED:
            exclude = volatile.get(table, ("run_id",))
            assert table_rows(self.out, table, exclude) == table_rows(reference, table, exclude), f"{table} differs from an uninterrupted run"
        assert table_rows(self.out, "rejects", ("run_id",)) == table_rows(reference, "rejects", ("run_id",))


def test_sigkill_at_random_moments_never_corrupts_the_tables(prefect_api: str, tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.flows.kill_child"])
    from tests.flows.kill_child import paperfacts

    def start(args: list[str], log: str) -> multiprocessing.Process:
        process = ctx.Process(target=paperfacts, args=(args, log), daemon=False)
        process.start()
        return process

    start(["--help"], str(tmp_path / "forkserver-start.log")).join()
    # two output folders side by side: a trial's run waits on the Prefect API about half its time
    chains = [Chain(name, tmp_path / name, start, KILLS_WANTED // 2, full) for name, full in (("a", {4}), ("b", set()))]
    for chain in chains:
        chain.start()
    for chain in chains:
        chain.join(timeout=600)
        if chain.failure is not None:
            raise chain.failure
        assert not chain.is_alive(), f"chain {chain.name} did not finish"

    kills, trials = sum(c.kills for c in chains), sum(c.trials for c in chains)
    outcomes = sum((c.outcomes for c in chains), Counter())
    print(f"\n{trials} trials, {kills} SIGKILLs; where they landed: {dict(outcomes)}\n" + "; ".join(sum((c.timeline for c in chains), [])))
    (tmp_path / "outcomes.json").write_text(json.dumps({"trials": trials, "kills": kills, "outcomes": outcomes}))
    assert kills >= 20, f"only {kills} of {trials} trials killed a live run; {dict(outcomes)}"
    assert outcomes["staging"] >= STAGING_KILLS_WANTED, f"too few kills during the work itself: {dict(outcomes)}"
