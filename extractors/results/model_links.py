"""Tie each number to the model that scored it: the one it is credited to by position (`2.74 for TiTok`), the
sentence's subject (`DeepSeekMath 7B has achieved 51.7%`), a pronoun's antecedent, or the paper's own system.
Models that are objects of a comparison (`outperforms GPT-4`) are never the subject."""

from __future__ import annotations

import re

from extractors.facts import Mention, Quantity
from extractors.results.link_rules import LIST_JOIN, drop_links, link_cues, runs, set_link
from extractors.results.metric_links import metric_pattern

# `outperforms multilingual BERT (mBERT)`: a name and its parenthesised short form are one object
NAME_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|/\s*|&\s*|\(\s*)$")
METRIC_OF_GAP = re.compile(r"^\s*(?:%|\\%)?\s*(?P<metric>(?:[\w@.-]+\s+){1,3}?)of\s+(?:the\s+)?$")
SUBJECT_AFTER_COMMA = re.compile(r",\s*(?:the\s+|our\s+)?")
# `CoNeTTE, an unbiased CNext-trans model enriched with ..., achieved`: a name inside an appositive describes the
# name before it, which stays the subject
APPOSITIVE_GAP = re.compile(r"^\s*,\s+(?:an?|the)\s+[^,;:()]{0,40}$")
POSSESSIVE = re.compile(r"['’]s\b")
PARENTHESISED = re.compile(r"^\s*\(\s*$")
ALTERNATIVE = re.compile(r"\bor\b")
# `existing methods that reach`: the unnamed achievers have a verb of their own
OWN_VERB = re.compile(r"\b(?:that|which|who|achiev\w*|reach\w*|obtain\w*|attain\w*|scor\w*|get|gets)\b")
# links a later rule may correct: read from the sentence's subject, not from where a name stands next to the number
SENTENCE_LEVEL_RULES = ("link.model.subject", "link.model.own_system", "link.model.lookback")


def compared(text: str, models: list[Mention]) -> set[int]:
    """Start offsets of models that are objects of a comparison: `outperforms A, B and C` marks all three."""
    cues = link_cues()
    marked: set[int] = set()
    for run in runs(models, lambda a, b: NAME_JOIN.match(text[a.end : b.start])):
        start = run[0].start
        # `even when a model like X has achieved`: X is an example of the subject, not what it is compared with
        window = max(0, start - 60)  # `matching the performance of a supervised X`
        compared_word = cues.comparison_before.search(text, window, start) and not cues.example_before.search(text, window, start)
        if compared_word or cues.rival_before.search(text, max(0, start - 70), start):
            marked.update(m.start for m in run)
    return marked


def _subject_after_fronted_clause(text: str, q: Quantity, s_start: int, models: list[Mention], marked: set[int]) -> Mention | None:
    """`With AIME24 & 25 scores of 74.0 and 60.2 respectively, Light-R1-14B-DS surpasses ...`: the subject follows
    the fronted clause that holds the number."""
    if not link_cues().fronted_clause.match(text, s_start):
        return None
    comma = text.find(",", q.end)
    if comma < 0:
        return None
    for m in models:
        if m.start > comma and m.start not in marked and SUBJECT_AFTER_COMMA.fullmatch(text[comma : m.start]):
            return m
    return None


def _metric_of(text: str, q: Quantity, model: Mention) -> bool:
    """`the 2.65% test error of NASNet`: a metric between the number and `of` makes the model after it the scorer
    (`within 5% of GPT-4`, `1.5% of the X training data` have none)."""
    gap = METRIC_OF_GAP.match(text[q.end : model.start])
    return gap is not None and metric_pattern().search(gap.group("metric")) is not None


