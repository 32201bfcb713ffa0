"""Web pages (``.html``): the human text of the page, spliced back into the page's own text.

The page is scanned with the standard library's HTML tokenizer, which says where every
tag and text run starts, so the translation is the original text with only translated
runs (and ``lang``) replaced: tags, attributes, comments, scripts, styles and the
declared encoding come back exactly as they were.  Block elements are paragraphs; inline
elements (``<b>``, ``<a>``, ``<span>`` …) inside a sentence stay where they were, the
English shared out over them.  ``<script>``, ``<style>``, ``<pre>``, ``<code>`` and the
like are never touched.  Besides the text: ``<title>``, ``alt`` and ``title``
attributes and ``<meta name="description">``.

A page that declares its encoding is decoded in it, strictly (bytes that are not in it
are an error); one that does not is detected as a ``.txt`` is.
"""

from __future__ import annotations

import bisect
import html
import re
from html.parser import HTMLParser
from pathlib import Path

from rutrans import encoding as codecs
from rutrans import files
from rutrans.errors import UserError
from rutrans.formats import runs
from rutrans.lines import line_starts
from rutrans.results import Document, Replacements

# One string of tag names reads better than a column of them (hence the noqa).
_INLINE_TAGS = "a abbr acronym b bdi bdo big cite data dfn em font i ins del label mark nobr q s"
INLINE = frozenset(f"{_INLINE_TAGS} small span strike strong sub sup time tt u wbr".split())
#: Left whole: inline ones inside a sentence, the others between paragraphs.
OPAQUE_INLINE = frozenset("code kbd samp var img svg math".split())  # noqa: SIM905
OPAQUE_BLOCK = frozenset("script style pre textarea template iframe object".split())  # noqa: SIM905
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())  # noqa: SIM905
_ATTRIBUTE = re.compile(
    r"""\s(alt|title|content|lang)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I
)
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)|<\?xml[^>]*encoding=["']([^"']+)""",
    re.I,
)


class _Scanner(HTMLParser):
    """Where each token starts, in the page's text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.starts = line_starts(text)
        self.tokens: list[tuple[str, int, str, str]] = []  # kind, offset, tag, raw tag
        self.feed(text)
        self.close()

    def _at(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tokens.append(("start", self._at(), tag, self.get_starttag_text() or ""))

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        self.tokens.append(("void", self._at(), tag, self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", self._at(), tag, ""))

    def handle_data(self, data: str) -> None:
        self.tokens.append(("text", self._at(), "", ""))

    def handle_entityref(self, name: str) -> None:
        self.handle_data(name)

    def handle_charref(self, name: str) -> None:
        self.handle_data(name)

    def handle_comment(self, data: str) -> None:
        self.tokens.append(("other", self._at(), "", ""))

    def handle_decl(self, decl: str) -> None:
        self.handle_comment(decl)

    def handle_pi(self, data: str) -> None:
        self.handle_comment(data)

    def unknown_decl(self, data: str) -> None:
        self.handle_comment(data)


class Page:
    """A page read: its text, its codec, its paragraphs, and where ``lang`` goes."""

    def __init__(self, path: Path, forced: str | None) -> None:
        self.data = files.read_bytes(path, "document")
        self.text, self.codec, self.declared = _decode(self.data, path, forced)
        scanner = _Scanner(self.text)
        self.starts = scanner.starts
        tokens = scanner.tokens
        ends = [t[1] for t in tokens[1:]] + [len(self.text)]
        self.blocks: list[runs.Block] = []
        self.lang: tuple[int, int, str] | None = None  # (start, end, new) for <html lang>
        group: list[runs.Piece] = []
        opener = "page"
        skipping: list[str] = []
        for (kind, start, tag, raw), end in zip(tokens, ends, strict=True):
            if skipping:
                if kind == "end" and tag == skipping[-1]:
                    skipping.pop()
                elif kind == "start" and tag == skipping[-1]:
                    skipping.append(tag)
                continue
            if kind == "text":
                shown = html.unescape(self.text[start:end])
                if group and group[-1].slot == "text" and group[-1].element[1] == start:
                    merged = group.pop()  # entities split a run into several tokens
                    start, shown = merged.element[0], merged.shown + shown
                group.append(runs.Piece((start, end), "text", shown))
                continue
            if kind in ("start", "void"):
                self._attributes(tag, raw, start)
                if tag == "br":
                    group.append(runs.Piece(None, "", "\n"))
            if kind == "other" or tag in INLINE or tag in OPAQUE_INLINE or tag == "br":
                if kind == "start" and tag in OPAQUE_INLINE and tag not in VOID:
                    skipping.append(tag)
                continue
            self._flush(group, opener, scanner.starts)
            group, opener = [], tag
            if kind == "start" and tag in OPAQUE_BLOCK:
                skipping.append(tag)
        self._flush(group, opener, scanner.starts)

    def _flush(self, group: list[runs.Piece], tag: str, starts: list[int]) -> None:
        block = runs.Block(tuple(group), 0, f"<{tag}>")
        if runs.translatable(block.text):
            first = next(p for p in group if p.slot)
            line = bisect.bisect_right(starts, first.element[0])
            self.blocks.append(runs.Block(block.pieces, line, block.location))

    def _attributes(self, tag: str, raw: str, offset: int) -> None:
        """Paragraphs of ``alt``, ``title`` and the meta description; where ``lang`` is."""
        found = {m.group(1).lower(): m for m in _ATTRIBUTE.finditer(raw)}
        if tag == "html":
            lang = found.get("lang")
            if lang is None:
                at = offset + len("<html")
                self.lang = (at, at, ' lang="en"')
            else:
                group = next(g for g in (2, 3, 4) if lang.group(g) is not None)
                self.lang = (offset + lang.start(group), offset + lang.end(group), "en")
        wanted = ["alt", "title"]
        if tag == "meta" and re.search(r"""\sname\s*=\s*["']?description\b""", raw, re.I):
            wanted.append("content")
        for name in wanted:
            match = found.get(name)
            if match is None:
                continue
            group = next(g for g in (2, 3, 4) if match.group(g) is not None)
            where = (offset + match.start(group), offset + match.end(group), group == 4)
            shown = html.unescape(match.group(group))
            piece = runs.Piece(where, "@" + name, shown)
            line = bisect.bisect_right(self.starts, offset)
            if runs.translatable(shown):
                self.blocks.append(runs.Block((piece,), line, f"{name} of <{tag}>"))


