"""Glossary exchange: CSV/TSV for DeepL, Google and Amazon, TBX for Weblate, and back to PO."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT

from rutrans.errors import UserError
from rutrans.glossary.exchange import export_glossary, import_glossary, write_po
from rutrans.glossary.model import Entry, Glossary, load_glossary

HEADER = """msgid ""
msgstr ""
"Language: en\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""

FIXTURE = r"""#. Collective name for the police and other bodies of a Ministry of Internal Affairs.
#. Usage: English releases of the MVD of Kazakhstan ("internal affairs bodies").
# variant: internal affairs agencies
# variant: law enforcement agencies
#, terminology
msgid "орган внутренних дел"
msgid_plural "органы внутренних дел"
msgstr[0] "internal affairs body"
msgstr[1] "internal affairs bodies"

#. Acronym of «орган внутренних дел».
#, exact, terminology
msgid "ОВД"
msgstr "internal affairs body"

#. "ATS" is a calque of the Soviet-era reading; wrong for ОВД.
#, forbidden
msgctxt "forbidden"
msgid "ОВД"
msgstr "ATS"

#. Shanghai Cooperation Organisation, the SCO's own English.
#, exact
msgid "ШОС"
msgstr "SCO"

#. Joint CIS operation against cybercrime; BGN/PCGN transliteration.
#, terminology
msgid "операция «Паутина»"
msgstr "Operation \"Pautina\""

#. Proposed from the 2023 RATS report; not yet confirmed.
#, fuzzy
msgid "Региональная антитеррористическая структура"
msgstr "Regional Anti-Terrorist Structure"

#. Operation name kept as written.
#, read-only
msgid "«Канал»"
msgstr "Kanal"

#. MVD department; the English keeps the list's commas.
msgid "Департамент по противодействию экстремизму, сепаратизму и терроризму"
msgstr "Department for Combating Extremism, Separatism and Terrorism"

#. A body of an international organisation (SCO, CIS).
msgctxt "international organisation"
msgid "орган"
msgstr "body"

#. Default sense: a state authority.
msgid "орган"
msgstr "authority"
"""

REAL = sorted((ROOT / "glossary" / "ru-en").glob("*.po"))


def fields(entry: Entry) -> tuple[object, ...]:
    """What a user edits; file and line differ by construction."""
    e = entry
    return (e.msgid, e.msgid_plural, e.msgctxt, e.target, e.flags, e.note, e.variants)


def pairs(text: str, fmt: str = "csv") -> list[tuple[str, str]]:
    if fmt == "csv":
        return [(a, b) for a, b in csv.reader(io.StringIO(text))]
    return [tuple(line.split("\t")) for line in text.splitlines()]  # type: ignore[misc]


@pytest.fixture
def glossary(tmp_path: Path) -> Glossary:
    path = tmp_path / "glossary" / "law-enforcement.po"
    path.parent.mkdir()
    path.write_text(HEADER + FIXTURE, encoding="utf-8")
    return load_glossary([path.parent])


# -- CSV / TSV ---------------------------------------------------------------------------


def test_csv_gives_deepl_rows_for_both_numbers_of_approved_terms(glossary):
    text = export_glossary(glossary, "csv")
    rows = pairs(text)
    assert ("орган внутренних дел", "internal affairs body") in rows
    assert ("органы внутренних дел", "internal affairs bodies") in rows
    assert ("ШОС", "SCO") in rows
    assert not text.startswith("ru,en")  # DeepL would read a header as a term pair
    assert "ATS" not in text  # forbidden
    assert "Regional Anti-Terrorist Structure" not in text  # fuzzy: not approved yet


def test_csv_quotes_commas_and_quotes_inside_terms(glossary):
    text = export_glossary(glossary, "csv")
    assert (
        '"Департамент по противодействию экстремизму, сепаратизму и терроризму",'
        '"Department for Combating Extremism, Separatism and Terrorism"\n'
    ) in text
    assert 'операция «Паутина»,"Operation ""Pautina"""\n' in text
    assert ("операция «Паутина»", 'Operation "Pautina"') in pairs(text)


