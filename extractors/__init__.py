"""paperfacts extractors: what is found in a paper's title and abstract, and by which rule.

`from extractors import build_nlp` gives the spaCy pipeline; each fact is a Span in `doc.spans["models"]`,
`["benchmarks"]`, `["results"]`, `["repos"]` and `["links"]` (attributes in extractors.extensions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extractors.pipeline import build_nlp

__all__ = ["build_nlp"]


def __getattr__(name: str) -> object:
    # Imported on first use: `extractors.rules` (read by the CLI for the extractor version) does not load spaCy.
    if name == "build_nlp":
        from extractors.pipeline import build_nlp

        return build_nlp
    raise AttributeError(f"module 'extractors' has no attribute {name!r}")
