"""CSV and TSV glossaries: the two columns of exact strings cloud MT glossaries take.

Export writes approved pairs only.  DeepL and Google read every row as a term pair, so
there is no header unless asked for; Amazon Translate's custom terminology requires a
first row of language codes (``ru,en``: the first column is the source language).

Import reads the first two columns, or the ``ru`` and ``en`` columns a header names, and
says what it leaves behind: extra columns are a warning naming file, line and their text,
a header naming other languages is an error, and a NUL byte (a UTF-16 or binary file) is
an error before anything is read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rutrans.errors import UserError
from rutrans.glossary.model import Entry, Glossary

# CSV: RFC 4180 quoting, so a comma or quote inside a term stays in the term; strict, so
# that an unclosed quote is an error instead of swallowing the rows below it.  TSV: DeepL
# and Google read it literally (no quoting), so a quote must stay a bare quote.
_DIALECTS: dict[str, dict[str, Any]] = {
    "csv": {"lineterminator": "\n", "strict": True},
    "tsv": dict(delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None, lineterminator="\n"),
}
_LANG_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$", re.IGNORECASE)
_COLUMN_NAMES = {  # header words a spreadsheet may use instead of language codes
    "source": "ru",
    "target": "en",
    "russian": "ru",
    "english": "en",
    "русский": "ru",
    "английский": "en",
}
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_SHOWN = 40  # characters of a dropped cell quoted in a warning


@dataclass(frozen=True)
class ImportWarning:
    """Something an import leaves out or guesses: said, never fatal."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def primary_language(code: str) -> str:
    """The primary language subtag: ``ru`` for ru-RU, ru_RU and ISO 639-2 ``rus``."""
    primary = re.split("[-_]", code.strip())[0].lower()
    return {"rus": "ru", "eng": "en"}.get(primary, primary)


def row_error(path: Path, row: int, message: str) -> UserError:
    return UserError(f"{path}:{row}: {message}")


def export_rows(glossary: Glossary, fmt: str, header: bool) -> str:
    """Approved pairs, msgid → singular and msgid_plural → plural (cloud glossaries match
    exact strings).  A source string is written once — cloud glossaries reject duplicate
    sources — from the default sense (no msgctxt) when homographs compete."""
    rows: dict[str, tuple[str, bool, Entry]] = {}
    for entry in glossary.entries:
        if entry.status != "approved":
            continue
        pairs = [(entry.msgid, entry.target[0])]
        if entry.msgid_plural:
            pairs.append((entry.msgid_plural, entry.target_for("pl")))
        for source, target in pairs:
            target = target or (source if entry.read_only else "")
            has_context = entry.msgctxt is not None
            if target and (source not in rows or (rows[source][1] and not has_context)):
                rows[source] = (target, has_context, entry)
    buffer = io.StringIO()
    writer = csv.writer(buffer, **_DIALECTS[fmt])
    if header:
        writer.writerow(["ru", "en"])
    for source, (target, _, entry) in rows.items():
        try:
            if "\r" not in source + target:
                writer.writerow([source, target])
            elif fmt == "csv":  # Python quotes a cell's "\n" but not its "\r", a row end too
                csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow(
                    [source, target]
                )
            else:
                raise csv.Error("a carriage return in a TSV cell")
        except csv.Error:
            tsv = f"'{source}' → '{target}' holds a tab or line break, which a TSV glossary cannot"
            raise row_error(entry.file, entry.line, f"{tsv}; export CSV instead") from None
    return buffer.getvalue()


def _decode(path: Path, data: bytes) -> str:
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise row_error(
            path,
            line,
            "NUL byte; this is not a UTF-8 text file (UTF-16 'Unicode text' or a "
            "spreadsheet?): save it as UTF-8 CSV or TSV",
        )
    try:
        return data.decode("utf-8-sig")  # Excel writes a BOM
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise row_error(path, line, "not UTF-8 text; save the file as UTF-8") from None


def _column_language(cell: str) -> str | None:
    """The language a header cell names: ``ru`` for ru, RU, ru-RU, rus, source, Russian…
    Other codes count in lower case only, so that an acronym (IT, HR) stays a term."""
    if cell.lower() in _COLUMN_NAMES:
        return _COLUMN_NAMES[cell.lower()]
    if not _LANG_CODE.match(cell):
        return None
    primary = primary_language(cell)
    return primary if primary in {"ru", "en"} or cell[:1].islower() else None


def _header(cells: Sequence[str]) -> list[str | None] | None:
    """The language of each column, if this first row is a header row: it names two
    columns, or names one and holds no Cyrillic (a ru→en term pair would)."""
    languages = [_column_language(cell) for cell in cells]
    named = sum(language is not None for language in languages)
    if named >= 2 or (named == 1 and not any(_CYRILLIC.search(cell) for cell in cells)):
        return languages
    return None


