"""Canonical names probe: each surface form in a neutral sentence, one paper each, through the real pipeline.

Alias groups must get one `name`; different things (another number, size, split, year or `+`) must keep apart.
`text` stays as written (the scorer reads it).
"""

from __future__ import annotations

import pytest

from extractors.names.canonical import display, name_key
from extractors.pipeline import paper_text, shared_nlp
from extractors.rows import doc_to_rows

TITLE = "A study"
SENTENCE = {
    "benchmark": "We evaluate on the {} benchmark and report accuracy.",
    "model": "We compare against the {} model on standard tasks.",
}

# (label, surface forms of one thing)
ALIASES = [
    ("benchmark", ["AIME 2024", "AIME24", "AIME'24", "AIME-2024", "AIME2024"]),
    ("benchmark", ["AIME 2025", "AIME25", "AIME'25"]),
    ("benchmark", ["CIFAR-10", "CIFAR10", "CIFAR 10"]),
    ("benchmark", ["COCO", "MS COCO", "MS-COCO", "MSCOCO"]),
    ("benchmark", ["SQuAD 2.0", "SQuADv2", "SQuAD v2", "SQuAD2.0", "SQuAD v2.0"]),
    ("benchmark", ["GSM8K", "GSM-8K", "GSM 8K"]),
    ("benchmark", ["Massive Text Embedding Benchmark", "MTEB"]),
    ("benchmark", ["HumanEval+", "HumanEval-plus", "HumanEval Plus", "HumanEvalPlus"]),
    ("benchmark", ["MBPP+", "MBPP-plus", "MBPP Plus"]),
    ("benchmark", ["Penn Treebank", "PTB"]),
    ("benchmark", ["BIG-Bench Hard", "BBH", "Big-Bench-Hard"]),
    ("benchmark", ["ImageNet-1K", "IN-1K", "ImageNet1K", "ImageNet 1K", "ILSVRC2012", "ImageNet-1k"]),
    ("benchmark", ["NYU Depth V2", "NYUv2", "NYU-Depth V2", "NYU Depth v2"]),
    ("benchmark", ["iNaturalist 2018", "iNat2018", "iNat18", "iNaturalist2018"]),
    ("benchmark", ["iNaturalist 2024", "iNat24"]),
    ("benchmark", ["Cityscapes", "CityScape", "CityScapes"]),
    ("benchmark", ["ImageNet64", "ImageNet-64"]),
    ("benchmark", ["SWE-bench", "SWEBench", "SWE bench"]),
    ("benchmark", ["SWE-bench Verified", "SWE-bench-Verified", "SWE-bench_Verified"]),
    ("benchmark", ["WMT14", "WMT'14", "WMT 2014", "WMT-14"]),
    ("benchmark", ["HumanEval", "Human-Eval", "Human Eval"]),
    ("benchmark", ["ImageNet-21K", "IN-21K", "ImageNet21K"]),
    ("benchmark", ["COCO 2017", "COCO2017", "COCO-2017"]),
    ("model", ["Vision Transformer", "ViT", "ViTs", "Vision-Transformer"]),
    ("model", ["wav2vec 2.0", "Wav2Vec2", "wav2vec2.0", "Wav2vec2"]),
    ("model", ["SDXL", "Stable Diffusion XL", "SD-XL"]),
    ("model", ["GPT-4", "GPT4", "GPT 4", "gpt-4-0613"]),
    ("model", ["GPT-4o", "GPT4o", "GPT 4o", "GPT-4 Omni"]),
    ("model", ["Llama 3 8B", "Llama-3-8B", "Llama3-8B", "Meta-Llama-3-8B"]),
    ("model", ["Llama 3 70B", "Llama-3-70B", "Llama3-70B"]),
    ("model", ["DeepSeek-Coder-33B", "DeepSeekCoder-33B", "DeepSeek Coder 33B"]),
    ("model", ["CLIP", "Contrastive Language-Image Pre-training"]),
    ("model", ["DETR", "DEtection TRansformer"]),
    ("model", ["ResNet", "ResNets"]),
    ("model", ["DenseNet", "DenseNets"]),
    ("model", ["LLaVA-1.5", "LLaVA 1.5", "LLaVA-v1.5", "LLaVA1.5"]),
    ("model", ["ViT-g", "ViT-G"]),
    ("model", ["Qwen2.5-7B", "Qwen2.5 7B"]),
    ("model", ["DINOv2", "DINO v2", "DINOV2"]),
]