def test_tsv_is_literal_as_deepl_and_google_read_it(glossary):
    text = export_glossary(glossary, "tsv")
    assert 'операция «Паутина»\tOperation "Pautina"\n' in text
    assert "органы внутренних дел\tinternal affairs bodies\n" in text


def test_homograph_is_written_once_in_its_default_sense(glossary):
    rows = [row for row in pairs(export_glossary(glossary, "csv")) if row[0] == "орган"]
    assert rows == [("орган", "authority")]


def test_amazon_header_on_request(glossary):
    assert export_glossary(glossary, "csv", header=True).startswith("ru,en\n")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
@pytest.mark.parametrize("header", [False, True])
def test_csv_and_tsv_round_trip_keep_the_approved_pairs(glossary, tmp_path, fmt, header):
    text = export_glossary(glossary, fmt, header=header)
    path = tmp_path / f"deepl.{fmt}"
    path.write_text(text, encoding="utf-8")
    imported = import_glossary(path)
    entries = imported.entries
    assert [(e.msgid, e.target[0]) for e in entries] == pairs(text, fmt)[int(header) :]
    assert imported.warnings == ()
    first = entries[0]
    assert first.status == "approved" and first.flags == {"terminology"}
    assert first.note == f"Imported from deepl.{fmt}"
    assert (first.file, first.line) == (path, 1 + int(header))


def test_csv_header_picks_the_columns_by_language(tmp_path):
    path = tmp_path / "amazon.csv"
    path.write_text("en-GB,ru\nSCO,ШОС\n", encoding="utf-8")
    [entry] = import_glossary(path).entries
    assert (entry.msgid, entry.target, entry.line) == ("ШОС", ("SCO",), 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "ШОС,SCO\nСНГ,CIS\nОДКБ,\n",
            "bad.csv:3: empty source or target; fill it in or delete the row",
        ),
        (",SCO\n", "bad.csv:1: empty source or target; fill it in or delete the row"),
        ("ШОС,SCO\nСНГ CIS\n", "bad.csv:2: only one column"),
        ("ru,de\nШОС,SCO\n", "bad.csv:1: the header names ru, de, not ru and en; name the"),
        ("de,fr\nШОС,SCO\n", "bad.csv:1: the header names de, fr, not ru and en"),
        ("\nsource,notes\nШОС,SCO\n", "bad.csv:2: the header names source, notes, not ru and"),
        ('ШОС,SCO\nСНГ,"CIS\nОДКБ,CSTO\n', "bad.csv:2: not valid CSV"),
    ],
)
def test_bad_csv_rows_name_file_and_row(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        import_glossary(path)
    assert f"{tmp_path}/{message}" in caught.value.message
    assert "\n" not in caught.value.message


def imported_rows(
    tmp_path: Path, name: str, content: str
) -> tuple[list[tuple[str, str]], list[str]]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    imported = import_glossary(path)
    return [(e.msgid, e.target[0]) for e in imported.entries], [str(w) for w in imported.warnings]


def test_header_columns_beyond_ru_and_en_are_named_in_a_warning(tmp_path):
    rows, warnings = imported_rows(
        tmp_path,
        "amazon.csv",
        "ru,en,notes,x\nШОС,SCO,Шанхайская организация сотрудничества,\nСНГ,CIS,,\n",
    )
    assert rows == [("ШОС", "SCO"), ("СНГ", "CIS")]
    assert warnings == [
        f"{tmp_path}/amazon.csv:1: columns 3-4 ('notes', 'x') are not imported; "
        "only the ru and en columns are"
    ]


def test_extra_columns_without_a_header_are_reported_once_with_the_first_row(tmp_path):
    rows, warnings = imported_rows(
        tmp_path,
        "deepl.csv",
        "ШОС,SCO\n"
        "ОВД,internal affairs body,орган внутренних дел,проверено\n"
        "СНГ,CIS,,\n"  # empty extra cells lose nothing
        "ОДКБ,CSTO,,Организация Договора о коллективной безопасности\n",
    )
    assert rows == [
        ("ШОС", "SCO"),
        ("ОВД", "internal affairs body"),
        ("СНГ", "CIS"),
        ("ОДКБ", "CSTO"),
    ]
    assert warnings == [
        f"{tmp_path}/deepl.csv:2: columns 3-4 ('орган внутренних дел', 'проверено') are "
        "not imported (1 more row too); only the first two columns are"
    ]


def test_a_long_dropped_cell_is_shortened_in_the_warning(tmp_path):
    note = "Коллективное название полиции и других органов МВД Республики Казахстан"
    _, [warning] = imported_rows(tmp_path, "notes.tsv", f"ОВД\tinternal affairs body\t{note}\n")
    assert "column 3 ('Коллективное название полиции и других…') is not imported" in warning
    assert note not in warning


@pytest.mark.parametrize(
    ("header", "line"),
    [
        ("source,target,comment", "source,target,comment"),
        ("Русский,Английский,Примечание", "Русский,Английский,Примечание"),
        ("RU,EN-us,comment", "RU,EN-us,comment"),
    ],
)
def test_spreadsheet_headers_name_the_columns(tmp_path, header, line):
    rows, [warning] = imported_rows(tmp_path, "sheet.csv", f"{line}\nШОС,SCO,официально\n")
    assert rows == [("ШОС", "SCO")]
    assert warning.endswith(
        f"sheet.csv:1: column 3 ('{line.split(',')[2]}') is not imported; "
        "only the ru and en columns are"
    )


def test_an_unrecognised_header_is_imported_but_flagged(tmp_path):
    rows, warnings = imported_rows(tmp_path, "terms.csv", "Term,Translation\nШОС,SCO\nСНГ,CIS\n")
    assert rows[0] == ("Term", "Translation")
    assert warnings == [
        f"{tmp_path}/terms.csv:1: 'Term' → 'Translation' is imported as a term, but looks like "
        "a header row (no Cyrillic, unlike the rows below); delete it, or name the columns ru,en"
    ]


def test_latin_acronyms_are_terms_not_language_codes(tmp_path):
    rows, warnings = imported_rows(tmp_path, "it.csv", "IT,IT\n")
    assert (rows, warnings) == ([("IT", "IT")], [])


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"\xd0\xa8\xd0\x9e\xd0\xa1,SCO\n\xd0\xa1\xd0\x9d\xd0\x93,CIS\nA\x00B,x\n", 3),
        ("ШОС\tSCO\n".encode("utf-16"), 1),  # Excel's "Unicode text"
    ],
)
def test_a_nul_byte_is_an_error_naming_its_line(tmp_path, content, line):
    path = tmp_path / "binary.csv"
    path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        import_glossary(path)
    assert caught.value.message.startswith(f"{path}:{line}: NUL byte; ")
    assert "save it as UTF-8 CSV or TSV" in caught.value.message


