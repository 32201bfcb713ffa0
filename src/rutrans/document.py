"""Read ``.txt``/``.md`` documents into paragraphs and write translations back.

The promise to the user is that a translated document differs from the original only
inside the translated text: blank lines, indentation, line endings (``\\n``, ``\\r\\n``,
``\\r``, even mixed), the encoding and a BOM all come back as they were.  So a document
keeps its whole decoded text, paragraphs are offsets into it, and :func:`render` splices
replacements into that text instead of re-assembling it from pieces.
"""

from __future__ import annotations

import bisect
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rutrans import atomic, encoding, markdown
from rutrans.errors import UserError

__all__ = ["SUFFIXES", "Document", "Paragraph", "read_document", "render", "write_document"]

#: File suffixes rutrans reads (compared case-insensitively) and the kind of each.
SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}

_LINE = re.compile(r"[^\r\n]*")
_Regions = list[tuple[int, int, tuple[tuple[int, int], ...]]]
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Paragraph:
    """One unit of translation; *spans* are ``[start, end)`` offsets relative to *text*."""

    index: int
    start: int
    end: int
    line: int
    text: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Document:
    """A decoded input file; *text* is exactly the file's text (less a BOM)."""

    path: Path
    kind: str
    encoding: str
    text: str
    paragraphs: tuple[Paragraph, ...]


def read_document(path: Path, encoding: str | None = None) -> Document:
    """Read and split *path*; *encoding* overrides detection.  Errors are UserErrors."""
    kind = _kind(path)
    try:
        data = path.read_bytes()
    except PermissionError:
        raise UserError(f"{path}: permission denied; make the file readable") from None
    except OSError as err:
        raise UserError(f"{path}: cannot be read ({err.strerror}); check the file") from None
    text, codec = _decode(data, path, encoding)
    if not text.strip():
        raise UserError(f"{path}: is empty; nothing to translate")
    regions = _md_regions(text) if kind == "md" else _txt_regions(text)
    line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
    paragraphs = tuple(
        Paragraph(
            index=index,
            start=start,
            end=end,
            line=bisect.bisect_right(line_starts, start),
            text=text[start:end],
            spans=spans,
        )
        for index, (start, end, spans) in enumerate(regions)
    )
    return Document(path=path, kind=kind, encoding=codec, text=text, paragraphs=paragraphs)


def render(doc: Document, replacements: Mapping[int, Sequence[tuple[int, int, str]]]) -> str:
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


def write_document(doc: Document, text: str, path: Path, encoding: str | None = None) -> None:
    """Write *text* to *path* in *encoding* (default: the one *doc* was read in), atomically."""
    data = _encode(text, encoding or doc.encoding, path)
    atomic.write_bytes(path, data)


def _kind(path: Path) -> str:
    try:
        is_dir = stat.S_ISDIR(path.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        raise UserError(f"{path}: no such file; check the path") from None
    except PermissionError:
        raise UserError(f"{path}: permission denied; make the file readable") from None
    except OSError as err:
        raise UserError(f"{path}: cannot be read ({err.strerror}); check the file") from None
    if is_dir:
        raise UserError(f"{path}: is a directory; give rutrans a .txt or .md file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        shown = f"'{path.suffix}'" if path.suffix else "(no suffix)"
        raise UserError(f"{path}: unsupported format {shown}; rutrans reads .txt and .md")
    return SUFFIXES[suffix]


# The parameter named ``encoding`` shadows the module in the public functions.
_decode = encoding.decode
_encode = encoding.encode


def _txt_regions(text: str) -> _Regions:
    """Each line with a letter in it is a paragraph (as argostranslate splits text).

    Lines without any letter ("2024", "* * *", "---") are kept but not translated: the
    MT has nothing to do there and would only risk changing them.
    """
    regions: _Regions = []
    for m in _LINE.finditer(text):
        line = m.group()
        if not any(ch.isalpha() for ch in line):
            continue
        lead = len(line) - len(line.lstrip())
        trail = len(line.rstrip())
        regions.append((m.start(), m.end(), ((lead, trail),)))
    return regions


def _md_regions(text: str) -> _Regions:
    return [(b.start, b.end, b.spans) for b in markdown.blocks(text) if b.spans]