def _credited(text: str, q: Quantity, models: list[Mention], marked: set[int]) -> tuple[Mention, str] | None:
    """The model a number is credited to by its position: named right after it (`2.74 for TiTok`), right before
    it (`Phi3-mini-3.8B from 41.4%`, `GPT-4o which scored 71.0`) or right before the parentheses that hold it
    (`DiT-XL/2 (gFID 3.04)`)."""
    cues = link_cues()
    after = [m for m in models if m.start >= q.end]
    if after and cues.credited_after.match(text[q.end : after[0].start]) and "\n" not in text[q.end : after[0].start]:
        return after[0], "link.model.credited_after"
    if after and _metric_of(text, q, after[0]):
        return after[0], "link.model.metric_of"
    if after and cues.achieved_by_after.match(text[q.end : after[0].start]):
        return after[0], "link.model.achieved_by"
    before = [m for m in models if m.end <= q.start]
    if not before:
        return None
    rival = before[-1]
    gap = text[rival.end : q.start]
    if cues.right_before.match(gap):
        return rival, "link.model.right_before"
    if q.kind != "score":
        return None  # `DeepSeek-R1 (at <5% of the inference cost)`: a cost in parentheses is the subject's
    if cues.in_parens_after_model.match(gap):
        if rival.start in marked and cues.pair_first_after.match(text, q.end):
            return None  # the subject's own number: the subject rule decides
        return rival, "link.model.parenthesised"
    if rival.start in marked and gap.lstrip().startswith("(") and cues.pair_second.match(gap.lstrip()[1:]):
        return rival, "link.model.parenthesised_pair"
    return None


def _versus_rival(
    text: str, q: Quantity, s_start: int, s_models: list[Mention], marked: set[int]
) -> tuple[Mention | None, str] | None:
    """The value after `vs.` in parentheses is a rival's, not the subject's: the one named right after it (`(vs.
    86.86% of Wan-I2V-14B)`), else the one model the sentence compares with (`surpasses GPT-4o on HumanEval (90.9%
    vs. 90.2%)`), else an unnamed one."""
    cues = link_cues()
    if not cues.versus_second.search(text, max(s_start, q.start - 40), q.start):
        return None
    after = next((m for m in s_models if m.start >= q.end), None)
    if after is not None and cues.versus_of_after.match(text[q.end : after.start]):
        return after, "link.model.versus_named"
    rivals = {m.text: m for m in s_models if m.start in marked and m.end <= q.start}
    if len(rivals) == 1:
        return next(iter(rivals.values())), "link.model.versus_compared"
    return None, "link.model.unnamed_achiever"


def _rival_in_parens(text: str, q: Quantity, s_start: int, s_models: list[Mention]) -> tuple[Mention | None, str] | None:
    """`surpassing strong baselines such as Math-Shepherd PRM (61.7%) and Omega PRM (62.4%)`: a score in
    parentheses right after a rival's name is that rival's when the name is a model mention, else an unnamed one's
    (a name the names step missed or cut short); a benchmark there (`and MATH (51.2%)`) is no rival."""
    if q.kind != "score":
        return None
    m = link_cues().named_rival_in_parens.search(text, max(s_start, q.start - 160), q.start)
    if m is None or m.group("name") == q.benchmark:
        return None
    named = next((n for n in s_models if n.start == m.start("name") and n.end == m.end("name")), None)
    return (named, "link.model.parenthesised") if named is not None else (None, "link.model.unnamed_achiever")


def _subject(models: list[Mention], marked: set[int], before: int, text: str, owns: set[str] | None = None) -> Mention | None:
    """The nearest model before the number that is not the object of a comparison nor describes an earlier one
    (`our VideoMAE with the vanilla ViT can achieve 87.4%`)."""
    if not models:
        return None  # no candidate: the clause breaks are not looked for
    first = models[0].start
    cues = link_cues()
    breaks = [*cues.first_person_clause.finditer(text, first, before), *cues.contrast_clause.finditer(text, first, before)]
    clause_start = max((c.end() for c in breaks), default=0)
    # `1) it trains X with the ViT-g backbone; 2) we improve the score from 0.703`, `X reaches 92% whereas Y reaches
    # 86%`: a subject stays in its clause
    candidates = [m for m in models if clause_start <= m.start and m.end <= before and m.start not in marked]
    for i in range(len(candidates) - 1, -1, -1):
        if i > 0 and _describes_earlier(text, candidates[i - 1], candidates[i]):
            continue
        return _one_of_joined(text, candidates[: i + 1], owns or set())
    return None


def _describes_earlier(text: str, earlier: Mention, m: Mention) -> bool:
    """`our VideoMAE with the vanilla ViT`, `Open-MAGVIT2 produces a replication of Google's MAGVIT-v2`, `CoNeTTE,
    an unbiased CNext-trans model`: a backbone, what the earlier model derives from, or a name in its appositive."""
    cues = link_cues()
    window = max(earlier.end, m.start - 40)
    return bool(
        cues.backbone_before.search(text, window, m.start)
        or cues.derived_from_before.search(text, window, m.start)
        or APPOSITIVE_GAP.match(text[earlier.end : m.start])
    )


