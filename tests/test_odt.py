"""`.odt`: an OpenDocument text in, the same document in English out — spans, links,
lists, tables, notes, the header and the image kept, a sentence over spans as one."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import GLOSSARY, opens_in_libreoffice
from lxml import etree
from scripted import ScriptedEngine

from rutrans import outputs, pipeline
from rutrans.formats import read_document
from rutrans.terminology import Terminology

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}
_DECLARED = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
FIRST = "Сотрудники органов внутренних дел провели встречу в рамках операции «Канал»."
MT = {
    FIRST: "Officers of the internal affairs agencies held a meeting as part of Operation Kanal.",
    "Встреча в Астане": "Meeting in Astana",
    "Проверено более трёхсот объектов.": "More than three hundred sites were inspected.",
    "Задержаны двенадцать нарушителей.": "Twelve offenders were detained.",
    "По данным пресс-службы МВД.": "According to the press service of the Ministry.",
    "Пресс-служба МВД": "Press service of the Ministry",
}
CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {_DECLARED} office:version="1.3"><office:body><office:text>
<text:h text:outline-level="1">Встреча в Астане</text:h>
<text:p>Сотрудники <text:span text:style-name="Bold">органов внутренних</text:span> дел \
провели встречу <text:a xlink:href="https://example.org/kanal">в рамках операции</text:a> \
«Канал».<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1\
</text:note-citation><text:note-body><text:p>По данным пресс-службы МВД.</text:p>\
</text:note-body></text:note></text:p>
<text:list><text:list-item><text:p>Проверено более трёхсот объектов.</text:p></text:list-item>
</text:list>
<table:table table:name="Итоги"><table:table-row><table:table-cell><text:p>Задержаны \
двенадцать нарушителей.</text:p></table:table-cell></table:table-row></table:table>
<text:p><draw:frame draw:name="Фото"><draw:image xlink:href="Pictures/photo.png"/>\
</draw:frame></text:p>
</office:text></office:body></office:document-content>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {_DECLARED} office:version="1.3"><office:master-styles>
<style:master-page style:name="Standard"><style:header><text:p>Пресс-служба МВД</text:p>\
</style:header></style:master-page></office:master-styles></office:document-styles>"""
MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.3"><manifest:file-entry manifest:full-path="/" \
manifest:media-type="application/vnd.oasis.opendocument.text"/>\
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>\
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>\
<manifest:file-entry manifest:full-path="Pictures/photo.png" manifest:media-type="image/png"/>\
</manifest:manifest>"""


