"""TBX, both ways: lossless for the glossary, in the dialect Weblate reads.

TBX 2 ``martif``; rutrans-only facts ride in ``<note>`` elements that other tools show as
plain notes and never interpret:

========================  ==========================================================
rutrans                   TBX
========================  ==========================================================
entry                     ``<termEntry>`` with a stable ``id`` (below)
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
read-only                 ``<descrip type="Translation needed">No</descrip>`` on the
                          termEntry: what Weblate reads as read-only (see _READ_ONLY)
msgctxt                   ``<note>rutrans-msgctxt: …</note>``; Weblate's context is the
                          termEntry id, which cannot carry it (it must be an XML name)
exact, terminology, …     ``<note>rutrans-flags: exact, terminology</note>``
========================  ==========================================================

The termEntry ``id`` is a hash of msgctxt + msgid (``forbidden-3f0c…``, ``term-9a1b…``):
Weblate matches a re-imported term by it, so an entry keeps its id when others are added,
removed or moved, and homographs (ОВД → ATS, ОВД → internal affairs body) stay apart.

Import also reads foreign TBX (TBX 3 ``conceptEntry``/``langSec``/``termSec`` too): the
first ru and en terms, ``<note from="translator">`` as the note when there is no
``<descrip>``, ``forbidden``/``obsolete`` status as forbidden, ``terminology`` as the flag
when the entry has no ``rutrans-flags`` note, and read-only from ``Translation needed`` or
from the ``<termNote type="translationNote">no`` that rutrans 0.x exported.  Unknown
elements are ignored.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from xml.parsers import expat

from rutrans.errors import UserError
from rutrans.glossary.exchange_csv import primary_language
from rutrans.glossary.model import Entry, Glossary

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FLAGS_NOTE = "rutrans-flags:"
CONTEXT_NOTE = "rutrans-msgctxt:"
# Weblate loads TBX with translate-toolkit, and its read-only state is
# ``not unit.istranslatable()`` (weblate/formats/ttkit.py, TTKitUnit.is_readonly).
# translate-toolkit's tbxunit.istranslatable (translate/storage/tbx.py, since commit
# 29d6245, June 2025) reads the first ``<descrip type="Translation needed">`` of the
# termEntry: "yes" (any case) is translatable, anything else is not.  Weblate's own test
# (weblate/formats/tests/test_tbx_multivalue.py, test_dnt_missing_target) puts
# ``<descrip type="Translation needed">No</descrip>`` on the termEntry and expects the
# ``read-only`` flag; docs/formats/tbx.rst says the same.  (Weblate 5.16's docs named
# ``<termNote type="translationNote">no``, a string translate-toolkit has never read.)
_READ_ONLY = "Translation needed"
_LEGACY_READ_ONLY = "translationNote"  # rutrans 0.x wrote it on the ru term: still read
_TBX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">\n'
)
_STATUS_FLAGS = frozenset({"fuzzy", "forbidden", "read-only"})
_DEPRECATED = frozenset({"deprecatedterm-admn-sts", "deprecated", "supersededterm-admn-sts"})
_FORBIDDEN = frozenset({"forbidden", "obsolete"})
_PROVISIONAL = frozenset({"provisionallyprocessed", "unprocessed"})
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID_HASH_CHARS = 12  # 48 bits: no collision among a glossary's few thousand entries
_Term = tuple[str, dict[str, str]]  # text, termNote type -> value


def entry_id(entry: Entry) -> str:
    """The termEntry id of *entry*: a readable prefix (its msgctxt in ASCII, else
    ``term``) and a hash of gettext's own key, msgctxt + EOT + msgid."""
    key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:_ID_HASH_CHARS]
    slug = re.sub(r"[^a-z0-9]+", "-", (entry.msgctxt or "").lower()).strip("-")[:32]
    prefix = slug if slug[:1].isalpha() else f"term-{slug}".rstrip("-")  # an XML name
    return f"{prefix}-{digest}"


def entry_ids(entries: Iterable[Entry]) -> list[str]:
    """:func:`entry_id` of each entry, made unique in order (``…-2``, ``…-3``): only a
    repeated msgctxt + msgid, which lint rejects, can collide."""
    ids: list[str] = []
    used: set[str] = set()
    for entry in entries:
        base = candidate = entry_id(entry)
        count = 1
        while candidate in used:
            count += 1
            candidate = f"{base}-{count}"
        used.add(candidate)
        ids.append(candidate)
    return ids


def _tig(lang_set: ET.Element, text: str, notes: dict[str, str]) -> None:
    tig = ET.SubElement(lang_set, "tig")
    ET.SubElement(tig, "term").text = text
    for kind, value in notes.items():
        ET.SubElement(tig, "termNote", type=kind).text = value