def _columns(cells: Sequence[tuple[int, str]]) -> str:
    """``column 3 ('примечание')``, ``columns 3-4 ('a', 'b')``, ``columns 3, 5 (…)``."""
    numbers = [index + 1 for index, _ in cells]
    if len(numbers) == 1:
        which = f"column {numbers[0]}"
    elif numbers == list(range(numbers[0], numbers[-1] + 1)):
        which = f"columns {numbers[0]}-{numbers[-1]}"
    else:
        which = "columns " + ", ".join(map(str, numbers))
    shown = [
        text if len(text) <= _SHOWN else text[: _SHOWN - 1].rstrip() + "…" for _, text in cells
    ]
    verb = "is" if len(numbers) == 1 else "are"
    return f"{which} ({', '.join(repr(text) for text in shown)}) {verb} not imported"


@dataclass
class _Dropped:
    """Extra columns seen in data rows: the first row's, and how many rows had them."""

    line: int = 0
    cells: tuple[tuple[int, str], ...] = ()
    rows: int = 0


def import_rows(path: Path, data: bytes, fmt: str) -> tuple[list[Entry], list[ImportWarning]]:
    """Each row an approved entry; a header row (Amazon's ``ru,en``) picks the columns."""
    reader = csv.reader(io.StringIO(_decode(path, data), newline=""), **_DIALECTS[fmt])
    ru, en, header_line = 0, 1, 0
    named: set[int] = set()  # the columns a header row names
    entries: list[Entry] = []
    warnings: list[ImportWarning] = []
    dropped = _Dropped()
    first: tuple[int, str, str] | None = None  # the first data row: line, source, target
    blank = Entry("", None, None, ("",), frozenset({"terminology"}), "", (), path, 0)
    blank = replace(blank, note=f"Imported from {path.name}")
    while True:
        line = reader.line_num + 1  # where this record starts (a quoted cell may span lines)
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            hint = "check the quotes from here on" if fmt == "csv" else "check this row"
            invalid = f"not valid {fmt.upper()} ({error}); {hint}"
            raise row_error(path, line, invalid) from None
        cells = [cell.strip() for cell in raw]
        if not any(cells):
            continue  # a blank line
        languages = _header(cells) if not entries and not header_line else None
        if languages is not None:
            ru, en = _header_columns(path, line, cells, languages)
            header_line, named = line, {i for i, cell in enumerate(cells) if cell}
            extra = [(i, cell) for i, cell in enumerate(cells) if cell and i not in (ru, en)]
            if extra:
                message = f"{_columns(extra)}; only the ru and en columns are"
                warnings.append(ImportWarning(path, line, message))
            continue
        if len(cells) < 2:
            sep = "," if fmt == "csv" else "<tab>"
            raise row_error(path, line, f"only one column; expected source{sep}target")
        source, target = (cells[i] if i < len(cells) else "" for i in (ru, en))
        if not source or not target:
            raise row_error(path, line, "empty source or target; fill it in or delete the row")
        extra = [(i, c) for i, c in enumerate(cells) if c and i not in (ru, en, *named)]
        if extra:
            if not dropped.rows:
                dropped.line, dropped.cells = line, tuple(extra)
            dropped.rows += 1
        first = first or (line, source, target)
        entries.append(replace(blank, msgid=source, target=(target,), line=line))
    if dropped.rows:
        more = dropped.rows - 1
        also = f" ({more} more row{'s' if more > 1 else ''} too)" if more else ""
        kept = "the ru and en columns are" if header_line else "the first two columns are"
        message = f"{_columns(dropped.cells)}{also}; only {kept}"
        warnings.append(ImportWarning(path, dropped.line, message))
    if first and not header_line and _looks_like_header(first[1], entries[1:]):
        line, source, target = first
        message = (
            f"'{source}' → '{target}' is imported as a term, but looks like a header row "
            "(no Cyrillic, unlike the rows below); delete it, or name the columns ru,en"
        )
        warnings.append(ImportWarning(path, line, message))
    return entries, sorted(warnings, key=lambda warning: warning.line)


def _header_columns(
    path: Path, line: int, cells: Sequence[str], languages: Sequence[str | None]
) -> tuple[int, int]:
    """The ru and en columns of a header row, or an error saying what it names instead."""
    if "ru" in languages and "en" in languages:
        return languages.index("ru"), languages.index("en")
    names = ", ".join(cell for cell in cells if cell)
    raise row_error(
        path,
        line,
        f"the header names {names}, not ru and en; name the Russian column ru and the "
        "English one en (Amazon Translate's header row: ru,en)",
    )


def _looks_like_header(source: str, rest: Sequence[Entry]) -> bool:
    """A first source without Cyrillic above rows that all have it: a header rutrans did
    not recognise (Term,Translation), imported as a term."""
    return (
        not _CYRILLIC.search(source)
        and bool(rest)
        and all(_CYRILLIC.search(entry.msgid) for entry in rest)
    )
