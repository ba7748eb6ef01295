"""Compact, exact per-paper state for runs over millions of papers.

The flow must remember every paper id it has read (duplicates) and every paper already published
(incremental runs). Python dicts of strings cost ~200 bytes a paper (200 MB per million); here ids live in
sorted fixed-width numpy arrays (~40 bytes a paper) with a small dict in front for recent additions.
Ids that do not fit the fixed width (none of arXiv's or paperfacts' own do) stay in a plain dict.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

ID_WIDTH = 32
MERGE_EVERY = 50_000
POSITION = re.compile(r"([a-z][a-z ]{0,30}) (\d{1,12})")
SOURCE_BITS, WORD_BITS, NUMBER_BITS = 19, 4, 40


def _key(paper_id: str) -> bytes | None:
    """The fixed-width key of an id, or None when it does not fit (kept in the overflow dict)."""
    if not paper_id.isascii() or len(paper_id) > ID_WIDTH or "\x00" in paper_id:
        return None
    return paper_id.encode("ascii")


def _find(sorted_keys: np.ndarray, key: bytes) -> int:
    """Index of `key` in a sorted key array, or -1."""
    i = int(np.searchsorted(sorted_keys, key))
    return i if i < sorted_keys.size and sorted_keys[i] == key else -1


class SeenIds:
    """Paper ids read so far in a run, each with where it was first read (for the duplicate reject)."""

    def __init__(self, merge_every: int = MERGE_EVERY) -> None:
        self._keys = np.empty(0, dtype=f"S{ID_WIDTH}")
        self._locs = np.empty(0, dtype=np.int64)
        self._recent: dict[bytes, int] = {}
        self._odd: dict[str, str] = {}
        self._sources: dict[str, int] = {}
        self._words: dict[str, int] = {}
        self._merge_every = merge_every

    def __len__(self) -> int:
        return self._keys.size + len(self._recent) + len(self._odd)

    def first_seen(self, paper_id: str, source: str, position: str) -> str | None:
        """None the first time an id is seen (and it is remembered); "<source> <position>" of the first time after."""
        key = _key(paper_id)
        loc = self._encode(source, position) if key is not None else None
        if key is None or loc is None:
            if paper_id in self._odd:
                return self._odd[paper_id]
            if key is not None and (found := self._lookup(key)) is not None:
                return found
            self._odd[paper_id] = f"{source} {position}"
            return None
        found = self._lookup(key) or self._odd.get(paper_id)
        if found is not None:
            return found
        self._recent[key] = loc
        if len(self._recent) >= self._merge_every:
            self._merge()
        return None

    def _lookup(self, key: bytes) -> str | None:
        loc = self._recent.get(key)
        if loc is None and self._keys.size:
            i = _find(self._keys, key)
            loc = int(self._locs[i]) if i >= 0 else None
        return None if loc is None else self._decode(loc)

    def _merge(self) -> None:
        keys = np.array(list(self._recent), dtype=f"S{ID_WIDTH}")
        locs = np.fromiter(self._recent.values(), dtype=np.int64, count=len(self._recent))
        order = np.argsort(keys, kind="stable")
        keys, locs = keys[order], locs[order]
        at = np.searchsorted(self._keys, keys)
        self._keys = np.insert(self._keys, at, keys)
        self._locs = np.insert(self._locs, at, locs)
        self._recent.clear()

    def _encode(self, source: str, position: str) -> int | None:
        m = POSITION.fullmatch(position)
        if m is None:
            return None
        s = self._sources.setdefault(source, len(self._sources))
        w = self._words.setdefault(m.group(1), len(self._words))
        n = int(m.group(2))
        if s >= 1 << SOURCE_BITS or w >= 1 << WORD_BITS or n >= 1 << NUMBER_BITS:
            return None
        return (s << (WORD_BITS + NUMBER_BITS)) | (w << NUMBER_BITS) | n

    def _decode(self, loc: int) -> str:
        s = loc >> (WORD_BITS + NUMBER_BITS)
        w = (loc >> NUMBER_BITS) & ((1 << WORD_BITS) - 1)
        n = loc & ((1 << NUMBER_BITS) - 1)
        source = next(k for k, v in self._sources.items() if v == s)
        word = next(k for k, v in self._words.items() if v == w)
        return f"{source} {word} {n}"


class KnownPapers:
    """Papers already published: is this paper new, unchanged (same content and extractor version) or changed?"""

    NEW, UNCHANGED, CHANGED = "new", "unchanged", "changed"

    def __init__(self, keys: np.ndarray, digests: np.ndarray, odd: dict[str, bytes | None]) -> None:
        self._keys = keys  # sorted ids
        self._digests = digests  # (n, 32) uint8 content sha256; all zeros when the extractor version differs
        self._odd = odd

    def __len__(self) -> int:
        return self._keys.size + len(self._odd)

    @classmethod
    def empty(cls) -> KnownPapers:
        return cls(np.empty(0, dtype=f"S{ID_WIDTH}"), np.empty((0, 32), dtype=np.uint8), {})

    @classmethod
    def from_parts(cls, folder: Path, version: str, batch_rows: int = 65_536) -> KnownPapers:
        """Read the `papers` part files column by column, in batches, never as Python rows all at once."""
        keys: list[np.ndarray] = []
        digests: list[np.ndarray] = []
        odd: dict[str, bytes | None] = {}
        for part in sorted(folder.glob("*.parquet")):
            handle = pq.ParquetFile(part)
            for batch in handle.iter_batches(batch_size=batch_rows, columns=["paper_id", "content_sha256", "extractor_version"]):
                ids, shas, versions = (batch.column(i).to_pylist() for i in range(3))
                fit_ids, fit_digests = [], []
                for pid, sha, ver in zip(ids, shas, versions, strict=True):
                    digest = bytes.fromhex(sha) if ver == version and sha and len(sha) == 64 else bytes(32)
                    key = _key(pid)
                    if key is None:
                        odd[pid] = digest
                    else:
                        fit_ids.append(key)
                        fit_digests.append(digest)
                keys.append(np.array(fit_ids, dtype=f"S{ID_WIDTH}"))
                digests.append(np.frombuffer(b"".join(fit_digests), dtype=np.uint8).reshape(-1, 32))
        if not keys:
            return cls.empty()
        all_keys = np.concatenate(keys)
        order = np.argsort(all_keys, kind="stable")
        return cls(all_keys[order], np.concatenate(digests)[order], odd)

    def state(self, paper_id: str, content_sha256: str) -> str:
        """NEW, UNCHANGED or CHANGED for a paper about to be extracted."""
        key = _key(paper_id)
        if key is None:
            if paper_id not in self._odd:
                return self.NEW
            digest = self._odd[paper_id]
        else:
            i = _find(self._keys, key) if self._keys.size else -1
            if i < 0:
                return self.NEW
            digest = self._digests[i].tobytes()
        return self.UNCHANGED if digest == bytes.fromhex(content_sha256) else self.CHANGED
