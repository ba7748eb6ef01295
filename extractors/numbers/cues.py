"""The word lists around a number (`numbers/number_cues.jsonl`), compiled once per rule folder."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from extractors.rules import named_patterns, rule_cache

NUMBER_CUES_FILE = "numbers/number_cues.jsonl"


@dataclass(frozen=True, slots=True)
class NumberCues:
    """One compiled pattern per line of the file, named by its id (`number_cue.<name>`)."""

    reference_before: re.Pattern[str]  # `Table 3`, `Section 4.2`: a reference, not a quantity
    not_a_quantity_before: re.Pattern[str]  # dates, p-values, fractions, product numbers (`Raspberry Pi 4`)
    list_gap: re.Pattern[str]  # `74.0 and 60.2`, `17.4%-43.3%`: members of one list
    qualified_list_gap: re.Pattern[str]  # `50% for video, 48% for audio`: members that carry a short qualifier


@rule_cache
def number_cues() -> NumberCues:
    return NumberCues(**named_patterns(NUMBER_CUES_FILE, "number_cue", (f.name for f in fields(NumberCues))))
