"""The Argos engine: a CTranslate2 ``Translator`` on an Argos package's ``model/``.

rutrans does not call ``argostranslate.translate``: that path splits sentences with
stanza or MiniSBD (which download models at run time), imports torch, and calls
``translate_batch`` once per paragraph with a 32-*token* batch limit, so sentences go one
at a time.  Here every segment of a document goes to one ``translate_batch`` call with
token-based batches, and tokenisation/detokenisation are argostranslate's own.
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Sequence
from typing import Any

from rutrans.engine import DecodingOptions, Progress, long
from rutrans.engine.package import ModelPackage
from rutrans.errors import UserError, first_line
from rutrans.results import MTResult, Span
from rutrans.signature import EngineSignature, ModelIdentity


def char_offsets_from_bytes(text: str, byte_spans: Sequence[tuple[int, int]]) -> tuple[Span, ...]:
    """SentencePiece reports UTF-8 byte offsets; the rest of rutrans counts characters."""
    char_at_byte: dict[int, int] = {}
    position = 0
    for index, char in enumerate(text):
        char_at_byte[position] = index
        position += len(char.encode("utf-8"))
    char_at_byte[position] = len(text)
    return tuple((char_at_byte.get(b, 0), char_at_byte.get(e, len(text))) for b, e in byte_spans)


def _check_options(options: DecodingOptions) -> None:
    """Refuse a device or compute type CTranslate2 cannot use here, before blaming the model."""
    import ctranslate2

    if options.device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
        raise UserError("--device cuda: CTranslate2 sees no CUDA device here; use --device cpu")
    device = "cuda" if options.device == "cuda" else "cpu"
    supported = set(ctranslate2.get_supported_compute_types(device)) | {"default", "auto"}
    if options.compute_type not in supported:
        raise UserError(
            f"--compute-type {options.compute_type}: not supported on {device}; "
            f"use one of {', '.join(sorted(supported))}"
        )


def _load_translator(package: ModelPackage, options: DecodingOptions) -> Any:
    import ctranslate2

    from rutrans.engine.cpus import default_threads

    _check_options(options)
    try:
        return ctranslate2.Translator(
            str(package.model_dir),
            device=options.device,
            compute_type=options.compute_type,
            inter_threads=1,
            intra_threads=options.threads or default_threads(),
        )
    except (RuntimeError, ValueError, OSError) as error:
        raise UserError(
            f"{package.label}: CTranslate2 cannot load model/ ({first_line(error)}); "
            "the package is damaged: download it again"
        ) from None


def _load_sentencepiece(package: ModelPackage) -> Any:
    import sentencepiece

    try:
        return sentencepiece.SentencePieceProcessor(model_file=str(package.sentencepiece_model))
    except (RuntimeError, OSError) as error:
        raise UserError(
            f"{package.label}: sentencepiece.model cannot be loaded ({error}); "
            "the package is damaged: download it again"
        ) from None


def load_check(package: ModelPackage) -> None:
    """Load the package's model and tokenizer once, to refuse a damaged package early."""
    _load_sentencepiece(package)
    _load_translator(package, DecodingOptions(compute_type="default"))


