"""Fuzzing the readers and writers: what rutrans writes, it reads back as it was.

* documents (.txt, .md): read, then written with no replacements, give the same bytes,
  in every encoding the reader accepts, with any line endings and with or without a BOM;
* glossary PO files: what ``glossary import`` writes reads back to the same entries,
  flags and ``# rutrans:`` markers;
* the exchange formats: a glossary exported as CSV, TSV or TBX imports back to the same
  entries (as far as the format carries them);
* the review PO: written, then read, gives the same segments and texts;
* the JSON report: written, then read as ``rutrans review`` reads it, gives the report.

Budgets are in :mod:`fuzzing`.  The smallest example of each bug the fuzzing found is
kept as an ``@example`` (with what the bug was), and where a property had to be narrowed
a comment says why.
"""

from __future__ import annotations

import codecs
import functools
import html
import io
import re
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fuzzing import fuzz
from hypothesis import event, example, given
from hypothesis import strategies as st
from scripted import ScriptedEngine

from rutrans import pipeline
from rutrans.apply import apply_review
from rutrans.cli_review import _load_report
from rutrans.errors import UserError
from rutrans.formats import read_document, write_document
from rutrans.glossary import exchange_csv
from rutrans.glossary.exchange import export_glossary, import_glossary, write_po
from rutrans.glossary.model import KNOWN_FLAGS, MEANING_FLAGS, Entry, Glossary, load_glossary
from rutrans.glossary.pocheck import check_file
from rutrans.lines import LINE_BREAK
from rutrans.pofile import read_po
from rutrans.report import report_json, translation_report
from rutrans.results import DocumentResult
from rutrans.review import terminal
from rutrans.review.html import review_html
from rutrans.review.po import read_review, review_po
from rutrans.segment import segments_of
from rutrans.terminology import Terminology


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    """One folder for every example of a module (function-scoped tmp_path would be
    shared between examples anyway, and hypothesis refuses it)."""
    with tempfile.TemporaryDirectory(prefix="rutrans-fuzz-") as name:
        yield Path(name)


# --- documents ------------------------------------------------------------------------------

WORDS = [
    "Министр", "внутренних", "дел", "Казахстана", "провёл", "встречу", "с", "коллегами",
    "ОВД", "ШОС", "СНГ", "т. е.", "г.", "Е. Ж. Тургумбаев", "2023", "5 тыс.", "65%", "№ 12",
    "«Паутина»", "„Канал“", "—", "–", "-", ",", ".", "!", "?", "…", ":", ";", "(", ")",
    "Interpol", "UNODC", "ё", "Ё",
]  # fmt: skip
MARKDOWN = [
    "# ", "## ", "- ", "* ", "+ ", "1. ", "2) ", "> ", "```", "~~~", "    ", "|", " | ",
    "---", "***", "`код`", "**", "_", "[ссылка](https://mvd.gov.kz)", "![](a.png)",
    "<!-- -->", "<br>", "\\", "&amp;", "[^1]", "[x]: https://x.kz",
]  # fmt: skip
SPACES = [" ", "  ", "\t", "\u00a0"]
LINE_ENDINGS = ["\n", "\r\n", "\r"]


@st.composite
def document_texts(draw: st.DrawFn, markdown: bool) -> str:
    """Lines of Russian news text (Markdown syntax too for .md), blank and indented lines,
    each with its own line ending; the last line may have none."""
    pieces = WORDS + SPACES + (MARKDOWN if markdown else [])
    line = st.one_of(
        st.lists(st.sampled_from(pieces), max_size=12).map("".join),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=12),  # anything at all
    )
    lines = draw(st.lists(line, min_size=1, max_size=10))
    endings = draw(
        st.lists(st.sampled_from(LINE_ENDINGS), min_size=len(lines), max_size=len(lines))
    )
    text = "".join(a + b for a, b in zip(lines, endings, strict=True))
    return text if draw(st.booleans()) else text[: -len(endings[-1])]


