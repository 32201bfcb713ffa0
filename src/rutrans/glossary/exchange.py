"""Exchange the glossary with the tools a team loads it into, and bring it back.

DeepL, Google Cloud Translation and Amazon Translate take a glossary as two columns of
exact strings (CSV or TSV); Weblate and CAT tools take TBX.  The PO files stay the source
of truth: export is lossy for cloud glossaries (approved pairs only) and lossless for TBX,
and imports come back as :class:`Entry` objects that :func:`write_po` turns into a PO file.

TBX mapping (TBX 2 ``martif``, the dialect Weblate reads; rutrans-only facts ride in
``<note>`` elements that other tools show as plain notes and never interpret):

========================  ==========================================================
rutrans                   TBX
========================  ==========================================================
entry                     ``<termEntry>``
msgid / msgid_plural      ``<langSet xml:lang="ru">``: a ``<tig><term>`` each, marked
                          ``<termNote type="grammaticalNumber">singular|plural``
target (sg / pl)          ``<langSet xml:lang="en">``: likewise, with
                          ``administrativeStatus`` ``preferredTerm-admn-sts``
``#.`` note               ``<descrip type="definition">`` on the termEntry (Weblate's
                          *source* explanation: the note defines the Russian concept)
``# variant:``            further en terms, ``deprecatedTerm-admn-sts`` (TBX-Basic:
                          "do not use", which is what post-editing does with them)
forbidden                 the en term's ``administrativeStatus`` is ``forbidden``
fuzzy                     ``admittedTerm-admn-sts`` plus ``<termNote type="processStatus">
                          provisionallyProcessed`` (ISO 12620: proposed, not finalised)
read-only                 ``<termNote type="translationNote">no`` on the ru term
msgctxt                   ``<note>rutrans-msgctxt: …</note>``, and a unique termEntry
                          ``id`` built from it (``forbidden-12``): Weblate's context is
                          the id, which keeps ОВД → ATS apart from ОВД → internal affairs
                          body; the id itself cannot carry it ("forbidden" repeats)
exact, terminology, …     ``<note>rutrans-flags: exact, terminology</note>``
========================  ==========================================================

Import also reads foreign TBX (TBX 3 ``conceptEntry``/``langSec``/``termSec`` too): the
first ru and en terms, ``<note from="translator">`` as the note when there is no
``<descrip>``, ``forbidden``/``obsolete`` status as forbidden, and ``terminology`` as the
flag when the entry has no ``rutrans-flags`` note.  Unknown elements are ignored.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.parsers import expat

from rutrans.atomic import write_text
from rutrans.errors import UserError
from rutrans.glossary.model import Entry, Glossary

FORMATS = ("csv", "tsv", "tbx")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FLAGS_NOTE = "rutrans-flags:"
CONTEXT_NOTE = "rutrans-msgctxt:"
_TBX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">\n'
)
_STATUS_FLAGS = frozenset({"fuzzy", "forbidden", "read-only"})
_DEPRECATED = frozenset({"deprecatedterm-admn-sts", "deprecated", "supersededterm-admn-sts"})
_FORBIDDEN = frozenset({"forbidden", "obsolete"})
_PROVISIONAL = frozenset({"provisionallyprocessed", "unprocessed"})
_LANG_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$", re.IGNORECASE)
_Term = tuple[str, dict[str, str]]  # text, termNote type -> value
_PO_HEADER = """Project-Id-Version: rutrans glossary ru-en
Language: en
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit
Plural-Forms: nplurals=2; plural=(n != 1);
X-Source-Language: ru"""  # the header of glossary/ru-en/*.po


def export_glossary(glossary: Glossary, fmt: str, header: bool = False) -> str:
    """The glossary as ``csv``, ``tsv`` or ``tbx`` text.

    *header* (CSV/TSV only) adds a ``ru,en`` row.  It is off by default because DeepL and
    Google's unidirectional glossaries read every row as a term pair, so a header would
    become the bogus entry ru → en; Amazon Translate requires it, so pass ``header=True``.
    """
    if fmt == "tbx":
        return _export_tbx(glossary)
    if fmt not in FORMATS:
        raise UserError(f"unknown glossary format '{fmt}'; use csv, tsv or tbx")
    return _export_rows(glossary, fmt, header)


def import_glossary(path: Path, fmt: str | None = None) -> list[Entry]:
    """Entries read from a CSV/TSV/TBX file (*fmt* from the suffix when None)."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise UserError(f"{path}: cannot tell the glossary format; name it: csv, tsv or tbx")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"{path}: cannot read it ({error.strerror}); check the path") from None
    return _import_tbx(path, data) if fmt == "tbx" else _import_rows(path, data, fmt)


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
            raise _row_error(entry.file, entry.line, f"{same}; merge them or add a msgctxt")
        variants = "\n".join(f"variant: {v}" for v in entry.variants)
        item = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt, comment=entry.note)
        item.tcomment, item.flags = variants, sorted(entry.flags)
        if entry.msgid_plural is None:
            item.msgstr = entry.target[0]
        else:
            item.msgid_plural = entry.msgid_plural
            item.msgstr_plural = dict(enumerate(entry.target))
        po.append(item)
    write_text(path, str(po))


