"""Sentences too long for the decoder: split at clause boundaries, decode, rejoin.

What limits a CTranslate2 translation's length (found on the stand-in and CTranslate2 4.x):

* ``translate_batch(max_decoding_length=…)`` (rutrans: 256) counts target tokens, a
  target prefix included; a hypothesis that reaches it is cut there, and nothing says so.
  A 730-token Russian sentence came back as 256 tokens — about a third of it.
* ``translate_batch(max_input_length=1024)`` (CTranslate2's default) silently drops the
  source tokens after the 1024th.
* The model's position table (the tiny stand-in's: 1024 positions; the ``argos`` shape's,
  as OpenNMT-py's default: 5000): decoding or encoding past it raises, failing the whole
  batch.  ``config.json`` does not record it.

So before decoding, a sentence of more than :data:`MAX_SOURCE_TOKENS` subwords is split
for the decoder — at ``;``, then ``:``, then a comma before a conjunction or relative
word, then any comma, then a dash, and only then at a space — into pieces under the
limit.  The pieces go to the same ``translate_batch`` call as every other segment, and
their translations are rejoined with a space into one :class:`MTResult` for the sentence,
attention and offsets included (see :func:`rejoin`).  The decoding limit is also raised
per call so that no piece (or unsplit sentence) is cut: :meth:`Plan.decoding_length`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rutrans.results import MTResult, Span

MAX_SOURCE_TOKENS = 200
"""Longest source (in SentencePiece subwords) decoded in one piece.  Well below the
256-token decoding limit, so that a piece's translation (≈1.0–1.3 × its source) fits even
before the limit is raised, and well below the 1024-token input and position limits."""

DECODING_CEILING = 1024
"""Never ask for more target tokens than this: CTranslate2's own input limit, and the
smallest position table seen (past it CTranslate2 raises, failing the whole document)."""

_RELATIVE = (
    r"и|а|но|или|либо|однако|что|чтобы|котор\w*|где|куда|откуда|когда|если|хотя|"
    r"поскольку|пока|чей|чья|чьё|чьи|чьих|чьим"
)
BOUNDARIES: tuple[re.Pattern[str], ...] = (
    re.compile(r";(?=\s)"),
    re.compile(r":(?=\s)"),
    re.compile(rf",(?=\s+(?:{_RELATIVE})\b)", re.IGNORECASE),
    re.compile(r",(?=\s)"),
    re.compile(r"(?<=\s)[—–-](?=\s)"),  # a dash between spaces
)
"""Clause boundaries, strongest first; a piece ends just after the match."""

_OPENING, _CLOSING = "(«[", ")»]"

Count = Callable[[str], int]


def split_for_decoder(text: str, count: Count, limit: int = MAX_SOURCE_TOKENS) -> list[Span]:
    """``[start, end)`` spans of *text*'s pieces, in order, each of at most *limit* tokens
    by *count* where a cut can make it so.  A text that fits is one span, ``(0, len)``;
    otherwise only whitespace lies between consecutive spans, and the cuts are at the
    strongest boundaries that make the pieces fit (a boundary inside brackets or «»
    quotes only when there is none outside).  A stretch with no space in it stays whole."""
    if count(text) <= limit:
        return [(0, len(text))]
    start = len(text) - len(text.lstrip())
    return _Splitter(text, count, limit).split(start, len(text.rstrip()), 0)


Cuts = Callable[[int, int], list[int]]


def _levels(text: str) -> list[Cuts]:
    """Per boundary, strongest first, where it cuts ``text[start:end]``: first outside
    brackets and «» quotes, then anywhere."""
    depth = _bracket_depth(text)

    def level(pattern: re.Pattern[str], inside: bool) -> Cuts:
        def cuts(start: int, end: int) -> list[int]:
            found = []
            for match in pattern.finditer(text, start, end):
                cut = match.end()
                if cut < end and text[cut:end].strip() and (inside or depth[cut - 1] == 0):
                    found.append(cut)
            return found

        return cuts

    return [level(p, False) for p in BOUNDARIES] + [level(p, True) for p in BOUNDARIES]


def _bracket_depth(text: str) -> list[int]:
    depth, level = [], 0
    for char in text:
        if char in _OPENING:
            level += 1
        elif char in _CLOSING:
            level = max(0, level - 1)
        depth.append(level)
    return depth


class _Splitter:
    def __init__(self, text: str, count: Count, limit: int) -> None:
        self.text, self.count, self.limit = text, count, limit
        self.levels = _levels(text)

    def fits(self, start: int, end: int) -> bool:
        return self.count(self.text[start:end]) <= self.limit

    def split(self, start: int, end: int, level: int) -> list[Span]:
        if self.fits(start, end):
            return [(start, end)]
        for k in range(level, len(self.levels)):
            cuts = self.levels[k](start, end)
            if cuts:
                return self.pack([self.split(a, b, k + 1) for a, b in self.parts(start, end, cuts)])
        return self.at_spaces(start, end)

    def parts(self, start: int, end: int, cuts: Sequence[int]) -> list[Span]:
        """The stretches between *cuts*, without the whitespace after each cut."""
        parts, begin = [], start
        for cut in cuts:
            parts.append((begin, cut))
            rest = self.text[cut:end]
            begin = cut + len(rest) - len(rest.lstrip())
        parts.append((begin, end))
        return parts

    def pack(self, groups: Sequence[list[Span]]) -> list[Span]:
        """Rejoin neighbouring whole parts while they fit; a part that had to be cut
        further keeps its own pieces, so weaker cuts stay inside stretches that need them."""
        pieces: list[Span] = []
        run: Span | None = None
        for group in groups:
            if len(group) == 1 and run is not None and self.fits(run[0], group[0][1]):
                run = (run[0], group[0][1])
                continue
            if run is not None:
                pieces.append(run)
                run = None
            if len(group) == 1:
                run = group[0]
            else:
                pieces.extend(group)
        return pieces + ([run] if run is not None else [])

    def at_spaces(self, start: int, end: int) -> list[Span]:
        """The last resort: cut at the spaces nearest to equal shares of the stretch."""
        if self.fits(start, end):
            return [(start, end)]
        spaces = [m.span() for m in re.finditer(r"\s+", self.text[start:end])]
        if not spaces:
            return [(start, end)]
        shares = -(-self.count(self.text[start:end]) // self.limit)
        chosen: list[Span] = []
        for k in range(1, shares):
            target = (end - start) * k // shares
            nearest = min(spaces, key=lambda s: abs(s[0] - target))
            if not chosen or nearest[0] > chosen[-1][0]:
                chosen.append(nearest)
        pieces, begin = [], start
        for space_start, space_end in chosen:
            pieces += self.at_spaces(begin, start + space_start)
            begin = start + space_end
        return pieces + self.at_spaces(begin, end)


# --- decoding a document with its long sentences split ----------------------------------


@dataclass(frozen=True)
class Plan:
    """What goes to ``translate_batch``: every piece of every source, in order."""

    texts: tuple[str, ...]
    tokens: tuple[list[str], ...]
    prefixes: list[list[str]] | None
    owners: tuple[int, ...]  # the source each piece belongs to
    spans: tuple[Span, ...]  # each piece's span in its source

    def decoding_length(self, floor: int) -> int:
        """A ``max_decoding_length`` that cuts no piece: room for twice its source, or its
        target prefix and as much again as its source, up to :data:`DECODING_CEILING`."""
        need = 0
        for i, tokens in enumerate(self.tokens):
            prefix = len(self.prefixes[i]) if self.prefixes else 0
            need = max(need, max(2 * len(tokens), prefix + len(tokens)) + 10)
        return max(floor, min(need, DECODING_CEILING))

    def rejoin(self, sources: Sequence[str], results: Sequence[MTResult]) -> list[MTResult]:
        """One result per source from the pieces' results (in :attr:`texts` order)."""
        grouped: list[list[int]] = [[] for _ in sources]
        for piece, owner in enumerate(self.owners):
            grouped[owner].append(piece)
        return [
            rejoin(source, [self.spans[k] for k in pieces], [results[k] for k in pieces])
            for source, pieces in zip(sources, grouped, strict=True)
        ]


