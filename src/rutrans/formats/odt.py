"""OpenDocument text (``.odt``): paragraphs and headings of the body, lists, table cells,
notes (footnotes and endnotes), frames and text boxes, and the headers and footers in
``styles.xml``, each paragraph's spans and links kept.

A paragraph (``text:p``, ``text:h``) is its own text and that of the ``text:span`` and
``text:a`` inside it, in order; ``text:s``, ``text:tab`` and ``text:line-break`` show as
whitespace and stay; a note, a frame (image or text box), a field, a bookmark or an
annotation is left whole where it is (a note's body and a text box are paragraphs of
their own).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rutrans.errors import UserError
from rutrans.formats import package, runs

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
MIMETYPES = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.text-template",
)
PARTS = ("content.xml", "styles.xml")
_INLINE = {TEXT + "span", TEXT + "a", TEXT + "meta"}
_SHOWN = {TEXT + "tab": "\t", TEXT + "line-break": "\n", TEXT + "soft-page-break": ""}
_SAVE_AS = "open it in LibreOffice and save it as an unprotected .odt"


class Loaded:
    """An odt read: its bytes, the XML roots of its text parts, and its paragraphs."""

    def __init__(self, path: Path) -> None:
        self.data, archive = package.read_package(path, "OpenDocument text", _SAVE_AS)
        names = archive.namelist()
        mimetype = package.member(archive, "mimetype", path).decode("ascii", "replace").strip()
        if mimetype not in MIMETYPES:
            raise UserError(f"{path}: is not an OpenDocument text ({mimetype}); {_SAVE_AS}")
        if "META-INF/manifest.xml" in names and b"encryption-data" in package.member(
            archive, "META-INF/manifest.xml", path
        ):
            raise UserError(f"{path}: is password-protected; {_SAVE_AS}")
        self.roots: dict[str, Any] = {}
        self.blocks: list[runs.Block] = []
        self.parts: list[str] = []
        for name in PARTS:
            if name not in names:
                continue
            root = package.parse_xml(package.member(archive, name, path), name, path)
            self.roots[name] = root
            label = "body" if name == "content.xml" else "header/footer"
            for block in _blocks(root, label):
                self.blocks.append(block)
                self.parts.append(name)


def _blocks(root: Any, label: str) -> list[runs.Block]:
    found = []
    paragraphs = (e for e in root.iter(TEXT + "p", TEXT + "h"))
    for number, para in enumerate(paragraphs, start=1):
        pieces: list[runs.Piece] = []
        _collect(para, pieces)
        block = runs.Block(tuple(pieces), number, _where(para, label, number))
        if runs.translatable(block.text):
            found.append(block)
    return found


def _collect(element: Any, pieces: list[runs.Piece]) -> None:
    """The pieces of a paragraph or an inline span: its text, its inline children's, and
    every child's tail; anything else is left whole."""
    pieces.append(runs.text_piece(element, "text"))
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _INLINE:
            _collect(child, pieces)
        elif tag == TEXT + "s":
            pieces.append(runs.Piece(child, "", " " * int(child.get(TEXT + "c") or 1)))
        elif tag in _SHOWN:
            pieces.append(runs.Piece(child, "", _SHOWN[tag]))
        pieces.append(runs.text_piece(child, "tail"))


def _where(para: Any, label: str, number: int) -> str:
    where = f"{label} paragraph {number}"
    note = next(para.iterancestors(TEXT + "note"), None)
    if note is not None:
        where = f"{note.get(TEXT + 'note-class') or 'note'} {note.get(TEXT + 'id') or ''}".strip()
    cell = next(para.iterancestors(TABLE + "table-cell"), None)
    if cell is not None:
        row = cell.getparent()
        table = next(cell.iterancestors(TABLE + "table"), None)
        name = table.get(TABLE + "name") if table is not None else None
        cells = [c for c in row if c.tag == TABLE + "table-cell"]
        where += f", table {name or ''} cell {cells.index(cell) + 1}"
    return where


class OpenDocument(package.PackagedFormat):
    name = "odt"
    suffixes: tuple[str, ...] = (".odt", ".ott")

    def load(self, path: Path) -> Loaded:
        return Loaded(path)
