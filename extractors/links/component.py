"""The `paperfacts_links` component: URLs and GitHub repositories."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extractors.links.urls import find_links
from extractors.tokenizer import doc_text


class UrlLinks:
    def __init__(self, name: str = "paperfacts_links") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.links = list(find_links(doc_text(doc)))
        return doc


@Language.factory("paperfacts_links")
def make_links(nlp: Language, name: str) -> UrlLinks:
    return UrlLinks(name)
