"""Find the human text in a Markdown document: the only part the MT may see.

The MT rewrites whatever it is given, so everything that is syntax (heading and list
markers, emphasis stars, link targets, code, HTML, URLs) must stay out of what is sent
to it, or a translated document comes back with broken links and mangled code.  This
module cuts a document into blocks (a heading, a list item, a table row, a quoted
line, a paragraph) and, inside each, into translatable spans; everything outside the
spans is kept byte for byte.  It decides which lines form a block and which part of a
block is content (not a heading marker, list bullet or table pipe); what inside that
content is syntax (code spans, link targets, emphasis markers, URLs, HTML) is left to
:mod:`rutrans.formats.markdown_inline`.

It is hand-written, not a CommonMark parser (markdown-it-py and friends build an AST
and throw away the source offsets and the exact bytes we must preserve).  It follows
CommonMark/GFM where that matters for which characters are text, and errs on the side
of *not* translating: a construct it does not recognise as text stays as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rutrans.formats.markdown_inline import HTML_TAG, link_label, mark_inline, outside_code
from rutrans.lines import line_spans

__all__ = ["Block", "blocks"]


@dataclass(frozen=True)
class Block:
    """A unit of translation: *spans* are ``[start, end)`` offsets relative to *start*."""

    start: int
    end: int
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the line in the text
    end: int  # offset of its line ending (or of the end of the text)
    body: int  # offset after its blockquote markers
    depth: int  # blockquote nesting depth


# Block-level patterns, applied to a line's body (after any "> " markers).
_QUOTE = re.compile(r"[ ]{0,3}>[ \t]?")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)")
_ATX = re.compile(r"[ ]{0,3}(#{1,6})(?=[ \t]|$)[ \t]*")
_ATX_CLOSE = re.compile(r"(?:[ \t]+|(?<=[ \t]))#+[ \t]*$")
_BREAK = re.compile(r"[ ]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})")
_SETEXT = re.compile(r"[ ]{0,3}(?:=+|-+)[ \t]*")
_ITEM = re.compile(r"([ \t]*)([-*+]|\d{1,9}[.)])(?:([ \t]+)(\[[ xX]\](?:[ \t]+|$))?|$)")
_FOOTNOTE_DEF = re.compile(r"[ ]{0,3}\[\^[^\]\s]+\]:[ \t]*")
_LINK_DEF = re.compile(
    r"[ ]{0,3}\[((?:[^\]\\]|\\.)+)\]:[ \t]*(?:<[^>]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*"
)
_DELIMITER_ROW = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_HTML_RAW = re.compile(r"[ ]{0,3}<(script|pre|style|textarea)(?:[ \t>]|$)", re.IGNORECASE)
_HTML_SPECIAL = {"<!--": "-->", "<?": "?>", "<![CDATA[": "]]>", "<!": ">"}
_HTML_BLOCK_TAG_NAMES = (
    "address article aside base basefont blockquote body caption center col colgroup dd "
    "details dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 "
    "h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu menuitem nav "
    "noframes ol optgroup option p param search section summary table tbody td tfoot th "
    "thead title tr track ul"
)
_HTML_BLOCK_TAGS = frozenset(_HTML_BLOCK_TAG_NAMES.split())
_HTML_TAG_START = re.compile(r"[ ]{0,3}</?([A-Za-z][A-Za-z0-9-]*)(?=[ \t>]|/>|$)")

# A run of human text in ``keep``: one candidate span.
_SPAN_RUN = re.compile(rb"\x01+")


def blocks(text: str) -> list[Block]:
    """Cut *text* into blocks, in order, each with its translatable spans."""
    lines = _split_lines(text)
    keep = bytearray(len(text))  # 1 where a character is human text, 0 where it is syntax
    refs = {link_label(m.group(1)) for ln in lines if (m := _LINK_DEF.fullmatch(_body(text, ln)))}
    scanner = _Scanner(text, lines, keep, refs)
    scanner.run()
    return [_with_spans(text, keep, start, end) for start, end in scanner.found]


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    for start, end in line_spans(text):
        if start == end == len(text) and lines:
            break  # no empty last line after a final line ending
        body, depth = start, 0
        while q := _QUOTE.match(text, body, end):
            body, depth = q.end(), depth + 1
        lines.append(_Line(start, end, body, depth))
    return lines


def _body(text: str, ln: _Line) -> str:
    return text[ln.body : ln.end]


def _indent(s: str) -> int:
    """Columns of leading whitespace, tabs to the next multiple of 4 (as CommonMark)."""
    return len(s[: len(s) - len(s.lstrip(" \t"))].expandtabs(4))


def _with_spans(text: str, keep: bytearray, start: int, end: int) -> Block:
    spans = []
    for m in _SPAN_RUN.finditer(keep, start, end):
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if any(ch.isalpha() for ch in text[a:b]):
            spans.append((a - start, b - start))
    return Block(start, end, tuple(spans))


class _Scanner:
    """Walks the lines once, recording blocks and marking their text in ``keep``."""

    def __init__(self, text: str, lines: list[_Line], keep: bytearray, refs: set[str]):
        self.text, self.lines, self.keep, self.refs = text, lines, keep, refs
        self.found: list[tuple[int, int]] = []
        # (quote depth, content column) of the open list item: lines indented to its
        # content are its paragraphs, not indented code.
        self.list_item: tuple[int, int] | None = None

    def body(self, i: int) -> str:
        return _body(self.text, self.lines[i])

    def blank(self, i: int) -> bool:
        return not self.body(i).strip()

    def run(self) -> None:
        i, n = self._front_matter(), len(self.lines)
        while i < n:
            i = self._block(i)

    def _front_matter(self) -> int:
        """YAML front matter is metadata for a static-site generator, never prose."""
        raw = [self.text[ln.start : ln.end].rstrip() for ln in self.lines]
        if raw[0] == "---":
            for j in range(1, len(raw)):
                if raw[j] in ("---", "..."):
                    return j + 1
        return 0

    def _block(self, i: int) -> int:
        """Handle the construct that starts at line *i*; return the next line to look at."""
        s, ln = self.body(i), self.lines[i]
        if not s.strip():
            return i + 1
        ind, item = _indent(s), _ITEM.match(s)
        list_col = self.list_item[1] if self.list_item and self.list_item[0] == ln.depth else 0
        if ind < list_col and not item:
            self.list_item, list_col = None, 0
        if ind >= 4 + list_col:
            return self._skip_indented_code(i, 4 + list_col)
        if (fence := _FENCE.fullmatch(s)) and _is_fence(fence):
            return self._skip_fence(i, fence.group(1))
        if end := self._html_end(s, i):
            return end
        if _BREAK.fullmatch(s):
            return i + 1
        if heading := _ATX.match(s):
            close = _ATX_CLOSE.search(s, heading.end())
            content_end = ln.body + (close.start() if close else len(s))
            self._emit(ln.start, ln.end, [(ln.body + heading.end(), content_end)])
            return i + 1
        if self._table_starts(i):
            return self._table(i)
        if note := _FOOTNOTE_DEF.match(s):
            return self._text(i, ln.body + note.end(), in_item=True)
        if _LINK_DEF.fullmatch(s):
            return i + 1
        if item:
            if item.group(3) is not None:
                spaces = _indent(s[item.end(2) :])
                col = ind + len(item.group(2)) + (spaces if spaces <= 4 else 1)
                self.list_item = (ln.depth, col)
            return self._text(i, ln.body + item.end(), in_item=True)
        return self._text(i, ln.body, in_item=False)

    def _emit(self, start: int, end: int, regions: list[tuple[int, int]]) -> None:
        for a, b in regions:
            if a < b:
                self.keep[a:b] = b"\x01" * (b - a)
                mark_inline(self.text, self.keep, self.refs, a, b)
        self.found.append((start, end))

    def _skip_indented_code(self, i: int, min_indent: int) -> int:
        depth, j = self.lines[i].depth, i + 1
        while j < len(self.lines) and self.lines[j].depth == depth:
            if not self.blank(j) and _indent(self.body(j)) < min_indent:
                break
            j += 1
        return j

    def _skip_fence(self, i: int, opener: str) -> int:
        depth = self.lines[i].depth
        closing = re.compile(rf"[ \t]*{re.escape(opener[0])}{{{len(opener)},}}[ \t]*")
        for j in range(i + 1, len(self.lines)):
            ln = self.lines[j]
            if ln.depth < depth:
                return j  # the quote the fence was in has ended
            if ln.depth == depth and closing.fullmatch(self.body(j)):
                return j + 1
        return len(self.lines)  # an unclosed fence runs to the end (CommonMark)

    def _html_end(self, s: str, i: int, interrupting: bool = False) -> int | None:
        """If an HTML block starts at line *i*, the line after it; else None.

        As in CommonMark: <script>, <pre>, <style>, <textarea>, comments, <?…?>,
        <!DOCTYPE> and CDATA run to their end marker; a block-level tag (<div>, <p>,
        <table>…) or a line holding nothing but one tag runs to the next blank line.
        A line that merely starts with inline HTML (<b>Важно:</b> текст) is text.
        """
        end_marker: str | None = None
        search_from = len(s) - len(s.lstrip(" "))
        if raw := _HTML_RAW.match(s):
            end_marker, search_from = f"</{raw.group(1).lower()}>", raw.end()
        else:
            for opener, closer in _HTML_SPECIAL.items():
                if s.startswith(opener, search_from) and (
                    opener != "<!" or s[search_from + 2 : search_from + 3].isalpha()
                ):
                    end_marker, search_from = closer, search_from + len(opener)
                    break
            else:
                tag = _HTML_TAG_START.match(s)
                block_tag = tag is not None and tag.group(1).lower() in _HTML_BLOCK_TAGS
                alone = not interrupting and HTML_TAG.fullmatch(s.strip()) is not None
                if not (block_tag or alone):
                    return None
        if interrupting:
            return i
        depth = self.lines[i].depth
        for j in range(i, len(self.lines)):
            if j > i and self.lines[j].depth != depth:
                return j
            body = self.body(j)[search_from if j == i else 0 :]
            if end_marker is None:
                if not body.strip():
                    return j
            elif end_marker in body.lower():
                return j + 1
        return len(self.lines)

    def _table_starts(self, i: int) -> bool:
        nxt = i + 1
        return (
            "|" in self.body(i)
            and nxt < len(self.lines)
            and self.lines[nxt].depth == self.lines[i].depth
            and "|" in self.body(nxt)
            and _DELIMITER_ROW.fullmatch(self.body(nxt)) is not None
        )

    def _table(self, i: int) -> int:
        depth, j = self.lines[i].depth, i
        while j < len(self.lines) and self.lines[j].depth == depth and "|" in self.body(j):
            if j != i + 1:  # the delimiter row is pure syntax
                ln = self.lines[j]
                self._emit(ln.start, ln.end, _cells(self.text, ln.body, ln.end))
            j += 1
        return j

    def _text(self, i: int, content: int, in_item: bool) -> int:
        """A paragraph, list item or footnote from *content* on, with its wrapped lines."""
        last = self._continuation(i, in_item)
        end = self.lines[last].end
        self._emit(self.lines[i].start, end, [(content, end)])
        nxt = last + 1
        if (
            nxt < len(self.lines)
            and self.lines[nxt].depth == self.lines[last].depth
            and _SETEXT.fullmatch(self.body(nxt))
        ):
            return nxt + 1  # the underline of a setext heading is syntax
        return nxt

    def _continuation(self, i: int, in_item: bool) -> int:
        """Last line of the paragraph starting at *i* (soft-wrapped lines join it)."""
        if self.lines[i].depth:
            return i  # a quoted line is a block of its own: "> " cannot sit inside a span
        j = i
        while j + 1 < len(self.lines) and not self._interrupts(j + 1, in_item):
            j += 1
        return j

    def _interrupts(self, j: int, in_item: bool) -> bool:
        s, ln = self.body(j), self.lines[j]
        if ln.depth or not s.strip() or _SETEXT.fullmatch(s):
            return True
        if _ATX.match(s) or _BREAK.fullmatch(s) or _FOOTNOTE_DEF.match(s):
            return True
        if (fence := _FENCE.fullmatch(s)) and _indent(s) < 4 and _is_fence(fence):
            return True
        if self._html_end(s, j, interrupting=True) is not None or self._table_starts(j):
            return True
        item = _ITEM.match(s)
        if not item:
            return False
        if in_item:
            return True  # the next item of the same (or a nested) list
        # Only a bullet or "1." with text after it may interrupt a paragraph (CommonMark),
        # so a wrapped "в\n2024. году" stays one paragraph.
        return bool(
            item.group(3) is not None
            and s[item.end() :].strip()
            and _indent(s) < 4
            and (item.group(2) in "-*+" or item.group(2)[:-1] == "1")
        )


def _is_fence(m: re.Match[str]) -> bool:
    """A backtick fence's info string cannot contain a backtick (that is inline code)."""
    return not (m.group(1)[0] == "`" and "`" in m.group(2))


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cell contents of a table row: the parts between unescaped pipes outside code."""
    pipes = [j for j, ch in outside_code(text, start, end) if ch == "|"]
    return list(zip([start, *(p + 1 for p in pipes)], [*pipes, end], strict=True))
