"""The `paperfacts_numbers` component: typed quantities linked to metric, benchmark and model."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from extractors.extensions import register_extensions, write_fact_spans
from extractors.facts import Quantity
from extractors.numbers.cues import number_cues
from extractors.numbers.kinds import (
    decide_kind,
    kind_rules,
    list_groups,
    rules_by_unit,
    share_kinds,
    share_units,
    weak_kind_rules,
)
from extractors.numbers.quantities import find_numbers, found_rule
from extractors.numbers.units import noun_rules, unit_alternation, unit_rules
from extractors.results.link_rules import link_cues
from extractors.results.linking import link_results
from extractors.results.metric_links import implied_metrics, metric_pattern
from extractors.rules import RULES_DIR_KEY, check_rule_files, copy_rule_folder, rules_from
from extractors.sentences import sentence_of
from extractors.tokenizer import doc_text

RULE_LOADERS = (unit_rules, unit_alternation, noun_rules, kind_rules, rules_by_unit, weak_kind_rules, number_cues, link_cues, metric_pattern, implied_metrics)


class NumericResults:
    """Runs after names and links: digits inside those spans are never quantities. Its rules (numbers/ and results/:
    the linking cues and the leaderboard's registry, settings, bounds, not-scores and confidence) are read from
    `rules_dir` (None: the package's) by `initialize`, saved by `to_disk`, read back by `from_disk`."""

    def __init__(self, name: str = "paperfacts_numbers", *, rules_dir: str | None = None) -> None:
        self.name = name
        self.rules_dir: Path | None = Path(rules_dir) if rules_dir else None

    def initialize(self, get_examples: Callable | None = None, *, nlp: Language | None = None) -> None:
        self.load_rules()

    def load_rules(self) -> None:
        """Check the rule files of `rules_dir` and compile them once, before the first paper."""
        check_rule_files(self.rules_dir)
        with rules_from(self.rules_dir):
            for loader in RULE_LOADERS:
                loader()

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """The rule files this component reads, as files a user may edit in the saved copy."""
        copy_rule_folder(self.rules_dir, "numbers", Path(path))
        copy_rule_folder(self.rules_dir, "results", Path(path))  # link cues and the leaderboard's rules

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> NumericResults:
        self.rules_dir = Path(path)
        self.load_rules()
        return self

    def __call__(self, doc: Doc) -> Doc:
        with rules_from(self.rules_dir):
            quantities = self.quantities(doc)
        doc._.quantities = quantities
        if self.rules_dir is not None:
            doc.user_data[RULES_DIR_KEY] = str(self.rules_dir)  # the leaderboard rows read its results/ rules
        write_fact_spans(doc, {"results": [(q.kind, q) for q in quantities]})
        return doc

    def quantities(self, doc: Doc) -> list[Quantity]:
        text = doc_text(doc)
        sentences = doc._.sentences
        skip = [(m.start, m.end) for m in doc._.mentions] + [(link.start, link.end) for link in doc._.links]
        numbers = find_numbers(text, skip)
        groups = list_groups(numbers, text)
        share_units(numbers, groups)
        in_sentence = [sentences[sentence_of(sentences, n.start)] for n in numbers]
        kinds = [decide_kind(n, text, sentence, n.start) for n, sentence in zip(numbers, in_sentence, strict=True)]
        share_kinds(numbers, kinds, list_groups(numbers, text, number_cues().qualified_list_gap))
        quantities = []
        for n, (kind, rule), sentence in zip(numbers, kinds, in_sentence, strict=True):
            quantities.append(
                Quantity(
                    start=n.start,
                    end=n.end,
                    text=text[n.start : n.end],
                    value=n.value,
                    scale=n.scale,
                    unit=n.unit,
                    kind=kind,
                    rule=f"{found_rule(n)}|{rule}",
                    sentence=sentence,
                )
            )
        title_end = text.find("\n")
        title_end = title_end if title_end >= 0 else len(text)
        quantities = _drop_title_repeats(quantities, title_end)
        link_results(text, sentences, quantities, doc._.mentions, title_end, doc._.systems)
        return quantities


def _drop_title_repeats(quantities: list[Quantity], title_end: int) -> list[Quantity]:
    """A number stated in the title and again in the abstract is one fact: keep the abstract's."""
    in_abstract = {(q.value, q.scale) for q in quantities if q.start > title_end}  # `1%` in the title is `<1%` below
    return [q for q in quantities if q.start > title_end or (q.value, q.scale) not in in_abstract]


@Language.factory(
    "paperfacts_numbers",
    default_config={"rules_dir": None},
    assigns=["doc._.quantities", "doc.spans"],
    requires=["doc._.sentences", "doc._.links", "doc._.mentions", "doc._.systems"],
)
def make_numbers(nlp: Language, name: str, rules_dir: str | None) -> NumericResults:
    register_extensions()
    return NumericResults(name, rules_dir=rules_dir)
