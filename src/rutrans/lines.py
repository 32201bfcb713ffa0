"""The one rule for line breaks: ``\\r\\n``, ``\\r`` and ``\\n`` each end a line.

Russian documents arrive from Windows (CRLF), old Mac tools (CR) and everything else (LF),
sometimes mixed in one file.  Every line number rutrans shows (encoding errors, glossary
scans, paragraphs in reports) and every line it splits on uses this rule, so a file's
line 7 is line 7 everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_of(text: str, offset: int | None = None) -> int:
    """1-based line number of *offset* in *text* (of the end of *text* if None)."""
    prefix = text if offset is None else text[:offset]
    return len(LINE_BREAK.findall(prefix)) + 1


def line_starts(text: str) -> list[int]:
    """Offsets at which each line of *text* starts (for many look-ups with ``bisect``)."""
    return [0] + [m.end() for m in LINE_BREAK.finditer(text)]


def line_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each line's content, without its line ending; the text after
    the last line ending is a line too (possibly empty)."""
    start = 0
    for m in LINE_BREAK.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def split_lines(text: str) -> list[tuple[str, str]]:
    """``(line, its line ending)`` pairs; a final line ending does not make an extra line."""
    parts = re.split(f"({LINE_BREAK.pattern})", text)
    pairs = [
        (parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)
    ]
    if pairs and pairs[-1] == ("", ""):
        pairs.pop()
    return pairs
