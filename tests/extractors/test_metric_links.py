"""The metric a sentence names for each number: where it stands, how it is written, and what it is called.

Sentences are written in the shape of ML abstracts; each test is one way a metric is named.
"""

from __future__ import annotations

import pytest

from extractors.pipeline import paper_text, shared_nlp
from extractors.results.leaderboard import candidates
from extractors.results.metrics import canonical_metric


def _metrics(abstract: str) -> dict[str, tuple[str | None, str]]:
    """number text -> (metric as written, the metric link rule) for every number of the abstract."""
    doc = shared_nlp()(paper_text("T", abstract))
    return {
        q.text: (q.metric, next((r for r in q.link_rules if r.startswith("link.metric.")), ""))
        for q in doc._.quantities
    }


def _written(abstract: str) -> dict[str, str | None]:
    return {text: metric for text, (metric, _) in _metrics(abstract).items()}


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a plural or a trailing `score` is read with the metric, not kept in it
        ("It reaches F1 scores of 0.812 and 0.774 on the two test sets.", {"0.812": "F1", "0.774": "F1"}),
        (
            "Rescoring gives WERs of 1.9% on test-clean and 4.1% on test-other.",
            {"1.9%": "WER", "4.1%": "WER"},
        ),
        ("The captioner reaches SPIDEr scores of 41.2% on AudioCaps.", {"41.2%": "SPIDEr"}),
        (
            "It improves the LaSOT SUC score from 0.681 to 0.712 with the base variant.",
            {"0.681": "SUC", "0.712": "SUC"},
        ),
        # qualifiers written before the metric belong to it
        (
            "FooLM achieves a 61.3% length-controlled win rate on AlpacaEval 2.",
            {"61.3%": "length-controlled win rate"},
        ),
        ("It reaches a median Dice score of 0.912 on the validation cases.", {"0.912": "median Dice"}),
        ("It learns a robust classifier with 47% robust accuracy under attack.", {"47%": "robust accuracy"}),
        # a metric that qualifies the next one: the two are one metric
        ("BarDock obtains a 41% top-1 success rate on PDBBind.", {"41%": "top-1 success rate"}),
        # spelled-out names the registry knows
        (
            "Our model reaches an Inception Score of 9.21 and a Fréchet Inception Distance of 3.05 on CIFAR-10.",
            {"9.21": "Inception Score", "3.05": "Fréchet Inception Distance"},
        ),
        (
            "The agent reaches a mean human normalized score of 1.12 on Atari 100k.",
            {"1.12": "mean human normalized score"},
        ),
        (
            "The classifier reaches a sensitivity of 91.4 and a specificity of 96.2.",
            {"91.4": "sensitivity", "96.2": "specificity"},
        ),
        # `in terms of` leads from a number to its metric
        ("It reaches 61.2% in terms of NDS metric on the test split.", {"61.2%": "NDS"}),
        # markdown emphasis around the number
        (
            "It improves the pass@1 accuracy of BazCoder from 41.5% to **47.25**% overall.",
            {"41.5%": "pass@1 accuracy", "47.25": "pass@1 accuracy"},
        ),
    ],
)
def test_the_metric_as_written(abstract: str, expected: dict[str, str]) -> None:
    got = _written(abstract)
    assert {k: got.get(k) for k in expected} == expected


def test_metrics_listed_pair_with_numbers_listed_in_order() -> None:
    got = _metrics(
        "The estimator offers the best total MAE and PLCC of 0.13 and 0.89, respectively, on held-out speech."
    )
    assert got["0.13"] == ("MAE", "link.metric.parallel_lists:metric.detection_misc")
    assert got["0.89"][0] == "PLCC"
    got = _written("It improves AP_{25}/AP_{50} from 61.0%/44.2% to 70.3%/58.9% on the indoor benchmark.")
    assert got == {"61.0%": "AP_{25}", "44.2%": "AP_{50}", "70.3%": "AP_{25}", "58.9%": "AP_{50}"}
    got = _written(
        "It sets a new state of the art, achieving CIDEr / SPICE / BLEU-4 scores of 121.4, 22.0 and 38.2, respectively."
    )
    assert got == {"121.4": "CIDEr", "22.0": "SPICE", "38.2": "BLEU-4"}


def test_two_lists_with_their_own_metric_after_each() -> None:
    got = _written(
        "The results are 0.91, 0.88 and 0.85 for Dice score, and 4.1, 3.2 and 2.7 for Hausdorff distance."
    )
    assert got == {
        "0.91": "Dice",
        "0.88": "Dice",
        "0.85": "Dice",
        "4.1": "Hausdorff distance",
        "3.2": "Hausdorff distance",
        "2.7": "Hausdorff distance",
    }


