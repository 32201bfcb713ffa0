"""Word documents (``.docx``): body, headings, lists, every table cell, headers, footers,
footnotes, endnotes and text boxes, with each paragraph's runs kept.

python-docx opens the package and says which part is which (by content type, through the
relationships); the paragraphs are read with lxml from those parts, because python-docx
does not reach footnotes, endnotes or text boxes.  A paragraph is every ``w:t`` whose
nearest ``w:p`` is it (a text box inside a paragraph is its own paragraphs), in document
order; tabs and breaks show as whitespace and stay where they are.  Images, fields,
bookmarks, comments and footnote references are other elements between the runs, and
are never touched.  The paragraph's place (``body paragraph 12, table 1 row 2 cell 3``)
goes into the report.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rutrans.errors import UserError
from rutrans.formats import package, runs
from rutrans.results import Replacements

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
#: The parts with text to translate, in the order they are read.
PARTS = {
    _WML + "document.main+xml": "body",
    _WML + "template.main+xml": "body",
    _WML + "header+xml": "header",
    _WML + "footer+xml": "footer",
    _WML + "footnotes+xml": "footnote",
    _WML + "endnotes+xml": "endnote",
}
MACRO_TYPES = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_SHOWN = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
_SAVE_AS = "open it in Word or LibreOffice and save it as an unprotected .docx"


class Loaded:
    """A docx read: its bytes, its parts' XML roots by member name, and its paragraphs."""

    def __init__(self, path: Path) -> None:
        import docx.opc.exceptions
        from docx.opc.package import OpcPackage
        from lxml import etree

        self.data, archive = package.read_package(path, "Word document", _SAVE_AS)
        try:
            opc = OpcPackage.open(io.BytesIO(self.data))
            main_type = opc.main_document_part.content_type
        except (docx.opc.exceptions.PackageNotFoundError, KeyError, ValueError):
            raise UserError(f"{path}: is not a Word document (no main part); {_SAVE_AS}") from None
        except etree.XMLSyntaxError as error:  # python-docx parses every XML part
            raise UserError(
                f"{path}: has a part that is not well-formed XML ({error}); {_SAVE_AS}"
            ) from None
        if main_type in MACRO_TYPES:
            raise UserError(
                f"{path}: is a macro-enabled Word document (.docm) named .docx; rutrans does "
                "not open files with macros: save it as a .docx without macros"
            )
        if PARTS.get(main_type) != "body":
            raise UserError(f"{path}: is not a Word document ({main_type}); {_SAVE_AS}")
        order = list(dict.fromkeys(PARTS.values()))
        chosen = sorted(
            (p for p in opc.iter_parts() if p.content_type in PARTS),
            key=lambda p: (order.index(PARTS[p.content_type]), str(p.partname)),
        )
        self.roots: dict[str, Any] = {}
        self.blocks: list[runs.Block] = []
        self.parts: list[str] = []  # the member of each block
        for part in chosen:
            name = str(part.partname).lstrip("/")
            root = package.parse_xml(package.member(archive, name, path), name, path)
            self.roots[name] = root
            for block in _blocks(root, PARTS[part.content_type], name):
                self.blocks.append(block)
                self.parts.append(name)


def _blocks(root: Any, kind: str, name: str) -> list[runs.Block]:
    label = kind if kind in ("body", "footnote", "endnote") else Path(name).stem
    tables = {t: n for n, t in enumerate(root.iter(W + "tbl"), start=1)}  # keeps the proxies
    found = []
    for number, para in enumerate(root.iter(W + "p"), start=1):
        pieces = tuple(
            runs.text_piece(node, "text")
            if node.tag == W + "t"
            else runs.Piece(node, "", _SHOWN[node.tag])
            for node in para.iter(W + "t", *_SHOWN)
            if _owner(node) is para
        )
        block = runs.Block(pieces, number, _where(para, label, number, tables))
        if runs.translatable(block.text):
            found.append(block)
    return found


def _owner(node: Any) -> Any:
    return next(node.iterancestors(W + "p"), None)


def _where(para: Any, label: str, number: int, tables: dict[Any, int]) -> str:
    """``body paragraph 7``, ``footnote 2 paragraph 1``, ``table 1 row 2 cell 3``."""
    where = f"{label} paragraph {number}"
    note = next(para.iterancestors(W + "footnote", W + "endnote"), None)
    if note is not None:
        where = f"{label} {note.get(W + 'id')}"
    cell = next(para.iterancestors(W + "tc"), None)
    if cell is not None:
        row = cell.getparent()
        table = row.getparent()
        rows = table.findall(W + "tr")
        cells = row.findall(W + "tc")
        position = f"table {tables.get(table, 0)} row {rows.index(row) + 1} cell "
        where += f", {position}{cells.index(cell) + 1}" if cell in cells else ""
    if next(para.iterancestors(W + "txbxContent"), None) is not None:
        where += ", text box"
    return where


class WordDocument(package.PackagedFormat):
    name = "docx"
    suffixes: tuple[str, ...] = (".docx", ".dotx")

    def load(self, path: Path) -> Loaded:
        return Loaded(path)

    def prepare(self, loaded: package.Loaded, pieces: Replacements) -> None:
        for index in pieces:
            for piece in loaded.blocks[index].pieces:
                if piece.slot:  # a w:t that may get leading or trailing spaces
                    piece.element.set(_XML_SPACE, "preserve")