# The reader decides between these itself; each is written with and without a BOM where
# the encoding has one.
DETECTED = ["utf-8", "utf-8-sig", "cp1251", "koi8-r"]
# --encoding NAME: any text codec is accepted; these are the ones Russian files come in.
FORCED = [
    "utf-8", "utf-8-sig", "cp1251", "koi8-r", "koi8-u", "cp866", "iso8859-5", "mac-cyrillic",
    "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
]  # fmt: skip
BOMS = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}


def file_bytes(text: str, codec: str, bom: str | None) -> bytes:
    """*text* as a file in *codec*, behind the BOM *bom* names."""
    # An 8-bit code page lacks some characters (koi8-r has no «»): "?" instead.
    data = text.encode(codec, errors="strict" if codec.startswith("utf") else "replace")
    return BOMS[bom] + data if bom else data


def assert_written_back(path: Path, data: bytes, forced: str | None, out: Path) -> str:
    """Read *path* (holding *data*); unless the reader refuses it, writing it back with no
    replacements, and with every span replaced by itself, gives *data* again.  Returns
    the text it read ("" if refused)."""
    path.write_bytes(data)
    try:
        document = read_document(path, forced)
    except UserError as refused:  # not a document rutrans accepts: nothing to write back
        event(f"refused: {str(refused).split(': ')[1][:30]}")
        return ""
    event(f"read as {document.encoding}")
    write_document(document, {}, out)
    assert out.read_bytes() == data
    same = {p.index: [(s, e, p.text[s:e]) for s, e in p.spans] for p in document.paragraphs}
    write_document(document, same, out)
    assert out.read_bytes() == data
    for paragraph in document.paragraphs:
        assert document.text[paragraph.start : paragraph.end] == paragraph.text
        assert all(0 <= s <= e <= len(paragraph.text) for s, e in paragraph.spans)
    return document.text


#: (markdown?, text): a .md or a .txt document.
documents = st.booleans().flatmap(lambda md: st.tuples(st.just(md), document_texts(md)))


@fuzz(400)
@given(doc=documents, codec=st.sampled_from(DETECTED))
def test_a_detected_document_is_written_back_byte_for_byte(
    folder: Path, doc: tuple[bool, str], codec: str
) -> None:
    markdown, body = doc
    bom = "utf-8" if codec == "utf-8-sig" else None
    data = file_bytes(body, "utf-8" if bom else codec, bom)
    suffix = ".md" if markdown else ".txt"
    assert_written_back(folder / f"in{suffix}", data, None, folder / f"out{suffix}")


def forced_file(text: str, codec: str, order: str, with_bom: bool) -> bytes:
    """*text* as a file that ``--encoding codec`` reads: UTF-16 and UTF-32 in either byte
    order (*order*, for the codecs that read the BOM), any of them with a BOM or without."""
    if codec.startswith("utf-8"):
        return file_bytes(text, "utf-8", "utf-8" if with_bom else None)
    if codec in ("utf-16", "utf-32"):
        codec = f"{codec}-{order}"
    if codec.startswith("utf"):
        return file_bytes(text, codec, codec if with_bom else None)
    return file_bytes(text, codec, None)


SENTENCE = (False, "Министр провёл встречу.\n")


