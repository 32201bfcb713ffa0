"""Lint rules that keep an entry's meaning intact from the editor to the post-editor.

An entry means what its flags and strings say only if (1) the flags survived the tools
translators save with (gettext drops every ``#,`` flag but ``fuzzy``; the ``# rutrans:``
marker and ``msgctxt "forbidden"`` are kept), and (2) its strings are something
post-editing can apply: one line, with at least one word.  Each rule is a small named
function over the loaded entries, as in :mod:`rutrans.glossary.lint`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence

from rutrans.glossary.finding import Finding
from rutrans.glossary.model import KNOWN_FLAGS, MEANING_FLAGS, Entry

_WORD = re.compile(r"[^\W_]")


def _error(entry: Entry, rule: str, message: str) -> Finding:
    return Finding("error", entry.file, entry.line, rule, message)


def _warning(entry: Entry, rule: str, message: str) -> Finding:
    return Finding("warning", entry.file, entry.line, rule, message)


def lost_marker(entries: Sequence[Entry]) -> Iterator[Finding]:
    """``msgctxt "forbidden"`` on an entry that is not forbidden: a tool dropped the
    ``#, forbidden`` flag and the ``# rutrans: forbidden`` line with it, and the
    forbidden rendering would now be enforced as approved English."""
    for entry in entries:
        context = (entry.msgctxt or "").strip().casefold()
        if context.split(" ")[0] == "forbidden" and "forbidden" not in entry.flags:
            yield _error(
                entry,
                "lost-marker",
                f"'{entry.msgid}' has msgctxt \"{entry.msgctxt}\" but no forbidden marker "
                "(a tool dropped it); add '# rutrans: forbidden' and '#, forbidden'",
            )


def fragile_flag(entries: Sequence[Entry]) -> Iterator[Finding]:
    """A meaning flag only on the ``#,`` line: the next msgcat, msgmerge or Poedit save
    drops it without a word.  Weblate's "forbidden" and "read-only" buttons write it
    there, so this is a warning that says what to add."""
    for entry in entries:
        for flag in sorted((entry.flags & MEANING_FLAGS) - entry.marked):
            yield _warning(
                entry,
                "fragile-flag",
                f"'{flag}' on '{entry.msgid}' is only a #, flag, which gettext tools and "
                f"Poedit drop; add the line '# rutrans: {flag}'",
            )


def unknown_markers(entries: Sequence[Entry]) -> Iterator[Finding]:
    """A ``# rutrans:`` or ``#=`` flag rutrans does not know; ``fuzzy`` there would
    outlive a translator approving the entry, so it belongs on the ``#,`` line only."""
    for entry in entries:
        for flag in sorted(entry.marked - (KNOWN_FLAGS - {"fuzzy"})):
            yield _error(
                entry,
                "unknown-flag",
                f"'{flag}' on the '# rutrans:' line of '{entry.msgid}' is not a marker; "
                f"use {', '.join(sorted(MEANING_FLAGS))} (fuzzy goes on the #, line)",
            )


def _strings(entry: Entry) -> Iterator[tuple[str, str]]:
    yield "msgid", entry.msgid
    if entry.msgid_plural:
        yield "msgid_plural", entry.msgid_plural
    for target in entry.target:
        yield "msgstr", target
    for variant in entry.variants:
        yield "variant", variant


def one_line(entries: Sequence[Entry]) -> Iterator[Finding]:
    """A term is one line of text: a newline or another control character inside it
    would break post-editing's line-for-line alignment.  (A NUL is the ``nul`` rule's.)"""
    for entry in entries:
        for part, text in _strings(entry):
            if any(unicodedata.category(c) == "Cc" and c != "\x00" for c in text):
                yield _error(
                    entry,
                    "one-line",
                    f"the {part} of '{entry.msgid.strip()}' contains a newline or another "
                    "control character; write the term on one line",
                )
                break


def no_words(entries: Sequence[Entry]) -> Iterator[Finding]:
    """A rendering with no letter or digit (``-``, ``…``) matches nothing a reader would
    call a term; as a replacement it would turn the MT's words into punctuation."""
    for entry in entries:
        for part, text in _strings(entry):
            if text.strip() and not _WORD.search(text):
                yield _error(
                    entry,
                    "no-words",
                    f"the {part} '{text}' of '{entry.msgid}' has no letter or digit; "
                    "write the term, or delete the line",
                )


MEANING_RULES: tuple[Callable[[Sequence[Entry]], Iterator[Finding]], ...] = (
    lost_marker,
    fragile_flag,
    unknown_markers,
    one_line,
    no_words,
)
