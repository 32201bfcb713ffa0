"""Document formats as plug-ins: one module per format, one registry line each.

``read_document(path)`` and ``write_document(document, pieces, path)`` find the format by
the file's suffix.  A new format is a class with ``name``, ``suffixes``, ``read`` and
``write`` (see :class:`rutrans.formats.base.Format`) and one ``register`` call.
"""

from __future__ import annotations

import os
from pathlib import Path

from rutrans import atomic, files
from rutrans.errors import UserError
from rutrans.formats.base import Format, Registry
from rutrans.formats.docx import WordDocument
from rutrans.formats.html import WebPage
from rutrans.formats.md import Markdown
from rutrans.formats.odt import OpenDocument
from rutrans.formats.txt import PlainText
from rutrans.results import Document, Replacements

__all__ = [
    "Format",
    "handles",
    "read_document",
    "register",
    "registry",
    "unregister",
    "write_document",
    "write_unstaged",
]

registry = Registry()
registry.register(PlainText())
registry.register(Markdown())
registry.register(WordDocument())
registry.register(OpenDocument())
registry.register(WebPage())

register = registry.register
unregister = registry.unregister
handles = registry.handles


def read_document(path: Path, encoding: str | None = None) -> Document:
    """Read *path* with the format its suffix names; *encoding* overrides detection."""
    files.check_regular(path)
    return registry.for_path(path).read(path, encoding)


def check_readable(path: Path) -> None:
    """What :func:`read_document` would refuse without reading: a missing path, a
    folder, a suffix no format reads.  For checking every input before any work."""
    files.check_regular(path)
    registry.for_path(path)
    if not os.access(path, os.R_OK):
        raise UserError(f"{path}: permission denied; make the document readable")


def write_document(
    document: Document, pieces: Replacements, path: Path, encoding: str | None = None
) -> None:
    """Write *document* to *path* in its own format with *pieces* in place, atomically:
    *path* is either the whole new file or left as it was."""
    with atomic.staged(path) as tmp:
        write_unstaged(document, pieces, tmp, encoding)


def write_unstaged(
    document: Document, pieces: Replacements, path: Path, encoding: str | None = None
) -> None:
    """Write *document* to *path* directly: for a caller that stages several files and
    renames them in an order of its own (:func:`rutrans.outputs.write_translation`)."""
    registry.by_name(document.kind).write(document, pieces, path, encoding)
