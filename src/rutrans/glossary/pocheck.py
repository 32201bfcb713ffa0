"""What ``msgfmt --check`` rejects in a PO file, checked in Python.

So that a glossary lints the same with or without GNU gettext installed, and so that a
file gettext's own tools refuse is never used for translation.  Each rule is a small
named function over a :class:`~rutrans.pofile.PoFile`; the duplicate-entry
check lives with the glossary rules in :mod:`rutrans.glossary.lint`, since it also
spans files.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterator

from rutrans.glossary.finding import Finding
from rutrans.pofile import PoFile

FileRule = Callable[[PoFile], Iterator[Finding]]

# C escapes msgfmt accepts inside a string; anything else is "invalid control sequence".
_ESCAPE = re.compile(r'\\(?:[\\"ntrabfv?]|[0-7]{1,3}|x[0-9A-Fa-f]+|(.)|$)')
_KEYWORD = re.compile(r'^\s*(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s*"(.*)"\s*$')
_CONTINUATION = re.compile(r'^\s*"(.*)"\s*$')
_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")


def _error(file: PoFile, line: int, rule: str, message: str) -> Finding:
    return Finding("error", file.path, line, rule, message)


def _string_lines(file: PoFile) -> Iterator[tuple[int, str, str | None]]:
    """``(line number, quoted body, keyword or None for a continuation)`` of each string."""
    for number, line in enumerate(file.lines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        keyword = _KEYWORD.match(line)
        if keyword:
            yield number, keyword.group(2), keyword.group(1)
            continue
        continuation = _CONTINUATION.match(line)
        if continuation:
            yield number, continuation.group(1), None


def nul_bytes(file: PoFile) -> Iterator[Finding]:
    """A NUL byte, raw or escaped (``\\0``): C strings end there, so gettext's tools
    silently cut the term short (msgfmt 0.21 even accepts the raw byte)."""
    for number, line in enumerate(file.lines(), start=1):
        if "\x00" in line:
            yield _error(file, number, "nul", "NUL byte in the file; delete it")
    for number, body, _ in _string_lines(file):
        if re.search(r"(?<!\\)(?:\\\\)*\\0{1,3}(?![0-7])", body):
            yield _error(file, number, "nul", "escaped NUL (\\0) in a string; delete it")


def invalid_escapes(file: PoFile) -> Iterator[Finding]:
    """A backslash sequence C does not know (``\\q``): msgfmt's "invalid control
    sequence"; polib passes it through unchanged."""
    for number, body, _ in _string_lines(file):
        for match in _ESCAPE.finditer(body):
            if match.group(1) is not None or match.group(0) == "\\":
                shown = match.group(0) or "\\"
                yield _error(
                    file,
                    number,
                    "escape",
                    f"invalid escape sequence '{shown}' (msgfmt: invalid control sequence); "
                    "write \\\\ for a backslash",
                )


def empty_msgids(file: PoFile) -> Iterator[Finding]:
    """An entry with an empty msgid other than the header: msgfmt calls it a duplicate
    of the header (without msgctxt), and it is no term either way."""
    lines = list(_string_lines(file))
    seen_header = False
    for index, (number, body, keyword) in enumerate(lines):
        if keyword != "msgid" or body:
            continue
        follows = lines[index + 1] if index + 1 < len(lines) else None
        if follows is not None and follows[2] is None and follows[1]:
            continue  # msgid "" "continued text": not empty
        has_context = index > 0 and lines[index - 1][2] == "msgctxt"
        if not seen_header and not has_context:
            seen_header = True
            continue
        yield _error(file, number, "empty-msgid", "entry with an empty msgid; delete it")
        seen_header = True


def _plural_forms_line(file: PoFile) -> int:
    for number, line in enumerate(file.lines(), start=1):
        if "Plural-Forms:" in line:
            return number
    return 1


def nplurals_of(file: PoFile) -> int | None:
    """``nplurals`` from a valid ``Plural-Forms`` header, else None."""
    match = _PLURAL_FORMS.match(file.po.metadata.get("Plural-Forms", ""))
    if match is None:
        return None
    try:
        gettext.c2py(match.group(2))
    except (ValueError, RecursionError):
        return None
    return int(match.group(1)) or None


def plural_header(file: PoFile) -> Iterator[Finding]:
    """``Plural-Forms`` must read ``nplurals=N; plural=EXPRESSION;`` with a C expression
    msgfmt accepts, and must be there when any entry has a plural."""
    header = file.po.metadata.get("Plural-Forms")
    has_plurals = any(e.msgid_plural for e in file.entries())
    if header is None:
        if has_plurals:
            yield _error(
                file,
                1,
                "plural-header",
                "entries have plural forms but the header has no Plural-Forms; add "
                '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
            )
        return
    if nplurals_of(file) is None:
        yield _error(
            file,
            _plural_forms_line(file),
            "plural-header",
            f"invalid Plural-Forms '{header.strip()}'; for English write "
            "nplurals=2; plural=(n != 1);",
        )


def plural_indices(file: PoFile) -> Iterator[Finding]:
    """A plural entry needs msgstr[0] … msgstr[nplurals-1], no gaps and no extras."""
    nplurals = nplurals_of(file)
    if nplurals is None:
        return
    for entry in file.entries():
        if entry.msgid_plural and sorted(entry.msgstr_plural) != list(range(nplurals)):
            found = ", ".join(f"msgstr[{i}]" for i in sorted(entry.msgstr_plural))
            yield _error(
                file,
                max(1, entry.linenum),
                "plural-index",
                f"'{entry.msgid}' has {found or 'no msgstr[]'} but the header says "
                f"nplurals={nplurals}; give msgstr[0] to msgstr[{nplurals - 1}]",
            )


def newline_ends(file: PoFile) -> Iterator[Finding]:
    """msgid and each translation must agree on a leading and a trailing ``\\n``."""
    for entry in filter(lambda e: e.msgid, file.entries()):  # empty: empty_msgids
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for target in filter(None, targets):
            for source in sources:
                if (source.startswith("\n"), source.endswith("\n")) != (
                    target.startswith("\n"),
                    target.endswith("\n"),
                ):
                    yield _error(
                        file,
                        max(1, entry.linenum),
                        "newline",
                        f"'{entry.msgid.strip()}': msgid and msgstr do not both begin and "
                        "end with \\n (msgfmt rejects it); remove the \\n",
                    )
                    break
            else:
                continue
            break


FILE_RULES: tuple[FileRule, ...] = (
    nul_bytes,
    invalid_escapes,
    empty_msgids,
    plural_header,
    plural_indices,
    newline_ends,
)


def check_file(file: PoFile) -> list[Finding]:
    return [finding for rule in FILE_RULES for finding in rule(file)]
