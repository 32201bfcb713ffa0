"""The Argos engine on the tiny stand-in: one batched CTranslate2 call per document,
argostranslate's tokenisation, and stand-in outputs that end at a realistic length."""

from __future__ import annotations

from pathlib import Path
from statistics import median

import pytest
from conftest import SEED

from rutrans import pipeline
from rutrans.engine import DecodingOptions
from rutrans.engine.argos import ArgosEngine
from rutrans.engine.package import unpack
from rutrans.formats import read_document
from rutrans.segment import segments_of
from rutrans.terminology import Terminology
from rutrans.testing.standin import LENGTH_RATIO


class CountingTranslator:
    """Wraps the real ctranslate2.Translator and records each translate_batch call."""

    def __init__(self, real) -> None:
        self.real = real
        self.calls: list[int] = []

    def translate_batch(self, source, **options):
        self.calls.append(len(source))
        return self.real.translate_batch(source, **options)


@pytest.fixture(scope="module")
def engine(tiny_model: Path) -> ArgosEngine:
    return ArgosEngine(unpack(tiny_model, "--model"), DecodingOptions())


def test_the_whole_document_goes_to_ctranslate2_in_one_call(engine, tmp_path):
    counting = CountingTranslator(engine._translator)
    engine._translator = counting
    try:
        document = read_document(SEED)
        result = pipeline.translate(document, engine, Terminology.empty())
    finally:
        engine._translator = counting.real
    assert len(result.segments) >= 20
    assert counting.calls == [len(result.segments)]


def test_progress_reports_every_segment_once(engine):
    sources = [
        "Глава МВД РК провел встречу.",
        "Операция «Паутина» завершена.",
        "Задержаны 2 тыс. человек.",
    ]
    seen: list[int] = []
    results = engine.translate(sources, progress=seen.append)
    assert sum(seen) == len(sources) and len(results) == len(sources)


def test_tokenisation_and_detokenisation_are_argostranslates(engine, tiny_model):
    from argostranslate.tokenizer import SentencePieceTokenizer

    argos = SentencePieceTokenizer(engine.package.sentencepiece_model)
    sentence = "Сотрудничество органов внутренних дел в рамках ШОС."
    assert engine.tokenize(sentence) == argos.encode(sentence)
    tokens = argos.encode(sentence)
    expected = argos.decode(tokens)
    assert engine.detokenize(tokens) == (expected[1:] if expected.startswith(" ") else expected)


def test_standin_stops_at_about_the_designed_length_ratio(engine):
    """Random weights would run every sentence to 256 tokens; the stand-in's weights end
    them at ~1.2 × the source length (the decoding options are argostranslate's)."""
    document = read_document(SEED)
    sources = [s.mt_input for s in segments_of(document)]
    results = engine.translate(sources)
    ratios = [len(r.target_tokens) / len(r.source_tokens) for r in results]
    assert 1.1 <= median(ratios) <= 1.3, ratios
    assert all(0.9 <= ratio <= 1.5 for ratio in ratios), ratios
    assert LENGTH_RATIO == 1.2


def test_report_signature_names_model_hash_and_options(engine):
    signature = engine.signature()
    assert signature.name == "argos-ctranslate2"
    assert signature.model is not None
    assert signature.model.sha256 == engine.package.content_hash()
    assert signature.decoding == DecodingOptions().as_dict()


def test_suppressed_sequences_never_appear(engine):
    """Forbidden renderings can be blocked at decoding: CTranslate2's suppress_sequences."""
    sentence = "Сотрудники органов внутренних дел задержали преступника."
    [plain] = engine.translate([sentence])
    tokens = list(plain.target_tokens)
    pair = next(tokens[i : i + 2] for i in range(len(tokens) - 1) if tokens[i].startswith("▁"))
    [blocked] = engine.translate([sentence], suppress=[engine.detokenize(pair)])
    produced = list(blocked.target_tokens)
    assert all(produced[i : i + 2] != pair for i in range(len(produced) - 1))
    assert produced != tokens


def test_package_target_prefix_is_forced_and_stripped(tiny_model, tmp_path):
    """Multilingual Argos packages start every translation with a language token."""
    import json
    import zipfile

    from rutrans.engine.package import open_path

    with zipfile.ZipFile(tiny_model) as archive:
        archive.extractall(tmp_path)
    package_dir = next(tmp_path.iterdir())
    vocabulary = json.loads((package_dir / "model" / "shared_vocabulary.json").read_text())
    prefix = next(t for t in vocabulary[100:] if t.startswith("▁") and len(t) > 3)
    metadata = json.loads((package_dir / "metadata.json").read_text())
    (package_dir / "metadata.json").write_text(json.dumps({**metadata, "target_prefix": prefix}))
    package = open_path(package_dir, "--model")
    assert package.target_prefix == prefix
    prefixed = ArgosEngine(package, DecodingOptions())
    [result] = prefixed.translate(["Глава МВД провёл встречу."], return_attention=True)
    assert result.target_tokens and result.target_tokens[0] != prefix
    assert not result.text.startswith(prefix.lstrip("▁"))
    assert len(result.attention) == len(result.target_tokens)
