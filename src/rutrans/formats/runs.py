"""What the structured formats (``.docx``, ``.odt``, ``.html``) share: a paragraph made of
runs, and the English of a sentence spread back over the runs it came from.

A sentence in a Word file or a web page is often split over several runs (a bold word, an
italic name, a link).  The MT must see the whole sentence, so a paragraph's text is its
runs' texts joined, and its spans cover all of it.  Writing back, each replacement
``(start, end, english)`` is cut into as many parts as there are runs overlapping
``[start, end)``: every run gets the part of the English at the same relative position,
cut where a word ends, never inside one.  Text outside the replacements stays in its run
exactly.  A *fixed* piece (a tab, a line break, an entity the format will not rewrite)
counts in the paragraph's text but is never written: the English flows around it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rutrans.results import Document, Paragraph, Replacements


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
    writable runs it overlaps by relative position, cut between words."""
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
    for start, end, english in reversed(replacements):
        runs = [
            i
            for i, (lo, hi) in enumerate(bounds)
            if writable[i] and ((lo < end and hi > start) or (start == end and lo <= start <= hi))
        ]
        if not runs:
            continue
        cuts = _cuts(english, [min(end, bounds[i][1]) - start for i in runs[:-1]], end - start)
        shares = [english[a:b] for a, b in zip([0, *cuts], [*cuts, len(english)], strict=True)]
        for i, share in zip(runs, shares, strict=True):
            lo, _ = bounds[i]
            local_start = max(start, lo) - lo
            local_end = min(end, bounds[i][1]) - lo
            result[i] = result[i][:local_start] + share + result[i][local_end:]
    return result


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
