"""The saved trending-papers page: header lines, then title line / abstract line pairs.

A paper's position is its title line (`line 7`); a pair that is rejected names both lines (`lines 7-8`), and a
lone line is rejected at its own line, so every line but the header is accounted for."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from flows.readers.decode import as_lines, line_damage
from flows.records import Record, Reject, make_paper, preview

HEADER_LINE = re.compile(r"^\s*(get trending papers in your email inbox.*|subscribe\s*)$", re.I)
GLUED_SUBSCRIBE = re.compile(r"^\s*Subscribe(?=\S)")
# A title is one short line; an abstract is prose: long, or several sentences.
MAX_TITLE_LEN = 300


def _is_abstract(line: str) -> bool:
    return len(line) > MAX_TITLE_LEN or line.count(". ") >= 2


def is_any_text(head: bytes) -> bool:
    """The page is what a text file is when nothing more specific fits."""
    return True


def read_trending_page(lines: str | Iterable[str], source: str) -> Iterator[Record]:
    """Pair title and abstract lines as they stream by (two lines of look-ahead), so one missing line costs one
    reject and never shifts the pairs after it; a short abstract after a title is still an abstract."""
    buffer: list[tuple[int, str]] = []
    for number, raw in enumerate(as_lines(lines), start=1):
        if not raw.strip() or HEADER_LINE.match(raw.rstrip("\r\n")):
            continue
        buffer.append((number, GLUED_SUBSCRIBE.sub("", raw).strip()))
        if len(buffer) == 3:
            yield from _pair_front(buffer, source, at_end=False)
    while buffer:
        yield from _pair_front(buffer, source, at_end=True)


def _pair_front(buffer: list[tuple[int, str]], source: str, at_end: bool) -> Iterator[Record]:
    """Consume the front of the buffer: a paper from a title and its abstract, or a reject for a lone line."""
    (number, line) = buffer[0]
    if _is_abstract(line):
        buffer.pop(0)
        yield Reject(source=source, position=f"line {number}", reason="abstract line without a title", raw=preview(line))
        return
    if len(buffer) == 1:
        buffer.pop(0)
        yield Reject(source=source, position=f"line {number}", reason="title line without an abstract", raw=preview(line))
        return
    following = buffer[1][1]
    if not _is_abstract(following) and len(buffer) == 3 and _is_abstract(buffer[2][1]):
        # title, title, abstract: the first title lost its abstract
        buffer.pop(0)
        yield Reject(source=source, position=f"line {number}", reason="title line without an abstract", raw=preview(line))
        return
    abstract_number = buffer[1][0]
    buffer.pop(0)
    buffer.pop(0)
    damage = line_damage(line + following)
    if damage:
        yield Reject(source=source, position=f"lines {number}-{abstract_number}", reason=damage, raw=preview(line + "\n" + following))
        return
    record = make_paper(
        title=line, abstract=following, source=source, source_format="trending_page", position=f"line {number}", raw=line + "\n" + following,
    )
    if isinstance(record, Reject):  # the title line and its abstract line are lost together: say so
        record = dataclasses.replace(record, position=f"lines {number}-{abstract_number}")
    yield record
