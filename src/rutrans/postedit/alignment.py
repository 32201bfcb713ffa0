"""From CTranslate2 attention to a span of the MT text that renders a source term.

CTranslate2 returns, per hypothesis, ``attention[target_token][source_token]`` (the
alignment heads of the last decoder layer).  A target token is aligned to the source
token it attends to most; the target tokens aligned to the term's source tokens, made
contiguous and widened to whole words, are the MT's rendering of the term.
"""

from __future__ import annotations

from collections.abc import Sequence

Offsets = tuple[tuple[int, int], ...]

MAX_SPAN_GROWTH = 3
"""A rendering longer than this many times the term's subwords (+2) is noise, not a span."""


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    while start < end and not text[start].isalnum():
        start += 1
    return start, end


def attention_span(
    attention: Sequence[Sequence[float]],
    source_offsets: Offsets,
    target_offsets: Offsets,
    term: tuple[int, int],
    target_text: str,
) -> tuple[int, int] | None:
    """The character span of *target_text* aligned to the source characters *term*."""
    term_start, term_end = term
    term_tokens = {
        i for i, (start, end) in enumerate(source_offsets) if start < term_end and end > term_start
    }
    if not term_tokens or not attention:
        return None
    aligned = [
        j
        for j, row in enumerate(attention[: len(target_offsets)])
        if row and max(range(len(row)), key=row.__getitem__) in term_tokens
    ]
    if not aligned:
        return None
    first, last = min(aligned), max(aligned)
    if last - first + 1 > MAX_SPAN_GROWTH * len(term_tokens) + 2:
        return None
    start, end = _widen_to_words(target_text, target_offsets[first][0], target_offsets[last][1])
    return (start, end) if start < end else None