def test_numbers_in_parentheses_after_the_names_a_metric_was_measured_on() -> None:
    got = _metrics(
        "Our networks transfer well and reach state-of-the-art accuracy on CUB-200 (88.1%), Stanford Cars (94.0%), "
        "and 4 other datasets."
    )
    assert got["88.1%"] == ("accuracy", "link.metric.before_parenthesised:metric.accuracy")
    assert got["94.0%"] == ("accuracy", "link.metric.carried")


def test_a_compared_number_takes_the_metric_of_the_number_it_is_compared_with() -> None:
    got = _metrics(
        "In our study, QuxLM reaches 71.2% accuracy, whereas the strongest open baseline reaches 64.0%."
    )
    assert got["64.0%"] == ("accuracy", "link.metric.carried")
    got = _written(
        "A simple logistic model reaches an F1 score of 48.0%, well above a majority baseline (21%)."
    )
    assert got["21%"] == "F1"


def test_a_list_compared_with_values_of_different_metrics_pairs_with_them() -> None:
    got = _written("It keeps quality (e.g., FID: 1.59, IS: 304.4 vs. original 1.61, 299.1) on ImageNet.")
    assert got == {"1.59": "FID", "304.4": "IS", "1.61": "FID", "299.1": "IS"}


def test_a_carried_metric_leaves_its_setting_behind() -> None:
    got = _written("QuxLM achieves 68.0% zero-shot accuracy on GSM8K, and 55.1% on MATH with maj@64.")
    assert got == {"68.0%": "zero-shot accuracy", "55.1%": "accuracy"}


def test_nothing_is_carried_across_another_metric_or_an_unknown_metric_word() -> None:
    got = _written("It reaches FID 3.12 and KDD 0.301 on ImageNet-256.")
    assert (
        got["3.12"] == "FID" and got["0.301"] is None
    )  # `FID 3.12` is a value, not a product number like `Pi 4`
    got = _written("It reaches 81.0% accuracy and 2.4 FID, while a baseline reaches 75.0%.")
    assert got["75.0%"] is None


def test_a_spaced_percent_sign_reads_like_an_attached_one() -> None:
    doc = shared_nlp()(paper_text("T", "The detector achieves 6.2 % higher mAP50 on Pascal VOC than YOLOv3."))
    (q,) = doc._.quantities
    assert (q.kind, q.metric) == ("delta", "mAP50")


@pytest.mark.parametrize(
    ("written", "name", "rule", "higher_is_better"),
    [
        ("robust accuracy", "robust accuracy", "metric_registry.accuracy", True),
        ("median Dice score", "median Dice", "metric_registry.dice", True),
        ("top-1 success rate", "top-1 success rate", "metric_registry.success_rate", True),
        ("length-controlled win-rate", "length-controlled win rate", "metric_registry.lc_win_rate", True),
        ("win-rate", "win rate", "metric_registry.win_rate", True),
        (
            "mean human normalized score",
            "human normalized score",
            "metric_registry.human_normalized_score",
            True,
        ),
        ("system-level SRCC", "system-level Spearman correlation", "metric_registry.spearman", True),
        ("ranking", "rank", "metric_registry.rank", False),
        ("mAP_{50}", "mAP50", "metric_registry.map_iou", True),
        ("qualified job applications", "qualified job applications", "metric_registry.unknown", None),
    ],
)
def test_canonical_names_of_qualified_and_spelled_out_metrics(
    written: str, name: str, rule: str, higher_is_better: bool | None
) -> None:
    metric = canonical_metric(written)
    assert (metric.name, metric.rule, metric.higher_is_better) == (name, rule, higher_is_better)


def test_a_carried_metric_is_its_own_confidence_evidence() -> None:
    text = "T\nOn MATH, FooMath-7B reaches 61.0% accuracy, compared with 55.2% for BarMath-7B."
    doc = shared_nlp()(text)
    rows = {
        c.quantity.text: c
        for c in candidates(doc.text, doc._.quantities, doc._.mentions, doc._.systems or [], 1)
    }
    assert "metric:known" in rows["61.0%"].features
    assert "metric:carried" in rows["55.2%"].features


def test_a_delta_measures_what_it_changes_when_no_known_metric_is_named() -> None:
    got = _metrics("We improve corruption robustness on ImageNet-C by 2.1% with the same backbone.")
    assert got["2.1%"] == ("corruption robustness", "link.metric.changed_quantity_before")
    got = _written(
        "It brings a 31% relative improvement in segmentation performance on the downstream tasks."
    )
    assert got["31%"] == "segmentation performance"
    got = _written("It outperforms the strongest baselines by 5.2% on average.")
    assert got["5.2%"] is None  # a comparison's object is no metric


def test_a_comparative_names_the_metric_it_implies() -> None:
    got = _metrics("The pruned detector is 3.1 times faster than its dense counterpart.")
    assert got["3.1 times"] == ("speed", "link.metric.implied:implied_metric.faster")