# CSV: RFC 4180 quoting, so a comma or quote inside a term stays in the term.  TSV: DeepL
# and Google read it literally (no quoting), so a quote must stay a bare quote.
_DIALECTS: dict[str, dict[str, Any]] = {
    "csv": {"lineterminator": "\n"},
    "tsv": dict(delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None, lineterminator="\n"),
}


def _primary(code: str) -> str:
    """The primary language subtag: ``ru`` for ru-RU, ru_RU and ISO 639-2 ``rus``."""
    primary = re.split("[-_]", code.strip())[0].lower()
    return {"rus": "ru", "eng": "en"}.get(primary, primary)


def _export_rows(glossary: Glossary, fmt: str, header: bool) -> str:
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
            writer.writerow([source, target])
        except csv.Error:
            tsv = f"'{source}' → '{target}' holds a tab or line break, which a TSV glossary cannot"
            raise _row_error(entry.file, entry.line, f"{tsv}; export CSV instead") from None
    return buffer.getvalue()


def _import_rows(path: Path, data: bytes, fmt: str) -> list[Entry]:
    """Each row an approved entry; a language-code header row (Amazon's) picks the columns."""
    try:
        text = data.decode("utf-8-sig")  # Excel writes a BOM
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise UserError(f"{path}:{row}: not UTF-8 text; save the file as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""), **_DIALECTS[fmt])
    ru, en, row, entries = 0, 1, 0, []
    note, flags = f"Imported from {path.name}", frozenset({"terminology"})
    blank = Entry("", None, None, ("",), flags, note, (), path, 0)
    try:
        for row, raw in enumerate(reader, start=1):
            cells = [cell.strip() for cell in raw]
            codes = [_primary(cell) for cell in cells]
            named = all(_LANG_CODE.match(cell) for cell in cells if cell)
            if len(cells) < 2 and not "".join(cells):
                continue  # a blank line
            if row == 1 and named and {"ru", "en"} & set(codes):
                if not {"ru", "en"} <= set(codes):
                    raise _row_error(path, 1, f"the header names {', '.join(cells)}; need ru, en")
                ru, en = codes.index("ru"), codes.index("en")
                continue
            if len(cells) < 2:
                sep = "," if fmt == "csv" else "<tab>"
                raise _row_error(path, row, f"only one column; expected source{sep}target")
            source, target = (cells[i] if i < len(cells) else "" for i in (ru, en))
            if not source or not target:
                raise _row_error(path, row, "empty source or target; fill it in or delete the row")
            entries.append(replace(blank, msgid=source, target=(target,), line=row))
    except csv.Error as error:
        raise _row_error(path, row + 1, f"not valid {fmt.upper()} ({error})") from None
    return entries


def _row_error(path: Path, row: int, message: str) -> UserError:
    return UserError(f"{path}:{row}: {message}")


def _tig(lang_set: ET.Element, text: str, notes: dict[str, str]) -> None:
    tig = ET.SubElement(lang_set, "tig")
    ET.SubElement(tig, "term").text = text
    for kind, value in notes.items():
        ET.SubElement(tig, "termNote", type=kind).text = value


def _term_entry(entry: Entry, position: int) -> ET.Element:
    node = ET.Element("termEntry")
    if entry.note:
        ET.SubElement(node, "descrip", type="definition").text = entry.note
    if entry.msgctxt is not None:  # Weblate's context is the id: unique, keeps senses apart
        slug = re.sub(r"\W+", "-", entry.msgctxt).strip("-")
        node.set("id", f"{slug if slug[:1].isalpha() else 'c' + slug}-{position}")
        ET.SubElement(node, "note").text = f"{CONTEXT_NOTE} {entry.msgctxt}"
    extra = ", ".join(sorted(entry.flags - _STATUS_FLAGS))
    ET.SubElement(node, "note").text = f"{FLAGS_NOTE} {extra}".rstrip()
    russian = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]

    def number(index: int) -> dict[str, str]:
        plural = len(russian) > 1
        return {"grammaticalNumber": "plural" if index else "singular"} if plural else {}

    ru = ET.SubElement(node, "langSet", {XML_LANG: "ru"})
    keep = {"translationNote": "no"} if entry.read_only else {}
    for index, term in enumerate(russian):
        _tig(ru, term, number(index) | keep)
    status = {"administrativeStatus": "preferredTerm-admn-sts"}
    if "fuzzy" in entry.flags:
        status = {"administrativeStatus": "admittedTerm-admn-sts"}
        status["processStatus"] = "provisionallyProcessed"
    if "forbidden" in entry.flags:
        status["administrativeStatus"] = "forbidden"
    en = ET.SubElement(node, "langSet", {XML_LANG: "en"})
    for index, term in enumerate(entry.target):
        _tig(en, term, number(index) | status)
    for variant in entry.variants:
        _tig(en, variant, {"administrativeStatus": "deprecatedTerm-admn-sts"})
    return node


