"""The saved trending-papers page: header lines, then title line / abstract line pairs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from flows.records import Record, Reject, make_paper, preview

HEADER_LINE = re.compile(r"^\s*(get trending papers in your email inbox.*|subscribe\s*)$", re.I)
GLUED_SUBSCRIBE = re.compile(r"^\s*Subscribe(?=\S)")
# A title is short and rarely ends in a full stop; an abstract is prose.
MAX_TITLE_LEN = 400


def _is_title(line: str) -> bool:
    return len(line) <= MAX_TITLE_LEN


def read_trending_page(text: str, source: str) -> Iterator[Record]:
    """Pair title and abstract lines; a line that cannot be paired is rejected, not dropped."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or HEADER_LINE.match(line):
            continue
        lines.append((number, GLUED_SUBSCRIBE.sub("", line).strip()))
    i = 0
    while i < len(lines):
        number, line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is not None and _is_title(line) and len(nxt[1]) > len(line):
            yield make_paper(
                title=line,
                abstract=nxt[1],
                source=source,
                source_format="trending_page",
                position=f"line {number}",
                raw=line + "\n" + nxt[1],
            )
            i += 2
            continue
        reason = "title line without an abstract" if _is_title(line) else "abstract line without a title"
        yield Reject(source=source, position=f"line {number}", reason=reason, raw=preview(line))
        i += 1
