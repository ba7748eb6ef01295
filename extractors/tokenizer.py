"""spaCy's English tokenizer, but hyphens always split: `GPT4-Turbo` and `GPT-4 Turbo` align on parts."""

from __future__ import annotations

from spacy.language import Language
from spacy.util import compile_infix_regex

HYPHEN_INFIX = r"(?<=[0-9A-Za-z])[-‐‑–](?=[0-9A-Za-z])"


def customise_tokenizer(nlp: Language) -> None:
    infixes = [p for p in nlp.Defaults.infixes if "-" not in p or "=" in p] + [HYPHEN_INFIX, r"(?<=[A-Za-z])/(?=[0-9A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