def _one_of_joined(text: str, candidates: list[Mention], owns: set[str]) -> Mention | None:
    """The last candidate, or of the names it is joined to as one subject the paper's own (`the synergy of LLaVA and
    GPT-4 achieves`), or of a name and its parenthesised other form the short one (`Our ATLOP (Adaptive Thresholding
    and Localized cOntext Pooling) model achieves`); none when the names are alternatives (`A or B`)."""
    run = [candidates[-1]]
    for m in reversed(candidates[:-1]):
        if not NAME_JOIN.match(text[m.end : run[0].start]):
            break
        run.insert(0, m)
    own = next((m for m in run if m.text in owns), None)
    if own is not None:
        return own
    if any(ALTERNATIVE.search(text, a.end, b.start) for a, b in zip(run, run[1:], strict=False)):
        return None  # `existing prompted LMAs (gpt-3.5-turbo or gpt-4) achieve 94.0%`: either, so neither
    last = run[-1]
    if len(run) > 1 and PARENTHESISED.match(text[run[-2].end : last.start]) and text[last.end :].lstrip().startswith(")"):
        return min(run[-2:], key=lambda m: len(m.text))
    return last


def _antecedent(text: str, sentences: list[tuple[int, int]], index: int, all_models: list[Mention]) -> Mention | None:
    """`It reaches ...`: the first model of the previous sentence that is no object of a comparison."""
    s_start, s_end = sentences[index]
    if index == 0 or not link_cues().lookback_start.match(text[s_start:s_end]):  # `^`: matched on the slice
        return None
    p_start, p_end = sentences[index - 1]
    p_models = [m for m in all_models if p_start <= m.start < p_end]
    p_marked = compared(text, p_models)
    return next((m for m in p_models if m.start not in p_marked), None)


def _change_ends(text: str, qs: list[Quantity]) -> list[tuple[list[Quantity], list[Quantity]]]:
    """The numbers at the two ends of each change: `from 65.0%/47.0% to 77.8%/66.0%` gives ([65.0, 47.0], [77.8,
    66.0]); list members share their end."""
    groups = runs(qs, lambda a, b: LIST_JOIN.match(text[a.end : b.start]))
    from_to_gap = link_cues().from_to_gap
    return [(a, b) for a, b in zip(groups, groups[1:], strict=False) if from_to_gap.match(text[a[-1].end : b[0].start])]


def _relink(qs: list[Quantity], model: str | None, rule: str) -> None:
    """Give numbers linked only by the sentence's subject another model (or none, when `model` is None)."""
    for q in qs:
        if q.model and not any(r in SENTENCE_LEVEL_RULES for r in q.link_rules) or "link.model.unnamed_achiever" in q.link_rules:
            continue  # a name next to the number decided, or its achiever is unnamed
        drop_links(q, "model")
        if model is None:
            q.link_rules = [*q.link_rules, rule]
        else:
            set_link(q, "model", model, rule)


def _link_rivals_of_changes(text: str, qs: list[Quantity], s_models: list[Mention], marked: set[int], s_start: int) -> None:
    """`boosting OpenVLA's success rate from 76.5% to 97.1%`, `improvements over the previous 3DETR in AP from 65.0%
    to 77.8%`: the first end of a change is the rival's, the second the subject's (the model named before the rival,
    if any); `improves the AR baseline by reducing FID from 18.65 to 1.73`: the first end is an unnamed baseline's."""
    cues = link_cues()
    for first, second in _change_ends(text, qs):
        start = first[0].start
        before = [m for m in s_models if m.end <= start]
        rival = before[-1] if before else None
        if rival is not None and cues.rival_from.match(text[rival.end : start]):
            possessive = POSSESSIVE.match(text, rival.end) is not None
            if not (possessive or rival.start in marked):
                continue
            _relink(first, rival.text, "link.model.from_rival")
            owner = _subject(s_models, marked | {rival.start}, rival.start, text) if possessive else None
            if owner is not None:
                _relink(second, owner.text, "link.model.from_to_owner")
        elif cues.improved_baseline.search(text, max(s_start, start - 200), start):
            _relink(first, None, "link.model.unnamed_achiever")


