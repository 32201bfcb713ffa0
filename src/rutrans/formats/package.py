"""Zip-packaged documents (``.docx``, ``.odt``): read safely, write back only what changed.

A translated package is the original zip with the changed XML parts replaced; every other
member (images, styles, settings, macros' absence) comes back byte for byte, in the same
order and with the same compression.  Reading is bounded as the model archives are
(:mod:`rutrans.engine.archive`): a member count and a declared unpacked size cap, so a
zip bomb ends in one line.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from lxml import etree

from rutrans import files
from rutrans.errors import UserError
from rutrans.formats import runs
from rutrans.results import Document, Replacements

MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 2 * 1024**3
# An XML part is parsed whole (lxml holds a tree several times its size): 128 MiB of
# XML is some 20 MB of text, far more than any document a person writes.
MAX_PART_BYTES = 128 * 1024**2
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def read_package(path: Path, kind: str, save_as: str) -> tuple[bytes, zipfile.ZipFile]:
    """The bytes of the package *path* and the zip over them, or a one-line error saying
    what the file is instead (*kind*: "Word document"; *save_as*: how to get a good one)."""
    data = files.read_bytes(path, "document")
    if data.startswith(OLE_MAGIC):
        raise UserError(
            f"{path}: is password-protected or an old binary {kind} (an OLE compound file), "
            f"not a zip package; {save_as}"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except _ZIP_ERRORS:
        raise UserError(f"{path}: is not a {kind} (not a zip package); {save_as}") from None
    total = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or total > MAX_UNPACKED_BYTES:
        raise UserError(
            f"{path}: unpacks to {len(members)} members, {total // 1024**2} MiB, over the "
            f"caps of {MAX_MEMBERS} members and {MAX_UNPACKED_BYTES // 1024**3} GiB; "
            "this is not a document to translate"
        )
    for info in members:  # before anything parses them (python-docx parses every part)
        if info.filename.endswith((".xml", ".rels")):
            _check_part_size(info, path)
    return data, archive


def _check_part_size(info: zipfile.ZipInfo, path: Path) -> None:
    if info.file_size > MAX_PART_BYTES:
        raise UserError(
            f"{path}: {info.filename} unpacks to {info.file_size:,} bytes, more than the "
            f"{MAX_PART_BYTES // 1024**2} MiB of XML rutrans parses in one part; split the "
            "document"
        )


def member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise UserError(f"{path}: has no {name}; is it damaged? save it again") from None
    try:  # its size was checked with every XML part's by read_package
        return archive.read(info)
    except KeyError:
        raise UserError(f"{path}: has no {name}; is it damaged? save it again") from None
    except _ZIP_ERRORS as error:
        raise UserError(f"{path}: {name} cannot be unpacked ({error}); save it again") from None


def parse_xml(data: bytes, name: str, path: Path) -> Any:
    try:
        return etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as error:
        raise UserError(f"{path}: {name} is not well-formed XML ({error}); save it again") from None


def xml_bytes(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def write_package(data: bytes, replaced: Mapping[str, bytes], path: Path) -> None:
    """The zip *data* with the members named in *replaced* given new contents, to *path*."""
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(path, "w") as out,
    ):
        for info in source.infolist():
            out.writestr(info, replaced.get(info.filename) or source.read(info))


class Loaded(Protocol):
    """A package as a format read it: its bytes, its XML parts' roots by member name, its
    paragraphs (:class:`~rutrans.formats.runs.Block`) and the member each is in."""

    data: bytes
    roots: dict[str, Any]
    blocks: list[runs.Block]
    parts: list[str]


class PackagedFormat:
    """What ``.docx`` and ``.odt`` share: read the paragraphs of the package's parts;
    write by reading the original again, putting the English into its runs, and
    replacing only the parts that changed.  A format gives :meth:`load` (and
    :meth:`prepare`, for what its XML needs before text changes)."""

    name: str
    suffixes: tuple[str, ...]

    def load(self, path: Path) -> Loaded:
        raise NotImplementedError

    def prepare(self, loaded: Loaded, pieces: Replacements) -> None:
        """Anything the format's XML needs before the paragraphs in *pieces* change."""

    def read(self, path: Path, encoding: str | None = None) -> Document:
        loaded = self.load(path)
        if not loaded.blocks:
            raise UserError(f"{path}: has no text to translate; is it only images?")
        return runs.build_document(path, self.name, "utf-8", loaded.blocks, loaded.data)

    def write(
        self, document: Document, pieces: Replacements, path: Path, encoding: str | None = None
    ) -> None:
        loaded = self.load(document.path)
        if len(loaded.blocks) != len(document.paragraphs):
            raise UserError(f"{document.path}: changed while it was translated; run it again")
        self.prepare(loaded, pieces)
        changed = runs.apply(loaded.blocks, pieces)
        names = {loaded.parts[i] for i in changed}
        write_package(loaded.data, {n: xml_bytes(loaded.roots[n]) for n in names}, path)
