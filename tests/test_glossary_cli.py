"""`rutrans glossary extract | export | import` from the command line."""

from __future__ import annotations

import csv
import io
import json

import polib
from conftest import GLOSSARY, SEED


def test_extract_writes_a_pot_of_what_the_glossary_lacks(rutrans, tmp_path):
    pot = tmp_path / "candidates.pot"
    empty = tmp_path / "empty.po"
    empty.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    run = rutrans("glossary", "extract", SEED, "-o", pot, "--glossary", empty)
    assert run.code == 0, run.stderr
    without = {e.msgid for e in polib.pofile(str(pot))}
    assert {"органы внутренних дел", "ШОС", "«Паутина»"} <= without

    run = rutrans("glossary", "extract", SEED, "-o", pot, "--glossary", GLOSSARY)
    assert run.code == 0, run.stderr
    remaining = {e.msgid for e in polib.pofile(str(pot))}
    assert not {"органы внутренних дел", "ШОС", "«Паутина»"} & remaining
    assert all(e.msgstr == "" for e in polib.pofile(str(pot)))


def test_export_csv_for_cloud_glossaries(rutrans):
    run = rutrans("glossary", "export", "--format", "csv", "--glossary", GLOSSARY)
    assert run.code == 0, run.stderr
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert ["органы внутренних дел", "internal affairs bodies"] in rows
    assert ["ШОС", "SCO"] in rows
    assert all(len(row) == 2 for row in rows)
    assert not any(row[1] == "ATS" for row in rows)  # forbidden renderings stay out


def test_tbx_export_then_import_round_trips(rutrans, tmp_path):
    tbx = tmp_path / "glossary.tbx"
    run = rutrans("glossary", "export", "--format", "tbx", "--glossary", GLOSSARY, "-o", tbx)
    assert run.code == 0, run.stderr
    po = tmp_path / "back.po"
    run = rutrans("glossary", "import", tbx, "-o", po)
    assert run.code == 0, run.stderr
    back = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(po))}
    original = {}
    for file in sorted(GLOSSARY.rglob("*.po")):
        for entry in polib.pofile(str(file)):
            if entry.msgid:
                original[(entry.msgctxt, entry.msgid)] = entry
    assert back.keys() == original.keys()
    forbidden = back[("forbidden", "ОВД")]
    assert "forbidden" in forbidden.flags and forbidden.msgstr == "ATS"
    lint = rutrans("glossary", "lint", po)
    assert lint.code == 0, lint.stdout + lint.stderr


def test_import_refuses_to_overwrite_and_reports_bad_rows(rutrans, tmp_path):
    table = tmp_path / "deepl.csv"
    table.write_text("ОВД,internal affairs bodies\nШОС,\n", encoding="utf-8")
    out = tmp_path / "out.po"
    bad = rutrans("glossary", "import", table, "-o", out)
    assert bad.code == 1 and f"{table}:2:" in bad.stderr and not out.exists()
    out.write_text("keep me")
    exists = rutrans("glossary", "import", table, "-o", out)
    assert exists.code == 1 and "already exists" in exists.stderr
    assert out.read_text() == "keep me"


def test_extract_without_a_glossary_proposes_every_candidate(rutrans, tmp_path):
    pot = tmp_path / "candidates.pot"
    # The project's glossary is right there, and --no-glossary sets it aside.
    run = rutrans("glossary", "extract", SEED, "-o", pot, "--no-glossary", cwd=GLOSSARY.parent)
    assert run.code == 0, run.stderr
    proposed = {e.msgid for e in polib.pofile(str(pot))}
    assert {"органы внутренних дел", "ШОС", "«Паутина»"} <= proposed


