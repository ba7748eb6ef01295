"""The two things a reader yields: a usable paper, or a reject with its reason."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_ABSTRACT_CHARS = 100_000
MAX_TITLE_CHARS = 2_000
RAW_PREVIEW_CHARS = 500

ARXIV_NEW = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])")
ARXIV_OLD = re.compile(r"\b([a-z][a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\b")
UNDECODABLE = re.compile(r"[\udc80-\udcff]")
UNDECODABLE_REASON = "undecodable bytes: text is not valid UTF-8"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Paper:
    paper_id: str
    title: str
    abstract: str
    source: str
    source_format: str
    position: str
    published: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = field(default_factory=tuple)

    @property
    def content_sha256(self) -> str:
        return content_hash(self.title, self.abstract)


@dataclass(frozen=True, slots=True)
class Reject:
    """A record (or a whole file, `whole_file`) that could not be used; `whole_file` is also named on stderr."""

    source: str
    position: str
    reason: str
    raw: str = ""
    whole_file: bool = False


Record = Paper | Reject


def content_hash(title: str, abstract: str) -> str:
    """Hash of what extraction sees, so a changed abstract is re-extracted."""
    return hashlib.sha256(f"{title}\x1f{abstract}".encode("utf-8", "surrogatepass")).hexdigest()


def arxiv_id(*candidates: str | None) -> str | None:
    """The arXiv id without version from the first candidate that holds one."""
    for text in candidates:
        if not text:
            continue
        m = ARXIV_NEW.search(text) or ARXIV_OLD.search(text)
        if m:
            return m.group(1)
    return None


def normalise_title(title: str) -> str:
    """Case, accents, punctuation and spacing folded away: the key two copies of a title share."""
    text = unicodedata.normalize("NFKD", title).casefold()
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def title_id(title: str) -> str:
    """A stable id for papers without an arXiv id."""
    return "t-" + hashlib.sha1(normalise_title(title).encode()).hexdigest()[:16]


def clean_text(text: str) -> str:
    """Collapse whitespace and drop control characters; keeps everything else as written."""
    text = CONTROL.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def preview(raw: object) -> str:
    text = raw if isinstance(raw, str) else repr(raw)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)  # a NUL or control byte shown, not stored raw
    return text[:RAW_PREVIEW_CHARS]


def make_paper(
    *,
    title: object,
    abstract: object,
    source: str,
    source_format: str,
    position: str,
    ident: object = None,
    url: object = None,
    published: object = None,
    authors: object = None,
    raw: object = "",
) -> Record:
    """Validate one input record; every failure becomes a Reject with the reason."""

    def reject(reason: str) -> Reject:
        return Reject(source=source, position=position, reason=reason, raw=preview(raw or f"{title!s} | {abstract!s}"))

    if title is not None and not isinstance(title, str):
        return reject(f"title is {type(title).__name__}, not text")
    if abstract is not None and not isinstance(abstract, str):
        return reject(f"abstract is {type(abstract).__name__}, not text")
    if any(UNDECODABLE.search(text) for text in _texts(title, abstract, ident, url, published, authors)):
        return reject(UNDECODABLE_REASON)  # in any field: Parquet cannot store it
    title = clean_text(title or "")
    abstract = clean_text(abstract or "")
    if not title:
        return reject("missing title")
    if not abstract:
        return reject("missing abstract")
    if len(title) > MAX_TITLE_CHARS:
        return reject(f"title too long: {len(title)} chars > {MAX_TITLE_CHARS}")
    if len(abstract) > MAX_ABSTRACT_CHARS:
        return reject(f"abstract too large: {len(abstract)} chars > {MAX_ABSTRACT_CHARS}")
    pid = arxiv_id(_str(ident), _str(url)) or title_id(title)
    return Paper(
        paper_id=pid,
        title=title,
        abstract=abstract,
        source=source,
        source_format=source_format,
        position=position,
        published=_str(published) or None,
        url=_str(url) or None,
        authors=_authors(authors),
    )


def _texts(*values: object) -> Iterator[str]:
    """The strings among `values`, and in lists of them (authors, as strings or {"name": ...} objects)."""
    for value in values:
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(item, dict):
                item = item.get("name") or item.get("fullname")
            if isinstance(item, str):
                yield item


def _str(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    return str(value).strip() or None


def _authors(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(a.strip() for a in re.split(r",| and ", value) if a.strip())
    if isinstance(value, (list, tuple)):
        out = []
        for a in value:
            if isinstance(a, dict):
                a = a.get("name") or a.get("fullname") or ""
            if str(a).strip():
                out.append(str(a).strip())
        return tuple(out)
    return ()