def link_models(
    text: str,
    qs: list[Quantity],
    s_models: list[Mention],
    sentences: list[tuple[int, int]],
    index: int,
    all_models: list[Mention],
    owns: list[Mention],
    study: Mention | None = None,
) -> None:
    """The model of each number in sentence `index` (`s_models`: the models it names; `owns`: the paper's systems,
    the first its main one; `study`: the one model a paper without a system of its own studies)."""
    if not qs:
        return  # a sentence with no linked kind of number: nothing to tie, nothing to relink
    s_start, _ = sentences[index]
    cues = link_cues()
    marked = compared(text, s_models)
    own_names = {o.text for o in owns}
    # a sentence naming any model has a subject the own-system fallback must not override, backbones included
    subjects_in_sentence = [m for m in s_models if m.start not in marked]
    # `our X reaches 58.0% AP with Swin-L backbone`: a backbone of the paper's own system never scores (its memory
    # or size stays its own)
    scorers = [m for m in s_models if not (owns and cues.backbone_after.match(text[m.end : m.end + 40]))]
    for q in qs:
        if q.model:
            continue
        here = scorers if q.kind == "score" else s_models
        credited = _by_position(text, q, s_start, here, marked)
        if credited is not None:
            if credited[0] is None:  # an unnamed achiever's: no model
                q.link_rules = [*q.link_rules, credited[1]]
            else:
                set_link(q, "model", credited[0].text, credited[1])
            continue
        own = _own_subject(text, q, s_start, here, owns)
        if own is not None:
            set_link(q, "model", own.text, "link.model.own_subject")
            continue
        subject = _subject(here, marked, q.start, text, own_names)
        if subject is not None:
            set_link(q, "model", subject.text, "link.model.subject")
            continue
        if subjects_in_sentence and q.kind == "size":
            set_link(q, "model", subjects_in_sentence[0].text, "link.model.subject_after")
            continue
        later = _subject_after_fronted_clause(text, q, s_start, here, marked)
        if later is not None:
            set_link(q, "model", later.text, "link.model.subject_after_clause")
            continue
        antecedent = _antecedent(text, sentences, index, all_models)
        if antecedent is not None:
            set_link(q, "model", antecedent.text, "link.model.lookback")
            continue
        fallback = _unnamed_achiever_model(text, q, here, bool(subjects_in_sentence), owns, study)
        if fallback is not None:
            set_link(q, "model", fallback[0].text, fallback[1])
    _share_along_lists(text, qs)
    _link_rivals_of_changes(text, qs, s_models, marked, s_start)


def _by_position(text: str, q: Quantity, s_start: int, models: list[Mention], marked: set[int]) -> tuple[Mention | None, str] | None:
    """The model a number's position credits it to, or None (`link.model.unnamed_achiever` and no model for an
    unnamed one: `existing models achieve 60%`, `the 20% RFT baseline`)."""
    if _unnamed_before(text, q, s_start) or link_cues().unnamed_after.match(text[q.end : q.end + 40]):
        return None, "link.model.unnamed_achiever"
    return (
        _credited(text, q, models, marked)
        or _versus_rival(text, q, s_start, models, marked)
        or _rival_in_parens(text, q, s_start, models)
    )


def _own_subject(text: str, q: Quantity, s_start: int, models: list[Mention], owns: list[Mention]) -> Mention | None:
    """`The proposed method achieves ... 52.3% AP using ResNet-50 backbone`: a phrase naming the paper's own system
    is the subject of a score when no model and no comparison stands between it and the number."""
    if not owns or q.kind != "score":
        return None
    cues = link_cues()
    phrases = list(cues.own_subject.finditer(text, s_start, q.start))
    phrase = phrases[-1] if phrases else None  # the nearest one before the number
    if phrase is None or cues.comparison_word.search(text, phrase.end(), q.start):
        return None
    # `Our MetaMath-7B model achieves`: a phrase holding a name leaves the subject to that name
    return None if any(phrase.start() <= m.start < q.start for m in models) else owns[0]