@fuzz(600)
@given(
    doc=documents,
    codec=st.sampled_from(FORCED),
    order=st.sampled_from(["le", "be"]),
    with_bom=st.booleans(),
)
# Bugs found: --encoding utf-8-sig gave a file without a BOM one; --encoding utf-16 wrote
# a big-endian file little-endian, and a file without a BOM with one; --encoding utf-16-le
# read the BOM into the text that goes to the MT.
@example(doc=SENTENCE, codec="utf-8-sig", order="le", with_bom=False)
@example(doc=SENTENCE, codec="utf-16", order="be", with_bom=True)
@example(doc=SENTENCE, codec="utf-16", order="le", with_bom=False)
@example(doc=SENTENCE, codec="utf-16-le", order="le", with_bom=True)
def test_a_document_in_a_forced_encoding_is_written_back_byte_for_byte(
    folder: Path, doc: tuple[bool, str], codec: str, order: str, with_bom: bool
) -> None:
    markdown, body = doc
    data = forced_file(body, codec, order, with_bom)
    suffix = ".md" if markdown else ".txt"
    path = folder / f"in{suffix}"
    text = assert_written_back(path, data, codec, folder / f"out{suffix}")
    if not body.startswith("\ufeff"):  # (a second one would be text)
        assert not text.startswith("\ufeff")  # a BOM is no text to translate


# --- glossary PO ----------------------------------------------------------------------------

# What a term, a note or a context may hold: Russian and English words, every character PO
# escapes or reads specially, msgid lookalikes, Cyrillic, emoji; and any text at all.
NASTY = [
    "орган", "внутренних", "дел", "ОВД", "Interpol", "police", " ", "  ", "\t", "\n", "\r",
    '"', '\\"', "\\", "\\n", "#", "#,", "#.", "# variant:", "# rutrans:", 'msgid "x"',
    "msgstr", 'msgctxt ""', "«", "»", "%s", "{0}", "ё", "👮", "\u00ad", "\u200b", "\u0301",
    "\u2028", "\x85", "\x0b", "\x0c",
]  # fmt: skip
any_text = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=15)
nasty_text = st.one_of(st.lists(st.sampled_from(NASTY), max_size=8).map("".join), any_text)
# Imports strip every cell and term (CSV, TBX), and an empty msgid would be the header.
term_text = nasty_text.map(str.strip).filter(bool)
note_text = nasty_text.map(str.strip)
flags = st.frozensets(st.sampled_from(sorted(KNOWN_FLAGS)))


@st.composite
def entries(draw: st.DrawFn, file: Path = Path("imported.csv")) -> Entry:
    msgid = draw(term_text)
    plural = draw(st.none() | term_text)
    target = draw(st.tuples(term_text)) if plural is None else draw(st.tuples(term_text, term_text))
    return Entry(
        msgid=msgid,
        msgid_plural=plural,
        msgctxt=draw(st.none() | note_text),
        target=target,
        flags=draw(flags),
        note=draw(note_text),
        variants=tuple(draw(st.lists(term_text, max_size=3))),
        file=file,
        line=1,
    )


def unique_keys(items: list[Entry]) -> list[Entry]:
    """One entry per msgctxt + msgid: write_po refuses duplicates, as msgfmt does."""
    return list({(e.msgctxt, e.msgid): e for e in items}.values())


def fields(entry: Entry) -> tuple[object, ...]:
    e = entry
    return (e.msgid, e.msgid_plural, e.msgctxt, e.target, e.flags, e.note, e.variants)


def texts_of(entry: Entry) -> list[str]:
    e = entry
    return [e.msgid, e.msgid_plural or "", e.msgctxt or "", e.note, *e.target, *e.variants]


def as_po_keeps_it(entry: Entry) -> Entry:
    """*entry* as a PO file can hold it: a note's lines are ``#.`` lines, so its line
    breaks are "\\n", and polib keeps neither the space at the end of one nor a blank one
    (cosmetics of a note for translators); a variant is one ``# variant:`` line, so its
    spaces are single."""
    lines = [line.rstrip() for line in LINE_BREAK.split(entry.note)]
    return replace(
        entry,
        note="\n".join(line for line in lines if line),
        variants=tuple(" ".join(v.split()) for v in entry.variants),
    )


def entry(msgid: str = "орган", target: str = "body", note: str = "") -> Entry:
    return Entry(msgid, None, None, (target,), frozenset(), note, (), Path("x.tbx"), 1)


