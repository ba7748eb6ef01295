"""spaCy's English tokenizer, but hyphens always split: `GPT4-Turbo` and `GPT-4 Turbo` align on parts."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, registry

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
    """Keeps the input string on the Doc: `doc.text` re-joins every token each time it is read, and the
    components read the text many times (regexes over the text are the cheap part of extraction)."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data["text"] = text
        return doc

    def __getattr__(self, name: str):  # noqa: ANN204 - everything else is the wrapped tokenizer's
        return getattr(self.tokenizer, name)

    def pipe(self, texts, batch_size: int = 1000):  # noqa: ANN001, ANN201 - spaCy's tokenizer protocol
        for text in texts:
            yield self(text)

    def to_disk(self, path, **kwargs) -> None:  # noqa: ANN001
        self.tokenizer.to_disk(path, **kwargs)

    def from_disk(self, path, **kwargs):  # noqa: ANN001, ANN201
        self.tokenizer.from_disk(path, **kwargs)
        return self

    def to_bytes(self, **kwargs) -> bytes:
        return self.tokenizer.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs):  # noqa: ANN201
        self.tokenizer.from_bytes(data, **kwargs)
        return self


def doc_text(doc: Doc) -> str:
    """The Doc's text without re-joining its tokens when the tokenizer kept it."""
    text = doc.user_data.get("text")
    return text if text is not None else doc.text
