"""`.docx`: a Word file in, the same Word file in English out — runs, tables, lists,
footnotes, headers and images kept, a sentence split over runs translated as one."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import polib
import pytest
from conftest import GLOSSARY, opens_in_libreoffice
from docx.oxml.ns import qn
from docx.shared import Inches
from scripted import ScriptedEngine

from rutrans import outputs, pipeline
from rutrans.formats import read_document
from rutrans.terminology import Terminology


def _png() -> bytes:
    """A 1×1 grey PNG: an image the document must keep."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG = _png()
FIRST = "Сотрудники органов внутренних дел провели встречу в рамках операции «Канал»."
SECOND = "Подробности опубликованы на сайте Организации Договора о коллективной безопасности."
MT = {
    FIRST: "Officers of the internal affairs agencies held a meeting as part of Operation Kanal.",
    SECOND: "Details are published on the website of the Collective Security Treaty Organisation.",
    "Встреча в Астане": "Meeting in Astana",
    "Проверено более трёхсот объектов.": "More than three hundred sites were inspected.",
    "Республика Казахстан": "Republic of Kazakhstan",
    "Задержаны двенадцать нарушителей.": "Twelve offenders were detained.",
    "По данным пресс-службы МВД.": "According to the press service of the Ministry.",
    "Пресс-служба МВД Республики Казахстан": "Press service of the Ministry of Kazakhstan",
}
FOOTNOTES = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>По данным пресс-службы МВД.</w:t></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


