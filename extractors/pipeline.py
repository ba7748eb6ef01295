"""Build the extraction pipeline: spacy.blank("en") plus paperfacts' registered components."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import extractors.links.component  # noqa: F401  (registers the factory)
import extractors.names.component  # noqa: F401
import extractors.numbers.component  # noqa: F401
import extractors.tokenizer  # noqa: F401  (registers the tokenizer)
from extractors.extensions import register_extensions
from extractors.rules import check_rule_files
from extractors.sentences import split_sentences
from extractors.tokenizer import doc_text

COMPONENTS = ("paperfacts_sentences", "paperfacts_links", "paperfacts_names", "paperfacts_numbers")
RULE_COMPONENTS = ("paperfacts_names", "paperfacts_numbers")  # take `rules_dir` from their config


def sentences_component(doc: Doc) -> Doc:
    """Char spans of sentences, kept as plain tuples (cheaper than token-level boundaries)."""
    doc._.sentences = split_sentences(doc_text(doc))
    return doc


@Language.factory("paperfacts_sentences", assigns=["doc._.sentences"])
def make_sentences(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    register_extensions()
    return sentences_component


def build_nlp(rules_dir: str | Path | None = None) -> Language:
    """A fresh, initialized pipeline; every component is data-driven from rule files (under extractors/, or
    under `rules_dir` laid out the same way: names/..., numbers/..., results/link_cues.jsonl)."""
    check_rule_files()
    register_extensions()
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "paperfacts.tokenizer.v1"}}})
    for name in COMPONENTS:
        config = {"rules_dir": str(rules_dir)} if rules_dir is not None and name in RULE_COMPONENTS else {}
        nlp.add_pipe(name, config=config)
    nlp.initialize()
    return nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """One pipeline per process: building it loads every gazetteer."""
    return build_nlp()


def paper_text(title: str, abstract: str) -> str:
    """What the pipeline reads for one paper; offsets map back to title or abstract."""
    return f"{title}\n{abstract}"