def plan(
    sources: Sequence[str],
    tokens: Sequence[list[str]],
    prefixes: Sequence[list[str]] | None,
    package_prefix: Sequence[str],
    tokenize: Callable[[str], list[str]],
    limit: int = MAX_SOURCE_TOKENS,
) -> Plan:
    """Split each source over *limit* tokens; *prefixes* are the full target prefixes
    (*package_prefix* then any English asked for).  A source with English in its prefix
    is split only when that English fits in the first piece (no more tokens than its
    source), which alone gets it; otherwise it is decoded whole."""
    texts: list[str] = []
    pieces_tokens: list[list[str]] = []
    piece_prefixes: list[list[str]] = []
    owners: list[int] = []
    spans: list[Span] = []
    for i, (source, source_tokens) in enumerate(zip(sources, tokens, strict=True)):
        prefix = list(prefixes[i]) if prefixes is not None else list(package_prefix)
        cut, cut_tokens = [(0, len(source))], [source_tokens]
        if len(source_tokens) > limit:
            found = split_for_decoder(source, lambda s: len(tokenize(s)), limit)
            first = tokenize(source[slice(*found[0])])
            if len(found) > 1 and len(prefix) - len(package_prefix) <= len(first):
                cut = found
                cut_tokens = [first] + [tokenize(source[a:b]) for a, b in found[1:]]
        for k, ((a, b), piece_tokens) in enumerate(zip(cut, cut_tokens, strict=True)):
            texts.append(source[a:b])
            pieces_tokens.append(piece_tokens)
            piece_prefixes.append(prefix if k == 0 else list(package_prefix))
            owners.append(i)
            spans.append((a, b))
    return Plan(
        tuple(texts),
        tuple(pieces_tokens),
        piece_prefixes if prefixes is not None or package_prefix else None,
        tuple(owners),
        tuple(spans),
    )