def _term_entry(entry: Entry, ident: str) -> ET.Element:
    node = ET.Element("termEntry", id=ident)
    if entry.note:
        ET.SubElement(node, "descrip", type="definition").text = entry.note
    if entry.read_only:
        ET.SubElement(node, "descrip", type=_READ_ONLY).text = "No"
    if entry.msgctxt is not None:
        ET.SubElement(node, "note").text = f"{CONTEXT_NOTE} {entry.msgctxt}"
    extra = ", ".join(sorted(entry.flags - _STATUS_FLAGS))
    ET.SubElement(node, "note").text = f"{FLAGS_NOTE} {extra}".rstrip()
    russian = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]

    def number(index: int) -> dict[str, str]:
        plural = len(russian) > 1
        return {"grammaticalNumber": "plural" if index else "singular"} if plural else {}

    ru = ET.SubElement(node, "langSet", {XML_LANG: "ru"})
    for index, term in enumerate(russian):
        _tig(ru, term, number(index))
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


def _check_xml(entry: Entry) -> None:
    """XML 1.0 has no way to write most C0 controls, not even as ``&#11;``: say so instead
    of writing a TBX file no tool can read."""
    texts = (entry.msgid, entry.msgid_plural, entry.msgctxt, entry.note, *entry.target)
    for text in (*texts, *entry.variants, *entry.flags):
        bad = _NOT_XML.search(text or "")
        if bad:
            raise UserError(
                f"{entry.where}: '{entry.msgid}' holds the control character {bad.group()!r}, "
                "which TBX (XML) cannot hold; delete it"
            )


def export_tbx(glossary: Glossary) -> str:
    for entry in glossary.entries:
        _check_xml(entry)
    root = ET.Element("martif", {"type": "TBX", XML_LANG: "ru"})
    source = ET.SubElement(
        ET.SubElement(ET.SubElement(root, "martifHeader"), "fileDesc"), "sourceDesc"
    )
    ET.SubElement(source, "p").text = "rutrans glossary, Russian → English"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    ids = entry_ids(glossary.entries)
    pairs = zip(glossary.entries, ids, strict=True)
    body.extend(_term_entry(entry, ident) for entry, ident in pairs)
    ET.indent(root)
    # A raw "\r" would come back as "\n" (XML normalises line ends); ElementTree writes
    # one as a reference only in attributes, so every raw one left is in text.
    return _TBX_HEAD + ET.tostring(root, encoding="unicode").replace("\r", "&#13;") + "\n"


class _DeclaresEntity(Exception):
    """The DTD declares an entity, at line ``args[0]``, named ``args[1]``."""


def _parse_xml(data: bytes) -> tuple[ET.Element, dict[int, int]]:
    """Parse with expat directly: ElementTree keeps no line numbers, and an imported entry
    should say where in the TBX it came from (``file:line``).

    A declared entity is refused, as defusedxml does: no TBX tool writes one, and it is
    how a file expands to gigabytes (billion laughs) or pulls in another file."""
    builder, lines = ET.TreeBuilder(), {}
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse(name: str, *_: object) -> None:
        raise _DeclaresEntity(parser.CurrentLineNumber, name)

    parser.EntityDeclHandler = refuse

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
        if _local(lang_set.tag) not in {"langSet", "langSec"} or primary_language(code) != lang:
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
    if any(t[1].get(_LEGACY_READ_ONLY) == "no" for t in ru + en):
        flags.add("read-only")
    definitions, explanations = [], []
    extra: set[str] | None = None
    context: str | None = None
    translation_needed: str | None = None  # the first one decides, as in translate-toolkit
    for element in node.iter():
        name, kind, text = _local(element.tag), element.get("type"), _text(element)
        if name == "descrip" and kind in {None, "definition"}:
            definitions.append(text)
        elif name == "descrip" and kind == _READ_ONLY and translation_needed is None:
            translation_needed = text
        elif name == "note" and text.startswith(FLAGS_NOTE):
            extra = {f.strip() for f in text[len(FLAGS_NOTE) :].split(",") if f.strip()}
        elif name == "note" and text.startswith(CONTEXT_NOTE):
            context = text[len(CONTEXT_NOTE) :].strip()
        elif name == "note" and element.get("from") == "translator":
            explanations.append(text)
    if translation_needed is not None and translation_needed.lower() != "yes":
        flags.add("read-only")
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


def import_tbx(path: Path, data: bytes) -> list[Entry]:
    try:
        root, lines = _parse_xml(data)
    except expat.ExpatError as error:
        reason = expat.errors.messages[error.code]
        raise UserError(
            f"{path}:{error.lineno}: not valid TBX ({reason}); export it again as TBX"
        ) from None
    except _DeclaresEntity as error:
        line, name = error.args
        raise UserError(
            f"{path}:{line}: declares the XML entity '{name}', which rutrans does not expand; "
            "delete the <!ENTITY …> declarations (no TBX tool writes them)"
        ) from None
    if _local(root.tag) not in {"martif", "tbx"}:  # TBX 2 and TBX 3
        raise UserError(
            f"{path}:1: not valid TBX (the root element is <{_local(root.tag)}>, not <martif>); "
            "give a TBX glossary"
        )
    nodes = [n for n in root.iter() if _local(n.tag) in {"termEntry", "conceptEntry"}]
    entries = [_entry_from_tbx(node, path, lines.get(id(node), 1)) for node in nodes]
    return [entry for entry in entries if entry is not None]
