"""Machine translation engines: what the pipeline needs from one, and how one decodes.

The :class:`Engine` protocol is the seam: the Argos engine implements it, a caching engine
can wrap any engine the way argostranslate's ``CachedTranslation`` wraps a translation,
and tests pass an engine that returns given hypotheses.  Engines are built by
:mod:`rutrans.engine.factory`.  Nothing here knows of glossaries or post-editing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

from rutrans.results import MTResult
from rutrans.signature import EngineSignature


@dataclass(frozen=True)
class DecodingOptions:
    """How CTranslate2 decodes; every field goes into the report's signature.

    Defaults follow argostranslate (beam 4, length penalty 0.2) so that rutrans's output is
    what Argos would give for the same sentence; ``int8`` is CTranslate2's fastest exact
    path on a CPU and the precision Argos packages are distributed in.
    """

    beam_size: int = 4
    length_penalty: float = 0.2
    compute_type: str = "int8"
    device: str = "cpu"
    # 0: half the CPUs this process may use, 1 to 4 (rutrans.engine.cpus): on shared
    # cores one thread per core is faster (benchmarks/translate_bench.py).
    threads: int = 0
    # Source tokens per decoder batch.  On a CPU a batch's memory grows with it (beam ×
    # tokens × layers of attention state: 1.2 GB at 4096 with Argos's model shape) while
    # its speed does not: raw CTranslate2 ran a 15,700-token document in about 68 s at
    # 1024 against 76 s at 4096, peaking at 454 MiB against 1,186 (Argos's model shape,
    # one thread, medians of 4; translate_bench's 100× document measures rutrans so).
    max_batch_tokens: int = 1024
    max_decoding_length: int = 256

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


Progress = Callable[[int], None]
"""Called with the number of segments newly finished."""


class Engine(Protocol):
    """Translates a whole document's segments in one go."""

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
        """Translate *sources* (one sentence each) and return one result per source.

        ``target_prefixes[i]``, when given, is English the translation of source *i*
        must start with; the engine continues from it.  ``suppress`` lists English the
        engine must not produce (forbidden renderings of the document's terms).
        ``beam_size``, when given, replaces the options' beam for this call (inputs of a
        few words, such as term probes, gain nothing from a beam but its cost).
        """
        ...

    def signature(self) -> EngineSignature:
        """What made the translations: engine, model identity, decoding options."""
        ...


def align(engine: Engine, sources: Sequence[str], translations: Sequence[str]) -> list[MTResult]:
    """Forced alignment of translations made elsewhere: the engine decodes each source with
    the given translation as its target prefix and returns its attention over it, so that
    post-editing can see which English words render which Russian ones.  A translation
    the engine's tokenizer cannot reproduce comes back without attention."""
    if not sources:
        return []
    decoded = engine.translate(sources, return_attention=True, target_prefixes=translations)
    aligned = []
    for given, result in zip(translations, decoded, strict=True):
        keep = [j for j, (_, end) in enumerate(result.target_offsets) if end <= len(given)]
        if not result.text.startswith(given) or not result.attention or not keep:
            aligned.append(MTResult(given, result.source_tokens, (), result.score))
            continue
        aligned.append(
            MTResult(
                text=given,
                source_tokens=result.source_tokens,
                target_tokens=tuple(result.target_tokens[j] for j in keep),
                score=result.score,
                attention=tuple(result.attention[j] for j in keep),
                source_offsets=result.source_offsets,
                target_offsets=tuple(result.target_offsets[j] for j in keep),
            )
        )
    return aligned
