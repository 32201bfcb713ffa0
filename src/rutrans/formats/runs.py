"""What the structured formats (``.docx``, ``.odt``, ``.html``) share: a paragraph made of
runs, and the English of a sentence spread back over the runs it came from.

A sentence in a Word file or a web page is often split over several runs (a bold word, an
italic name, a link).  The MT must see the whole sentence, so a paragraph's text is its
runs' texts joined, and its spans cover all of it.  Writing back, each replacement
``(start, end, english)`` is cut into as many parts as there are runs overlapping
``[start, end)``: every run gets the part of the English at the same relative position,
cut where a word ends, never inside one.  An approved term is a fixed cut: where its
Russian words lie in one run (a bold name, a linked organisation), its English goes into
that run whole, wherever the MT put it, and the words around it are shared as above.
Text outside the replacements stays in its run exactly.  A *fixed* piece (a tab, a line
break, an entity the format will not rewrite) counts in the paragraph's text but is never
written: the English flows around it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rutrans.results import Anchor, Document, Paragraph, Replacement, Replacements


@dataclass(frozen=True)
class Piece:
    """One run's text in the paragraph: ``element``'s ``slot`` (``text``, ``tail`` or
    ``@name`` for an attribute); an empty slot is a fixed piece that shows *shown*."""

    element: Any
    slot: str
    shown: str

    @property
    def writable(self) -> bool:
        return bool(self.slot)


def text_piece(element: Any, slot: str) -> Piece:
    """The piece for an lxml element's ``text``, ``tail`` or ``@attribute``."""
    if slot.startswith("@"):
        return Piece(element, slot, element.get(slot[1:]) or "")
    return Piece(element, slot, getattr(element, slot) or "")


def set_text(piece: Piece, value: str) -> None:
    """Write *value* into an lxml piece (a no-op for fixed pieces)."""
    if not piece.slot:
        return
    if piece.slot.startswith("@"):
        piece.element.set(piece.slot[1:], value)
    else:
        setattr(piece.element, piece.slot, value)


@dataclass(frozen=True)
class Block:
    """A paragraph as a format found it: its pieces, and where it is, for reports."""

    pieces: tuple[Piece, ...]
    line: int
    location: str = ""

    @property
    def text(self) -> str:
        return "".join(p.shown for p in self.pieces)


