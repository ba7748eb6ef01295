"""Plain records the components attach to a Doc; the table writers turn them into rows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Mention:
    """A model or benchmark name: char offsets into the doc text."""

    label: str  # "model" | "benchmark"
    start: int
    end: int
    text: str
    name: str
    rule: str
    optional: bool = False
    family: str | None = None
    version: str | None = None
    params: float | None = None
    entry: object | None = None  # the gazetteer entry that matched (extractors.names.gazetteer.Entry)
    canonical: str | None = None  # one name per real thing (extractors.names.canonical); `name` is what linking uses


@dataclass(slots=True)
class Link:
    """A URL; `repo` is owner/repo when it points at a GitHub repository."""

    start: int
    end: int
    text: str
    url: str
    domain: str
    rule: str
    owner: str | None = None
    repo: str | None = None


@dataclass(slots=True)
class Quantity:
    """A number with its unit, kind and the links that tie it to metric, benchmark and model."""

    start: int
    end: int
    text: str
    value: float
    scale: float
    unit: str | None
    kind: str
    rule: str
    sentence: tuple[int, int] = (0, 0)
    metric: str | None = None
    benchmark: str | None = None
    model: str | None = None
    link_rules: list[str] = field(default_factory=list)
