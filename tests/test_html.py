"""`.html`: the page's human text in English, every byte of markup, script and style as it
was, the declared encoding kept, a sentence split by inline tags translated as one."""

from __future__ import annotations

import json

import pytest
from conftest import GLOSSARY
from lxml import html as lxml_html
from scripted import ScriptedEngine

from rutrans import outputs, pipeline
from rutrans.formats import read_document
from rutrans.terminology import Terminology

FIRST = "Сотрудники органов внутренних дел провели встречу в рамках операции «Канал»."
MT = {
    FIRST: "Officers of the internal affairs agencies held a meeting as part of Operation Kanal.",
    "Встреча в Астане": "Meeting in Astana",
    "Фото со встречи": "Photo from the meeting",
    "Итоги встречи министров.": "Results of the ministers' meeting.",
    "Проверено более трёхсот объектов.": "More than three hundred sites were inspected.",
    "Задержаны двенадцать нарушителей.": "Twelve offenders were detained.",
}
SCRIPT = '<script>var title = "<p>Не переводить</p>";</script>'
PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="windows-1251"><title>Встреча в Астане</title>
<meta name="description" content="Итоги встречи министров.">
{SCRIPT}<style>p {{ color: red }}</style></head>
<body><!-- служебный комментарий -->
<p>Сотрудники <b>органов внутренних</b> дел провели встречу <a href="/kanal" class="x">в рамках
операции</a> &laquo;Канал&raquo;.</p>
<ul><li>Проверено более трёхсот объектов.</li></ul>
<table><tr><td>Задержаны двенадцать нарушителей.</td></tr></table>
<img src="photo.jpg" alt="Фото со встречи"><pre>Код не переводится</pre>
</body></html>
"""


@pytest.fixture(scope="module")
def terminology() -> Terminology:
    return Terminology.load([GLOSSARY])


@pytest.fixture
def translated(terminology, tmp_path):
    source = tmp_path / "release.html"
    source.write_bytes(PAGE.encode("cp1251"))
    engine = ScriptedEngine(dict(MT))
    result = pipeline.translate(read_document(source), engine, terminology)
    outputs.write_translation(result, outputs.paths_for(source, tmp_path))
    return source, tmp_path / "release.en.html", engine


def test_the_page_comes_back_in_english_in_its_own_encoding(translated):
    _, target, engine = translated
    sent = [source for call in engine.calls for source in call]
    assert FIRST in sent and "Сотрудники" not in sent
    text = target.read_bytes().decode("cp1251")  # still the declared encoding
    page = lxml_html.fromstring(text)
    assert page.get("lang") == "en"
    assert page.findtext(".//title") == "Meeting in Astana"
    assert page.find(".//meta[@name='description']").get("content") == (
        "Results of the ministers' meeting."
    )
    assert page.find(".//img").get("alt") == "Photo from the meeting"
    assert page.findtext(".//td") == "Twelve offenders were detained."
    paragraph = page.find(".//p")
    assert " ".join(paragraph.text_content().split()) == (
        "Officers of the internal affairs bodies held a meeting as part of Operation Channel."
    )
    assert paragraph.find("b").text.strip() and paragraph.find("a").get("href") == "/kanal"


def test_markup_scripts_comments_and_code_are_untouched(translated):
    _, target, _ = translated
    text = target.read_bytes().decode("cp1251")
    for kept in (
        SCRIPT,
        "<style>p { color: red }</style>",
        "<!-- служебный комментарий -->",
        "<pre>Код не переводится</pre>",
        '<a href="/kanal" class="x">',
        '<meta charset="windows-1251">',
        "<!DOCTYPE html>",
    ):
        assert kept in text
    assert text.count("<") == PAGE.count("<")


def test_the_report_names_the_element(translated):
    source, _, _ = translated
    report = json.loads((source.parent / "release.report.json").read_text(encoding="utf-8"))
    where = {s["source"]: (s["line"], s["location"]) for s in report["segments"]}
    assert where["Фото со встречи"] == (10, "alt of <img>")
    assert where["Проверено более трёхсот объектов."] == (8, "<li>")


def test_the_tiny_standin_translates_a_page_through_the_cli(tiny_model, rutrans, tmp_path):
    source = tmp_path / "release.html"
    source.write_bytes(PAGE.encode("cp1251"))
    run = rutrans("translate", source, "--model", tiny_model, "--no-glossary")
    assert run.code == 0, run.stderr
    page = lxml_html.fromstring((tmp_path / "release.en.html").read_bytes().decode("cp1251"))
    before = lxml_html.fromstring(PAGE)
    for tag in ("p", "li", "td", "b", "a", "img", "script", "style", "pre"):
        assert len(page.findall(f".//{tag}")) == len(before.findall(f".//{tag}")), tag


def test_a_page_not_in_its_declared_encoding_is_refused(tiny_model, rutrans, tmp_path):
    source = tmp_path / "bad.html"
    source.write_bytes(PAGE.replace("windows-1251", "utf-8").encode("cp1251"))
    run = rutrans("translate", source, "--model", tiny_model, "--no-glossary")
    assert run.code == 1
    assert run.stderr.strip().splitlines()[-1] == (
        f"rutrans: error: {source}: its bytes are not utf-8, the encoding the page "
        "declares; fix its <meta charset>, or pass --encoding with the right one"
    )
    assert not (tmp_path / "bad.en.html").exists()


TERMS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Итоги</title></head><body>
<p>В Астане завершилась <strong>операция «Канал»</strong>, задержаны двенадцать
наркокурьеров.</p>
<p>Итоги опубликованы на сайте <a href="https://odkb-csto.org">Организации Договора
о коллективной безопасности</a>.</p>
</body></html>
"""
# The MT puts each term at the other end of the sentence from where the Russian has it.
MOVED = {
    "Итоги": "Results",
    "В Астане завершилась операция «Канал», задержаны двенадцать наркокурьеров.": (
        "Operation Kanal ended in Astana, twelve drug couriers were detained."
    ),
    "Итоги опубликованы на сайте Организации Договора о коллективной безопасности.": (
        "The Collective Security Treaty Organisation has published the results on its website."
    ),
}


def test_an_approved_term_stays_strong_and_linked(terminology, tmp_path):
    source = tmp_path / "results.html"
    source.write_text(TERMS, encoding="utf-8")
    result = pipeline.translate(read_document(source), ScriptedEngine(dict(MOVED)), terminology)
    outputs.write_translation(result, outputs.paths_for(source, tmp_path))
    text = (tmp_path / "results.en.html").read_text(encoding="utf-8")
    assert text.count("<") == TERMS.count("<")
    first, second = lxml_html.fromstring(text).findall(".//p")
    assert first.find("strong").text == "Operation Channel"
    assert second.find("a").text == "Collective Security Treaty Organization"
    assert second.find("a").get("href") == "https://odkb-csto.org"
    finals = [s.final for s in result.segments if s.final != "Results"]
    assert [first.text_content(), second.text_content()] == finals
