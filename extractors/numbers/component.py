"""The `paperfacts_numbers` component: typed quantities linked to metric, benchmark and model."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extractors.extensions import write_fact_spans
from extractors.facts import Quantity
from extractors.numbers.kinds import QUALIFIED_LIST_GAP, decide_kind, list_groups, share_kinds, share_units
from extractors.numbers.quantities import find_numbers
from extractors.results.linking import link_results
from extractors.sentences import sentence_of
from extractors.tokenizer import doc_text


class NumericResults:
    """Runs after names and links: digits inside those spans are never quantities."""

    def __init__(self, name: str = "paperfacts_numbers") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        sentences = doc._.sentences
        skip = [(m.start, m.end) for m in doc._.mentions] + [(link.start, link.end) for link in doc._.links]
        numbers = find_numbers(text, skip)
        groups = list_groups(numbers, text)
        share_units(numbers, groups)
        kinds = []
        for n in numbers:
            sentence = sentences[sentence_of(sentences, n.start)]
            kinds.append(decide_kind(n, text, sentence, n.start))
        share_kinds(numbers, kinds, list_groups(numbers, text, QUALIFIED_LIST_GAP))
        quantities = []
        for n, (kind, rule) in zip(numbers, kinds, strict=True):
            sentence = sentences[sentence_of(sentences, n.start)]
            quantities.append(
                Quantity(
                    start=n.start,
                    end=n.end,
                    text=text[n.start : n.end],
                    value=n.value,
                    scale=n.scale,
                    unit=n.unit,
                    kind=kind,
                    rule=f"{n.unit_rule or 'number.bare'}{'+' + n.noun_rule if n.noun_rule else ''}|{rule}",
                    sentence=sentence,
                )
            )
        title_end = text.find("\n")
        title_end = title_end if title_end >= 0 else len(text)
        quantities = _drop_title_repeats(quantities, title_end)
        link_results(text, sentences, quantities, doc._.mentions, title_end, doc._.systems)
        doc._.quantities = quantities
        write_fact_spans(doc, {"results": [(q.kind, q) for q in quantities]})
        return doc


def _drop_title_repeats(quantities: list[Quantity], title_end: int) -> list[Quantity]:
    """A number stated in the title and again in the abstract is one fact: keep the abstract's."""
    in_abstract = {(q.value, q.scale) for q in quantities if q.start > title_end}  # `1%` in the title is `<1%` below
    return [q for q in quantities if q.start > title_end or (q.value, q.scale) not in in_abstract]


@Language.factory("paperfacts_numbers")
def make_numbers(nlp: Language, name: str) -> NumericResults:
    return NumericResults(name)
