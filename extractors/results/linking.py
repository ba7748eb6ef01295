"""Tie each number to the metric, benchmark and model its sentence names (leaderboard rows).

Order of evidence, most specific first: parallel lists (`74.0 and 60.2 on AIME24 and AIME25`), the benchmark
right after the number (`51.7% on MATH`), the subject that achieves it (`DeepSeekMath 7B has achieved 51.7%`),
a pronoun's antecedent in the previous sentence, and last the paper's own system or only benchmark.
Every link carries the id of the rule that made it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.facts import Mention, Quantity
from extractors.numbers.kinds import QUALIFIED_LIST_GAP
from extractors.rules import rule_file
from extractors.sentences import sentence_of

COMPARISON_BEFORE = re.compile(
    r"(?:\b(?:than|over|versus|vs\.?|against|(?:compared|relative|superior|inferior|comparable|similar|close|equal|equivalent|identical) to|"
    r"compared with|in comparison with|on par with|surpass\w*|outperform\w*|beat\w*|exceed\w*|from|like|including|as|and|or|"
    r"on|in|by|via|using|rival\w*|match\w*)"
    r"\s+(?:the\s+|a\s+|an\s+)?(?:strong\s+|previous\s+|prior\s+|baseline\s+|recent\s+|original\s+|leading\s+|proprietary\s+|"
    r"closed-source\s+|open-source\s+|state-of-the-art\s+|SOTA\s+|popular\s+|larger\s+|vanilla\s+|standard\s+)*"
    # `matches the performance of X`, `on par with that of X`: X is the reference, not the subject
    r"|\b(?:that|those|(?:match\w*|rival\w*|surpass\w*|exceed\w*|outperform\w*|beat\w*|approach\w*|reach\w*|comparable to|on par with|close to)"
    r"\s+(?:the\s+)?(?:performance|accuracy|results?|quality|scores?|capabilit\w*|level))\s+of\s+(?:the\s+)?)$"
)
LOOKBACK_START = re.compile(
    r"^\s*(?:(?:Moreover|Additionally|Furthermore|Notably|In particular|Specifically|Remarkably|Besides|Also|Further|Overall|Finally),?\s+)?"
    r"(?:It|Its|This model|The model|Our model|This|These|The resulting model|Such|They|The latter|The former)\b"
)
OWN_CUE = re.compile(r"\b(?:our|we|ours|proposed)\b", re.I)
BENCH_AFTER = re.compile(
    r"^[^;]{0,70}?\b(?:on|in|for|across|over|at|of)\s+(?:the\s+)?(?:(?:challenging|popular|standard|public|full|held-out|zero-shot|few-shot|unseen|hidden|official)\s+)?$"
)
# `accuracy on ImageNet from 82.2% to 87.8%`: the benchmark just before the number, nothing but a preposition between
BENCH_RIGHT_BEFORE = re.compile(r"^\s*(?:\([^)]{0,20}\)\s*)?(?:from|to|of|at|is|was|with|reaching|reaches|by|:|=)?\s*$")
# `82.2% ImageNet accuracy`, `40.2% MSRVTT retrieval`
BENCH_ADJACENT_AFTER = re.compile(r"^\s?$")
RESPECTIVELY = re.compile(r"\brespectively\b")
LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|/\s*|&\s*)$")
# `outperforms multilingual BERT (mBERT)`: a name and its parenthesised short form are one object
# `CIFAR100-LT (IF100), ImageNet-LT, iNaturalist 2018, and Places-LT`: a list member may carry a short parenthetical
NAME_LIST_JOIN = re.compile(r"^\s*(?:\([^()]{1,20}\)\s*)?(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|/\s*|&\s*)$")
NAME_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|/\s*|&\s*|\(\s*)$")
PAREN_BEFORE = re.compile(r"^\s*\(\s*(?:~|≈|about\s+)?$")
LINKED_KINDS = ("score", "delta", "efficiency", "size")
ONE_WORD = re.compile(r"\s*[\w-]+\s+")
METRIC_TO_NUMBER = re.compile(r"\s*(?:\(\w+\)\s*)?(?:of|is|=|:|by|to|reaches|reaching|achieves|at|from)?\s*(?:an?\s+)?(?:\w+\s+)?(?:up to\s+|over\s+|about\s+)?\(?$")
# `the Word Error Rate (WER) on the MyST testset 13.93% to 9.11%`: a metric, the data it was measured on, the number
METRIC_ON_BENCHMARK_TO_NUMBER = re.compile(r"^\s*\)?\s*(?:\([\w@.-]{1,10}\)\s*)?(?:on|for|in|over)\s+(?:the\s+)?[^,;.\d()]{1,45}?\s+(?:from\s+|of\s+|is\s+|reaches\s+|to\s+)?$")
LEAD_WORD = re.compile(
    r"\s*(?:(?:higher|lower|fewer|less|more|faster|relative|absolute|average|overall|end-to-end|reduction in|reduction of|"
    r"improvement in|gain in)\s+){0,2}"
)
# `word-error-rate (WER)`, `Inception Score (IS)`: the short form a paper defines is the metric's name
METRIC_ACRONYM_AFTER = re.compile(r"\s*\(([A-Za-z][\w@.-]{1,9})\)")
# list members that share one metric: `7.5%, 6.5%, and 6.0% WER`, `25-50%`, `gFID 2.74 vs. 3.04`, `77.9%(+2.1%)`
METRIC_SHARE_GAP = re.compile(
    r"^\s*(?:[-–~]|to|vs\.?|versus|\()\s*$|^\s+over\s+[^,;.\d()]{1,30}?\s+(?:and|or)\s+$"
    # `84.3% mIoU on the Cityscapes validation set and 54.3% on ADE20K`, `82.9 (76.8) on HumanEval (+) and 84.1 (72.0)`
    r"|^\s+[\w@.-]{1,15}(?:\s+score)?\s+(?:on|for|in)\s+[^,;.\d()]{1,50}?\s+(?:and|or)\s+$"
    r"|^\s*\)\s+(?:on|for|in)\s+[^,;.\d]{1,40}?\s+(?:and|or)\s+$"
)


@lru_cache(maxsize=1)
def metric_pattern() -> re.Pattern[str]:
    parts = []
    for r in rule_file("numbers/metrics.jsonl"):
        parts.append(f"(?P<{r['id'].replace('.', '_')}>" + ("(?i:" + r["pattern"] + ")" if r.get("ci") else r["pattern"]) + ")")
    return re.compile(r"(?<![\w@-])(?:" + "|".join(parts) + r")(?![\w@])")


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
    benches = [m for m in mentions if m.label == "benchmark"]
    models = _merge([m for m in mentions if m.label == "model"], [s for s in systems if s.label in ("model", "system")])
    own_model = next((s for s in systems if s.label in ("model", "system")), None)
    own_bench = next((s for s in systems if s.label == "benchmark"), None)
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
        if RESPECTIVELY.search(text, s_start, s_end):
            _pair_parallel_lists(text, linkable, s_models, "model")
            if index > 0:
                # `... on CIFAR100, ImageNet100, and ImageNet1000. ... gains of 12.10, 6.51, and 2.85 points, respectively.`
                p_start, p_end = sentences[index - 1]
                for field, names in (("benchmark", benches), ("model", models)):
                    if not any(s_start <= n.start < s_end for n in names):
                        _pair_parallel_lists(text, linkable, [n for n in names if p_start <= n.start < p_end], field)
        _link_benchmarks(text, linkable, s_benches, only_bench, own_bench)
        _share_from_to(text, linkable, "benchmark")
        _link_models(text, linkable, s_models, sentences, index, models, own_model)
        _share_from_to(text, linkable, "model")
        _link_metrics(text, qs, s_start)


def _merge(first: list[Mention], second: list[Mention]) -> list[Mention]:
    spans = {(m.start, m.end) for m in first}
    return sorted(first + [m for m in second if (m.start, m.end) not in spans], key=lambda m: m.start)


def _only(benches: list[Mention]) -> Mention | None:
    names = {b.name for b in benches if not b.optional}
    if len(names) != 1:
        return None
    return next(b for b in benches if not b.optional)


def _set(q: Quantity, field: str, value: str, rule: str) -> None:
    setattr(q, field, value)
    q.link_rules = [*q.link_rules, rule]


def _runs(items: list, gap_ok) -> list[list]:
    runs: list[list] = []
    for item in items:
        if runs and gap_ok(runs[-1][-1], item):
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _pair_parallel_lists(text: str, qs: list[Quantity], names: list[Mention], field: str) -> None:
    """`74.0 and 60.2 ... AIME24 and AIME25`, `1.0B, 2.8B and 4.5B ... respectively`: pair in order."""
    if len(qs) < 2 or len(names) < 2:
        return
    q_runs = [r for r in _runs(qs, lambda a, b: LIST_JOIN.match(text[a.end : b.start])) if len(r) > 1]
    distinct: list[Mention] = []
    for m in names:
        if all(d.text != m.text for d in distinct):
            distinct.append(m)
    n_runs = [r for r in _runs(distinct, lambda a, b: NAME_LIST_JOIN.match(text[a.end : b.start])) if len(r) > 1]
    for q_run in q_runs:
        for n_run in n_runs:
            if len(n_run) != len(q_run) or any(getattr(q, field) for q in q_run):
                continue
            for q, name in zip(q_run, n_run, strict=True):
                _set(q, field, name.text, f"link.{field}.parallel_lists")
            break


# Where a benchmark stands next to its number, most specific first: (rule, benchmark before the number?, gap, for sizes?)
BENCHMARK_POSITIONS = (
    ("link.benchmark.parenthesised", True, PAREN_BEFORE, True),  # `Librispeech (960h)`, `Enwik8 (0.99 bpb)`
    ("link.benchmark.adjacent_after", False, BENCH_ADJACENT_AFTER, True),  # `82.2% ImageNet accuracy`
    ("link.benchmark.right_before", True, BENCH_RIGHT_BEFORE, False),  # `on ImageNet from 82.2% to 87.8%`
    ("link.benchmark.on_after", False, BENCH_AFTER, True),  # `51.7% on the MATH benchmark`
)


def _benchmark_by_position(text: str, q: Quantity, benches: list[Mention]) -> tuple[Mention, str] | None:
    for rule, before, gap, for_sizes in BENCHMARK_POSITIONS:
        if q.kind == "size" and not for_sizes:
            continue
        if before:
            hits = [b for b in benches if b.end <= q.start and gap.match(text[b.end : q.start])]
            if hits:
                return hits[-1], rule
        else:
            hits = [b for b in benches if b.start >= q.end and gap.match(text[q.end : b.start])]
            if hits:
                return hits[0], rule
    return None


def _link_benchmarks(text: str, qs: list[Quantity], benches: list[Mention], only: Mention | None, own: Mention | None) -> None:
    for q in qs:
        if q.benchmark:
            continue
        placed = _benchmark_by_position(text, q, benches)
        if placed is not None:
            _set(q, "benchmark", placed[0].text, placed[1])
            continue
        if q.kind == "size":
            if own is not None:
                _set(q, "benchmark", own.text, "link.benchmark.own_dataset")
            continue
        before = [b for b in benches if b.end <= q.start]
        if before:
            _set(q, "benchmark", before[-1].text, "link.benchmark.before")
        elif len({b.text for b in benches}) == 1 and q.kind in ("score", "delta"):
            _set(q, "benchmark", benches[0].text, "link.benchmark.only_in_sentence")
        elif not benches and only is not None and q.kind in ("score", "delta"):
            _set(q, "benchmark", only.text, "link.benchmark.only_in_paper")
        elif not benches and own is not None:
            _set(q, "benchmark", own.text, "link.benchmark.own_dataset")


FROM_TO_GAP = re.compile(r"^\s+to\s+(?:about\s+|over\s+|nearly\s+)?$")


POSITIONAL_RULES = ("right_before", "credited_after", "parenthesised", "parenthesised_pair", "metric_of", "parallel_lists")


def _positional(q: Quantity, field: str) -> bool:
    """Was the link read from where the name stands next to the number (not from the sentence's subject)?"""
    return any(r.startswith(f"link.{field}.") and r.split(".")[2].split(":")[0] in POSITIONAL_RULES for r in q.link_rules)


def _share_from_to(text: str, qs: list[Quantity], field: str) -> None:
    """`on ImageNet from 82.2% to 87.8%`: the two ends of a change share the first one's link when the second has
    none, or when the first was found right next to it (a later `on Omniglot` belongs to the next change)."""
    for a, b in zip(qs, qs[1:], strict=False):
        if not FROM_TO_GAP.match(text[a.end : b.start]):
            continue
        if field == "model" and f"link.{field}.credited_after" in b.link_rules and not _positional(a, field):
            # `13.93% to 9.11% with Whisper-Small`: the model named after the change is the first end's too
            a.model = None
            a.link_rules = [r for r in a.link_rules if not r.startswith("link.model.")]
            _set(a, field, b.model, "link.model.from_to")
            continue
        if not getattr(a, field):
            continue
        if getattr(b, field) and f"link.{field}.right_before" not in a.link_rules:
            continue
        setattr(b, field, None)
        b.link_rules = [r for r in b.link_rules if not r.startswith(f"link.{field}.")]
        _set(b, field, getattr(a, field), f"link.{field}.from_to")


# `outperforms state-of-the-art diffusion model DiT-XL/2`: a few descriptive words may stand between verb and rival
RIVAL_BEFORE = re.compile(r"\b(?:outperform\w*|surpass\w*|beat\w*|exceed\w*|than|vs\.?|versus|compared (?:to|with)|relative to)\s+(?:[\w-]+\s+){0,3}$")


def _compared(text: str, models: list[Mention]) -> set[int]:
    """Start offsets of models that are objects of a comparison: `outperforms A, B and C` marks all three."""
    marked: set[int] = set()
    for run in _runs(models, lambda a, b: NAME_JOIN.match(text[a.end : b.start])):
        if COMPARISON_BEFORE.search(text, max(0, run[0].start - 40), run[0].start) or RIVAL_BEFORE.search(
            text, max(0, run[0].start - 70), run[0].start
        ):
            marked.update(m.start for m in run)
    return marked


FRONTED_CLAUSE = re.compile(r"\s*(?:With|Using|At|On|In|By|Under|Across|After|When|Compared|Trained|Built|Based|Evaluated|Given)\b")


def _subject_after_fronted_clause(text: str, q: Quantity, s_start: int, models: list[Mention], compared: set[int]) -> Mention | None:
    """`With AIME24 & 25 scores of 74.0 and 60.2 respectively, Light-R1-14B-DS surpasses ...`: the subject follows
    the fronted clause that holds the number."""
    if not FRONTED_CLAUSE.match(text, s_start):
        return None
    comma = text.find(",", q.end)
    if comma < 0:
        return None
    for m in models:
        if m.start > comma and m.start not in compared and re.fullmatch(r",\s*(?:the\s+|our\s+)?", text[comma : m.start]):
            return m
    return None


# `2.74 for TiTok`, `(vs. 3.04 by DiT)`, `40.1% from Llama 2`: the model named right after the number scored it
CREDITED_AFTER = re.compile(r"^\s*(?:%|\\%|points?|pts)?\s*(?:[\w@.-]+\s+){0,2}?(?:for|by|from|with)\s+(?:the\s+|a\s+)?$")


# `outperforming DiT-XL/2 (gFID 3.04)`: a number in parentheses right after a model is that model's
IN_PARENS_AFTER_MODEL = re.compile(r"^\s*(?:(?:model|baseline|method|system|agent)s?\s*)?\(\s*(?:[\w@.-]+\s*[:=]?\s*){0,2}$")
# `the 20% RFT baseline`, `the previous best of 87.8%`, `existing models achieve over 90%`: an unnamed achiever
UNNAMED_BEFORE = re.compile(
    r"\b(?:existing|previous|prior|other|competing|current|baseline|conventional|standard|human|oracle|random|majority)\s+"
    r"(?:[\w-]+\s+)?(?:models?|methods?|approaches|systems?|best|baselines?|state[- ]of[- ]the[- ]art|SOTA|annotators?|experts?|"
    r"performance|agreement|chance|guess\w*|class)\b[^,;()]{0,40}$",
    re.I,
)
UNNAMED_AFTER = re.compile(r"^\s*(?:%|\\%)?\s*(?:[A-Za-z-]+\s+){0,2}?(?:baselines?|of (?:the )?(?:baselines?|humans?|experts?|annotators?))\b")
# `outperforms DiT-XL/2 (gFID 2.74 vs. 3.04)`: the first of a parenthesised pair is the subject's, the second the rival's
PAIR_SECOND = re.compile(r"^\s*(?:[\w@.-]+\s*[:=]?\s*){0,2}\(?\s*(?:[\w@.-]+\s*[:=]?\s*){0,2}[\d.]+\s*%?\s*(?:vs\.?|versus|/)\s*$")
PAIR_FIRST_AFTER = re.compile(r"\s*%?\s*(?:vs\.?|versus)\s+[\d.]")


# `improves Phi3-mini-3.8B from 41.4% to 86.4%`, `GPT-4o, which scored 71.0`: the model right before the number
RIGHT_BEFORE = re.compile(
    r"^\s*(?:from|:|=|,?\s*(?:which|that|who)\s+(?:only\s+)?(?:scored|scores|achieved|achieves|reached|reaches|obtained|obtains|gets|got|attains|attained)"
    r"(?:\s+(?:an?|only|just))?)\s*$"
)


METRIC_OF_GAP = re.compile(r"^\s*(?:%|\\%)?\s*(?P<metric>(?:[\w@.-]+\s+){1,3}?)of\s+(?:the\s+)?$")


def _metric_of(text: str, q: Quantity, model: Mention) -> bool:
    """`the 2.65% test error of NASNet`: a metric between the number and `of` makes the model after it the scorer
    (`within 5% of GPT-4`, `1.5% of the X training data` have none)."""
    gap = METRIC_OF_GAP.match(text[q.end : model.start])
    return gap is not None and metric_pattern().search(gap.group("metric")) is not None


def _credited_after(text: str, q: Quantity, models: list[Mention], compared: set[int]) -> tuple[Mention, str] | None:
    """The model a number is credited to by its position: named right after it (`2.74 for TiTok`), right before
    it (`Phi3-mini-3.8B from 41.4%`, `GPT-4o which scored 71.0`) or right before the parentheses that hold it
    (`DiT-XL/2 (gFID 3.04)`)."""
    after = [m for m in models if m.start >= q.end]
    if after and CREDITED_AFTER.match(text[q.end : after[0].start]) and "\n" not in text[q.end : after[0].start]:
        return after[0], "link.model.credited_after"
    if after and _metric_of(text, q, after[0]):
        return after[0], "link.model.metric_of"
    before = [m for m in models if m.end <= q.start]
    if not before:
        return None
    rival = before[-1]
    gap = text[rival.end : q.start]
    if RIGHT_BEFORE.match(gap):
        return rival, "link.model.right_before"
    if q.kind != "score":
        return None  # `DeepSeek-R1 (at <5% of the inference cost)`: a cost in parentheses is the subject's
    if IN_PARENS_AFTER_MODEL.match(gap):
        if rival.start in compared and PAIR_FIRST_AFTER.match(text, q.end):
            return None  # the subject's own number: the subject rule decides
        return rival, "link.model.parenthesised"
    if rival.start in compared and gap.lstrip().startswith("(") and PAIR_SECOND.match(gap.lstrip()[1:]):
        return rival, "link.model.parenthesised_pair"
    return None


# `our VideoMAE with the vanilla ViT can achieve 87.4%`: a backbone named after the system is not the subject
BACKBONE_BEFORE = re.compile(r"\b(?:with|using|based on|on top of|built on|upon)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$")


def _subject(models: list[Mention], compared: set[int], before: int, text: str = "") -> Mention | None:
    """The nearest model before the number that is not the object of a comparison nor a backbone of an earlier one."""
    candidates = [m for m in models if m.end <= before and m.start not in compared]
    for i in range(len(candidates) - 1, -1, -1):
        m = candidates[i]
        if i > 0 and text and BACKBONE_BEFORE.search(text, max(candidates[i - 1].end, m.start - 40), m.start):
            continue
        return m
    return None


def _link_models(
    text: str,
    qs: list[Quantity],
    s_models: list[Mention],
    sentences: list[tuple[int, int]],
    index: int,
    all_models: list[Mention],
    own: Mention | None,
) -> None:
    s_start, _ = sentences[index]
    compared = _compared(text, s_models)
    subjects_in_sentence = [m for m in s_models if m.start not in compared]
    for q in qs:
        if q.model:
            continue
        if UNNAMED_BEFORE.search(text, max(s_start, q.start - 80), q.start) or UNNAMED_AFTER.match(text[q.end : q.end + 40]):
            q.link_rules = [*q.link_rules, "link.model.unnamed_achiever"]
            continue
        credited = _credited_after(text, q, s_models, compared)
        if credited is not None:
            _set(q, "model", credited[0].text, credited[1])
            continue
        subject = _subject(s_models, compared, q.start, text)
        if subject is not None:
            _set(q, "model", subject.text, "link.model.subject")
            continue
        if subjects_in_sentence and q.kind == "size":
            _set(q, "model", subjects_in_sentence[0].text, "link.model.subject_after")
            continue
        later = _subject_after_fronted_clause(text, q, s_start, s_models, compared)
        if later is not None:
            _set(q, "model", later.text, "link.model.subject_after_clause")
            continue
        if index > 0 and LOOKBACK_START.match(text, s_start):
            p_start, p_end = sentences[index - 1]
            p_models = [m for m in all_models if p_start <= m.start < p_end]
            p_compared = _compared(text, p_models)
            prev = [m for m in p_models if m.start not in p_compared]
            if prev:
                _set(q, "model", prev[0].text, "link.model.lookback")
                continue
        # a sentence that names no model reports on the paper's own system (sizes describe data, not it)
        if own is not None and not subjects_in_sentence and q.kind != "size":
            _set(q, "model", own.text, "link.model.own_system")


def _metric_id(match: re.Match) -> str:
    return (match.lastgroup or "").replace("_", ".", 1)


SINGULAR = {"speedups": "speedup", "speed-ups": "speed-up", "throughputs": "throughput", "reductions": "reduction",
            "latencies": "latency", "accuracies": "accuracy", "improvements": "improvement", "savings": "saving"}
METRIC_KINDS = ("score", "delta", "efficiency")
# `the pass@1 accuracy of DeepSeek-R1 on AIME2024 from 78.33% to 85.67%`, `reduce the inference latency of OPT-175B by
# over 2X`: a metric named earlier in the clause, tied to the number by a change or a preposition right before it
LOOKBACK_TO_NUMBER = re.compile(
    r"(?:\bfrom|\bto|\bby|\bof|\bat|\breach\w*|\bachiev\w*|\bobtain\w*|\bimprov\w*|\bincreas\w*|\bboost\w*|\braise\w*|"
    r"\breduc\w*|\bdecreas\w*|\bdrop\w*|\bgrows?)\s+(?:up to\s+|over\s+|about\s+|around\s+|nearly\s+|more than\s+|only\s+|~\s*)?$"
)
LOOKBACK_WINDOW = 110
CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:and|while|but|whereas|which)\b|\bwhile\b|\bwhereas\b")


