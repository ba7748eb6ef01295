"""The `paperfacts_links` component: URLs and GitHub repositories."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extractors.extensions import register_extensions, write_fact_spans
from extractors.links.urls import find_links
from extractors.tables import span_groups
from extractors.tokenizer import doc_text


class UrlLinks:
    def __init__(self, name: str = "paperfacts_links") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.links = list(find_links(doc_text(doc)))
        facts = [("repo" if link.owner and link.repo else "link", link) for link in doc._.links]
        write_fact_spans(doc, span_groups(facts, ("repos", "links")))
        return doc


@Language.factory("paperfacts_links", assigns=["doc._.links", "doc.spans"])
def make_links(nlp: Language, name: str) -> UrlLinks:
    register_extensions()
    return UrlLinks(name)
