"""The inline half of finding human text in Markdown: what inside a block is syntax.

:mod:`rutrans.formats.markdown` decides which lines form a block and marks the block's content
as text in a ``keep`` bytearray (1 = human text, 0 = syntax).  This module then walks
that content and clears ``keep`` under everything the MT must not see or rewrite:
backslash escapes, code spans, link and image destinations and reference labels,
emphasis and strikethrough markers, autolinks and bare URLs or e-mail addresses, HTML
tags and comments, character references and footnote references.  It only ever clears
bytes, never sets them, so a construct it does not recognise stays text only if the
block scanner already said it was text, and anything it does recognise stays byte for
byte.

It is kept apart from the block scanner because the two share almost nothing: the
block side works line by line, the inline side character by character over a block's
content, and the only things they have in common (a link label's normal form, the HTML
tag pattern, and skipping code spans when looking for table pipes) are exported here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

__all__ = ["HTML_TAG", "link_label", "mark_inline", "outside_code"]

# Inline patterns.  HTML_TAG is also what markdown.py uses to tell a line holding just
# one tag (an HTML block) from a line that merely starts with inline HTML.
_ATTR = r"(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)"
HTML_TAG = re.compile(rf"<[A-Za-z][A-Za-z0-9-]*{_ATTR}*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>")
_ANGLE = re.compile(  # comment, autolink, e-mail autolink, or tag
    r"<!--.*?-->|<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>"
    r"|<[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?>|" + HTML_TAG.pattern,
    re.DOTALL,
)
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
# "(dest "title")" after a link's "]": dest in <…> or with balanced parentheses.
_DESTINATION = re.compile(
    r"\(\s*(?:<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"
    r"(?:\s+(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?\s*\)",
    re.DOTALL,
)
_BARE = re.compile(
    # Not preceded by a letter or digit; "_" may precede, as in _https://…_ (emphasis).
    r"(?<![^\W_])(?<![@/.+-])(?:(?:https?|ftp)://|www\.)[^\s<>`\"«»“”]+"
    r"|(?<![^\W_])(?<![.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    re.IGNORECASE,
)
#: Inline constructs kept whole, by first character: autolinks, HTML comments and tags,
#: character references (&nbsp;), footnote references ([^1]).
_ATOMS = {"<": _ANGLE, "&": _ENTITY, "[": _FOOTNOTE_REF}
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def mark_inline(text: str, keep: bytearray, refs: set[str], a: int, b: int) -> None:
    """Clear ``keep`` under the inline syntax of text[a:b], the content of one block.

    *refs* are the (normalised) labels of the document's link reference definitions, so
    that a bare ``[text]`` is recognised as a link only when its label is defined.
    """
    _Inline(text, keep, refs, a, b).mark(a, b)


def link_label(raw: str) -> str:
    """A link label's normal form: whitespace runs collapsed, case folded (CommonMark)."""
    return " ".join(raw.split()).casefold()


def outside_code(text: str, a: int, b: int) -> Iterator[tuple[int, str]]:
    """(offset, character) of text[a:b], skipping backslash escapes and code spans."""
    j = a
    while j < b:
        ch = text[j]
        if ch == "\\":
            j += 2
        elif ch == "`":
            j = _code_span_end(text, j, b) or j + _run(text, j, b)
        else:
            yield j, ch
            j += 1


def _run(text: str, i: int, end: int) -> int:
    """Length of the run of text[i] starting at *i*."""
    j = i
    while j < end and text[j] == text[i]:
        j += 1
    return j - i


def _code_span_end(text: str, i: int, end: int) -> int | None:
    """End of the code span opening at *i* (a run of n backticks closed by exactly n)."""
    n = _run(text, i, end)
    j = i + n
    while (j := text.find("`", j, end)) != -1:
        m = _run(text, j, end)
        if m == n:
            return j + m
        j += m
    return None


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