def _defined_short_form(text: str, match: re.Match, pattern: re.Pattern[str]) -> str:
    """`word-error-rate (WER)` is named WER; `accuracy (top-1)` stays accuracy unless the short form is a metric."""
    short = METRIC_ACRONYM_AFTER.match(text, match.end())
    if short is not None and pattern.fullmatch(short.group(1)):
        return short.group(1)
    return match.group(0)


def _metric_text(written: str) -> str:
    """The metric as named, its head in the singular (`speedups` -> `speedup`)."""
    head, _, last = written.rpartition(" ")
    single = SINGULAR.get(last.lower())
    if single is None:
        return written
    return f"{head} {single}".strip() if head else single


def _link_metrics(text: str, qs: list[Quantity], s_start: int) -> None:
    """The metric named right after the number (`84.6% top-1 accuracy`, `2.8x speedup`) or just before it
    (`accuracy of 51.7%`, `improves F1 by 2.8%`); failing that, one named earlier in the clause and tied to the
    number by a change (`F1 from 0.797 to 0.835`); list members share theirs (`72.3, 75.8, and 79.4 Top-1`)."""
    pattern = metric_pattern()
    for q in qs:
        if q.kind not in METRIC_KINDS:
            continue
        after = None
        for lead in (LEAD_WORD.match(text, q.end), ONE_WORD.match(text, q.end)):
            if lead is not None:
                after = pattern.match(text, lead.end())
                if after is not None:
                    break
        if after is not None:
            _set(q, "metric", _metric_text(_defined_short_form(text, after, pattern)), "link.metric.after:" + _metric_id(after))
            continue
        window_start = max(s_start, q.start - 45)
        hits = list(pattern.finditer(text, window_start, q.start))
        if hits and METRIC_TO_NUMBER.match(text, hits[-1].end(), q.start):
            _set(q, "metric", _metric_text(hits[-1].group(0)), "link.metric.before:" + _metric_id(hits[-1]))
            continue
        hits = list(pattern.finditer(text, max(s_start, q.start - 90), q.start))
        if hits and METRIC_ON_BENCHMARK_TO_NUMBER.match(text[hits[-1].end() : q.start]):
            _set(q, "metric", _metric_text(hits[-1].group(0)), "link.metric.before_benchmark:" + _metric_id(hits[-1]))
    _share_metrics_in_lists(text, [q for q in qs if q.kind in METRIC_KINDS])
    for q in qs:
        if q.kind in METRIC_KINDS and not q.metric:
            _look_back_for_metric(text, q, s_start, qs)


