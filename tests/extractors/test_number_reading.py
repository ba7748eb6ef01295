"""The decision list that reads a number: each step, with a sentence where it decides, and its id in the output."""

from __future__ import annotations

import pytest

from extractors.numbers.quantities import find_numbers, found_rule
from extractors.numbers.reading import STEPS
from extractors.pipeline import paper_text, shared_nlp

# (text, the number as NUMBER finds it (its last occurrence), the step that skips it)
SKIPPED = [
    ("Images at 256 x 256 resolution.", "256", "number.inside_previous"),
    ("GPT-4 is strong.", "-4", "number.hyphen_in_name"),
    ("We set x+1 steps.", "+1", "number.sign_after_word"),
    ("The gain is significant (p < 0.01).", "< 0.01", "number.p_value"),
    ("The v2 release is out.", "2", "number.glued_to_word"),
    ("As shown before [12], it works.", "12", "number.in_name_link_or_citation"),
    ("We report F_{0.5} here.", "0.5", "number.subscript"),
    ("Runs vary by ±0.3 across seeds.", "±0.3", "number.uncertainty"),
    ("We build 3D models.", "3", "number.glued_after"),
    ("Models of the 2020s are large.", "2020", "number.decade"),
    ("In 2020 we trained it.", "2020", "number.year"),
    ("Results are in Table 3 below.", "3", "number.reference"),
    ("(1) we train it.", "1", "number.enumeration"),
    ("It runs on a Raspberry Pi 4 board.", "4", "number.not_a_quantity"),
    ("It is on arXiv:2301.12345 now.", "2301.12345", "number.arxiv_id"),
]
# (text, the number kept, the first part of its row's rule: reshaping steps, unit rule, count noun)
RESHAPED = [
    ("It is 2 - 4 fold faster.", "4 fold", "number.spaced_range_end+unit.times_word"),
    ("It gains 17.4%-43.3% on MATH.", "43.3%", "number.glued_range_end+number.list_member+unit.percent"),
    ("The loss=-3.2 at the end.", "3.2", "number.glued_hyphen+number.bare"),
    ("It drops 0.3%/1.1% on MATH.", "1.1%", "number.list_member+unit.percent"),
    ("It reaches 85.2 ± 0.3% on MATH.", "85.2 ± 0.3%", "number.with_uncertainty+unit.percent"),
    ("We collect 100,000+ questions.", "100,000+", "number.at_least+number.bare+noun.data_items"),
    ("Patients were $43$ years old.", "$43$", "number.latex_math+number.bare"),
]
NOT_DECIDING = {"number.unit", "number.count_noun"}  # steps that read a unit or noun and never skip nor reshape


@pytest.mark.parametrize(("text", "number", "step"), SKIPPED)
def test_a_step_skips_the_number_and_says_why(text: str, number: str, step: str) -> None:
    skipped: list[tuple[int, int, str]] = []
    kept = find_numbers(text, [], skipped)
    start = text.rindex(number)
    assert (start, start + len(number), step) in skipped
    assert all(n.start != start for n in kept)


@pytest.mark.parametrize(("text", "number", "rule"), RESHAPED)
def test_a_reshaping_step_reaches_the_rule_of_the_row(text: str, number: str, rule: str) -> None:
    q = next(q for q in shared_nlp()(paper_text("T", text))._.quantities if q.text == number)
    assert q.rule.split("|")[0] == rule
    n = next(n for n in find_numbers(text, []) if text[n.start : n.end] == number)
    assert found_rule(n) == rule


def test_every_step_has_an_id_of_its_own_and_an_example_here() -> None:
    ids = [step_id for step_id, _ in STEPS]
    assert len(ids) == len(set(ids))
    shown = {step for _, _, step in SKIPPED} | {part for _, _, rule in RESHAPED for part in rule.split("+") if part.startswith("number.")}
    assert set(ids) - NOT_DECIDING == shown - {"number.bare"}


def test_numbers_found_from_the_digits_are_those_the_regex_finds() -> None:
    """`number_matches` looks for a number only just before each digit: on signs, currencies, LaTeX and separators
    at their longest it finds exactly what `NUMBER.finditer` finds."""
    import random

    from extractors.numbers.quantities import NUMBER, number_matches

    rng = random.Random(7)
    pieces = ["\\textasciitilde ", "US$", "$\\sim$ ", "\\approx", "\\pm ", "±", "~", "-", "−", ".", ",", " ", "1", "23", "4,567",
              "8 910", "a", "x", "٣", "(", "%"]
    texts = ["\\textasciitilde US$.5 and \\textasciitilde US$ 5", "1,2345 and 1 234 567.", "a-.5 vs --5", ""]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30))) for _ in range(3000)]
    for text in texts:
        expected = [(m.span(), m.groupdict()) for m in NUMBER.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in number_matches(text)] == expected, text