def _unnamed_before(text: str, q: Quantity, s_start: int) -> bool:
    """`existing models achieve over 60%`, `a 1.3B model can achieve 80.1%`, `the previous best of 80.1%`: an unnamed
    achiever before the number; but `OREAL-32B also surpasses previous 32B models trained by distillation with 95.0`
    names what the subject beats, and the number is the subject's (unless those models have a verb of their own:
    `outperforms existing methods that reach 60%`)."""
    cues = link_cues()
    if cues.unnamed_sized_before.search(text, max(s_start, q.start - 100), q.start):
        return True
    if cues.unnamed_of_before.search(text, max(s_start, q.start - 80), q.start):
        return True  # the number is the unnamed noun's, beaten or not
    unnamed = cues.unnamed_before.search(text, max(s_start, q.start - 80), q.start)
    if unnamed is None:
        return False
    beaten = cues.rival_before.search(text, max(s_start, unnamed.start() - 60), unnamed.start())
    return beaten is None or OWN_VERB.search(unnamed.group(0)) is not None


def _unnamed_achiever_model(
    text: str, q: Quantity, s_models: list[Mention], has_subject: bool, owns: list[Mention], study: Mention | None
) -> tuple[Mention, str] | None:
    """The model of a number whose sentence names no achiever: the paper's own system (sizes describe data, not
    it), the one its sentence names first (`samples from DeepSeekMath 7B achieve`); else, for a score, the model
    the sentence builds it on, or the one model the paper studies."""
    own_names = {o.text for o in owns}
    if owns and not has_subject and q.kind != "size":
        return next((m for m in s_models if m.text in own_names), owns[0]), "link.model.own_system"
    backbone = _backbone(text, q, s_models) if not owns and q.kind == "score" else None
    if backbone is not None:
        return backbone, "link.model.backbone"
    if study is not None and not has_subject and q.kind == "score":
        return study, "link.model.study_model"
    return None


def study_model(text: str, sentences: list[tuple[int, int]], models: list[Mention]) -> Mention | None:
    """`focusing on a 1.5-billion-parameter model, DeepSeek-R1-Distill-Qwen-1.5B` ... `Our results demonstrate ...
    AMC23 accuracy rising from 63% to 80%`: an abstract that names one listed model other than those it compares
    with reports its results for that model."""
    subjects: list[Mention] = []
    for s_start, s_end in sentences[1:]:  # the title is no sentence of the abstract
        s_models = [m for m in models if s_start <= m.start < s_end]
        marked = compared(text, s_models)
        subjects.extend(m for m in s_models if m.start not in marked)
    # a listed model: a name the paper coins for its unnamed system is not one it studies
    return subjects[0] if len({m.text for m in subjects}) == 1 and subjects[0].entry is not None else None


def _backbone(text: str, q: Quantity, s_models: list[Mention]) -> Mention | None:
    """`This approach achieves 82.6% on GSM8K using LLaMA-2 7B models`, `We achieve 63.8 AP with a Swin-Large
    backbone`: an unnamed achiever's score is the model it is built on, when that is the only model the sentence
    names and it stands in the number's clause (`on par with X` names a peer)."""
    cues = link_cues()
    if len({m.text for m in s_models}) != 1:
        return None
    m = s_models[0]
    window = max(0, m.start - 40)
    between = text[m.end : q.start] if m.end <= q.start else text[q.end : m.start]
    if cues.clause_break.search(between) or not cues.backbone_before.search(text, window, m.start):
        return None
    return None if cues.peer_with_before.search(text, window, m.start) else m


def _share_along_lists(text: str, qs: list[Quantity]) -> None:
    """`the vanilla VQGAN, which obtains 70.6 and 17.04 for IS and FID`: list members share the model named right
    before the first of them; `the current best result to a new record of 60.1% box AP and 52.3% mask AP`: and
    its unnamed achiever."""
    for run in runs(qs, lambda a, b: LIST_JOIN.match(text[a.end : b.start])):
        if run[0].model and "link.model.right_before" in run[0].link_rules:
            _relink(run[1:], run[0].model, "link.model.list")
    member_gap = link_cues().member_gap
    for run in runs(qs, lambda a, b: member_gap.match(text[a.end : b.start])):
        if "link.model.unnamed_achiever" in run[0].link_rules:  # not to a member of another kind (`with an 8.4% gain`)
            _relink([q for q in run[1:] if q.kind == run[0].kind], None, "link.model.unnamed_achiever")