def rejoin(source: str, spans: Sequence[Span], parts: Sequence[MTResult]) -> MTResult:
    """One result for *source* from its pieces' results: texts joined with a space, each
    keeping its own punctuation; tokens concatenated; each attention row widened to the
    whole source (zeros over the other pieces' subwords) and every offset shifted, so that
    post-editing reads positions in *source* and in the joined text as for any sentence.
    The score is the pieces' scores averaged over their target tokens."""
    if len(parts) == 1 and spans[0] == (0, len(source)):
        return parts[0]
    widths = [len(p.source_tokens) for p in parts]
    with_attention = all(p.attention is not None for p in parts)
    texts: list[str] = []
    attention: list[tuple[float, ...]] = []
    source_offsets: list[Span] = []
    target_offsets: list[Span] = []
    before, position = 0, 0
    for (start, _), part, width in zip(spans, parts, widths, strict=True):
        if part.text and texts:
            position += 1  # the joining space
        texts += [part.text] if part.text else []
        source_offsets += [(start + a, start + b) for a, b in part.source_offsets]
        target_offsets += [(position + a, position + b) for a, b in part.target_offsets]
        after = sum(widths) - before - width
        for row in part.attention or ():
            cells = tuple(row[:width]) + (0.0,) * max(0, width - len(row))
            attention.append((0.0,) * before + cells + (0.0,) * after)
        before += width
        position += len(part.text)
    return MTResult(
        text=" ".join(texts),
        source_tokens=tuple(t for p in parts for t in p.source_tokens),
        target_tokens=tuple(t for p in parts for t in p.target_tokens),
        score=_score(parts),
        attention=tuple(attention) if with_attention else None,
        source_offsets=tuple(source_offsets) if with_attention else (),
        target_offsets=tuple(target_offsets) if with_attention else (),
    )


def _score(parts: Sequence[MTResult]) -> float | None:
    scores = [p.score for p in parts]
    if any(s is None for s in scores):
        return None
    weights = [max(1, len(p.target_tokens)) for p in parts]
    return sum(s * w for s, w in zip(scores, weights, strict=True) if s is not None) / sum(weights)
