"""End-to-end throughput and memory of `paperfacts run`, against bare spaCy tokenization of the same corpus.

Not a test: it prints figures. It generates N synthetic abstracts (sentences of the seed page recombined,
with fresh model names, numbers, URLs and distinct titles), runs the real CLI in a subprocess, samples the
RSS of the CLI's whole process tree (flow process, process-pool or Dask workers), then tokenizes the same
corpus with `spacy.blank("en")` in this process.

    .venv/bin/python scripts/benchmark.py --n 20000 --workers 1 --workers 2

The Prefect server the runs report to is started here (outside the measured tree) unless PREFECT_API_URL
is set; run it on an otherwise idle machine, the figures share the CPU with everything else.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.pipeline import paper_text  # noqa: E402
from extractors.schemas import FACT_TABLES  # noqa: E402
from flows.readers import read_path  # noqa: E402
from flows.records import Paper  # noqa: E402

SEED = ROOT / "data" / "trending_papers.txt"
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
NAMEISH = re.compile(r"\b[A-Z][A-Za-z]*(?:[-.][A-Za-z0-9]+)*\d[\w.-]*\b|\b[A-Z][a-z]+[A-Z][A-Za-z]*(?:-[A-Za-z0-9.]+)*\b")
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.]*\d)")
GITHUB = re.compile(r"https?://github\.com/[\w.-]+/[\w.-]+")
SYLLABLES = ["ka", "lo", "mi", "ra", "zen", "tor", "vex", "qua", "nim", "bel", "dor", "fi", "gru", "hal", "jin", "pax", "sol", "tri", "ul", "wex"]
SUFFIXES = ["", "-7B", "-13B", "-V2", "-XL", "-Base", "-Instruct", "LM", "Net", "-1.5", "-Coder-6.7B", "Former", "-R1"]


class Corpus:
    """Sentences and titles of the seed page, recombined into fresh abstracts."""

    def __init__(self, seed: Path, rng: random.Random) -> None:
        papers = [r for r in read_path(seed) if isinstance(r, Paper)]
        self.abstracts = [SENTENCE.split(p.abstract) for p in papers]
        self.sentences = [s for sents in self.abstracts for s in sents]
        self.titles = [p.title.split(":", 1)[-1].strip() for p in papers]
        self.rng = rng

    def name(self, k: int) -> str:
        parts = []
        while True:
            k, digit = divmod(k, len(SYLLABLES))
            parts.append(SYLLABLES[digit])
            if not k:
                break
        return "".join(parts).capitalize() + self.rng.choice(SUFFIXES)

    def number(self, m: re.Match) -> str:
        text = m.group(0)
        if "." in text:
            whole, frac = text.split(".")
            return f"{self.rng.randint(0, 10 ** len(whole) - 1)}.{self.rng.randint(0, 10 ** len(frac) - 1):0{len(frac)}d}"
        return str(self.rng.randint(1, max(1, 10 ** len(text) - 1)))

    def record(self, i: int) -> dict:
        rng = self.rng
        length = len(rng.choice(self.abstracts))
        own = self.name(i * 7 + 3)
        names: dict[str, str] = {}

        def fresh(m: re.Match) -> str:
            if rng.random() < 0.5:
                return m.group(0)  # keep some real names (the gazetteer knows them)
            return names.setdefault(m.group(0), own if not names else self.name(rng.randrange(10**6)))

        sentences = [rng.choice(self.sentences) for _ in range(length)]
        abstract = " ".join(NUMBER.sub(self.number, NAMEISH.sub(fresh, s)) for s in sentences)
        abstract = GITHUB.sub(lambda _: f"https://github.com/{self.name(rng.randrange(10**5)).lower()}/{own.lower()}", abstract)
        if rng.random() < 0.3:
            abstract += f" Code is available at https://github.com/{self.name(rng.randrange(10**5)).lower()}/{own.lower()}."
        title = f"{own}: {rng.choice(self.titles)} ({i})"
        return {"id": f"{2300 + i // 90_000}.{i % 90_000:05d}", "title": title, "abstract": abstract}


def write_corpus(path: Path, n: int, seed: int) -> int:
    """N JSONL records (gzip if the name ends .gz); returns the uncompressed size in bytes."""
    corpus = Corpus(SEED, random.Random(seed))
    size = 0
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for i in range(n):
            line = json.dumps(corpus.record(i), ensure_ascii=False) + "\n"
            size += len(line.encode())
            handle.write(line)
    return size


def corpus_texts(path: Path, limit: int) -> Iterator[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number >= limit:
                return
            obj = json.loads(line)
            yield paper_text(obj["title"], obj["abstract"])


class TreeSampler(threading.Thread):
    """Peak of the summed RSS of a process and all its descendants, sampled every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_total = 0
        self.peak_processes = 0
        self.loads: list[float] = []
        self.timeline: list[tuple[float, int]] = []  # (seconds since start, summed RSS)
        self.done = threading.Event()

    def run(self) -> None:
        started = time.perf_counter()
        while not self.done.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for proc in procs:
                with contextlib.suppress(psutil.NoSuchProcess):
                    total += proc.memory_info().rss
            self.peak_total = max(self.peak_total, total)
            self.timeline.append((time.perf_counter() - started, total))
            self.peak_processes = max(self.peak_processes, len(procs))
            self.loads.append(os.getloadavg()[0])
            self.done.wait(self.interval)