class _Inline:
    """Marks inline syntax in ``keep`` as not translatable (sets it to 0)."""

    def __init__(self, text: str, keep: bytearray, refs: set[str], a: int, b: int) -> None:
        self.text, self.keep, self.refs = text, keep, refs
        self.brackets = _bracket_pairs(text, a, b)

    def drop(self, a: int, b: int) -> None:
        self.keep[a:b] = bytes(b - a)

    def mark(self, a: int, b: int) -> None:
        text = self.text
        bare = {m.start(): _trim_url(text, m.start(), m.end()) for m in _BARE.finditer(text, a, b)}
        i = a
        while i < b:
            ch = text[i]
            nxt = i + 1
            if ch == "\\" and i + 1 < b and text[i + 1] in _ASCII_PUNCT:
                nxt = i + 2
                self.drop(i, nxt)  # an escape stays as it is: the MT would eat the "\"
            elif ch == "\\" and i + 1 < b and text[i + 1] in "\r\n":
                self.drop(i, nxt)  # hard line break
            elif ch == "`":
                nxt = _code_span_end(text, i, b) or i + _run(text, i, b)
                self.drop(i, nxt)
            elif ch in _ATOMS and (m := _ATOMS[ch].match(text, i, b)):
                nxt = m.end()
                self.drop(i, nxt)
            elif ch in "[!" and (link := self._link(i, b)):
                label_start, label_end, nxt = link
                self.drop(i, label_start)
                self.drop(label_end, nxt)
                self.mark(label_start, label_end)
            elif i in bare:
                nxt = max(bare[i], i + 1)
                self.drop(i, nxt)
            elif ch in "*_~":
                nxt = i + _run(text, i, b)
                # GFM strikethrough is "~~"; a lone "~" is "about" in "~5 км".
                if (ch != "~" or nxt - i == 2) and self._delimiter(ch, i, nxt, a, b):
                    self.drop(i, nxt)
            i = nxt

    def _delimiter(self, ch: str, i: int, j: int, a: int, b: int) -> bool:
        """Whether the run text[i:j] can open or close emphasis (CommonMark flanking)."""
        before = self.text[i - 1] if i > a else " "
        after = self.text[j] if j < b else " "
        left = not after.isspace() and (
            not _is_punct(after) or before.isspace() or _is_punct(before)
        )
        right = not before.isspace() and (
            not _is_punct(before) or after.isspace() or _is_punct(after)
        )
        if ch != "_":
            return left or right
        # "_" inside a word (snake_case, имя_файла) is a literal underscore.
        return (left and (not right or _is_punct(before))) or (
            right and (not left or _is_punct(after))
        )

    def _link(self, i: int, b: int) -> tuple[int, int, int] | None:
        """For ``[text](dest "title")``, ``![alt](src)``, ``[text][id]`` or a defined
        ``[text]`` at *i*: (text start, text end, end of the link); else None."""
        text = self.text
        open_at = i + 1 if text[i] == "!" else i
        if open_at >= b or text[open_at] != "[":
            return None
        close = self.brackets.get(open_at)
        if close is None or close >= b:
            return None
        after = close + 1
        if link := _DESTINATION.match(text, after, b):
            return (open_at + 1, close, link.end())
        ref_end = self.brackets.get(after)
        if ref_end is not None and ref_end < b and "[" not in text[after + 1 : ref_end]:
            return (open_at + 1, close, ref_end + 1)
        if link_label(text[open_at + 1 : close]) in self.refs:
            return (open_at + 1, close, after)
        return None


def _bracket_pairs(text: str, a: int, b: int) -> dict[int, int]:
    """Offsets of matching ``[`` and ``]`` in text[a:b], ignoring escaped ones and code.

    One pass with a stack, so that a paragraph with many unmatched ``[`` stays linear.
    """
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for j, ch in outside_code(text, a, b):
        if ch == "[":
            stack.append(j)
        elif ch == "]" and stack:
            pairs[stack.pop()] = j
    return pairs


def _trim_url(text: str, a: int, b: int) -> int:
    """GFM autolink end: drop trailing punctuation and unbalanced closing parentheses."""
    while b > a:
        last = text[b - 1]
        unbalanced = last == ")" and text.count("(", a, b) < text.count(")", a, b)
        if not (unbalanced or last in "?!.,:;*_~'"):
            break
        b -= 1
    return b