@fuzz(300)
@given(items=st.lists(entries(), min_size=1, max_size=4).map(unique_keys))
# Bugs found: a term holding U+2028 (or U+0085, U+001C…) read back as an unterminated
# string, polib splitting lines where gettext does not; a note holding "\r" was written
# as a comment line that ends there, the rest of it a syntax error.
@example(items=[entry(target="орган\u2028")])
@example(items=[entry(note='орган\rmsgid "x"')])
def test_a_written_glossary_reads_back_to_the_same_entries(
    folder: Path, items: list[Entry]
) -> None:
    path = folder / "imported.po"
    write_po(items, path)
    assert check_file(read_po(path)) == []  # what msgfmt --check would say
    read = load_glossary([path]).entries
    assert [fields(e) for e in read] == [fields(as_po_keeps_it(e)) for e in items]
    # The flags gettext's tools drop from "#," lines are on a "# rutrans:" line too.
    assert [e.marked for e in read] == [e.flags & MEANING_FLAGS for e in items]


# --- exchange formats -----------------------------------------------------------------------


def glossary_of(items: list[Entry]) -> Glossary:
    return Glossary(tuple(items), (Path("glossary/ru-en/terms.po"),), "0" * 64)


def exported_pairs(items: list[Entry]) -> list[tuple[str, str]]:
    """The rows a cloud glossary gets, as glossary/README.md says: approved entries only,
    msgid → singular and msgid_plural → plural, each source once, the default sense (no
    msgctxt) winning over a homograph; a read-only term with no English as itself."""
    rows: dict[str, tuple[str, bool]] = {}
    for e in items:
        if "forbidden" in e.flags or "fuzzy" in e.flags:
            continue
        pairs = [(e.msgid, e.target[0])]
        if e.msgid_plural:
            pairs.append((e.msgid_plural, e.target[-1] or e.target[0]))
        for source, target in pairs:
            target = target or (source if "read-only" in e.flags else "")
            if target and (source not in rows or (rows[source][1] and e.msgctxt is None)):
                rows[source] = (target, e.msgctxt is not None)
    return [(source, target) for source, (target, _) in rows.items()]


@fuzz(300)
@given(
    items=st.lists(entries(), min_size=1, max_size=5).map(unique_keys),
    fmt=st.sampled_from(["csv", "tsv"]),
    header=st.booleans(),
)
# Bug found: a "\r" in a term was written bare (Python's writer does not quote it), and a
# reader ends the row there: the CSV came back as two broken rows, the TSV likewise.
@example(items=[entry(target="internal\raffairs body")], fmt="csv", header=False)
@example(items=[entry(target="internal\raffairs body")], fmt="tsv", header=False)
def test_a_csv_or_tsv_export_imports_back_to_its_pairs(
    folder: Path, items: list[Entry], fmt: str, header: bool
) -> None:
    path = folder / f"export.{fmt}"
    try:
        path.write_text(export_glossary(glossary_of(items), fmt, header), encoding="utf-8")
    except UserError as refused:  # TSV cannot hold a tab or a line break: said, not written
        assert fmt == "tsv" and "export CSV instead" in str(refused)
        assert any(
            c in "\t\n\r" for source, target in exported_pairs(items) for c in source + target
        )
        return
    expected = exported_pairs(items)
    if not expected:  # no approved pair: nothing was exported to import back
        return
    if not header and expected and exchange_csv._header(list(expected[0])) is not None:
        # Narrowed: with no header row, a first pair that reads as one ("ru,en", "русский,
        # English", a language code and no Cyrillic) is taken for one; a header-less file
        # (DeepL's, Google's) cannot say otherwise.  Export such a glossary with --header.
        return
    imported = import_glossary(path).entries
    assert [(e.msgid, e.target) for e in imported] == [(s, (t,)) for s, t in expected]
    assert all(e.status == "approved" for e in imported)


