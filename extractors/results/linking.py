"""Tie each number to the metric, benchmark and model its sentence names (leaderboard rows).

Order of evidence, most specific first: parallel lists (`74.0 and 60.2 on AIME24 and AIME25`), the benchmark
right after the number (`51.7% on MATH`), the subject that achieves it (`DeepSeekMath 7B has achieved 51.7%`),
a pronoun's antecedent in the previous sentence, and last the paper's own system or only benchmark.
Every link carries the id of the rule that made it (`link.<field>.<rule>` in `link_rules`); the word lists the
rules read are data (`results/link_cues.jsonl`).
"""

from __future__ import annotations

import re

from extractors.facts import Mention, Quantity
from extractors.results.benchmark_links import link_benchmarks, pretraining_data
from extractors.results.link_rules import LIST_JOIN, drop_links, link_cues, runs, set_link
from extractors.results.metric_links import link_metrics
from extractors.results.model_links import compared, link_models, study_model
from extractors.sentences import sentence_of

LINKED_KINDS = ("score", "delta", "efficiency", "size")
# `CIFAR100-LT (IF100), ImageNet-LT, iNaturalist 2018, and Places-LT`: a list member may carry a short parenthetical
NAME_LIST_JOIN = re.compile(r"^\s*(?:\([^()]{1,20}\)\s*)?(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|/\s*|&\s*)$")
POSITIONAL_RULES = ("right_before", "credited_after", "parenthesised", "parenthesised_pair", "metric_of", "parallel_lists")


def link_results(
    text: str,
    sentences: list[tuple[int, int]],
    quantities: list[Quantity],
    mentions: list[Mention],
    title_end: int,
    systems: list[Mention] | None = None,
) -> None:
    """Fill metric, benchmark and model on each quantity, with the rule that made each link."""
    systems = systems or []
    # pretraining data (`ImageNet-1K pretrained checkpoints`) is where no number of the paper was measured
    benches = [m for m in mentions if m.label == "benchmark" and not pretraining_data(text, m)]
    models = _merge([m for m in mentions if m.label == "model"], [s for s in systems if s.label in ("model", "system")])
    own_models = [s for s in systems if s.label in ("model", "system")]
    # the paper's own dataset, unless the names component labels that name a model (the benchmark column must
    # hold benchmarks: the catalog gate rejects a leaderboard benchmark no `benchmarks` row names)
    model_names = {m.text for m in mentions if m.label == "model"}
    own_bench = next((s for s in systems if s.label == "benchmark" and s.text not in model_names), None)
    study = study_model(text, sentences, models) if not own_models and not own_bench else None
    only_bench = _only(benches)
    by_sentence: dict[int, list[Quantity]] = {}
    for q in quantities:
        by_sentence.setdefault(sentence_of(sentences, q.start), []).append(q)
    for index, qs in by_sentence.items():
        s_start, s_end = sentences[index]
        s_benches = [b for b in benches if s_start <= b.start < s_end]
        s_models = [m for m in models if s_start <= m.start < s_end]
        linkable = [q for q in qs if q.kind in LINKED_KINDS]
        _pair_parallel_lists(text, linkable, s_benches, "benchmark")
        if len(linkable) > 1 and link_cues().respectively.search(text, s_start, s_end):  # pairs need two numbers
            _pair_respectively(text, linkable, s_models, sentences, index, {"benchmark": benches, "model": models})
        p_start, p_end = sentences[index - 1] if index else (s_start, s_start)
        p_benches = [b for b in benches if p_start <= b.start < p_end]
        link_benchmarks(text, linkable, s_benches, only_bench, own_bench, p_benches)
        _share_from_to(text, linkable, "benchmark")
        link_models(text, linkable, s_models, sentences, index, models, own_models, study)
        _share_from_to(text, linkable, "model")
        link_metrics(text, qs, s_start, [(b.start, b.end) for b in s_benches])


