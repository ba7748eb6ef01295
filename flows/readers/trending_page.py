"""The saved trending-papers page: header lines, then title line / abstract line pairs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from flows.readers.decode import as_lines
from flows.records import Record, Reject, make_paper, preview

HEADER_LINE = re.compile(r"^\s*(get trending papers in your email inbox.*|subscribe\s*)$", re.I)
GLUED_SUBSCRIBE = re.compile(r"^\s*Subscribe(?=\S)")
# A title is short and rarely ends in a full stop; an abstract is prose.
MAX_TITLE_LEN = 400


def _is_title(line: str) -> bool:
    return len(line) <= MAX_TITLE_LEN


def read_trending_page(lines: str | Iterable[str], source: str) -> Iterator[Record]:
    """Pair title and abstract lines as they stream by; a line that cannot be paired is rejected, not dropped."""
    held: tuple[int, str] | None = None  # a title line waiting for its abstract
    for number, raw in enumerate(as_lines(lines), start=1):
        if not raw.strip() or HEADER_LINE.match(raw.rstrip("\r\n")):
            continue
        line = GLUED_SUBSCRIBE.sub("", raw).strip()
        if held is None:
            held = (number, line)
            continue
        if _is_title(held[1]) and len(line) > len(held[1]):
            yield make_paper(
                title=held[1],
                abstract=line,
                source=source,
                source_format="trending_page",
                position=f"line {held[0]}",
                raw=held[1] + "\n" + line,
            )
            held = None
            continue
        yield _unpaired(held, source)
        held = (number, line)
    if held is not None:
        yield _unpaired(held, source)


def _unpaired(held: tuple[int, str], source: str) -> Reject:
    number, line = held
    reason = "title line without an abstract" if _is_title(line) else "abstract line without a title"
    return Reject(source=source, position=f"line {number}", reason=reason, raw=preview(line))
