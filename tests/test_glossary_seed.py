"""The project glossary on the seed article: every term, every form, the right number."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest
from conftest import GLOSSARY, SEED

from rutrans.glossary.matcher import Matcher
from rutrans.glossary.model import load_glossary

# The terms the glossary issue lists for the seed article: msgid → (occurrences, numbers).
# Longer terms take their words: «глава МВД РК» is one occurrence, not also МВД and РК.
SEED_TERMS = {
    "ОВД": (1, {None}),
    "орган внутренних дел": (4, {"pl"}),
    "глава МВД РК": (1, {"sg"}),
    "глава МВД": (1, {"sg"}),
    "министр внутренних дел РК": (1, {"sg"}),
    "ШОС": (1, {None}),
    "страна ШОС": (1, {"pl"}),
    "Шанхайская организация сотрудничества": (1, {"sg"}),
    "СНГ": (1, {None}),
    "пространство СНГ": (1, {"sg"}),
    "РК": (1, {None}),
    "КР": (1, {None}),
    "РТ": (1, {None}),
    "РУ": (1, {None}),
    "Центрально-Азиатский регион": (1, {"sg"}),
    "операция «Розыск»": (1, {"sg"}),
    "операция «Скотокрад»": (1, {"pl"}),  # «операции «Скотокрад» и «Стоп-трафик»»
    "«Стоп-трафик»": (1, {None}),
    "операция «Паутина»": (1, {"sg"}),
    "наркопреступность": (1, {"sg"}),
    "наркопреступление": (1, {"pl"}),
    "наркоправонарушение": (1, {"pl"}),
    "незаконная миграция": (2, {"sg"}),
    "нелегальная миграция": (1, {"sg"}),
    "торговля людьми": (2, {"sg"}),
    "транснациональная организованная группа": (1, {"pl"}),
    "транснациональная преступность": (2, {"sg"}),
    "находиться в международном розыске": (1, {None}),  # «находившиеся в международном розыске»
    "розыск преступников": (2, {"sg"}),
    "приграничный регион": (5, {"pl"}),
    "кража чужого имущества": (3, {"pl"}),
    "кража скота": (1, {"sg"}),
    "Центр миграционных услуг": (1, {"sg"}),
    "Ерлан Тургумбаев": (3, {"sg"}),
}


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_glossary([GLOSSARY]))


def test_every_seed_term_in_every_form_with_its_number(matcher):
    matches = matcher.find(SEED.read_text(encoding="utf-8"))
    counts = Counter(m.entry.msgid for m in matches)
    numbers: dict[str, set[str | None]] = defaultdict(set)
    for match in matches:
        numbers[match.entry.msgid].add(match.number)
    found = {msgid: (counts[msgid], numbers[msgid]) for msgid in SEED_TERMS}
    assert found == SEED_TERMS


def test_the_forms_the_seed_uses(matcher):
    texts = {m.text for m in matcher.find(SEED.read_text(encoding="utf-8"))}
    for form in (
        "органов внутренних дел",
        "приграничных регионах",
        "кражам чужого имущества",
        "Шанхайской организации сотрудничества",
        "незаконной миграцией",
        "торговлей людьми",
        "находившиеся в международном розыске",
        "Центрально-Азиатском регионе",
        "Центра миграционных услуг",
        "операции «Розыск»",
    ):
        assert form in texts


@pytest.mark.parametrize(
    "text",
    [
        "Розыск пропавших продолжается уже неделю.",  # the noun, not the operation «Розыск»
        "Ни один канал не работал, каналы закрыты.",  # not operation «Канал», not «ни»
        "Сотрудники НИИ ни в чём не виноваты.",
        "Паутина в углу комнаты.",  # a cobweb, not operation «Паутина»
    ],
)
def test_look_alikes_do_not_match(matcher, text):
    assert [m.entry.msgid for m in matcher.find(text)] == []


def test_operation_names_in_quotes_match(matcher):
    found = [m.entry.msgid for m in matcher.find("В ходе операции «Канал» и операции «Розыск»")]
    assert found == ["операция «Канал»", "операция «Розыск»"]


def test_scan_cli_json(rutrans):
    run = rutrans("glossary", "scan", SEED, "--glossary", GLOSSARY, "--json")
    assert run.code == 0, run.stderr
    rows = json.loads(run.stdout)
    text = SEED.read_text(encoding="utf-8")
    assert {"start", "end", "text", "line", "msgid", "msgctxt", "msgstr", "number"} <= set(rows[0])
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]
        assert text.count("\n", 0, row["start"]) + 1 == row["line"]
    ovd = [r for r in rows if r["msgid"] == "орган внутренних дел"]
    assert {r["msgstr"] for r in ovd} == {"internal affairs bodies"}


def test_scan_cli_table(rutrans):
    run = rutrans("glossary", "scan", SEED, "--glossary", GLOSSARY)
    assert run.code == 0, run.stderr
    assert "органов внутренних дел" in run.stdout and "internal affairs bodies" in run.stdout
    assert "occurrences of" in run.stderr


def test_scan_cli_errors(rutrans, tmp_path):
    missing = rutrans("glossary", "scan", tmp_path / "нет.txt", "--glossary", GLOSSARY)
    assert missing.code == 1 and "no such file" in missing.stderr
    no_glossary = rutrans("glossary", "scan", SEED, "--glossary", tmp_path / "nothing")
    assert no_glossary.code == 1 and "nothing" in no_glossary.stderr
    assert "Traceback" not in missing.stderr + no_glossary.stderr


@pytest.mark.parametrize(
    "text", ["Встреча с Ерланом Тургумбаевым.", "Заявление Ерлана Тургумбаева.", "Ерлан Тургумбаев"]
)
def test_names_match_in_every_case(matcher, text):
    # pymorphy3 reads the nominative «Тургумбаев» as a genitive plural of «Тургумбай».
    assert [m.entry.msgid for m in matcher.find(text)] == ["Ерлан Тургумбаев"]