def test_scan_counts_lines_the_same_for_lf_crlf_and_cr(rutrans, tmp_path):
    lines = ["Заседание началось.", "Сотрудники ОВД прибыли.", "", "В рамках ШОС."]
    expected = None
    for ending in ("\n", "\r\n", "\r"):
        path = tmp_path / f"scan{len(ending)}{ending == chr(13)}.txt"
        path.write_bytes(ending.join(lines).encode() + ending.encode())
        run = rutrans("glossary", "scan", path, "--json", "--glossary", GLOSSARY)
        assert run.code == 0, run.stderr
        found = [(row["text"], row["line"]) for row in json.loads(run.stdout)]
        assert found == [("ОВД", 2), ("ШОС", 4)], ending.encode()
        expected = expected or found
        assert found == expected


def test_export_header_writes_amazon_translates_language_row(rutrans, tmp_path):
    help_text = rutrans("glossary", "export", "--help").stdout
    assert "--header" in help_text and "Amazon Translate" in help_text
    plain = rutrans("glossary", "export", "--format", "csv", "--glossary", GLOSSARY)
    amazon = rutrans("glossary", "export", "--format", "csv", "--header", "--glossary", GLOSSARY)
    assert amazon.code == 0, amazon.stderr
    assert amazon.stdout == "ru,en\n" + plain.stdout  # DeepL and Google get no header
    assert not plain.stdout.startswith("ru,en")
    tsv = rutrans("glossary", "export", "--format", "tsv", "--header", "--glossary", GLOSSARY)
    assert tsv.stdout.startswith("ru\ten\n")

    out = tmp_path / "amazon.csv"
    rutrans("glossary", "export", "--format", "csv", "--header", "--glossary", GLOSSARY, "-o", out)
    back = tmp_path / "back.po"
    run = rutrans("glossary", "import", out, "-o", back)
    assert run.code == 0 and "warning" not in run.stderr, run.stderr
    rows = list(csv.reader(io.StringIO(plain.stdout)))
    assert [[e.msgid, e.msgstr] for e in polib.pofile(str(back))] == rows


def test_export_header_is_refused_for_tbx(rutrans):
    run = rutrans("glossary", "export", "--format", "tbx", "--header", "--glossary", GLOSSARY)
    assert run.code == 1 and run.stdout == ""
    assert run.stderr.startswith("rutrans: error: a header row is for CSV and TSV")


def test_import_warns_about_columns_it_drops(rutrans, tmp_path):
    table = tmp_path / "amazon.csv"
    table.write_text(
        "ru,en,notes,x\nШОС,SCO,Шанхайская организация сотрудничества,\nСНГ,CIS,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "terms.po"
    run = rutrans("glossary", "import", table, "-o", out)
    assert run.code == 0, run.stderr
    assert run.stderr == (
        f"rutrans: warning: {table}:1: columns 3-4 ('notes', 'x') are not imported; "
        "only the ru and en columns are\n"
    )
    assert [(e.msgid, e.msgstr) for e in polib.pofile(str(out))] == [("ШОС", "SCO"), ("СНГ", "CIS")]


def test_import_refuses_a_header_for_other_languages(rutrans, tmp_path):
    table = tmp_path / "de.csv"
    table.write_text("ru,de\nШОС,SOZ\n", encoding="utf-8")
    out = tmp_path / "terms.po"
    run = rutrans("glossary", "import", table, "-o", out)
    assert run.code == 1 and not out.exists()
    assert run.stderr.startswith(
        f"rutrans: error: {table}:1: the header names ru, de, not ru and en"
    )


def test_import_refuses_a_nul_byte_and_writes_nothing(rutrans, tmp_path):
    table = tmp_path / "broken.tsv"
    table.write_bytes("ШОС\tSCO\nСНГ\tCIS\nОДКБ\tCS\0TO\n".encode())
    out = tmp_path / "terms.po"
    run = rutrans("glossary", "import", table, "-o", out)
    assert run.code == 1 and not out.exists() and run.stdout == ""
    assert run.stderr.startswith(f"rutrans: error: {table}:3: NUL byte; ")
    assert run.stderr.count("\n") == 1
