"""What the plain-text formats (``.txt``, ``.md``) share: decode, splice, encode.

The promise to the user is that a translated document differs from the original only
inside the translated text: blank lines, indentation, line endings (``\\n``, ``\\r\\n``,
``\\r``, even mixed), the encoding and a BOM all come back as they were.  So a document
keeps its whole decoded text, paragraphs are offsets into it, and :func:`render` splices
replacements into that text instead of re-assembling it from pieces.  A text format only
says which regions of the text are paragraphs and which spans of them are human text.
"""

from __future__ import annotations

import bisect
from pathlib import Path

from rutrans import encoding as codecs
from rutrans import files
from rutrans.errors import UserError
from rutrans.lines import line_starts
from rutrans.results import Document, Paragraph, Replacements

Regions = list[tuple[int, int, tuple[tuple[int, int], ...]]]
"""``(start, end, spans)`` per paragraph: offsets in the text; spans relative to start."""


def read_text(path: Path, forced_encoding: str | None) -> tuple[str, str]:
    """The decoded text of *path* and the codec that gives its bytes back."""
    data = files.read_bytes(path, "document")
    text, codec = codecs.decode(data, path, forced_encoding)
    if not text.strip():
        raise UserError(f"{path}: is empty; nothing to translate")
    return text, codec


def document(path: Path, kind: str, codec: str, text: str, regions: Regions) -> Document:
    starts = line_starts(text)
    paragraphs = tuple(
        Paragraph(
            index=index,
            start=start,
            end=end,
            line=bisect.bisect_right(starts, start),
            text=text[start:end],
            spans=spans,
        )
        for index, (start, end, spans) in enumerate(regions)
    )
    return Document(path=path, kind=kind, encoding=codec, text=text, paragraphs=paragraphs)


def render(doc: Document, replacements: Replacements) -> str:
    """*doc*'s text with each paragraph's ``(start, end, new_text)`` replacements applied.

    Offsets are relative to the paragraph; per paragraph they must be sorted and must
    not overlap.  A violation is a bug in the caller, so it is a ValueError, not a
    UserError.  Every character outside the replaced ranges is kept.
    """
    pieces: list[str] = []
    done = 0  # offset in doc.text up to which pieces are complete
    for index in sorted(replacements):
        if not 0 <= index < len(doc.paragraphs):
            raise ValueError(f"no paragraph {index} in {doc.path} ({len(doc.paragraphs)} in all)")
        para = doc.paragraphs[index]
        previous_end = 0
        for start, end, new_text in replacements[index]:
            if not previous_end <= start <= end <= len(para.text):
                raise ValueError(
                    f"replacement ({start}, {end}) in paragraph {index} of {doc.path} is out "
                    "of order, overlaps the previous one or lies outside the paragraph"
                )
            pieces.append(doc.text[done : para.start + start])
            pieces.append(new_text)
            done = para.start + end
            previous_end = end
    pieces.append(doc.text[done:])
    return "".join(pieces)


def write(doc: Document, pieces: Replacements, path: Path, encoding: str | None) -> None:
    """Write *doc* with *pieces* spliced in to *path*, in *encoding* or the one it came in."""
    path.write_bytes(codecs.encode(render(doc, pieces), encoding or doc.encoding, path))


class TextFormat:
    """Base of the plain-text formats; subclasses say where the paragraphs are."""

    name = ""
    suffixes: tuple[str, ...] = ()

    def regions(self, text: str) -> Regions:
        raise NotImplementedError

    def read(self, path: Path, encoding: str | None = None) -> Document:
        text, codec = read_text(path, encoding)
        return document(path, self.name, codec, text, self.regions(text))

    def write(
        self, document: Document, pieces: Replacements, path: Path, encoding: str | None = None
    ) -> None:
        write(document, pieces, path, encoding)
