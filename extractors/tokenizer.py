"""spaCy's English tokenizer, but hyphens always split: `GPT4-Turbo` and `GPT-4 Turbo` align on parts."""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, registry

RUNS = re.compile(r"\S+|\s+")  # what spaCy's tokenizer splits on before its affix rules (str.isspace == \s)
CACHE_LIMIT = 50_000  # whitespace-free chunks remembered per process (~10 MB); cleared when full (novel ones are one-offs)
HYPHEN_INFIX = r"(?<=[0-9A-Za-z])[-‐‑–](?=[0-9A-Za-z])"


@registry.tokenizers("paperfacts.tokenizer.v1")
def create_tokenizer() -> Callable[[Language], TextKeepingTokenizer]:
    """The tokenizer in a pipeline's config (`[nlp.tokenizer] @tokenizers = "paperfacts.tokenizer.v1"`), so a
    saved pipeline loads with it."""

    def make(nlp: Language) -> TextKeepingTokenizer:
        tokenizer = registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        infixes = [p for p in nlp.Defaults.infixes if "-" not in p or "=" in p] + [HYPHEN_INFIX, r"(?<=[A-Za-z])/(?=[0-9A-Za-z])", r"(?<=[A-Za-z0-9])\+(?=[A-Za-z])"]
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        return TextKeepingTokenizer(tokenizer)

    return make


class TextKeepingTokenizer:
    """spaCy's tokenizer with two savings, same tokens.

    It keeps the input string on the Doc: `doc.text` re-joins every token each time it is read, and the
    components read the text many times. And it splits each whitespace-free chunk once per process: spaCy's
    own cache misses on most chunks of an abstract (numbers, names, punctuation), so its affix regexes ran on
    almost every word, and that cost as much as all the extractors together. The text is cut into runs of
    whitespace and non-whitespace exactly as spaCy's tokenizer cuts it, each chunk's tokens come from the
    wrapped tokenizer (remembered), and the Doc is built from words and spaces.
    """

    def __init__(self, tokenizer: Tokenizer) -> None:
        object.__setattr__(self, "tokenizer", tokenizer)
        object.__setattr__(self, "_pieces", {})

    def __call__(self, text: str) -> Doc:
        doc = self._make_doc(text)
        doc.user_data["text"] = text
        return doc

    def _make_doc(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        pieces = self._pieces
        for run in RUNS.findall(text):
            if run[0].isspace():  # spaCy: a space after a token is its trailing space; the rest is a token
                if run[0] == " " and words:
                    spaces[-1] = True
                    run = run[1:]
                    if not run:
                        continue
                words.append(run)
                spaces.append(False)
                continue
            split = pieces.get(run)
            if split is None:
                split = self._split(run)
            words += split
            spaces += [False] * len(split)
        return Doc(self.tokenizer.vocab, words=words, spaces=spaces)

    def _split(self, chunk: str) -> tuple[str, ...]:
        if len(self._pieces) >= CACHE_LIMIT:
            self._pieces.clear()
        split = tuple(token.text for token in self.tokenizer(chunk))
        self._pieces[chunk] = split
        return split

    def __getattr__(self, name: str):  # noqa: ANN204 - everything else is the wrapped tokenizer's
        return getattr(self.tokenizer, name)

    def __setattr__(self, name: str, value: object) -> None:
        """Rules set on the pipeline's tokenizer (`nlp.tokenizer.infix_finditer = ...`) go to spaCy's, and the
        remembered splits are dropped."""
        setattr(self.tokenizer, name, value)
        self._pieces.clear()

    def add_special_case(self, string: str, substrings: list[dict]) -> None:
        self.tokenizer.add_special_case(string, substrings)
        self._pieces.clear()

    def pipe(self, texts, batch_size: int = 1000):  # noqa: ANN001, ANN201 - spaCy's tokenizer protocol
        for text in texts:
            yield self(text)

    def to_disk(self, path, **kwargs) -> None:  # noqa: ANN001
        self.tokenizer.to_disk(path, **kwargs)

    def from_disk(self, path, **kwargs):  # noqa: ANN001, ANN201
        self.tokenizer.from_disk(path, **kwargs)
        self._pieces.clear()
        return self

    def to_bytes(self, **kwargs) -> bytes:
        return self.tokenizer.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs):  # noqa: ANN201
        self.tokenizer.from_bytes(data, **kwargs)
        self._pieces.clear()
        return self


def doc_text(doc: Doc) -> str:
    """The Doc's text without re-joining its tokens when the tokenizer kept it."""
    text = doc.user_data.get("text")
    return text if text is not None else doc.text
