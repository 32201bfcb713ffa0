"""Text with marked spans, as escaped HTML: the review page's one way to highlight.

Marks may overlap (a term that post-editing put in is both a term and an insertion), so
the text is cut at every mark boundary and each piece carries the classes and titles of
all the marks over it.  Everything is escaped; only the ``<span>`` s are markup.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    classes: str
    title: str


def annotate(text: str, marks: Sequence[Mark]) -> str:
    usable = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in usable), *(m.end for m in usable)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        piece = html.escape(text[start:end], quote=True)
        over = [m for m in usable if m.start <= start and end <= m.end]
        if not over:
            pieces.append(piece)
            continue
        classes = " ".join(dict.fromkeys(c for m in over for c in m.classes.split()))
        title = " · ".join(dict.fromkeys(m.title for m in over if m.title))
        pieces.append(
            f'<span class="{html.escape(classes)}" title="{html.escape(title)}">{piece}</span>'
        )
    return "".join(pieces)
