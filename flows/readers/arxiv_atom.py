"""arXiv API Atom feeds: one paper per <entry>."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from flows.records import Record, Reject, make_paper, preview

ATOM = "{http://www.w3.org/2005/Atom}"


def _text(entry: ET.Element, tag: str) -> str | None:
    node = entry.find(ATOM + tag)
    if node is None:
        node = entry.find(tag)
    return node.text if node is not None and node.text is not None else None


def is_xml(head: bytes) -> bool:
    return head.lstrip().startswith(b"<")


def read_atom_text(text: str, source: str) -> Iterator[Record]:
    """Entries parsed incrementally; a truncated feed keeps the entries before the break."""
    parser = ET.XMLPullParser(events=("end",))
    index = 0
    error: ET.ParseError | None = None
    try:
        parser.feed(text.encode("utf-8", "surrogateescape"))
        parser.close()
    except ET.ParseError as exc:
        error = exc
    events = []
    try:
        for event in parser.read_events():  # a parse error met while feeding is queued here, after the good events
            events.append(event)
    except ET.ParseError as exc:
        error = error or exc
    for _, element in events:
        if element.tag not in (ATOM + "entry", "entry"):
            continue
        authors = [a.findtext(ATOM + "name") or "" for a in element.findall(ATOM + "author")]
        link = None
        for node in element.findall(ATOM + "link"):
            if node.get("rel") in (None, "alternate"):
                link = node.get("href")
                break
        ident = _text(element, "id")
        yield make_paper(
            title=_text(element, "title"),
            abstract=_text(element, "summary"),
            ident=ident,
            url=link or ident,
            published=_text(element, "published"),
            authors=authors,
            source=source,
            source_format="arxiv_atom",
            position=f"entry {index}",
            raw=ET.tostring(element, encoding="unicode")[:500],
        )
        index += 1
    if error is not None:
        yield Reject(source, f"entry {index}", f"malformed or truncated XML: {error}", preview(text[-300:]))