def _merge(first: list[Mention], second: list[Mention]) -> list[Mention]:
    spans = {(m.start, m.end) for m in first}
    return sorted(first + [m for m in second if (m.start, m.end) not in spans], key=lambda m: m.start)


def _only(benches: list[Mention]) -> Mention | None:
    """The paper's one benchmark, however often and in which form it is written: `Brain Tumor Segmentation Challenge
    (BraTS)` is one, and goes by its short form, as results tables do."""
    kept = [b for b in benches if not b.optional]
    if len({b.canonical or b.name for b in kept}) != 1:
        return None
    return min(kept, key=lambda b: len(b.text))


def _pair_parallel_lists(text: str, qs: list[Quantity], names: list[Mention], field: str) -> None:
    """`74.0 and 60.2 ... AIME24 and AIME25`, `1.0B, 2.8B and 4.5B ... respectively`: pair in order."""
    if len(qs) < 2 or len(names) < 2:
        return
    q_runs = [r for r in runs(qs, lambda a, b: LIST_JOIN.match(text[a.end : b.start])) if len(r) > 1]
    distinct: list[Mention] = []
    for m in names:
        if all(d.text != m.text for d in distinct):
            distinct.append(m)
    n_runs = [r for r in runs(distinct, lambda a, b: NAME_LIST_JOIN.match(text[a.end : b.start])) if len(r) > 1]
    for q_run in q_runs:
        for n_run in n_runs:
            if len(n_run) != len(q_run) or any(getattr(q, field) for q in q_run):
                continue
            for q, name in zip(q_run, n_run, strict=True):
                set_link(q, field, name.text, f"link.{field}.parallel_lists")
            break


def _pair_respectively(
    text: str, qs: list[Quantity], s_models: list[Mention], sentences: list[tuple[int, int]], index: int, names: dict[str, list[Mention]]
) -> None:
    """`..., respectively`: the sentence's models pair with its numbers; a field the sentence names none of pairs
    with the previous sentence's names (`... on CIFAR100, ImageNet100, and ImageNet1000. ... gains of 12.10, 6.51,
    and 2.85 points, respectively.`)."""
    marked = compared(text, s_models)  # `X reaches 35% and 31% respectively, competitive with A or B`
    _pair_parallel_lists(text, qs, [m for m in s_models if m.start not in marked], "model")
    if index == 0:
        return
    s_start, s_end = sentences[index]
    p_start, p_end = sentences[index - 1]
    for field, mentions in names.items():
        if not any(s_start <= n.start < s_end for n in mentions):
            _pair_parallel_lists(text, qs, [n for n in mentions if p_start <= n.start < p_end], field)


def _positional(q: Quantity, field: str) -> bool:
    """Was the link read from where the name stands next to the number (not from the sentence's subject)?"""
    return any(r.startswith(f"link.{field}.") and r.split(".")[2].split(":")[0] in POSITIONAL_RULES for r in q.link_rules)


def _share_from_to(text: str, qs: list[Quantity], field: str) -> None:
    """`on ImageNet from 82.2% to 87.8%`: the two ends of a change share the first one's link when the second has
    none, or when the first was found right next to it (a later `on Omniglot` belongs to the next change)."""
    from_to_gap = link_cues().from_to_gap
    for a, b in zip(qs, qs[1:], strict=False):
        if not from_to_gap.match(text[a.end : b.start]):
            continue
        if field == "model" and f"link.{field}.credited_after" in b.link_rules and not _positional(a, field):
            # `13.93% to 9.11% with Whisper-Small`: the model named after the change is the first end's too
            drop_links(a, "model")
            set_link(a, field, b.model, "link.model.from_to")
            continue
        if not getattr(a, field):
            continue
        if getattr(b, field) and f"link.{field}.right_before" not in a.link_rules:
            continue
        drop_links(b, field)
        set_link(b, field, getattr(a, field), f"link.{field}.from_to")
