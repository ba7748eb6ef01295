"""What every linking step shares: the cue word lists (`results/link_cues.jsonl`), compiled once per rule folder,
and the one way a link is made, which records the id of the rule that made it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TypeVar

from extractors.facts import Quantity
from extractors.rules import named_patterns, rule_cache

LINK_CUES_FILE = "results/link_cues.jsonl"
# list members joined by `, `, `and`, `/`: `72.3, 75.8, and 79.4 Top-1`
LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|/\s*|&\s*)$")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LinkCues:
    """One compiled pattern per line of the file, named by its id (`link_cue.<name>`)."""

    comparison_before: re.Pattern[str]  # `outperforms the strong X`: X is the object of a comparison
    rival_before: re.Pattern[str]  # `outperforms state-of-the-art diffusion model X`
    lookback_start: re.Pattern[str]  # `It reaches ...`: the subject is in the previous sentence
    benchmark_after: re.Pattern[str]  # `51.7% on the MATH benchmark`
    benchmark_right_before: re.Pattern[str]  # `on ImageNet from 82.2% to 87.8%`
    respectively: re.Pattern[str]  # `74.0 and 60.2 on AIME24 and AIME25, respectively`
    from_to_gap: re.Pattern[str]  # `from 82.2% to 87.8%`
    fronted_clause: re.Pattern[str]  # `With scores of 74.0 and 60.2, X surpasses ...`
    credited_after: re.Pattern[str]  # `2.74 for TiTok`
    in_parens_after_model: re.Pattern[str]  # `DiT-XL/2 (gFID 3.04)`
    unnamed_before: re.Pattern[str]  # `existing models achieve over 90%`
    unnamed_after: re.Pattern[str]  # `the 20% RFT baseline`
    pair_second: re.Pattern[str]  # `X (gFID 2.74 vs. 3.04)`: the second value is the rival's
    pair_first_after: re.Pattern[str]  # `2.74 vs. 3.04`: the first value is the subject's
    right_before: re.Pattern[str]  # `GPT-4o, which scored 71.0`
    backbone_before: re.Pattern[str]  # `with the vanilla ViT`: a backbone, not the subject
    metric_to_number: re.Pattern[str]  # `accuracy of 51.7%`
    metric_on_benchmark_to_number: re.Pattern[str]  # `WER on the MyST testset 13.93%`
    lead_word: re.Pattern[str]  # `2.8% higher accuracy`
    metric_share_gap: re.Pattern[str]  # `7.5%, 6.5%, and 6.0% WER`: members that share one metric
    lookback_to_number: re.Pattern[str]  # `the accuracy of X on Y from 78.33%`
    clause_break: re.Pattern[str]  # `; `, `, while`: a metric before it is another clause's
    rival_from: re.Pattern[str]  # `boosting X's success rate from 76.5% to 97.1%`: the first end is X's
    improved_baseline: re.Pattern[str]  # `improves the AR baseline by reducing FID from 18.65 to 1.73`
    derived_from_before: re.Pattern[str]  # `X, a replication of Google's Y`: Y is what X derives from
    achieved_by_after: re.Pattern[str]  # `(57.7% box AP and 50.2% mask AP) achieved by Swin-L`
    peer_with_before: re.Pattern[str]  # `on par with X`: a peer, not what the result is built on
    example_before: re.Pattern[str]  # `even when a model like X has achieved`: an example, not a comparison object
    member_gap: re.Pattern[str]  # `60.1% box AP and 52.3% mask AP`: members of one list of results
    versus_second: re.Pattern[str]  # `(90.9% vs. 90.2%)`, `(vs. 86.86% of X)`: the value after `vs.` is a rival's
    versus_of_after: re.Pattern[str]  # `(vs. 86.86% of Wan-I2V-14B)`: the rival named after the value
    named_rival_in_parens: re.Pattern[str]  # `surpassing baselines such as Math-Shepherd PRM (61.7%)`
    first_person_clause: re.Pattern[str]  # `X ...; 2) we improve the score from`: a subject before it is not ours
    metric_qualifier: re.Pattern[str]  # `length-controlled win rate`, `median Dice`: words that belong to the metric
    metric_to_parenthesised_number: re.Pattern[str]  # `accuracy on CIFAR-100 (91.7%)`
    changed_quantity_before: re.Pattern[str]  # `improve robustness on X by 2.4%`: what a delta changes
    changed_quantity_after: re.Pattern[str]  # `45% improvement in segmentation performance`
    contrast_clause: re.Pattern[str]  # `X reaches 92% whereas Y reaches 86%`: the second clause has its own subject
    unnamed_sized_before: re.Pattern[str]  # `a 1.3B model can achieve`: an achiever the text gives no name
    unnamed_of_before: re.Pattern[str]  # `outperforming the state-of-the-art of 43%`: the number is that noun's
    backbone_after: re.Pattern[str]  # `with Swin-L backbone`: what the paper's own system is built on
    unlisted_place: re.Pattern[str]  # `results on Gujarati, Bengali, and Assamese`: where, but no benchmark
    own_subject: re.Pattern[str]  # `The proposed method achieves ...`: the paper's own system as the subject
    comparison_word: re.Pattern[str]  # `than`, `outperforms`: a number after one may be a rival's
    pretraining_after: re.Pattern[str]  # `ImageNet-1K pretrained checkpoints`: data the model learnt from
    pretraining_before: re.Pattern[str]  # `pre-trained on ImageNet-21K`: not where the number was measured


@rule_cache
def link_cues() -> LinkCues:
    return LinkCues(**named_patterns(LINK_CUES_FILE, "link_cue", (f.name for f in fields(LinkCues))))


def set_link(q: Quantity, field: str, value: str, rule: str) -> None:
    """Tie the number to a metric, benchmark or model, and record the id of the rule that did."""
    setattr(q, field, value)
    q.link_rules = [*q.link_rules, rule]


def drop_links(q: Quantity, field: str) -> None:
    """Undo the number's `field` link and its rule ids (a later rule knows better)."""
    setattr(q, field, None)
    q.link_rules = [r for r in q.link_rules if not r.startswith(f"link.{field}.")]


def runs(items: list[T], joined: Callable[[T, T], object]) -> list[list[T]]:
    """Consecutive items grouped while `joined(previous, next)` holds (list members, names joined by `and`)."""
    grouped: list[list[T]] = []
    for item in items:
        if grouped and joined(grouped[-1][-1], item):
            grouped[-1].append(item)
        else:
            grouped.append([item])
    return grouped