def test_non_utf8_csv_names_the_row(tmp_path):
    path = tmp_path / "cp1251.csv"
    path.write_bytes("ШОС,SCO\n".encode() + "СНГ,CIS\n".encode("cp1251"))
    with pytest.raises(UserError, match=r"cp1251\.csv:2: not UTF-8 text"):
        import_glossary(path)


def test_tsv_refuses_a_tab_inside_a_term(glossary):
    broken = Glossary((replace(glossary.entries[3], target=("S\tCO",)),), (), "")
    with pytest.raises(UserError, match=r"law-enforcement\.po:\d+: .* TSV glossary cannot"):
        export_glossary(broken, "tsv")
    assert pairs(export_glossary(broken, "csv")) == [("ШОС", "S\tCO")]


def test_unknown_formats_are_user_errors(glossary, tmp_path):
    with pytest.raises(UserError, match="use csv, tsv or tbx"):
        export_glossary(glossary, "xlsx")
    with pytest.raises(UserError, match="a header row is for CSV and TSV"):
        export_glossary(glossary, "tbx", header=True)
    with pytest.raises(UserError, match="cannot tell the glossary format"):
        import_glossary(tmp_path / "terms.xlsx")
    with pytest.raises(UserError, match="no such glossary file"):
        import_glossary(tmp_path / "missing.csv")


# -- TBX ---------------------------------------------------------------------------------