class ArgosEngine:
    """Translate segments with an Argos package's CTranslate2 model."""

    def __init__(self, package: ModelPackage, options: DecodingOptions | None = None) -> None:
        self.package = package
        self.options = options or DecodingOptions()
        self._tokenizer = _load_sentencepiece(package)
        self._translator = _load_translator(package, self.options)
        self.batch_calls = 0  # how many translate_batch calls this engine made

    def tokenize(self, text: str) -> list[str]:
        return list(self._tokenizer.encode(text, out_type=str))

    def detokenize(self, tokens: Sequence[str]) -> str:
        """argostranslate's SentencePieceTokenizer.decode, then its prefix/space trimming."""
        text = str(self._tokenizer.decode_pieces(list(tokens)))
        text = text.replace("▁", " ").replace("_", " ")
        prefix = self.package.target_prefix
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :]
        return text[1:] if text.startswith(" ") else text

    def translate(
        self,
        sources: Sequence[str],
        progress: Progress | None = None,
        *,
        return_attention: bool = False,
        target_prefixes: Sequence[str | None] | None = None,
        suppress: Sequence[str] = (),
        beam_size: int | None = None,
    ) -> list[MTResult]:
        if not sources:
            return []
        batch = [self.tokenize(source) for source in sources]
        package_prefix = [self.package.target_prefix] if self.package.target_prefix else []
        # Sentences over long.MAX_SOURCE_TOKENS go to the decoder in pieces, rejoined below.
        prefixes = self._prefixes(len(batch), target_prefixes)
        plan = long.plan(sources, batch, prefixes, package_prefix, self.tokenize)
        o = self.options
        self.batch_calls += 1
        results = self._translator.translate_batch(
            list(plan.tokens),
            target_prefix=plan.prefixes,
            max_batch_size=o.max_batch_tokens,
            batch_type="tokens",
            beam_size=beam_size or o.beam_size,
            num_hypotheses=1,
            length_penalty=o.length_penalty,
            max_decoding_length=plan.decoding_length(o.max_decoding_length),
            replace_unknowns=True,
            return_scores=True,
            return_attention=return_attention,
            suppress_sequences=[self.tokenize(r) for r in suppress] or None,
            asynchronous=progress is not None,
        )
        if progress is not None:
            results = _wait(results, progress, plan.owners)
        pieces = [
            self._result(text, tokens, result, return_attention)
            for text, tokens, result in zip(plan.texts, plan.tokens, results, strict=True)
        ]
        return plan.rejoin(sources, pieces)

    def _prefixes(
        self, count: int, target_prefixes: Sequence[str | None] | None
    ) -> list[list[str]] | None:
        """The package's own target prefix (if any), then the English asked for."""
        package_prefix = [self.package.target_prefix] if self.package.target_prefix else []
        if target_prefixes is None:
            return [list(package_prefix) for _ in range(count)] if package_prefix else None
        prefixes = []
        for english in target_prefixes:
            pieces = self.tokenize(english) if english else []
            prefixes.append(package_prefix + pieces)
        return prefixes

    def _result(
        self, source: str, tokens: list[str], result: Any, with_attention: bool
    ) -> MTResult:
        hypothesis = list(result.hypotheses[0])
        skip = (
            1
            if self.package.target_prefix and hypothesis[:1] == [self.package.target_prefix]
            else 0
        )
        hypothesis = hypothesis[skip:]
        text = self.detokenize(hypothesis)
        attention = None
        source_offsets: tuple[tuple[int, int], ...] = ()
        target_offsets: tuple[tuple[int, int], ...] = ()
        if with_attention and result.attention:
            attention = tuple(tuple(row) for row in result.attention[0][skip:])
            source_offsets = self.source_offsets(source)
            target_offsets = self.target_offsets(hypothesis)
        return MTResult(
            text=text,
            source_tokens=tuple(tokens),
            target_tokens=tuple(hypothesis),
            score=float(result.scores[0]) if result.scores else None,
            attention=attention,
            source_offsets=source_offsets,
            target_offsets=target_offsets,
        )

    def source_offsets(self, text: str) -> tuple[tuple[int, int], ...]:
        """Character span of each source subword (SentencePiece gives byte offsets)."""
        proto = self._tokenizer.encode(text, out_type="proto")
        return char_offsets_from_bytes(text, [(p.begin, p.end) for p in proto.pieces])

    def target_offsets(self, pieces: Sequence[str]) -> tuple[tuple[int, int], ...]:
        """Character span of each target subword in the detokenized text."""
        lengths = [len(self.detokenize(pieces[:k])) for k in range(len(pieces) + 1)]
        return tuple(itertools.pairwise(lengths))

    @functools.cached_property
    def _model_hash(self) -> str:
        # Hashing a real model reads ~100 MB: once per engine, not once per document.
        return self.package.content_hash()

    def signature(self) -> EngineSignature:
        return engine_signature(self.package, self.options, self._model_hash)


def check_options(options: DecodingOptions) -> None:
    """Refuse options CTranslate2 cannot use here, before any work (no model is loaded)."""
    _check_options(options)


def engine_signature(
    package: ModelPackage, options: DecodingOptions, model_sha256: str
) -> EngineSignature:
    """What an Argos engine on *package* would sign its output with, without loading it."""
    import ctranslate2

    return EngineSignature(
        name="argos-ctranslate2",
        library=("ctranslate2", ctranslate2.__version__),
        model=ModelIdentity(
            code=package.code,
            version=package.version,
            sha256=model_sha256,
            origin=package.origin,
            standin=package.standin,
        ),
        decoding=options.as_dict(),
    )


def _wait(pending: list[Any], progress: Progress, owners: Sequence[int]) -> list[Any]:
    """Collect asynchronous results, reporting each source as its last piece finishes
    (*owners*: the source of each piece), for a progress bar."""
    done = [False] * len(pending)
    results: list[Any] = [None] * len(pending)
    left: dict[int, int] = {}
    for owner in owners:
        left[owner] = left.get(owner, 0) + 1
    while not all(done):
        newly = 0
        for i, item in enumerate(pending):
            if not done[i] and item.done():
                results[i], done[i] = item.result(), True
                left[owners[i]] -= 1
                newly += left[owners[i]] == 0
        if newly:
            progress(newly)
        else:
            time.sleep(0.02)
    return results
