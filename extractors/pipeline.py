"""Build the extraction pipeline: spacy.blank("en") plus paperfacts' registered components."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import extractors.links.component  # noqa: F401  (registers the factory)
import extractors.names.component  # noqa: F401
import extractors.numbers.component  # noqa: F401
from extractors.extensions import register_extensions
from extractors.rules import check_rule_files
from extractors.sentences import split_sentences
from extractors.tokenizer import customise_tokenizer, doc_text

COMPONENTS = ("paperfacts_sentences", "paperfacts_links", "paperfacts_names", "paperfacts_numbers")


@Language.component("paperfacts_sentences")
def sentences_component(doc: Doc) -> Doc:
    """Char spans of sentences, kept as plain tuples (cheaper than token-level boundaries)."""
    doc._.sentences = split_sentences(doc_text(doc))
    return doc


def build_nlp() -> Language:
    """A fresh pipeline; every component is data-driven from files under extractors/."""
    check_rule_files()
    register_extensions()
    nlp = spacy.blank("en")
    customise_tokenizer(nlp)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """One pipeline per process: building it loads every gazetteer."""
    return build_nlp()


def paper_text(title: str, abstract: str) -> str:
    """What the pipeline reads for one paper; offsets map back to title or abstract."""
    return f"{title}\n{abstract}"
