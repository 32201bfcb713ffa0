"""Read one PO file the way gettext does: its declared charset, every line accounted for.

polib is lenient where msgfmt is strict, and strict where gettext is not: it decodes with
whatever it is told, drops the last character of an unterminated string, and stops at a
``#=`` line (the "sticky flags" GNU gettext announced for PO files).  This module hands
polib a text it will read faithfully, and keeps the decoded text so that
:mod:`rutrans.glossary.pocheck` can check what polib does not.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rutrans import files
from rutrans.errors import UserError
from rutrans.lines import LINE_BREAK, split_lines

_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
_STRING_LINE = re.compile(r'^\s*(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"')
_CLOSED = re.compile(r'(?<!\\)(?:\\\\)*"\s*$')
_STICKY = re.compile(r"^#=", re.MULTILINE)
MAX_BYTES = 64 * 1024 * 1024  # a glossary is kilobytes; more is the wrong file


@dataclass(frozen=True)
class PoFile:
    """One parsed PO file and the text it was parsed from."""

    path: Path
    text: str  # decoded, with ``#=`` lines as polib reads them (``# =``)
    charset: str  # the Python codec of the declared charset
    sha256: str  # of the file's bytes
    po: Any  # polib.POFile; polib ships no type information

    def entries(self) -> list[Any]:
        """The live entries (not obsolete ``#~``); polib keeps the header apart."""
        return [e for e in self.po if not e.obsolete]

    def lines(self) -> list[str]:
        """The lines of :attr:`text`, as gettext reads them (see :class:`_GettextText`)."""
        return LINE_BREAK.split(self.text)


class _GettextText(str):
    """PO text that splits into lines where gettext does: at ``\\n``, ``\\r\\n`` and ``\\r``.

    :meth:`str.splitlines`, which polib reads a text with, also splits at U+2028, U+0085
    and the like, which polib (and msgcat) write inside strings as they are: a term
    holding one would read as an unterminated string.
    """

    def splitlines(self, keepends: bool = False) -> list[str]:
        if keepends:
            return [line + end for line, end in split_lines(self)]
        return LINE_BREAK.split(self)


def read_po(path: Path) -> PoFile:
    """Read and parse *path*, or raise a one-line :class:`UserError` naming FILE:LINE."""
    data = _read_bytes(path)
    declared, charset = declared_charset(data, path)
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UserError(
            f"{path}:{line}: invalid PO (bytes that are not {declared}, the charset it "
            "declares); save the file in its declared charset or fix its Content-Type"
        ) from None
    # polib rejects ``#=`` lines; gettext 0.21's msgcat writes them as ``# =``, a
    # translator comment, so read both the same way.
    text = _STICKY.sub("# =", text)
    bad_line = _unterminated_string(text)
    if bad_line is not None:
        raise UserError(
            f"{path}:{bad_line}: invalid PO (end of line within string); close the quote"
        )
    return PoFile(path, text, charset, hashlib.sha256(data).hexdigest(), _parse(path, text))


def _read_bytes(path: Path) -> bytes:
    return files.read_bytes(path, "PO file", limit=MAX_BYTES)


def declared_charset(data: bytes, path: Path) -> tuple[str, str]:
    """The charset the header's ``Content-Type: …; charset=X`` names (UTF-8 without one),
    as written and as a Python codec.

    gettext's template placeholder ``CHARSET`` means "not set yet": read it as UTF-8,
    which is what msgfmt assumes too.
    """
    head = data[: data.find(b"\n\n")] if b"\n\n" in data else data[:4096]
    match = _CHARSET.search(head)
    name = match.group(1).decode("ascii") if match else "UTF-8"
    if name.upper() == "CHARSET":
        return "UTF-8", "utf-8"
    try:
        return name, codecs.lookup(name).name
    except LookupError:
        line = data[: head.find(match.group(0))].count(b"\n") + 1 if match else 1
        raise UserError(
            f"{path}:{line}: invalid PO (unknown charset '{name}'); declare UTF-8 "
            "(Content-Type: text/plain; charset=UTF-8) and save the file as UTF-8"
        ) from None


def _unterminated_string(text: str) -> int | None:
    """Line number of a string that never closes.

    polib silently drops the last character of ``msgstr "SCO`` where msgfmt reports
    "end-of-line within string"; catch it so a glossary never loads a truncated term.
    """
    for number, line in enumerate(LINE_BREAK.split(text), start=1):
        if line.lstrip().startswith("#") or not _STRING_LINE.match(line):
            continue
        body = line[line.index('"') :]
        if len(body) < 2 or not _CLOSED.search(body):
            return number
    return None


def _parse(path: Path, text: str) -> Any:
    import polib

    try:
        return polib.pofile(_GettextText(text), wrapwidth=0)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        message = str(error)
        match = re.search(r"line (\d+)", message)
        line = match.group(1) if match else "1"
        reason = message.split(" (line")[0].strip() or type(error).__name__
        reason = reason.replace("Syntax error in po file", "syntax error").strip()
        raise UserError(
            f"{path}:{line}: invalid PO ({reason}); fix the entry (msgfmt --check-format "
            "points at the same line)"
        ) from None
