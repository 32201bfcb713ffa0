"""Russian text as the term matcher reads it, with offsets back to the text as written.

Text copied from web pages and PDFs hides characters inside its words: soft hyphens
(«орга\\u00adнов»), stress accents («орга́нов»), zero-width spaces and joiners, byte order
marks; and careless typing or OCR puts Latin look-alikes into Cyrillic words («OВД» with a
Latin O, «pайон»).  Each would split or change a word, so the term in it is never found.
:func:`normalise` drops the invisible characters and reads a word's look-alike Latin
letters as Cyrillic, and keeps where each character came from, so that a match still
covers the original word, soft hyphens and accents included.

A word is read as Cyrillic only when at least half of its letters are Cyrillic and its
Latin letters are all look-alikes («OВД», «Kазахстан», «pайон»); a wholly Latin word
(CSTO, TOP) stays Latin, and so does a word with any other Latin letter («Rоссия» is not
guessed at) or one mostly in Latin letters (a Latin name with a Russian ending).

Most text has none of this: one regular-expression search says so, and the text is used
as it is, with no work per character.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_INVISIBLE = "\u00ad\u0301\u200b\u200c\u200d\u2060\ufeff"
_ACCENT = "\u0301"  # combines with the letter before it: a match ending there keeps it
_CYRILLIC = "\u0400-\u0481\u048a-\u04ff"  # Cyrillic letters: no signs, no combining marks
# An invisible character, or a Latin letter next to a Cyrillic one.  One character class
# first, then look-arounds: the search skips from candidate to candidate, and Russian text
# has few Latin letters (a branch per Cyrillic letter would cost ten times as much).
_SUSPECT = re.compile(
    f"[{_INVISIBLE}A-Za-z](?:(?<=[{_INVISIBLE}])|(?=[{_CYRILLIC}])|(?<=[{_CYRILLIC}].))"
)
_DROP = re.compile(f"[{_INVISIBLE}]+")
# A word (as the tokenizer reads one) with a Latin letter next to a Cyrillic one; tried
# only at the start of a word, so that a long word costs linear time.
_MIXED = re.compile(
    rf"(?<![^\W\d_])[^\W\d_]*?(?:[A-Za-z][{_CYRILLIC}]|[{_CYRILLIC}][A-Za-z])[^\W\d_]*"
)
_LOOK_ALIKES = str.maketrans("AaBbCcEeHhKkMmOoPpTtXxYy", "АаВвСсЕеНнКкМмОоРрТтХхУу")
_LATIN_UNLIKE = re.compile("[DFGIJLNQRSUVWZdfgijlnqrsuvwz]")
_LATIN = re.compile("[A-Za-z]")
_CYRILLIC_LETTER = re.compile(f"[{_CYRILLIC}]")


@dataclass(frozen=True)
class Normalised:
    """*text* as the matcher reads it, and where its characters are in *original*.

    ``gaps`` are the offsets in *text* before which characters were dropped, and
    ``dropped`` how many had been dropped up to and including each gap.
    """

    original: str
    text: str
    gaps: tuple[int, ...] = ()
    dropped: tuple[int, ...] = ()

    def start(self, offset: int) -> int:
        """Where the character at *offset* of :attr:`text` is in :attr:`original`
        (characters dropped right before a word are not part of it)."""
        k = bisect.bisect_right(self.gaps, offset)
        return offset + (self.dropped[k - 1] if k else 0)

    def end(self, offset: int) -> int:
        """The original end of a span of :attr:`text` ending at *offset*: right after
        its last character and the accents on it."""
        if offset == 0:
            return 0
        end = self.start(offset - 1) + 1
        while self.original.startswith(_ACCENT, end):
            end += 1
        return end


def needs_normalising(text: str) -> bool:
    """Whether *text* has an invisible character or a word mixing Latin and Cyrillic."""
    return _SUSPECT.search(text) is not None


def normalise(text: str) -> Normalised:
    """*text* without invisible characters, its mixed words' look-alikes read as Cyrillic."""
    if not needs_normalising(text):
        return Normalised(text, text)
    parts: list[str] = []
    gaps: list[int] = []
    dropped: list[int] = []
    kept = removed = 0  # characters kept and dropped so far
    position = 0
    for match in _DROP.finditer(text):
        parts.append(text[position : match.start()])
        kept += match.start() - position
        removed += match.end() - match.start()
        gaps.append(kept)
        dropped.append(removed)
        position = match.end()
    parts.append(text[position:])
    cleaned = _MIXED.sub(_as_cyrillic, "".join(parts))
    return Normalised(text, cleaned, tuple(gaps), tuple(dropped))


def _as_cyrillic(word: re.Match[str]) -> str:
    """A mixed word read as Cyrillic, unless it has a Latin letter with no look-alike or
    fewer Cyrillic letters than Latin ones."""
    text = word.group()
    if _LATIN_UNLIKE.search(text):
        return text
    if len(_CYRILLIC_LETTER.findall(text)) < len(_LATIN.findall(text)):
        return text
    return text.translate(_LOOK_ALIKES)