def _decode(data: bytes, path: Path, forced: str | None) -> tuple[str, str, str | None]:
    """The page's text, the codec it is written back in, and the encoding it declares."""
    match = _DECLARED.search(data[:4096])
    declared = (match.group(1) or match.group(2)).decode("ascii") if match else None
    if forced is None and declared is not None:
        try:
            return (*codecs.decode(data, path, declared), declared)
        except UserError:
            raise UserError(
                f"{path}: its bytes are not {declared}, the encoding the page declares; "
                "fix its <meta charset>, or pass --encoding with the right one"
            ) from None
    text, codec = codecs.decode(data, path, forced)
    return text, codec, declared


class WebPage:
    name = "html"
    suffixes: tuple[str, ...] = (".html", ".htm", ".xhtml")

    def read(self, path: Path, encoding: str | None = None) -> Document:
        page = Page(path, encoding)
        if not page.blocks:
            raise UserError(
                f"{path}: has no text to translate, only markup, scripts or styles; a page "
                "that scripts fill in must be saved from the browser (Save Page As)"
            )
        return runs.build_document(path, self.name, page.codec, page.blocks, page.data)

    def write(
        self, document: Document, pieces: Replacements, path: Path, encoding: str | None = None
    ) -> None:
        page = Page(document.path, document.encoding)
        if len(page.blocks) != len(document.paragraphs):
            raise UserError(f"{document.path}: changed while it was translated; run it again")
        splices = [page.lang] if page.lang else []
        for index, replacements in pieces.items():
            block = page.blocks[index]
            new = runs.distribute(
                [p.shown for p in block.pieces], [p.writable for p in block.pieces], replacements
            )
            for piece, value in zip(block.pieces, new, strict=True):
                if value == piece.shown or not piece.writable:
                    continue
                start, end, *unquoted = piece.element
                if piece.slot == "text":
                    splices.append((start, end, html.escape(value, quote=False)))
                else:
                    quoted = html.escape(value, quote=True)
                    splices.append((start, end, f'"{quoted}"' if unquoted[0] else quoted))
        parts, done = [], 0
        for start, end, new_text in sorted(splices):
            parts += [page.text[done:start], new_text]
            done = end
        text = "".join(parts) + page.text[done:]
        codec = encoding or page.codec
        if encoding and page.declared and match_codec(page.declared) != match_codec(encoding):
            text = text.replace(page.declared, encoding, 1)
        try:
            data = text.encode(codec, errors="xmlcharrefreplace")
        except LookupError:
            data = codecs.encode(text, codec, path)
        path.write_bytes(data)


def match_codec(name: str) -> str:
    import codecs as python_codecs

    try:
        return python_codecs.lookup(name).name
    except LookupError:
        return name