def tbx_round_trip(glossary: Glossary, tmp_path: Path) -> list[Entry]:
    path = tmp_path / "glossary.tbx"
    path.write_text(export_glossary(glossary, "tbx"), encoding="utf-8")
    return list(import_glossary(path).entries)


def test_tbx_round_trip_keeps_every_field(glossary, tmp_path):
    back = tbx_round_trip(glossary, tmp_path)
    assert [fields(e) for e in back] == [fields(e) for e in glossary.entries]
    assert {e.status for e in back} == {"approved", "fuzzy", "forbidden"}


@pytest.mark.skipif(not REAL, reason="glossary/ru-en/*.po not written yet")
def test_tbx_round_trip_on_the_real_glossary(tmp_path):
    real = load_glossary(REAL)
    back = tbx_round_trip(real, tmp_path)
    assert [fields(e) for e in back] == [fields(e) for e in real.entries]


def test_tbx_says_what_weblate_reads(glossary):
    root = ET.fromstring(export_glossary(glossary, "tbx").split("\n", 2)[2])
    assert root.tag == "martif"
    by_source = {e.find("langSet/tig/term").text: e for e in root.iter("termEntry")}
    forbidden = [e for e in root.iter("termEntry") if e.find(".//term[.='ATS']") is not None]
    status = forbidden[0].find("langSet/tig/termNote[@type='administrativeStatus']")
    assert status.text == "forbidden"
    # Weblate's read-only marker, on the termEntry (see exchange_tbx._READ_ONLY)
    needed = {
        e.find("langSet/tig/term").text: e.find("descrip[@type='Translation needed']").text
        for e in root.iter("termEntry")
        if e.find("descrip[@type='Translation needed']") is not None
    }
    assert needed == {"«Канал»": "No"}
    assert root.find(".//termNote[@type='translationNote']") is None  # rutrans 0.x's form
    plural = by_source["орган внутренних дел"]
    assert plural.find("descrip[@type='definition']").text.startswith("Collective name")
    terms = [(t.find("term").text, t.find("termNote").text) for t in plural.iter("tig")]
    assert terms[:4] == [
        ("орган внутренних дел", "singular"),
        ("органы внутренних дел", "plural"),
        ("internal affairs body", "singular"),
        ("internal affairs bodies", "plural"),
    ]
    assert terms[4] == ("internal affairs agencies", "deprecatedTerm-admn-sts")


def exported_ids(glossary: Glossary) -> dict[tuple[str | None, str], str]:
    """termEntry id by (msgctxt, msgid), read back from a TBX export."""
    root = ET.fromstring(export_glossary(glossary, "tbx").split("\n", 2)[2])
    ids = {}
    for node in root.iter("termEntry"):
        notes = [n.text for n in node.iter("note") if n.text.startswith("rutrans-msgctxt:")]
        context = notes[0].split(": ", 1)[1] if notes else None
        ids[(context, node.find("langSet/tig/term").text)] = node.get("id")
    return ids


def test_tbx_ids_stay_put_when_an_entry_is_added_above(glossary, tmp_path):
    before = exported_ids(glossary)
    assert len(set(before.values())) == len(before) == len(glossary.entries)
    assert before[("forbidden", "ОВД")] != before[(None, "ОВД")]  # homographs stay apart
    assert before[("forbidden", "ОВД")].startswith("forbidden-")
    assert before[(None, "ШОС")].startswith("term-")
    po = tmp_path / "glossary" / "law-enforcement.po"
    added = '#. Commonwealth of Independent States.\n#, exact\nmsgid "СНГ"\nmsgstr "CIS"\n\n'
    po.write_text(HEADER + added + FIXTURE, encoding="utf-8")
    after = exported_ids(load_glossary([po]))
    assert next(iter(after)) == (None, "СНГ")  # the new entry comes first
    assert {key: after[key] for key in before} == before
    assert after[(None, "СНГ")] not in before.values()


def test_tbx_ids_of_a_repeated_entry_are_made_unique_in_order(glossary):
    sco = glossary.entries[3]
    twice = Glossary((sco, replace(sco, target=("Shanghai Cooperation Organisation",))), (), "")
    root = ET.fromstring(export_glossary(twice, "tbx").split("\n", 2)[2])
    first, second = (node.get("id") for node in root.iter("termEntry"))
    assert second == f"{first}-2"


