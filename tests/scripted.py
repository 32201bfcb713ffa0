"""An engine that returns given MT hypotheses — for testing what post-editing does with
them.  It is a test double of the MT only; everything downstream runs for real."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rutrans.engine import Progress
from rutrans.results import MTResult
from rutrans.signature import EngineSignature, ModelIdentity


def word_offsets(text: str) -> tuple[tuple[int, int], ...]:
    """Whitespace-separated words as tokens (a stand-in for subwords)."""
    return tuple((m.start(), m.end()) for m in re.finditer(r"\S+", text))


def aligned_attention(
    source: str, target: str, alignment: Mapping[int, int]
) -> tuple[tuple[float, ...], ...]:
    """Attention rows that put target word j on source word ``alignment[j]``
    (unaligned target words attend to the last source word)."""
    n_source = len(word_offsets(source))
    rows = []
    for j in range(len(word_offsets(target))):
        row = [0.1 / n_source] * n_source
        row[alignment.get(j, n_source - 1)] = 0.9
        rows.append(tuple(row))
    return tuple(rows)


@dataclass
class ScriptedEngine:
    """Returns ``hypotheses[source]`` for each source (the source itself if unscripted)."""

    hypotheses: dict[str, str]
    alignments: dict[str, dict[int, int]] = field(default_factory=dict)
    continuations: dict[str, str] = field(default_factory=dict)  # prefix → what follows it
    calls: list[list[str]] = field(default_factory=list)
    beams: list[int | None] = field(default_factory=list)  # each call's beam_size

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
        self.calls.append(list(sources))
        self.beams.append(beam_size)
        results = []
        for i, source in enumerate(sources):
            text = self.hypotheses.get(source, source)
            prefix = target_prefixes[i] if target_prefixes else None
            if prefix:
                text = prefix + self.continuations.get(prefix, text[len(prefix) :])
            attention = None
            if return_attention and source in self.alignments:
                attention = aligned_attention(source, text, self.alignments[source])
            results.append(
                MTResult(
                    text=text,
                    source_tokens=tuple(source.split()),
                    target_tokens=tuple(text.split()),
                    score=0.0,
                    attention=attention,
                    source_offsets=word_offsets(source),
                    target_offsets=word_offsets(text),
                )
            )
        if progress:
            progress(len(sources))
        return results

    def signature(self) -> EngineSignature:
        return EngineSignature(
            name="scripted",
            model=ModelIdentity(code="scripted", version="0", sha256="0" * 64),
            decoding={"beam_size": 1},
        )