def translatable(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def build_document(
    path: Path,
    kind: str,
    encoding: str,
    blocks: Sequence[Block],
    data: bytes,
    text: str | None = None,
) -> Document:
    """A document of *blocks* (those with a letter in them): each paragraph's text is its
    runs' text, one span from its first to its last non-space character.  *text* is the
    document's text; by default the paragraphs' texts, a blank line apart.  *data*, the
    file's bytes, is what its checksum is of: a change of formatting alone is a change."""
    paragraphs: list[Paragraph] = []
    offset = 0
    for block in blocks:
        para = block.text
        lead = len(para) - len(para.lstrip())
        trail = len(para.rstrip())
        paragraphs.append(
            Paragraph(
                index=len(paragraphs),
                start=offset,
                end=offset + len(para),
                line=block.line,
                text=para,
                spans=((lead, trail),),
                location=block.location,
            )
        )
        offset += len(para) + 2
    joined = "\n\n".join(p.text for p in paragraphs) if text is None else text
    return Document(
        path=path,
        kind=kind,
        encoding=encoding,
        text=joined,
        paragraphs=tuple(paragraphs),
        digest=hashlib.sha256(data).hexdigest(),
    )


def apply(blocks: Sequence[Block], pieces: Replacements) -> set[int]:
    """Write each paragraph's replacements into its blocks' pieces; the indexes changed."""
    changed: set[int] = set()
    for index, replacements in pieces.items():
        block = blocks[index]
        new = distribute(
            [p.shown for p in block.pieces], [p.writable for p in block.pieces], replacements
        )
        for piece, value in zip(block.pieces, new, strict=True):
            if value != piece.shown:
                set_text(piece, value)
                changed.add(index)
    return changed


def distribute(
    texts: Sequence[str], writable: Sequence[bool], replacements: Sequence[tuple[int, int, str]]
) -> list[str]:
    """The runs' new texts once *replacements* (offsets in the runs' joined text, sorted,
    not overlapping) are made: each replaced range's English is shared out over the
    writable runs it overlaps by relative position, cut between words.  The anchors of a
    :class:`~rutrans.results.Replacement` are fixed cuts: an approved term whose Russian
    words lie in one writable run is written into that run whole, and the English between
    two terms is shared over the runs between their Russian words."""
    bounds: list[tuple[int, int]] = []
    offset = 0
    for text in texts:
        bounds.append((offset, offset + len(text)))
        offset += len(text)
    result = list(texts)
    previous = 0
    for start, end, _ in replacements:
        if not previous <= start <= end <= offset:
            raise ValueError(f"replacement ({start}, {end}) out of order or out of the text")
        previous = end
    # Backwards, so that the offsets inside each run stay valid for the earlier ones.
    for replacement in reversed(replacements):
        for start, end, english, runs in reversed(_parts(replacement, bounds, writable)):
            _write(result, bounds, runs, start, end, english)
    return result


def _parts(
    replacement: tuple[int, int, str], bounds: Sequence[tuple[int, int]], writable: Sequence[bool]
) -> list[tuple[int, int, str, list[int]]]:
    """*replacement* cut at its usable anchors: ``(start, end, english, runs)`` for each
    term (its one run) and for each stretch before, between and after the terms."""
    start, end, english = replacement
    anchored = _anchored(replacement, bounds, writable)
    held = {run for _, run in anchored}
    parts = []
    source_at, target_at = start, 0
    for anchor, run in anchored:
        (source_start, source_end), (target_start, target_end) = anchor.source, anchor.target
        between = english[target_at:target_start]
        parts.append(
            (
                source_at,
                source_start,
                between,
                _runs(bounds, writable, source_at, source_start, held),
            )
        )
        parts.append((source_start, source_end, english[target_start:target_end], [run]))
        source_at, target_at = source_end, target_end
    parts.append(
        (source_at, end, english[target_at:], _runs(bounds, writable, source_at, end, held))
    )
    return parts


def _anchored(
    replacement: tuple[int, int, str], bounds: Sequence[tuple[int, int]], writable: Sequence[bool]
) -> list[tuple[Anchor, int]]:
    """The anchors that can be kept, each with the run its Russian words are in: inside
    the replacement, in one writable run, and the most of them that are in the same order
    on both sides.  Where the MT swapped two terms, one of them is shared out as any other
    words (the English is written in its own order, the runs stay in theirs): the one
    that fills less of its run, as a name in plain text loses less by it than a bold
    name or a link that is the term alone."""
    if not isinstance(replacement, Replacement):
        return []
    start, end, english = replacement
    candidates: list[tuple[Anchor, int]] = []
    for anchor in sorted(replacement.anchors, key=lambda a: a.target):
        (source_start, source_end), (target_start, target_end) = anchor.source, anchor.target
        if not (start <= source_start < source_end <= end):
            continue
        if not 0 <= target_start < target_end <= len(english):
            continue
        run = next(
            (
                i
                for i, (lo, hi) in enumerate(bounds)
                if writable[i] and lo <= source_start and source_end <= hi
            ),
            None,
        )
        if run is not None:
            candidates.append((anchor, run))

    def worth(chain: list[tuple[Anchor, int]]) -> tuple[int, float]:
        filled = sum((a.source[1] - a.source[0]) / (bounds[r][1] - bounds[r][0]) for a, r in chain)
        return len(chain), filled

    # The best chain in order on both sides; a sentence has a handful of terms at most.
    chains: list[list[tuple[Anchor, int]]] = []
    for anchor, run in candidates:
        before = [
            chain
            for chain in chains
            if chain[-1][0].source[1] <= anchor.source[0]
            and chain[-1][0].target[1] <= anchor.target[0]
        ]
        chains.append([*max(before, key=worth, default=[]), (anchor, run)])
    return max(chains, key=worth, default=[])


def _runs(
    bounds: Sequence[tuple[int, int]],
    writable: Sequence[bool],
    start: int,
    end: int,
    held: set[int] | frozenset[int] = frozenset(),
) -> list[int]:
    """The writable runs that take the English of ``[start, end)``: those it overlaps.
    A range that overlaps none (empty, or only a tab, beside a term) gives its English to
    one run it touches, one that holds no term where there is one, so nothing is lost."""
    overlapping = [
        i for i, (lo, hi) in enumerate(bounds) if writable[i] and lo < end and hi > start
    ]
    if overlapping:
        return overlapping
    touching = [
        i
        for i, (lo, hi) in enumerate(bounds)
        if writable[i] and (lo <= start <= hi or lo <= end <= hi)
    ]
    free = [i for i in touching if i not in held]
    return (free or touching)[:1]


def _write(
    result: list[str],
    bounds: Sequence[tuple[int, int]],
    runs: Sequence[int],
    start: int,
    end: int,
    english: str,
) -> None:
    """Put *english* in place of ``[start, end)`` of *runs*, shared by relative position."""
    if not runs:
        return
    cuts = _cuts(english, [min(end, bounds[i][1]) - start for i in runs[:-1]], end - start)
    shares = [english[a:b] for a, b in zip([0, *cuts], [*cuts, len(english)], strict=True)]
    for i, share in zip(runs, shares, strict=True):
        lo, hi = bounds[i]
        local_start = min(max(start, lo), hi) - lo
        local_end = max(min(end, hi), lo) - lo
        result[i] = result[i][:local_start] + share + result[i][local_end:]


def _cuts(english: str, source_ends: Sequence[int], length: int) -> list[int]:
    """Where the English is cut between runs: at the relative position of each run's end
    in the source, moved to the nearest place between two words (after a space)."""
    boundaries = [0] + [i for i in range(1, len(english)) if english[i - 1].isspace()]
    boundaries.append(len(english))
    cuts: list[int] = []
    floor = 0
    for source_end in source_ends:
        wanted = round(source_end / length * len(english)) if length else len(english)
        best = min((b for b in boundaries if b >= floor), key=lambda b: abs(b - wanted))
        cuts.append(best)
        floor = best
    return cuts