# pairs of different things that must keep their own names
APART = [
    ("benchmark", "HumanEval", "HumanEval+"),
    ("benchmark", "MBPP", "MBPP+"),
    ("benchmark", "ImageNet-1K", "ImageNet-C"),
    ("benchmark", "ImageNet-1K", "ImageNet-21K"),
    ("benchmark", "ImageNet-1K", "ImageNet-100"),
    ("benchmark", "SWE-bench", "SWE-bench Verified"),
    ("benchmark", "SWE-bench", "SWE-bench Lite"),
    ("benchmark", "AIME 2024", "AIME 2025"),
    ("benchmark", "AIME24", "AIME25"),
    ("benchmark", "CIFAR-10", "CIFAR-100"),
    ("benchmark", "SQuAD 1.1", "SQuAD 2.0"),
    ("benchmark", "COCO", "COCO 2017"),
    ("benchmark", "PTB", "PTB-XL"),
    ("benchmark", "WMT14", "WMT16"),
    ("benchmark", "GSM8K", "GSM-Hard"),
    ("benchmark", "ImageNet-64", "ImageNet-256"),
    ("model", "Llama 3 8B", "Llama 3 70B"),
    ("model", "Llama-3-8B", "Llama-3-70B"),
    ("model", "GPT-4", "GPT-4o"),
    ("model", "GPT-4o", "GPT-4o mini"),
    ("model", "GPT-4", "GPT-4 Turbo"),
    ("model", "GPT-4.1", "GPT-4.1 mini"),
    ("model", "ViT-B", "ViT-S"),
    ("model", "ViT-B", "ViT-L"),
    ("model", "ViT-B/16", "ViT-B/32"),
    ("model", "Qwen2.5-7B", "Qwen2.5-72B"),
    ("model", "Qwen2-7B", "Qwen2.5-7B"),
    ("model", "SDXL", "SDXL Turbo"),
    ("model", "wav2vec", "wav2vec 2.0"),
    ("model", "Llama 2 7B", "Llama 27B"),
    ("model", "DeepSeek-V3", "DeepSeek-V2"),
    ("model", "LLaVA-1.5-7B", "LLaVA-1.5-13B"),
]


def names_of(surface: str, label: str) -> list[tuple[str, str]]:
    """(text, name) of the mentions of one label in a one-sentence paper holding `surface`."""
    doc = shared_nlp()(paper_text(TITLE, SENTENCE[label].format(surface)))
    table = "benchmarks" if label == "benchmark" else "models"
    return [(r["text"], r["name"]) for r in doc_to_rows(doc, "probe", len(TITLE), "run")[table]]


def name_of(surface: str, label: str) -> str:
    found = [name for text, name in names_of(surface, label) if text == surface]
    assert found, f"{surface!r} is not found as a {label}: {names_of(surface, label)}"
    return found[0]


@pytest.mark.parametrize(("label", "forms"), ALIASES, ids=[forms[0] for _, forms in ALIASES])
def test_alias_group_gets_one_name(label: str, forms: list[str]) -> None:
    names = {form: name_of(form, label) for form in forms}
    assert len(set(names.values())) == 1, names


@pytest.mark.parametrize(("label", "a", "b"), APART, ids=[f"{a}|{b}" for _, a, b in APART])
def test_different_things_keep_apart(label: str, a: str, b: str) -> None:
    assert name_of(a, label) != name_of(b, label)


def test_text_stays_as_written() -> None:
    assert names_of("AIME'24", "benchmark") == [("AIME'24", "AIME 2024")]


def test_a_short_form_defined_in_the_paper_takes_the_long_forms_name() -> None:
    text = "We introduce the Multi Hop Reasoning Suite (MHRS) benchmark. Models score 41.2% on MHRS."
    doc = shared_nlp()(paper_text(TITLE, text))
    rows = doc_to_rows(doc, "probe", len(TITLE), "run")["benchmarks"]
    assert {r["text"]: r["name"] for r in rows} == {"Multi Hop Reasoning Suite": "Multi Hop Reasoning Suite", "MHRS": "Multi Hop Reasoning Suite"}
    # ... in that paper only: elsewhere MHRS is its own name (a name never depends on other papers)
    assert name_of("MHRS", "benchmark") == "MHRS"


@pytest.mark.parametrize(
    ("a", "b"),
    [("FooBench-2024", "FooBench'24"), ("FooBench 2024", "FooBench2024"), ("Foo-Net v2.0", "Foo-Net v2"), ("BarEval-plus", "BarEval-Plus"),
     ("Zed Bench 2.0", "Zed Bench 2.0"), ("QuxEval_Hard", "QuxEval-Hard")],
)
def test_unknown_names_have_one_fixed_spelling(a: str, b: str) -> None:
    assert display(a, "benchmark") == display(b, "benchmark")
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Llama 3 8B", "Llama 38B"), ("AIME 2024", "AIME 2025"), ("HumanEval", "HumanEval+"), ("CIFAR-10", "CIFAR-100"), ("Qwen2", "Qwen2.5")],
)
def test_the_key_never_folds_a_number_size_or_plus(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_probe_figures() -> None:
    """The figures the issue asks for: share of alias groups unified, share of different pairs kept apart."""
    unified = sum(len({name_of(f, label) for f in forms}) == 1 for label, forms in ALIASES)
    apart = sum(name_of(a, label) != name_of(b, label) for label, a, b in APART)
    print(f"\nprobe: {unified}/{len(ALIASES)} alias groups unified, {apart}/{len(APART)} different pairs kept apart")
    assert unified / len(ALIASES) >= 0.95
    assert apart == len(APART)