def build(path: Path, manifest: str = MANIFEST, content: str = CONTENT) -> None:
    """A minimal valid ODF package: mimetype first and stored, then the parts."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        package.writestr("content.xml", content)
        package.writestr("styles.xml", STYLES)
        package.writestr("Pictures/photo.png", b"\x89PNG not really, kept as it is")
        package.writestr("META-INF/manifest.xml", manifest)


def counts(path: Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as package:
        content = etree.fromstring(package.read("content.xml"))
        styles = etree.fromstring(package.read("styles.xml"))
    return {
        what: len(content.findall(f".//{tag}", NS)) + len(styles.findall(f".//{tag}", NS))
        for what, tag in {
            "paragraphs": "text:p",
            "headings": "text:h",
            "spans": "text:span",
            "links": "text:a",
            "notes": "text:note",
            "cells": "table:table-cell",
            "images": "draw:image",
        }.items()
    }


@pytest.fixture(scope="module")
def terminology() -> Terminology:
    return Terminology.load([GLOSSARY])


@pytest.fixture
def translated(terminology, tmp_path):
    source = tmp_path / "release.odt"
    build(source)
    engine = ScriptedEngine(dict(MT))
    result = pipeline.translate(read_document(source), engine, terminology)
    outputs.write_translation(result, outputs.paths_for(source, tmp_path))
    return source, tmp_path / "release.en.odt", engine


def _text(element) -> str:
    """A paragraph's own text, without its notes' bodies."""
    return "".join(
        t
        for t in element.xpath(".//text()[not(ancestor::text:note)]", namespaces=NS)
        if isinstance(t, str)
    )


def test_the_document_comes_back_in_english_with_its_structure(translated):
    source, target, engine = translated
    sent = [s for call in engine.calls for s in call]
    assert FIRST in sent and "органов внутренних" not in sent
    assert counts(target) == counts(source)
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(target) as after:
        assert after.namelist()[0] == "mimetype"
        assert after.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        for name in ("mimetype", "Pictures/photo.png", "META-INF/manifest.xml"):
            assert before.read(name) == after.read(name)
        content = etree.fromstring(after.read("content.xml"))
        styles = etree.fromstring(after.read("styles.xml"))
    first = content.findall(".//text:p", NS)[0]
    assert _text(first) == (
        "Officers of the internal affairs bodies held a meeting as part of Operation Channel."
    )
    assert first.find("text:span", NS).text.strip()
    assert first.find("text:a", NS).get(f"{{{NS['xlink']}}}href") == "https://example.org/kanal"
    note = first.find(".//text:note-body/text:p", NS)
    assert note.text == "According to the press service of the Ministry."
    assert first.find(".//text:note-citation", NS).text == "1"
    assert content.find(".//table:table-cell/text:p", NS).text == "Twelve offenders were detained."
    assert styles.find(".//style:header/text:p", NS).text == "Press service of the Ministry"


def test_the_report_says_where_each_segment_is(translated):
    source, _, _ = translated
    report = json.loads((source.parent / "release.report.json").read_text(encoding="utf-8"))
    where = {s["source"]: s["location"] for s in report["segments"]}
    assert where["По данным пресс-службы МВД."] == "footnote ftn1"
    assert where["Задержаны двенадцать нарушителей."] == "body paragraph 5, table Итоги cell 1"
    assert where["Пресс-служба МВД"] == "header/footer paragraph 1"


def test_the_tiny_standin_translates_an_odt_through_the_cli(tiny_model, rutrans, tmp_path):
    source = tmp_path / "release.odt"
    build(source)
    run = rutrans("translate", source, "--model", tiny_model, "--no-glossary")
    assert run.code == 0, run.stderr
    target = tmp_path / "release.en.odt"
    assert counts(target) == counts(source)
    opens_in_libreoffice(target)


def test_a_password_protected_odt_is_refused(tiny_model, rutrans, tmp_path):
    source = tmp_path / "secret.odt"
    build(source, MANIFEST.replace("</manifest:manifest>", "<manifest:encryption-data/>"
                                   "</manifest:manifest>"))  # fmt: skip
    run = rutrans("translate", source, "--model", tiny_model, "--no-glossary")
    assert run.code == 1
    assert run.stderr.strip().splitlines()[-1] == (
        f"rutrans: error: {source}: is password-protected; "
        "open it in LibreOffice and save it as an unprotected .odt"
    )
    assert not (tmp_path / "secret.en.odt").exists()


TERMS = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {_DECLARED} office:version="1.3"><office:body><office:text>
<text:p>В Астане завершилась <text:span text:style-name="Bold">операция «Канал»</text:span>, \
задержаны двенадцать наркокурьеров.</text:p>
<text:p>Итоги опубликованы на сайте <text:a xlink:href="https://odkb-csto.org">Организации \
Договора о коллективной безопасности</text:a>.</text:p>
</office:text></office:body></office:document-content>"""
# The MT puts each term at the other end of the sentence from where the Russian has it.
MOVED = {
    "В Астане завершилась операция «Канал», задержаны двенадцать наркокурьеров.": (
        "Operation Kanal ended in Astana, twelve drug couriers were detained."
    ),
    "Итоги опубликованы на сайте Организации Договора о коллективной безопасности.": (
        "The Collective Security Treaty Organisation has published the results on its website."
    ),
}


def test_an_approved_term_keeps_its_span_and_its_link(terminology, tmp_path):
    source = tmp_path / "results.odt"
    build(source, content=TERMS)
    result = pipeline.translate(read_document(source), ScriptedEngine(dict(MOVED)), terminology)
    outputs.write_translation(result, outputs.paths_for(source, tmp_path))
    target = tmp_path / "results.en.odt"
    assert counts(target) == counts(source)
    with zipfile.ZipFile(target) as package:
        content = etree.fromstring(package.read("content.xml"))
    first, second = content.findall(".//text:p", NS)
    assert first.find("text:span", NS).text == "Operation Channel"
    assert second.find("text:a", NS).text == "Collective Security Treaty Organization"
    finals = [s.final for s in result.segments[:2]]  # the header's comes after them
    assert [_text(first), _text(second)] == finals