def _hyperlink(paragraph, text: str, url: str) -> None:
    part = paragraph.part
    rel = part.relate_to(url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = docx.oxml.OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = docx.oxml.OxmlElement("w:r")
    text_element = docx.oxml.OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def build(path: Path) -> None:
    """A release as a press office writes it, with a footnote added by hand (python-docx
    does not write footnotes)."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Пресс-служба МВД Республики Казахстан"
    document.add_heading("Встреча в Астане", 1)
    first = document.add_paragraph("Сотрудники ")
    first.add_run("органов внутренних").bold = True
    first.add_run(" дел провели встречу ")
    first.add_run("в рамках операции").italic = True
    first.add_run(" «Канал».")
    reference = first.add_run()._r
    mark = docx.oxml.OxmlElement("w:footnoteReference")
    mark.set(qn("w:id"), "1")
    reference.append(mark)
    second = document.add_paragraph("Подробности опубликованы на ")
    _hyperlink(second, "сайте Организации Договора", "https://odkb-csto.org")
    second.add_run(" о коллективной безопасности.")
    document.add_paragraph("Проверено более трёхсот объектов.", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Республика Казахстан"
    table.cell(0, 1).text = "Задержаны двенадцать нарушителей."
    document.add_picture(io.BytesIO(PNG), width=Inches(1))
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>",
                )
            out.writestr(info, data)
        out.writestr("word/footnotes.xml", FOOTNOTES.encode("utf-8"))


def counts(path: Path) -> dict[str, int]:
    """What a reader of the file sees of its structure."""
    document = docx.Document(str(path))
    body = document.element.body
    with zipfile.ZipFile(path) as package:
        footnotes = package.read("word/footnotes.xml").count(b"<w:footnote ")
    return {
        "paragraphs": len(document.paragraphs),
        "cells": sum(len(row.cells) for table in document.tables for row in table.rows),
        "bold runs": sum(bool(r.bold) for p in document.paragraphs for r in p.runs),
        "italic runs": sum(bool(r.italic) for p in document.paragraphs for r in p.runs),
        "links": len(body.findall(".//" + qn("w:hyperlink"))),
        "footnotes": footnotes,
        "footnote references": len(body.findall(".//" + qn("w:footnoteReference"))),
        "images": len(document.inline_shapes),
    }


@pytest.fixture(scope="module")
def terminology() -> Terminology:
    return Terminology.load([GLOSSARY])


@pytest.fixture
def translated(terminology, tmp_path):
    source = tmp_path / "release.docx"
    build(source)
    engine = ScriptedEngine(dict(MT))
    result = pipeline.translate(read_document(source), engine, terminology)
    outputs.write_translation(result, outputs.paths_for(source, tmp_path))
    return source, tmp_path / "release.en.docx", engine


def test_a_sentence_split_over_runs_goes_to_the_mt_as_one(translated):
    _, _, engine = translated
    sent = [source for call in engine.calls for source in call]
    assert FIRST in sent and SECOND in sent
    assert "органов внутренних" not in sent and "Сотрудники" not in sent


def test_structure_is_kept_and_every_part_is_english(translated):
    source, target, _ = translated
    assert counts(target) == counts(source)
    english = docx.Document(str(target))
    texts = [p.text for p in english.paragraphs]
    assert "Meeting in Astana" in texts and "More than three hundred sites were inspected." in texts
    assert english.tables[0].cell(0, 1).text == "Twelve offenders were detained."
    assert english.sections[0].header.paragraphs[0].text.startswith("Press service")
    with zipfile.ZipFile(target) as package:
        assert "According to the press service" in package.read("word/footnotes.xml").decode()


def test_glossary_terms_are_applied_across_run_boundaries(translated):
    _, target, _ = translated
    paragraphs = [p for p in docx.Document(str(target)).paragraphs if p.runs]
    first = next(p for p in paragraphs if p.text.startswith("Officers"))
    assert "internal affairs bodies" in first.text and "Operation Channel" in first.text
    assert [r.text for r in first.runs if r.bold] != [""]  # the bold run still has words
    second = next(p for p in paragraphs if p.text.startswith("Details"))
    links = second._p.findall(qn("w:hyperlink"))
    linked = "".join(t.text for t in links[0].iter(qn("w:t")))
    assert linked.strip()
    assert second.text.endswith("Collective Security Treaty Organization.")


def test_untouched_parts_are_byte_identical(translated):
    source, target, _ = translated
    translated_parts = {"word/document.xml", "word/header1.xml", "word/footnotes.xml"}
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(target) as after:
        assert before.namelist() == after.namelist()
        for name in before.namelist():
            if name not in translated_parts:
                assert before.read(name) == after.read(name), name


def test_the_report_says_where_each_segment_is(translated):
    source, _, _ = translated
    report = json.loads((source.parent / "release.report.json").read_text(encoding="utf-8"))
    locations = {s["source"]: s["location"] for s in report["segments"]}
    assert locations["Задержаны двенадцать нарушителей."] == (
        "body paragraph 6, table 1 row 1 cell 2"
    )
    assert locations["По данным пресс-службы МВД."] == "footnote 1"
    assert locations["Пресс-служба МВД Республики Казахстан"] == "header1 paragraph 1"


def test_apply_writes_the_reviewed_text_into_the_docx(translated, rutrans):
    source, target, _ = translated
    review = source.parent / "release.review.po"
    po = polib.pofile(str(review))
    entry = next(e for e in po if e.msgid == "Задержаны двенадцать нарушителей.")
    entry.msgstr = "Twelve violators were detained."
    po.save(str(review))
    run = rutrans("apply", review, "--glossary", GLOSSARY, "--no-tm")
    assert run.code == 0, run.stderr
    assert docx.Document(str(target)).tables[0].cell(0, 1).text == (
        "Twelve violators were detained."
    )
    assert counts(target) == counts(source)


def test_the_tiny_standin_translates_a_docx_through_the_cli(tiny_model, rutrans, tmp_path):
    source = tmp_path / "release.docx"
    build(source)
    run = rutrans("translate", source, "--model", tiny_model, "--no-glossary")
    assert run.code == 0, run.stderr
    target = tmp_path / "release.en.docx"
    assert counts(target) == counts(source)
    opens_in_libreoffice(target)


def _bad(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "bad.docx"
    path.write_bytes(data)
    return path


def _docm(tmp_path: Path) -> bytes:
    build(tmp_path / "good.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(tmp_path / "good.docx") as source, zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml."
                    b"document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            out.writestr(info, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda tmp: "Сотрудники органов внутренних дел".encode(), "not a zip package"),
        (lambda tmp: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(512), "password-protected"),
        (_docm, "macro-enabled"),
    ],
    ids=["not-a-zip", "encrypted", "docm-renamed"],
)
def test_bad_word_files_get_one_line_and_no_output(make, said, tiny_model, rutrans, tmp_path):
    path = _bad(tmp_path, make(tmp_path))
    run = rutrans("translate", path, "--model", tiny_model, "--no-glossary")
    assert run.code == 1
    [line] = [line for line in run.stderr.splitlines() if line.startswith("rutrans: error:")]
    assert line.startswith(f"rutrans: error: {path}: ") and said in line and "; " in line
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "bad.en.docx").exists()
    assert not (tmp_path / "bad.report.json").exists()


def test_the_english_is_shared_over_the_runs_between_words_only():
    from rutrans.formats.runs import distribute

    runs = ["Сотрудники ", "органов внутренних", " дел провели встречу."]
    english = "Officers of the internal affairs bodies held a meeting."
    shared = distribute(runs, [True, True, True], [(0, sum(map(len, runs)), english)])
    assert "".join(shared) == english
    assert all(part == "" or english.split(part.strip())[0][-1:] in ("", " ") for part in shared)
    assert shared[1].strip()  # the bold run keeps words of its own
    # Text outside a replacement stays in its run; a fixed piece (a tab) is never written.
    kept = distribute(["Глава ", "\t", "МВД"], [True, False, True], [(7, 10, "Ministry")])
    assert kept == ["Глава ", "\t", "Ministry"]


def test_a_formatting_change_alone_makes_a_folder_run_translate_it_again(
    tiny_model, rutrans, tmp_path
):
    """The report records the file's bytes, not only its text: a word made italic changes
    the English file, so the translation is no longer up to date."""
    folder = tmp_path / "in"
    folder.mkdir()
    source = folder / "release.docx"
    build(source)
    out = tmp_path / "out"
    args = ("translate", folder, "-o", out, "--model", tiny_model, "--no-glossary")
    assert rutrans(*args).code == 0
    assert "up to date, skipped" in rutrans(*args).stdout
    edited = docx.Document(str(source))
    edited.paragraphs[1].runs[0].italic = True
    edited.save(str(source))
    again = rutrans(*args)
    assert again.code == 0, again.stderr
    assert "skipped" not in again.stdout and "release.en.docx" in again.stdout


# --- an approved term keeps the formatting of its Russian words -----------------------------

BOLD_TERM = "В Астане завершилась операция «Канал», задержаны двенадцать наркокурьеров."
LINKED_TERM = "Итоги опубликованы на сайте Организации Договора о коллективной безопасности."
# The MT puts each term at the other end of the sentence from where the Russian has it.
MOVED = {
    BOLD_TERM: "Operation Kanal ended in Astana, twelve drug couriers were detained.",
    LINKED_TERM: "The Collective Security Treaty Organisation has published the results on "
    "its website.",
}


def build_terms(path: Path) -> None:
    """A bold term in the middle of a sentence and a term that is a whole link."""
    document = docx.Document()
    first = document.add_paragraph("В Астане завершилась ")
    first.add_run("операция «Канал»").bold = True
    first.add_run(", задержаны ")
    first.add_run("двенадцать").italic = True
    first.add_run(" наркокурьеров.")
    second = document.add_paragraph("Итоги опубликованы на сайте ")
    _hyperlink(second, "Организации Договора о коллективной безопасности", "https://odkb-csto.org")
    second.add_run(".")
    document.save(str(path))


def runs_of(path: Path) -> list[list[tuple[str, str]]]:
    """Each body paragraph's runs as (what formats it, its text), links' runs included."""
    paragraphs = []
    for para in docx.Document(str(path)).element.body.iter(qn("w:p")):
        found = []
        for run in para.iter(qn("w:r")):
            linked = run.getparent().tag == qn("w:hyperlink")
            bold = run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
            italic = run.find(f"{qn('w:rPr')}/{qn('w:i')}") is not None
            kind = "link" if linked else "bold" if bold else "italic" if italic else "plain"
            found.append((kind, "".join(t.text or "" for t in run.iter(qn("w:t")))))
        paragraphs.append(found)
    return paragraphs


def test_an_approved_term_goes_into_the_run_of_its_russian_words(terminology, tmp_path):
    source = tmp_path / "results.docx"
    build_terms(source)
    result = pipeline.translate(read_document(source), ScriptedEngine(dict(MOVED)), terminology)
    outputs.write_translation(result, outputs.paths_for(source, tmp_path))
    finals = [s.final for s in result.segments]
    assert finals == [
        "Operation Channel ended in Astana, twelve drug couriers were detained.",
        "The Collective Security Treaty Organization has published the results on its website.",
    ]
    before, after = runs_of(source), runs_of(tmp_path / "results.en.docx")
    assert [[kind for kind, _ in p] for p in after] == [[kind for kind, _ in p] for p in before]
    bold, linked = after[0][1], after[1][1]
    assert bold == ("bold", "Operation Channel")
    assert linked == ("link", "Collective Security Treaty Organization")
    assert ["".join(text for _, text in p) for p in after] == finals  # nothing lost
    assert after[0][3][0] == "italic" and after[0][3][1].strip()  # the others share the rest


def test_a_reviewed_term_still_goes_into_its_russian_words_run(terminology, tmp_path, rutrans):
    """After a review the term is where the reviewer put it: apply finds it there."""
    source = tmp_path / "results.docx"
    build_terms(source)
    result = pipeline.translate(read_document(source), ScriptedEngine(dict(MOVED)), terminology)
    outputs.write_translation(result, outputs.paths_for(source, tmp_path))
    review = tmp_path / "results.review.po"
    po = polib.pofile(str(review))
    entry = next(e for e in po if e.msgid == BOLD_TERM)
    entry.msgstr = "Twelve drug couriers were detained in Astana as Operation Channel ended."
    po.save(str(review))
    run = rutrans("apply", review, "--glossary", GLOSSARY, "--no-tm")
    assert run.code == 0, run.stderr
    after = runs_of(tmp_path / "results.en.docx")
    assert after[0][1] == ("bold", "Operation Channel")
    assert "".join(text for _, text in after[0]) == entry.msgstr


def test_a_term_over_two_runs_or_swapped_with_another_is_shared_as_other_words():
    from rutrans.formats.runs import distribute
    from rutrans.results import Anchor, Replacement

    runs = [
        "Сотрудники ",
        "органов",
        " внутренних дел задержали курьеров ",
        "«Канала»",
        " в Астане.",
    ]
    text = "".join(runs)

    def anchor(russian: str, english: str, translation: str) -> Anchor:
        source, target = text.index(russian), translation.index(english)
        return Anchor((source, source + len(russian)), (target, target + len(english)))

    english = "Officers of the internal affairs bodies detained Channel couriers in Astana."
    # «органов внутренних дел» lies over two runs: no run is its own, so it is no anchor.
    split = anchor("органов внутренних дел", "internal affairs bodies", english)
    channel = anchor("«Канала»", "Channel", english)
    shared = distribute(runs, [True] * 5, [Replacement(0, len(text), english, [split, channel])])
    assert "".join(shared) == english
    assert shared[3] == "Channel" and shared[1].strip()  # the bold run keeps words of its own
    # The MT put «в Астане» before «Канала»: one of the two must give way, and it is the
    # name in plain text, not the term that is a run of its own.
    english = "In Astana, officers of the internal affairs bodies detained Channel couriers."
    swapped = [anchor("Астане", "Astana", english), anchor("«Канала»", "Channel", english)]
    shared = distribute(runs, [True] * 5, [Replacement(0, len(text), english, swapped)])
    assert "".join(shared) == english
    assert shared[3] == "Channel" and shared[4] == " couriers."
