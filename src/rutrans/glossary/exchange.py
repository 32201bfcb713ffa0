"""Exchange the glossary with the tools a team loads it into, and bring it back.

DeepL, Google Cloud Translation and Amazon Translate take a glossary as two columns of
exact strings (CSV or TSV, :mod:`.exchange_csv`); Weblate and CAT tools take TBX
(:mod:`.exchange_tbx`, which documents the mapping).  The PO files stay the source of
truth: export is lossy for cloud glossaries (approved pairs only) and lossless for TBX,
and imports come back as :class:`Imported` entries that :func:`write_po` turns into a PO
file, with warnings for whatever the file held that a glossary entry cannot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rutrans import files
from rutrans.atomic import write_text
from rutrans.errors import UserError
from rutrans.glossary.exchange_csv import ImportWarning, export_rows, import_rows, row_error
from rutrans.glossary.exchange_tbx import export_tbx, import_tbx
from rutrans.glossary.model import MARKER_PREFIX, VARIANT_PREFIX, Entry, Glossary
from rutrans.lines import LINE_BREAK

__all__ = ["FORMATS", "ImportWarning", "Imported", "export_glossary", "import_glossary", "write_po"]

FORMATS = ("csv", "tsv", "tbx")
_PO_HEADER = """Project-Id-Version: rutrans glossary ru-en
Language: en
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit
Plural-Forms: nplurals=2; plural=(n != 1);
X-Source-Language: ru"""  # the header of glossary/ru-en/*.po


@dataclass(frozen=True)
class Imported:
    """What an import read: the entries, and what it left out or guessed."""

    entries: tuple[Entry, ...]
    warnings: tuple[ImportWarning, ...] = ()


def export_glossary(glossary: Glossary, fmt: str, header: bool = False) -> str:
    """The glossary as ``csv``, ``tsv`` or ``tbx`` text.

    *header* (CSV/TSV only) adds a ``ru,en`` row.  It is off by default because DeepL and
    Google's unidirectional glossaries read every row as a term pair, so a header would
    become the bogus entry ru → en; Amazon Translate requires it, so pass ``header=True``.
    """
    if fmt not in FORMATS:
        raise UserError(f"unknown glossary format '{fmt}'; use csv, tsv or tbx")
    if fmt == "tbx":
        if header:
            raise UserError("a header row is for CSV and TSV; TBX names its languages itself")
        return export_tbx(glossary)
    return export_rows(glossary, fmt, header)


def import_glossary(path: Path, fmt: str | None = None) -> Imported:
    """Entries read from a CSV/TSV/TBX file (*fmt* from the suffix when None)."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise UserError(f"{path}: cannot tell the glossary format; name it: csv, tsv or tbx")
    data = files.read_bytes(path, "glossary file")
    warnings: list[ImportWarning] = []
    if fmt == "tbx":
        entries = import_tbx(path, data)
    else:
        entries, warnings = import_rows(path, data, fmt)
    if not entries:  # an empty PO file would be no use, and this is likely the wrong file
        what = "termEntry with a ru and an en term" if fmt == "tbx" else "row of source and target"
        raise UserError(f"{path}: no {what} in it, so nothing to import; check the file")
    return Imported(tuple(entries), tuple(warnings))


def write_po(entries: Sequence[Entry], path: Path) -> None:
    """Write *entries* as a glossary PO file (atomically), refusing duplicates msgfmt would."""
    import polib

    po = polib.POFile(wrapwidth=0)
    po.header = "rutrans glossary: imported terms.\nSee glossary/README.md for the format."
    po.metadata = dict(line.split(": ", 1) for line in _PO_HEADER.splitlines())
    seen: dict[tuple[str | None, str], Entry] = {}
    for entry in entries:
        first = seen.setdefault((entry.msgctxt, entry.msgid), entry)
        if first is not entry:
            same = f"'{entry.msgid}' duplicates {first.where} (same msgid and msgctxt)"
            raise row_error(entry.file, entry.line, f"{same}; merge them or add a msgctxt")
        # A comment is one PO line each ("variant: …") or one per line of the note: polib
        # writes a line break other than "\n" as it is, which would end the comment line.
        comments = [f"{VARIANT_PREFIX} {' '.join(v.split())}" for v in entry.variants]
        meaning = [f for f in ("forbidden", "read-only", "exact") if f in entry.flags]
        if meaning:  # kept where gettext tools drop the flags (glossary/README.md)
            comments.append(f"{MARKER_PREFIX} {', '.join(meaning)}")
        note = "\n".join(LINE_BREAK.split(entry.note))
        item = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt, comment=note)
        item.tcomment, item.flags = "\n".join(comments), sorted(entry.flags)
        if entry.msgid_plural is None:
            item.msgstr = entry.target[0]
        else:
            item.msgid_plural = entry.msgid_plural
            item.msgstr_plural = dict(enumerate(entry.target))
        po.append(item)
    write_text(path, str(po))