@pytest.mark.parametrize(
    ("marker", "read_only"),
    [
        ('<descrip type="Translation needed">No</descrip>', True),  # Weblate's
        ('<descrip type="Translation needed">no</descrip>', True),
        ('<descrip type="Translation needed">Yes</descrip>', False),
        ("", False),
    ],
)
def test_weblate_translation_needed_sets_read_only(tmp_path, marker, read_only):
    path = tmp_path / "weblate.tbx"
    path.write_text(
        f'<martif type="TBX"><text><body><termEntry id="kanal">{marker}'
        '<langSet xml:lang="ru"><tig><term>«Канал»</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>Kanal</term></tig></langSet>'
        "</termEntry></body></text></martif>",
        encoding="utf-8",
    )
    [entry] = import_glossary(path).entries
    assert entry.read_only is read_only


def test_tbx_from_rutrans_0x_still_imports_read_only(tmp_path):
    path = tmp_path / "old.tbx"
    path.write_text(
        '<martif type="TBX"><text><body><termEntry>'
        '<langSet xml:lang="ru"><tig><term>«Канал»</term>'
        '<termNote type="translationNote">no</termNote></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>Kanal</term></tig></langSet>'
        "</termEntry></body></text></martif>",
        encoding="utf-8",
    )
    [entry] = import_glossary(path).entries
    assert (entry.msgid, entry.read_only) == ("«Канал»", True)


def test_tbx_forbidden_entry_comes_back_forbidden(glossary, tmp_path):
    back = tbx_round_trip(glossary, tmp_path)
    [ats] = [e for e in back if e.target == ("ATS",)]
    assert (ats.status, ats.msgctxt, ats.msgid) == ("forbidden", "forbidden", "ОВД")


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE martif PUBLIC "ISO 12200:1999A//DTD MARTIF core (DXFcdV04)//EN" "TBXcdv04.dtd">
<martif type="TBX" xml:lang="ru">
  <martifHeader><fileDesc><sourceDesc><p>Translate Toolkit</p></sourceDesc></fileDesc>
  </martifHeader>
  <text><body>
    <termEntry id="sco">
      <note from="translator">The SCO's own spelling.</note>
      <transacGrp><transac>origination</transac><date>2024-01-01</date></transacGrp>
      <langSet xml:lang="ru-RU">
        <tig><term>Шанхайская организация сотрудничества</term></tig>
        <tig><term>ШОС</term></tig>
      </langSet>
      <langSet xml:lang="en-GB">
        <tig><term>Shanghai Cooperation Organisation</term></tig>
        <tig><term>SCO</term></tig>
      </langSet>
    </termEntry>
    <termEntry>
      <langSet xml:lang="ru"><tig><term>ОВД</term></tig></langSet>
      <langSet xml:lang="en"><tig><term>ATS</term>
        <termNote type="administrativeStatus">obsolete</termNote></tig></langSet>
    </termEntry>
    <termEntry><langSet xml:lang="ru"><tig><term>без перевода</term></tig></langSet></termEntry>
  </body></text>