def _share_metrics_in_lists(text: str, qs: list[Quantity]) -> None:
    """`72.3, 75.8, and 79.4 Top-1`, `by 2.8% over GPT-4o and 5.8% over Gemini`: one metric for the whole list."""
    gaps = (LIST_JOIN, QUALIFIED_LIST_GAP, METRIC_SHARE_GAP)
    for run in _runs(qs, lambda a, b: any(gap.match(text[a.end : b.start]) for gap in gaps)):
        named = [q for q in run if q.metric]
        if len(run) < 2 or not named or len({q.metric for q in named}) != 1:
            continue
        for q in run:
            if not q.metric and (q.kind == named[0].kind or {q.kind, named[0].kind} == {"score", "delta"}):
                _set(q, "metric", named[0].metric, "link.metric.list")


def _look_back_for_metric(text: str, q: Quantity, s_start: int, sentence_qs: list[Quantity]) -> None:
    """The last metric before the number in its clause, when a change verb or preposition leads to the number and at
    most the `from X` of a `from X to Y` stands between them."""
    start = max(s_start, q.start - LOOKBACK_WINDOW)
    hits = list(metric_pattern().finditer(text, start, q.start))
    if not hits or not LOOKBACK_TO_NUMBER.search(text, hits[-1].end(), q.start):
        return
    gap = text[hits[-1].end() : q.start]
    if CLAUSE_BREAK.search(gap):
        return
    others = [o for o in sentence_qs if hits[-1].end() <= o.start and o.end <= q.start and o is not q]
    if len(others) > 1 or others and not re.search(r"\bfrom\s+\S+\s*$", text[hits[-1].end() : others[0].end + 1] + " "):
        return  # only `from X to Y` may stand between a metric and its number
    _set(q, "metric", _metric_text(hits[-1].group(0)), "link.metric.lookback:" + _metric_id(hits[-1]))