def _export_tbx(glossary: Glossary) -> str:
    root = ET.Element("martif", {"type": "TBX", XML_LANG: "ru"})
    source = ET.SubElement(
        ET.SubElement(ET.SubElement(root, "martifHeader"), "fileDesc"), "sourceDesc"
    )
    ET.SubElement(source, "p").text = "rutrans glossary, Russian → English"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    body.extend(_term_entry(entry, i) for i, entry in enumerate(glossary.entries, start=1))
    ET.indent(root)
    return _TBX_HEAD + ET.tostring(root, encoding="unicode") + "\n"


def _parse_xml(data: bytes) -> tuple[ET.Element, dict[int, int]]:
    """Parse with expat directly: ElementTree keeps no line numbers, and an imported entry
    should say where in the TBX it came from (``file:line``)."""
    builder, lines = ET.TreeBuilder(), {}
    parser = expat.ParserCreate(namespace_separator="}")

    def name(raw: str) -> str:  # expat's "uri}local" is ElementTree's "{uri}local"
        return "{" + raw if "}" in raw else raw

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = builder.start(name(tag), {name(k): v for k, v in attrs.items()})
        lines[id(element)] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    parser.Parse(data, True)
    return builder.close(), lines


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: ET.Element) -> str:
    return "".join(element.itertext()).strip()