</martif>
"""


def test_foreign_tbx_takes_the_first_ru_and_en_terms(tmp_path):
    path = tmp_path / "weblate.tbx"
    path.write_text(FOREIGN, encoding="utf-8")
    sco, ats = import_glossary(path).entries
    assert sco.msgid == "Шанхайская организация сотрудничества"
    assert sco.target == ("Shanghai Cooperation Organisation",)
    assert (sco.note, sco.flags, sco.msgctxt) == ("The SCO's own spelling.", {"terminology"}, None)
    assert (sco.file, sco.line) == (path, 7)
    assert (ats.msgid, ats.target, ats.status) == ("ОВД", ("ATS",), "forbidden")


def test_tbx3_concept_entries_are_read(tmp_path):
    path = tmp_path / "v3.tbx"
    path.write_text(
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="ru">'
        "<text><body><conceptEntry id='c1'><descrip type='definition'>CIS</descrip>"
        "<langSec xml:lang='ru'><termSec><term>СНГ</term></termSec></langSec>"
        "<langSec xml:lang='en'><termSec><term>CIS</term></termSec></langSec>"
        "</conceptEntry></body></text></tbx>",
        encoding="utf-8",
    )
    [entry] = import_glossary(path).entries
    assert (entry.msgid, entry.target, entry.note) == ("СНГ", ("CIS",), "CIS")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "<martif>\n<text>\n<body>\n</text>\n</martif>\n",
            "bad.tbx:4: not valid TBX (mismatched tag)",
        ),
        ("", "bad.tbx:1: not valid TBX (no element found)"),
        ("<html><body/></html>", "bad.tbx:1: not valid TBX (the root element is <html>"),
    ],
)
def test_malformed_tbx_is_one_line_with_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.tbx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        import_glossary(path)
    assert f"{tmp_path}/{message}" in caught.value.message


# -- back to PO --------------------------------------------------------------------------


def imported_po(glossary: Glossary, tmp_path: Path, fmt: str) -> tuple[Path, list[Entry]]:
    source = tmp_path / f"exchange.{fmt}"
    source.write_text(export_glossary(glossary, fmt), encoding="utf-8")
    entries = list(import_glossary(source).entries)
    target = tmp_path / "back" / "imported.po"
    write_po(entries, target)
    return target, entries


@pytest.mark.parametrize("fmt", ["tbx", "csv"])
def test_write_po_loads_back_to_equal_entries(glossary, tmp_path, fmt):
    target, entries = imported_po(glossary, tmp_path, fmt)
    back = load_glossary([target])
    assert [fields(e) for e in back.entries] == [fields(e) for e in entries]
    assert not list(target.parent.glob("*.part"))  # written atomically


@pytest.mark.skipif(not REAL, reason="glossary/ru-en/*.po not written yet")
def test_real_glossary_comes_back_from_tbx_as_a_valid_po(tmp_path):
    target, entries = imported_po(load_glossary(REAL), tmp_path, "tbx")
    assert [fields(e) for e in load_glossary([target]).entries] == [fields(e) for e in entries]
    if shutil.which("msgfmt"):
        done = subprocess.run(
            ["msgfmt", "--check-format", "-o", "/dev/null", str(target)], capture_output=True
        )
        assert done.returncode == 0, done.stderr


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("fmt", ["tbx", "csv"])
def test_write_po_passes_msgfmt(glossary, tmp_path, fmt):
    target, _ = imported_po(glossary, tmp_path, fmt)
    done = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(target)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_write_po_refuses_duplicate_sources(tmp_path):
    path = tmp_path / "dupes.csv"
    path.write_text("ШОС,SCO\nСНГ,CIS\nШОС,Shanghai Cooperation Organisation\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"dupes\.csv:3: 'ШОС' duplicates .*dupes\.csv:1"):
        write_po(import_glossary(path).entries, tmp_path / "dupes.po")
    assert not (tmp_path / "dupes.po").exists()


def test_an_imported_glossary_keeps_its_meaning_through_msgcat(tmp_path):
    """Import writes the '# rutrans:' markers, so a gettext tool cannot drop the meaning."""
    from rutrans.glossary.lint import checked_glossary, lint

    tbx = tmp_path / "g.tbx"
    tbx.write_text(export_glossary(load_glossary([ROOT / "glossary"]), "tbx"), encoding="utf-8")
    po = tmp_path / "imported.po"
    write_po(import_glossary(tbx).entries, po)
    text = po.read_text(encoding="utf-8")
    assert "# rutrans: forbidden" in text and "# rutrans: exact" in text
    assert [f for f in lint([po]) if f.rule == "fragile-flag"] == []
    if shutil.which("msgcat"):
        saved = tmp_path / "saved.po"
        subprocess.run(["msgcat", str(po), "-o", str(saved)], check=True)
        before = {(e.msgctxt, e.msgid): e.status for e in checked_glossary([po]).entries}
        after = {(e.msgctxt, e.msgid): e.status for e in checked_glossary([saved]).entries}
        assert after == before and "forbidden" in set(before.values())
