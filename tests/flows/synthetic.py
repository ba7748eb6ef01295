"""Synthetic inputs for the operational tests: many small papers built from the seed page's real abstracts.

Paper k has the arXiv-style id `2400.<k>` (so a changed abstract keeps its paper_id), a title made unique by
its number, and two sentences of a seed abstract. `version` > 0 appends a sentence with facts the original
does not have, which is how a new arXiv version of the paper is simulated.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from flows.readers import read_path
from flows.records import Paper

SEED = Path(__file__).resolve().parents[2] / "data" / "trending_papers.txt"
VERSION_SENTENCES = (
    "",
    " Version 1 adds 3.5% on MMLU over Llama-3-8B.",
    " Version 2 gains 7.25 points on GSM8K with Qwen2.5-7B.",
)


@lru_cache(maxsize=1)
def seed_papers() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(title, sentences) of every paper on the seed page, read with the real reader."""
    papers = [r for r in read_path(SEED) if isinstance(r, Paper)]
    return tuple((p.title, tuple(re.split(r"(?<=[.!?])\s+", p.abstract))) for p in papers)


def paper_id(k: int) -> str:
    return f"2400.{k:05d}"


def record(k: int, version: int = 0) -> dict:
    title, sentences = seed_papers()[k % len(seed_papers())]
    start = (k // len(seed_papers())) % max(1, len(sentences) - 1)
    abstract = " ".join(sentences[start : start + 2]) + VERSION_SENTENCES[version % len(VERSION_SENTENCES)]
    return {"id": paper_id(k), "title": f"{title} [{k}]", "abstract": abstract}


def write_jsonl(path: Path, records: Iterable[dict], bad_lines: Iterable[str] = ()) -> Path:
    """Records, then bad lines, written atomically (a run never reads a half-written input file)."""
    lines = [json.dumps(r) for r in records] + list(bad_lines)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join(lines) + "\n")
    os.replace(tmp, path)
    return path
