"""Every custom Doc attribute, declared once and idempotently (safe in worker processes)."""

from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS = {
    "sentences": None,  # list[(start, end)] char spans
    "links": None,  # list[Link]
    "mentions": None,  # list[Mention]
    "systems": None,  # list[Mention]: the paper's own systems (title name, "we propose X"), any label
    "quantities": None,  # list[Quantity]
}


def register_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