def _terms(entry: ET.Element, lang: str) -> list[_Term]:
    """Every term of one language in a TBX entry, with its termNotes by type."""
    found: list[_Term] = []
    for lang_set in entry.iter():
        code = lang_set.get(XML_LANG) or lang_set.get("lang") or ""
        if _local(lang_set.tag) not in {"langSet", "langSec"} or _primary(code) != lang:
            continue
        for group in lang_set:
            terms = [e for e in group.iter() if _local(e.tag) == "term"]
            if _local(group.tag) not in {"tig", "ntig", "termSec"} or not terms:
                continue
            notes: dict[str, str] = {}
            for note in group.iter():
                if _local(note.tag) == "termNote":
                    notes.setdefault(note.get("type", ""), _text(note).lower())
            if _text(terms[0]) or lang != "ru":  # an empty msgid would be the PO header
                found.append((_text(terms[0]), notes))
    return found


def _entry_from_tbx(node: ET.Element, path: Path, line: int) -> Entry | None:
    ru, en = _terms(node, "ru"), _terms(node, "en")
    if not ru or not en:
        return None  # nothing to translate, or no English yet
    flags: set[str] = set()
    targets = [t for t in en if t[1].get("administrativeStatus") not in _DEPRECATED]
    variants = [t[0] for t in en if t[1].get("administrativeStatus") in _DEPRECATED]
    if not targets:  # a lone deprecated English term is a rendering not to use
        targets, variants = en[:1], variants[1:]
        flags.add("forbidden")
    singular = [t for t in ru if t[1].get("grammaticalNumber") != "plural"] or ru
    plural = [t[0] for t in ru if t[1].get("grammaticalNumber") == "plural"]
    target: tuple[str, ...] = (targets[0][0],)
    if plural:
        sg = [t[0] for t in targets if t[1].get("grammaticalNumber") != "plural"]
        pl = [t[0] for t in targets if t[1].get("grammaticalNumber") == "plural"]
        target = (sg[0] if sg else "", *(pl or [""]))
    if any(t[1].get("administrativeStatus") in _FORBIDDEN for t in targets):
        flags.add("forbidden")
    if any(t[1].get("processStatus") in _PROVISIONAL for t in targets):
        flags.add("fuzzy")
    if any(t[1].get("translationNote") == "no" for t in ru + en):
        flags.add("read-only")
    definitions, explanations = [], []
    extra: set[str] | None = None
    context: str | None = None
    for element in node.iter():
        name, kind, text = _local(element.tag), element.get("type"), _text(element)
        if name == "descrip" and kind in {None, "definition"}:
            definitions.append(text)
        elif name == "descrip" and kind == "Translation needed" and text == "no":
            flags.add("read-only")
        elif name == "note" and text.startswith(FLAGS_NOTE):
            extra = {f.strip() for f in text[len(FLAGS_NOTE) :].split(",") if f.strip()}
        elif name == "note" and text.startswith(CONTEXT_NOTE):
            context = text[len(CONTEXT_NOTE) :].strip()
        elif name == "note" and element.get("from") == "translator":
            explanations.append(text)
    return Entry(
        msgid=singular[0][0],
        msgid_plural=plural[0] if plural else None,
        msgctxt=context,
        target=target,
        flags=frozenset(flags | (extra if extra is not None else {"terminology"})),
        note="\n".join(filter(None, definitions or explanations)),
        variants=tuple(variants),
        file=path,
        line=line,
    )


def _import_tbx(path: Path, data: bytes) -> list[Entry]:
    try:
        root, lines = _parse_xml(data)
    except expat.ExpatError as error:
        reason = expat.errors.messages[error.code]
        raise UserError(f"{path}:{error.lineno}: not valid TBX ({reason})") from None
    if _local(root.tag) not in {"martif", "tbx"}:  # TBX 2 and TBX 3
        raise UserError(
            f"{path}:1: not valid TBX (the root element is <{_local(root.tag)}>, not <martif>)"
        )
    nodes = [n for n in root.iter() if _local(n.tag) in {"termEntry", "conceptEntry"}]
    entries = [_entry_from_tbx(node, path, lines.get(id(node), 1)) for node in nodes]
    return [entry for entry in entries if entry is not None]