def start_prefect_server(home: Path) -> tuple[subprocess.Popen, str]:
    port = 4200 + os.getpid() % 700
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_UI_ENABLED": "false", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    for _ in range(360):
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("prefect server did not start")


def run_cli(corpus: Path, out: Path, workers: int, batch_size: int, api_url: str) -> dict:
    """`paperfacts run` end to end; wall time, peak RSS of its process tree, facts written."""
    cmd = [sys.executable, "-m", "flows.cli", "run", str(corpus), "--out", str(out), "--workers", str(workers),
           "--batch-size", str(batch_size), "--quiet"]
    env = {**os.environ, "PREFECT_API_URL": api_url}
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before  # the CLI and every process it waited for (pool or Dask workers)
    sampler.done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"paperfacts run failed ({proc.returncode}): {stderr[-3000:]}{stdout[-1000:]}")
    phases = run_phases(api_url)
    facts = sum(pq.ParquetFile(p).metadata.num_rows for t in FACT_TABLES for p in (out / t).glob("*.parquet"))
    papers = sum(pq.ParquetFile(p).metadata.num_rows for p in (out / "papers").glob("*.parquet"))
    disk = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"disk": disk, "wall": wall, "cpu": cpu, "peak_rss": sampler.peak_total, "processes": sampler.peak_processes, "facts": facts, "papers": papers,
            "load": sum(sampler.loads) / max(1, len(sampler.loads)), "timeline": sampler.timeline, "phases": phases}


PHASES = ("plan-inputs", "extract-batch", "complete-snapshot", "quality-gate", "publish")


def run_phases(api_url: str) -> dict[str, tuple[float, float]]:
    """Where the flow's time went, from the Prefect server's records of its latest flow run: per task name, the span
    from the first start to the last end and the summed run time (batches overlap on several workers); `flow` is
    the flow run's own span. Empty when the server cannot say."""
    try:
        flow_runs = httpx.post(f"{api_url}/flow_runs/filter", json={"sort": "START_TIME_DESC", "limit": 1}, timeout=30).json()
        flow_run = flow_runs[0]
        task_runs = httpx.post(
            f"{api_url}/task_runs/filter", json={"flow_runs": {"id": {"any_": [flow_run["id"]]}}, "limit": 200}, timeout=30
        ).json()
        while len(task_runs) % 200 == 0 and task_runs:
            more = httpx.post(
                f"{api_url}/task_runs/filter",
                json={"flow_runs": {"id": {"any_": [flow_run["id"]]}}, "limit": 200, "offset": len(task_runs)}, timeout=30,
            ).json()
            if not more:
                break
            task_runs += more
    except (httpx.HTTPError, IndexError, KeyError, ValueError):
        return {}
    phases: dict[str, tuple[float, float]] = {"flow": (_span([flow_run]), flow_run.get("total_run_time") or 0.0)}
    for name in PHASES:
        runs = [t for t in task_runs if t["name"].startswith(name) and t.get("start_time") and t.get("end_time")]
        if runs:
            phases[name] = (_span(runs), sum(t.get("total_run_time") or 0.0 for t in runs))
    return phases


