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
