"""Hostile Word, OpenDocument and web-page documents for ``badcorpus.py``.

A ``.docx`` or ``.odt`` is a zip of XML parts and a page is markup around the text, so
beside everything a text file can be (``badinputs._generic``) they can be a zip that is
not theirs, miss the part with the text, carry XML that is cut, nested without end or
declares entities, unpack to far more than they weigh, or hold no text at all.  Each
must end in one line naming the file and what to do, never a traceback, a hang or
memory without bound.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Mapping
from pathlib import Path

import docx
from badinputs import GOOD_TEXT, Case, Goods, write

from rutrans.formats.package import MAX_PART_BYTES, OLE_MAGIC

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# Only apply reads a document through its review PO, which these never have.
NOT_APPLIED = {"apply": "n/a"}


def _docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_part(data: bytes, name: str, content: bytes | None) -> bytes:
    """The zip *data* with member *name* replaced by *content* (None: left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            if info.filename != name:
                new.writestr(info, old.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
        if content is not None:
            new.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _docx_part(content: bytes | None) -> bytes:
    return _with_part(_docx_bytes(*GOOD_TEXT.splitlines()), "word/document.xml", content)


def _odt_bytes(content: bytes | None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(zipfile.ZipInfo("mimetype"), ODT_MIMETYPE, zipfile.ZIP_STORED)
        if content is not None:
            package.writestr("content.xml", content)
        package.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return out.getvalue()


def _odt_text(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS}>'
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    ).encode()


def _laughs(root: str, namespaces: str, inner: str) -> bytes:
    """The billion laughs: ten entities, each ten of the one before, in *inner*."""
    entities = ['<!ENTITY lol0 "Сотрудники МВД">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE {root} [{"".join(entities)}]>'
        f"<{root} {namespaces}>{inner.format('&lol9;')}</{root}>"
    ).encode()


def _nested(depth: int, open_tag: str, close_tag: str, text: str) -> str:
    return open_tag * depth + text + close_tag * depth


def _bomb_part(head: str, tail: str) -> bytes:
    """An XML part of MAX_PART_BYTES + 1 bytes, mostly spaces: a few hundred KiB zipped."""
    return head.encode() + b" " * (MAX_PART_BYTES + 1 - len(head) - len(tail)) + tail.encode()


def _docx_case(name: str, what: str, content: bytes | None, isolate: bool = False) -> Case:
    def make(path: Path, goods: Goods) -> Path:
        return write(path.with_suffix(".docx"), _docx_part(content))

    return Case("document", name, what, make, NOT_APPLIED, isolate=isolate)


def _odt_case(name: str, what: str, content: bytes | None, isolate: bool = False) -> Case:
    def make(path: Path, goods: Goods) -> Path:
        return write(path.with_suffix(".odt"), _odt_bytes(content))

    return Case("document", name, what, make, NOT_APPLIED, isolate=isolate)


def _html_case(name: str, what: str, data: bytes, expect: Mapping[str, str] = NOT_APPLIED) -> Case:
    def make(path: Path, goods: Goods) -> Path:
        return write(path.with_suffix(".html"), data)

    return Case("document", name, what, make, expect)


W_BODY = "<w:body>{}</w:body>"
W_PARAGRAPH = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
_DEEP_SDT = _nested(100_000, "<w:sdt>", "</w:sdt>", W_PARAGRAPH.format("МВД"))
_PAGE_TEXT = "".join(f"<p>{line}</p>" for line in GOOD_TEXT.splitlines())

OFFICE_CASES = [
    Case("document", "docx-plain-text", "Russian plain text saved as .docx",
         lambda p, g: write(p.with_suffix(".docx"), GOOD_TEXT),
         {"postedit": "ok", "apply": "n/a"}),  # postedit reads lines, whatever the name
    Case("document", "docx-ole", "an old binary .doc (OLE) renamed .docx",
         lambda p, g: write(p.with_suffix(".docx"), OLE_MAGIC + bytes(4096)), NOT_APPLIED),
    Case("document", "docx-other-zip", "a zip of photos renamed .docx",
         lambda p, g: write(p.with_suffix(".docx"), _with_part(
             _odt_bytes(None), "photo.jpg", random.Random(3).randbytes(2048))),
         NOT_APPLIED),
    _docx_case("docx-no-body", "a .docx without word/document.xml", None),
    _docx_case("docx-cut-xml", "word/document.xml cut in the middle",
               f'<w:document {W_NS}><w:body><w:p><w:r><w:t>Сотрудники'.encode()),
    _docx_case("docx-laughs", "word/document.xml with the billion-laughs entities",
               _laughs("w:document", W_NS, W_BODY.format(W_PARAGRAPH))),
    _docx_case("docx-deep", "word/document.xml nested 100 000 elements deep",
               f"<w:document {W_NS}>{W_BODY.format(_DEEP_SDT)}</w:document>".encode()),
    _docx_case("docx-part-bomb", f"word/document.xml unpacking to {MAX_PART_BYTES + 1} bytes",
               _bomb_part(f'<w:document {W_NS}><w:body>', "</w:body></w:document>"),
               isolate=True),
    Case("document", "docx-no-text", "a valid .docx with only empty paragraphs",
         lambda p, g: write(p.with_suffix(".docx"), _docx_bytes("", "  ")), NOT_APPLIED),
    _odt_case("odt-no-content", "an .odt without content.xml", None),
    _odt_case("odt-cut-xml", "content.xml cut in the middle",
              _odt_text("<text:p>Сотрудники органов</text:p>")[:-40]),
    _odt_case("odt-laughs", "content.xml with the billion-laughs entities",
              _laughs("office:document-content", ODT_NS,
                      "<office:body><office:text><text:p>{}</text:p></office:text>"
                      "</office:body>")),
    _odt_case("odt-part-bomb", f"content.xml unpacking to {MAX_PART_BYTES + 1} bytes",
              _bomb_part(f"<office:document-content {ODT_NS}>", "</office:document-content>"),
              isolate=True),
    _odt_case("odt-no-text", "a valid .odt with only an empty paragraph",
              _odt_text("<text:p/>")),
    _html_case("html-binary", "random bytes named .html",
               b"\0" + random.Random(5).randbytes(4096)),
    _html_case("html-no-text", "a page with only a script and a style",
               b"<html><head><style>p{}</style><script>var a = 1;</script></head>"
               b"<body></body></html>"),
    _html_case("html-deep", "a page nested 100 000 elements deep",
               _nested(100_000, "<div>", "</div>", _PAGE_TEXT).encode(),
               {"translate": "ok", "glossary scan": "ok", "glossary extract": "ok",
                "apply": "n/a"}),
    _html_case("html-wrong-charset", "a page declaring UTF-8 but saved in cp1251",
               f'<html><head><meta charset="utf-8"></head><body>{_PAGE_TEXT}</body></html>'
               .encode("cp1251")),
]  # fmt: skip