def _span(runs: list[dict]) -> float:
    from datetime import datetime

    starts = [datetime.fromisoformat(r["start_time"]) for r in runs if r.get("start_time")]
    ends = [datetime.fromisoformat(r["end_time"]) for r in runs if r.get("end_time")]
    return (max(ends) - min(starts)).total_seconds() if starts and ends else 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_tokenizer(corpus: Path, limit: int) -> tuple[float, float, int]:
    """Abstracts per wall second and per CPU second of `spacy.blank("en")` over the corpus (title + abstract,
    as the pipeline reads them)."""
    import spacy

    nlp = spacy.blank("en")
    texts = list(corpus_texts(corpus, limit))
    started, cpu = time.perf_counter(), time.process_time()
    count = sum(1 for _ in nlp.pipe(texts, batch_size=256))
    return count / (time.perf_counter() - started), count / (time.process_time() - cpu), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="abstracts in the synthetic corpus")
    parser.add_argument("--workers", type=int, action="append", help="worker counts to run (repeatable; default 1)")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--bare-sample", type=int, default=20_000, help="abstracts the bare tokenizer reads (first K of the corpus)")
    parser.add_argument("--gz", action="store_true", help="write the corpus gzipped")
    parser.add_argument("--out", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and output tables")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    workers = args.workers or [1]
    work = args.out or Path(tempfile.mkdtemp(prefix="paperfacts-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / ("corpus.jsonl.gz" if args.gz else "corpus.jsonl")
    server = None
    try:
        print(f"generating {args.n:,} abstracts into {corpus} ...", flush=True)
        size = write_corpus(corpus, args.n, args.seed)
        api_url = os.environ.get("PREFECT_API_URL")
        if not api_url:
            server, api_url = start_prefect_server(work / "prefect-home")
        rows = []
        for w in workers:
            out = work / f"out-w{w}"
            shutil.rmtree(out, ignore_errors=True)
            print(f"paperfacts run --workers {w} ...", flush=True)
            rows.append((w, run_cli(corpus, out, w, args.batch_size, api_url)))
            if not args.keep:
                shutil.rmtree(out, ignore_errors=True)
        print("bare spacy.blank('en') tokenizer ...", flush=True)
        bare_rate, bare_cpu_rate, bare_count = bare_tokenizer(corpus, min(args.n, args.bare_sample))
        report(args.n, size, rows, bare_rate, bare_cpu_rate, bare_count)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep and args.out is None:
            shutil.rmtree(work, ignore_errors=True)


def report(n: int, size: int, rows: list[tuple[int, dict]], bare_rate: float, bare_cpu_rate: float, bare_count: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"paperfacts end to end, N = {n:,} abstracts ({size / 1e6:,.1f} MB JSONL), {os.cpu_count()} CPUs")
    for col in ("workers", "wall s", "abstracts/s", "MB/s", "facts/s", "peak RSS (tree)", "processes", "× bare", "× 1 worker",
                "CPU s", "abstracts/CPU-s"):
        table.add_column(col, justify="right")
    one = next((r["papers"] / r["wall"] for w, r in rows if w == 1), None)
    for w, r in rows:
        rate = r["papers"] / r["wall"]
        table.add_row(
            str(w), f"{r['wall']:,.1f}", f"{rate:,.1f}", f"{size / 1e6 / r['wall']:,.2f}", f"{r['facts'] / r['wall']:,.0f}",
            f"{r['peak_rss'] / 2**20:,.0f} MiB", str(r["processes"]), f"{rate / bare_rate:.3f}", f"{rate / one:.2f}" if one else "-",
            f"{r['cpu']:,.0f}", f"{r['papers'] / r['cpu']:,.1f}",
        )
    Console(width=160).print(table)
    print(f"bare spacy.blank('en') tokenizer, 1 process: {bare_rate:,.1f} abstracts/s, {bare_cpu_rate:,.1f} per CPU-s"
          f" (first {bare_count:,} abstracts of the corpus)")

    for w, r in rows:
        print(f"workers={w}: {r['papers']:,} papers, {r['facts']:,} facts, wall {r['wall']:.1f} s (includes start-up and publish),"
              f" mean 1-min load average {r['load']:.1f} on {os.cpu_count()} CPUs")
        print(f"  RSS of the tree over the run: {_timeline(r['timeline'], r['wall'])}")
        print(f"  output folder on disk: {r['disk'] / 2**20:,.1f} MiB")
        if r["phases"]:
            flow_span = r["phases"]["flow"][0]
            parts = [f"{name} {span:,.1f} s" + (f" ({total:,.1f} s summed over batches)" if name == "extract-batch" else "")
                     for name, (span, total) in r["phases"].items() if name != "flow"]
            print(f"  phases (Prefect task runs): flow {flow_span:,.1f} s of the {r['wall']:,.1f} s wall (the rest is start-up"
                  f" and shut-down outside the flow); " + ", ".join(parts))


def _timeline(samples: list[tuple[float, int]], wall: float) -> str:
    """Summed RSS at every tenth of the run, and when the peak was: flat memory shows as a flat row."""
    if not samples:
        return "-"
    marks = []
    for tenth in range(1, 11):
        at = [rss for t, rss in samples if t <= wall * tenth / 10]
        marks.append(f"{(at[-1] if at else 0) / 2**20:,.0f}")
    peak_t = max(samples, key=lambda s: s[1])[0]
    return " ".join(marks) + f" MiB; peak at {100 * peak_t / wall:.0f}% of the run"


if __name__ == "__main__":
    main()