@fuzz(300)
@given(
    items=st.lists(entries(Path("glossary/ru-en/terms.po")), min_size=1, max_size=4).map(
        unique_keys
    )
)
# Bugs found: a "\v" (or another C0 control) was written raw, so the TBX was not XML and
# its own import refused it; a "\r" came back as "\n" (XML normalises line ends).
@example(items=[entry(msgid="орган\x0bвнутренних дел")])
@example(items=[entry(note="Орган\rвнутренних дел")])
def test_a_tbx_export_imports_back_to_the_same_entries(folder: Path, items: list[Entry]) -> None:
    path = folder / "export.tbx"
    try:
        path.write_text(export_glossary(glossary_of(items), "tbx"), encoding="utf-8")
    except UserError as refused:  # XML cannot hold most C0 controls: said, not written
        assert "which TBX (XML) cannot hold" in str(refused)
        assert any(c in "\x0b\x0c" for e in items for text in texts_of(e) for c in text)
        return
    imported = import_glossary(path).entries
    assert [fields(e) for e in imported] == [fields(e) for e in items]


# --- review PO and JSON report --------------------------------------------------------------

GLOSSARY_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. Police and other bodies of an interior ministry.
# variant: law enforcement agency
msgid "орган внутренних дел"
msgid_plural "органы внутренних дел"
msgstr[0] "internal affairs body"
msgstr[1] "internal affairs bodies"

#. Abbreviation.
msgid "ОВД"
msgstr "internal affairs bodies"

#. Wrong calque.
#, forbidden
msgctxt "forbidden"
msgid "ОВД"
msgstr "ATS"

#. The SCO.
msgid "ШОС"
msgstr "SCO"

