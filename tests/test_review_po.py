"""The review PO round trip: translate → a reviewer edits in a PO editor → apply → TM.

The stand-in model's English is noise, so the reviewer's edits are what the tests look
for: they must reach the English document, be checked against the glossary, and come back
from the translation memory on the next run instead of MT.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import GLOSSARY

from rutrans.glossary.model import load_glossary

SOURCE = (
    "Министры внутренних дел обсудили сотрудничество.\n"
    "\n"
    "Сотрудники ОВД задержали 12 человек в ходе операции «Паутина».\n"
    "\n"
    "Итоги совещания подведут в мае.\n"
)


# The reviewer writes the approved English of «операции «Паутина»», whatever it is.
[OPERATION] = [
    e.target[0]
    for e in load_glossary([GLOSSARY]).entries
    if e.msgid == "операция «Паутина»" and e.status == "approved"
]


@pytest.fixture
def translated(rutrans, tmp_path, tiny_model):
    """A translated document, its review PO, and a TM of its own."""
    source = tmp_path / "news.ru.txt"
    source.write_text(SOURCE, encoding="utf-8")
    env = {"RUTRANS_TM": str(tmp_path / "tm.sqlite")}
    run = rutrans("translate", source, "--model", tiny_model, "--glossary", GLOSSARY, env=env)
    assert run.code == 0, run.stderr
    return source, tmp_path / "news.review.po", env


def test_the_review_po_has_one_entry_per_segment_and_passes_msgfmt(translated):
    source, review, _ = translated
    po = polib.pofile(str(review))
    assert [e.msgctxt for e in po] == ["1", "2", "3"]
    assert [e.msgid for e in po] == [line for line in SOURCE.split("\n") if line]
    report = json.loads((source.parent / "news.report.json").read_text(encoding="utf-8"))
    assert [e.msgstr for e in po] == [s["final"] for s in report["segments"]]
    for entry, segment in zip(po, report["segments"], strict=True):
        assert f"MT: {segment['mt']}" in entry.comment.split("\n")
        assert ("fuzzy" in entry.flags) == segment["flagged"]
    assert "term «ОВД» → internal affairs bodies" in po[1].comment
    for entry, segment in zip(po, report["segments"], strict=True):
        for finding in segment["qa"]:
            assert f"QA {finding['check']}: {finding['message']}" in entry.comment
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(review)], check=True)


def edit(review: Path, changes: dict[str, str]) -> None:
    """What a reviewer does in Poedit: new English, and the entry no longer fuzzy."""
    po = polib.pofile(str(review))
    for entry in po:
        if entry.msgctxt in changes:
            entry.msgstr = changes[entry.msgctxt]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(str(review))


def test_round_trip_apply_warns_and_the_next_translate_uses_the_tm(translated, rutrans, tiny_model):
    source, review, env = translated
    first = "The ministers of internal affairs discussed cooperation."
    second = f"ATS officers detained 12 people during {OPERATION}."
    edit(review, {"1": first, "2": second})
    run = rutrans("apply", review, "--glossary", GLOSSARY, env=env)
    assert run.code == 0, run.stderr
    english = (source.parent / "news.en.txt").read_text(encoding="utf-8").split("\n")
    assert english[0] == first and english[2] == second  # the reviewer has the last word
    assert english[1] == english[3] == ""  # the document's structure
    warnings = [line for line in run.stderr.splitlines() if "warning" in line]
    assert any(
        f"{review}:" in w and "segment 2 brings back a forbidden rendering of «ОВД»" in w
        for w in warnings
    ), run.stderr
    report = json.loads((source.parent / "news.report.json").read_text(encoding="utf-8"))
    assert [s["origin"] for s in report["segments"]] == ["review"] * 3
    assert report["signature"]["engine"] == "review"

    again = source.parent / "again"
    run = rutrans(
        "translate", source, "-o", again, "--model", tiny_model, "--glossary", GLOSSARY, env=env
    )
    assert run.code == 0, run.stderr
    report = json.loads((again / "news.report.json").read_text(encoding="utf-8"))
    origins = [s["origin"] for s in report["segments"]]
    stored = ["fuzzy" not in e.flags for e in polib.pofile(str(review))]
    assert origins[:2] == ["tm", "tm"]
    assert origins[2] == ("tm" if stored[2] else "mt")
    finals = [s["final"] for s in report["segments"]]
    # Post-edited against the glossary like any MT: ATS is forbidden for ОВД.
    assert OPERATION in finals[1] and "12 people" in finals[1] and "ATS" not in finals[1]
    pautina = [t for t in report["segments"][1]["terms"] if "Паутина" in t["source_text"]]
    assert [(t["status"], t["method"]) for t in pautina] == [("ok", "tm")]


def test_no_tm_neither_stores_nor_uses(translated, rutrans):
    source, review, env = translated
    edit(review, {"1": "The ministers of internal affairs discussed cooperation."})
    run = rutrans("apply", review, "--glossary", GLOSSARY, "--no-tm", env=env)
    assert run.code == 0, run.stderr
    assert not (source.parent / "tm.sqlite").exists()


def test_a_review_of_an_edited_source_is_refused(translated, rutrans):
    source, review, env = translated
    before = (source.parent / "news.en.txt").read_bytes()
    source.write_text(SOURCE.replace("12", "13"), encoding="utf-8")
    run = rutrans("apply", review, "--glossary", GLOSSARY, env=env)
    assert run.code == 1
    [line] = run.stderr.splitlines()
    assert line.startswith(f"rutrans: error: {source}: changed since")
    assert (source.parent / "news.en.txt").read_bytes() == before


def test_a_review_of_another_document_is_refused(translated, rutrans):
    _, review, env = translated
    po = polib.pofile(str(review))
    po[1].msgid = "Совсем другое предложение."
    po.save(str(review))
    run = rutrans("apply", review, "--glossary", GLOSSARY, env=env)
    assert run.code == 1
    [line] = run.stderr.splitlines()
    assert f"{review}:" in line and "segment 2" in line and "another document" in line


@pytest.mark.parametrize(
    "text, message",
    [
        (
            'msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "a"\nmsgstr "b"\n',
            "not a rutrans review",
        ),
    ],
)
def test_a_po_that_is_not_a_review_is_refused(text, message, rutrans, tmp_path):
    path = tmp_path / "x.po"
    path.write_text(text, encoding="utf-8")
    run = rutrans("apply", path, "--glossary", GLOSSARY)
    assert run.code == 1
    [line] = run.stderr.splitlines()
    assert message in line


def test_an_emptied_entry_is_refused_with_its_line(translated, rutrans):
    _, review, env = translated
    po = polib.pofile(str(review))
    po[2].msgstr = ""
    po.save(str(review))
    run = rutrans("apply", review, "--glossary", GLOSSARY, env=env)
    assert run.code == 1
    [line] = run.stderr.splitlines()
    assert f"{review}:" in line and "segment 3 has an empty translation" in line


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext not installed")
def test_a_review_po_saved_by_msgcat_applies_the_same(translated, rutrans):
    source, review, env = translated
    edit(review, {"1": "The ministers of internal affairs discussed cooperation."})
    subprocess.run(["msgcat", str(review), "-o", str(review)], check=True)
    run = rutrans("apply", review, "--glossary", GLOSSARY, "--no-tm", env=env)
    assert run.code == 0, run.stderr
    english = (source.parent / "news.en.txt").read_text(encoding="utf-8")
    assert english.startswith("The ministers of internal affairs discussed cooperation.\n")


def test_a_damaged_translation_memory_is_one_line_and_nothing_is_written(
    rutrans, tmp_path, tiny_model
):
    source = tmp_path / "news.ru.txt"
    source.write_text(SOURCE, encoding="utf-8")
    tm = tmp_path / "tm.sqlite"
    tm.write_bytes(b"this is not a database" * 100)
    run = rutrans("translate", source, "--model", tiny_model, "--glossary", GLOSSARY, "--tm", tm)
    assert run.code == 1
    [line] = [x for x in run.stderr.splitlines() if not x.startswith("warning: ")]
    assert line.startswith(f"rutrans: error: {tm}: cannot") and "--no-tm" in line
    assert not (tmp_path / "news.en.txt").exists()