#. CIS anti-drug operation.
msgid "операция «Паутина»"
msgstr "Operation Pautina"
"""

PARAGRAPH_PIECES = [
    "Сотрудники ОВД задержали курьера.", "Органы внутренних дел и ШОС.", "В 2023 г.",
    "операция «Паутина»", "т. е.", "«Цитата».", "\\", '"', "\t", "#", 'msgid "ОВД"',
    "#, fuzzy", "👮", "\u2028", "\x85", " ", "Е. Тургумбаев", "5 тыс. доз", "?", "!",
]  # fmt: skip
# Each paragraph has a word in it, so that the document is one rutrans translates.
paragraph_text = (
    st.lists(st.sampled_from(PARAGRAPH_PIECES), min_size=1, max_size=8)
    .filter(lambda pieces: any(c.isalpha() for piece in pieces for c in piece))
    .map(" ".join)
)
MT_PIECES = [
    "The ATS officers", "internal affairs bodies", "law enforcement agencies", "SCO", "the",
    " ", "\t", "\n", "\r\n", '"', "\\", "\\n", "#", "#.", "# variant: x", 'msgid "x"',
    'msgstr ""', "MT: ", "Сотрудники", "👮", "«", "»", "\u2028", "\x85", "%s", "",
]  # fmt: skip
mt_text = st.one_of(
    st.lists(st.sampled_from(MT_PIECES), max_size=8).map("".join),
    # Any text an MT system can give: decoded text never holds a lone surrogate.
    st.text(st.characters(exclude_categories=["Cs"]), max_size=20),
)


@functools.cache
def terminology() -> Terminology:
    """The glossary above, loaded once (not a fixture: hypothesis would print all of it
    with every failing example)."""
    path = Path(_GLOSSARY_FOLDER.name) / "terms.po"
    path.write_text(GLOSSARY_PO, encoding="utf-8")
    return Terminology.load([path])


_GLOSSARY_FOLDER = tempfile.TemporaryDirectory(prefix="rutrans-fuzz-glossary-")


def translated(folder: Path, paragraphs: list[str], mts: list[str]) -> DocumentResult:
    """The document of *paragraphs*, translated by an engine that answers its segments with
    *mts* in turn (with the Russian itself when there are none)."""
    path = folder / "news.ru.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    document = read_document(path)
    segments = segments_of(document)
    sources = list(dict.fromkeys(s.mt_input for s in segments))
    engine = ScriptedEngine({s: mts[i % len(mts)] for i, s in enumerate(sources) if mts})
    return pipeline.translate(document, engine, terminology(), segments=segments)


documents_and_mt = {
    "paragraphs": st.lists(paragraph_text, min_size=1, max_size=3),
    "mts": st.lists(mt_text, max_size=6),
}


@fuzz(200)
@given(**documents_and_mt)
# Bug found: a segment holding U+2028 (or U+0085) made a review PO that read back as an
# unterminated string (see the glossary PO above).
@example(paragraphs=["Сотрудники ОВД\u2028задержали курьера."], mts=[])
def test_a_review_po_reads_back_to_its_segments(
    folder: Path, paragraphs: list[str], mts: list[str]
) -> None:
    result = translated(folder, paragraphs, mts)
    po_path, translation = folder / "news.review.po", folder / "news.en.txt"
    po_path.write_text(review_po(result, po_path, translation), encoding="utf-8")
    if any(not item.final.strip() for item in result.segments):
        # Narrowed: gettext reads an empty msgstr as "not translated", so a blank segment
        # is refused on reading, by design, with the line of the entry to fill in.
        with pytest.raises(UserError, match="empty translation; write one"):
            read_review(po_path)
        return
    review = read_review(po_path)
    assert [(r.id, r.source, r.target, r.fuzzy) for r in review.segments] == [
        (item.segment.id, item.segment.source, item.final, item.flagged) for item in result.segments
    ]
    # The raw MT rides in a "#. MT:" comment, a line of its own: its spaces come back single.
    assert [r.mt for r in review.segments] == [
        " ".join(item.mt.text.split()) for item in result.segments
    ]
    assert review.document.resolve() == result.document.path.resolve()
    assert review.translation.resolve() == translation.resolve()
    assert review.encoding == result.document.encoding
    # ... and rutrans apply takes the reviewer's (here: the final) text as it is.
    applied, _ = apply_review(review, terminology())
    assert [item.final for item in applied.segments] == [item.final for item in result.segments]


@fuzz(200)
@given(**documents_and_mt)
# Bug found: source_span was an offset in the MT's input, where runs of spaces and soft
# line breaks are one space, not in the source it is reported in: the review page marked
# «и О» for «ОВД».
@example(paragraphs=["В 2023 г. \u2028 Сотрудники ОВД задержали курьера."], mts=[""])
def test_a_json_report_reads_back_as_rutrans_review_reads_it(
    folder: Path, paragraphs: list[str], mts: list[str]
) -> None:
    result = translated(folder, paragraphs, mts)
    path = folder / "news.report.json"
    path.write_text(report_json(translation_report(result)), encoding="utf-8")
    report = _load_report(path)
    assert [
        (s["id"], s["start"], s["end"], s["source"], s["mt"], s["final"], s["terms"])
        for s in report["segments"]
    ] == [
        (
            item.segment.id,
            item.segment.start,
            item.segment.end,
            item.segment.source,
            item.mt.text,
            item.final,
            [t.as_dict() for t in item.terms],
        )
        for item in result.segments
    ]
    shown = io.StringIO()
    terminal.plain(report, False, shown)
    assert all(f"en: {item.final}\n" in shown.getvalue() for item in result.segments)
    # The page shows every source whole, the terms marked inside it.
    page = html.unescape(re.sub(r"<[^>]*>", "", review_html(report)))
    assert all(item.segment.source in page for item in result.segments)
    # A term's source_span is where it is in the segment's source (README); its
    # source_text is the term as the MT saw it, spaces made single.
    for segment in report["segments"]:
        for term in segment["terms"]:
            if term["source_span"] is not None:
                start, end = term["source_span"]
                assert " ".join(segment["source"][start:end].split()) == term["source_text"]
