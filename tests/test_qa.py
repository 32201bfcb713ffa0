"""QA checks: the errors MT really makes are found, and a correct translation has none."""

from __future__ import annotations

import json

import pytest
from conftest import GLOSSARY, ROOT

from rutrans.qa import CHECK_NAMES, QAInput, check_segments
from rutrans.qa.numbers import english_quantities, russian_quantities
from rutrans.results import TermCheck, TermMethod, TermStatus


def checks(source: str, target: str) -> list[str]:
    [found] = check_segments([QAInput(source, target)])
    return [f.check for f in found]


# (Russian, a correct English, an English with the error, the check that must fire)
CASES = [
    (
        "В ходе операции задержаны 27 наркокурьеров и изъято более 1,2 тонны героина.",
        "During the operation, 27 drug couriers were detained and more than 1.2 tonnes "
        "of heroin were seized.",
        "During the operation, drug couriers were detained and more than 1.2 tonnes of "
        "heroin were seized.",
        "numbers",
    ),
    (
        "С начала года пограничники пресекли 1,5 тыс. попыток незаконного пересечения границы.",
        "Since the beginning of the year, border guards have stopped 1,500 attempts to cross "
        "the border illegally.",
        "Since the beginning of the year, border guards have stopped 15 attempts to cross "
        "the border illegally.",
        "numbers",
    ),
    (
        "Совещание министров внутренних дел состоялось 15 марта 2018 г. в Бишкеке.",
        "The meeting of the ministers of internal affairs took place on 15 March 2018 in Bishkek.",
        "The meeting of the ministers of internal affairs took place on 15 May 2018 in Bishkek.",
        "numbers",
    ),
    (
        "Делегации Казахстана и Кыргызстана обсудили итоги совместной операции.",
        "The delegations of Kazakhstan and Kyrgyzstan discussed the results of the joint "
        "operation.",
        "The delegations of Kazakhstan and Кыргызстана discussed the results of the joint "
        "operation.",
        "cyrillic",
    ),
    (
        "Министры подписали протокол о сотрудничестве в сфере борьбы с преступностью.",
        "The ministers signed a protocol on cooperation in combating crime.",
        "The ministers signed a protocol on cooperation in the field of the field of the "
        "field of the fight against crime.",
        "repetition",
    ),
    (
        "Участники совещания договорились продолжить обмен оперативной информацией о лицах, "
        "причастных к незаконному обороту наркотиков, и провести новую операцию осенью.",
        "The participants agreed to continue exchanging operational information on persons "
        "involved in drug trafficking and to hold a new operation in the autumn.",
        "The participants agreed to continue.",
        "length_ratio",
    ),
    (
        "Стороны обсудили вопросы противодействия незаконной миграции и торговле людьми.",
        "The parties discussed countering illegal migration and human trafficking.",
        "The parties discussed countering illegal migration and",
        "cut_short",
    ),
    (
        "Организация Договора о коллективной безопасности (ОДКБ) провела учения.",
        "The Collective Security Treaty Organization (CSTO) held exercises.",
        "The Collective Security Treaty Organization (CSTO held exercises.",
        "brackets",
    ),
]


@pytest.mark.parametrize("source, correct, wrong, check", CASES, ids=[c[3] for c in CASES])
def test_the_error_is_found_and_the_correct_translation_is_clean(source, correct, wrong, check):
    assert check in checks(source, wrong)
    assert set(checks(source, wrong)) <= set(CHECK_NAMES)  # the report counts them by name
    assert checks(source, correct) == []


@pytest.mark.parametrize(
    "russian, english",
    [
        ("изъято 1,5 тыс. тонн", "1.5 thousand tonnes were seized"),
        ("изъято 1,5 тыс. тонн", "1,500 tonnes were seized"),
        ("изъято 7 тонн", "seven tonnes were seized"),
        ("15 марта 2018 г.", "on March 15, 2018"),
        ("в 2019–2020 годах", "in 2019-2020"),
        ("задержаны 1 500 человек", "1,500 people were detained"),
        ("около 2 млн долларов", "about 2 million dollars"),
        ("рост на 12,5%", "an increase of 12.5 percent"),
        ("во 2-м квартале", "in the second quarter"),
    ],
)
def test_the_same_number_written_the_english_way(russian, english):
    [quantity, *rest] = list(russian_quantities(russian))
    assert any(quantity.same_as(other) for other in english_quantities(english)), english
    assert all(any(q.same_as(o) for o in english_quantities(english)) for q in rest)


def test_may_the_month_but_not_a_lighthouse():
    assert [q.text for q in russian_quantities("9 мая у маяка")] == ["9", "мая"]


def test_doubled_words_that_are_good_english_are_not_repetition():
    assert checks("Он сказал, что это так.", "He had had enough, he said that that was so.") == []
    assert checks("Это очень, очень важно.", "This is very, very important.") == []


def test_a_cyrillic_look_alike_letter_is_found_with_its_place():
    [found] = check_segments([QAInput("Казахстан", "Kаzakhstan")])  # Cyrillic «а»
    assert [(f.check, f.span) for f in found] == [("cyrillic", (0, 10))]


def test_the_same_source_translated_two_ways_in_one_document():
    source = "Операция «Канал» продолжается."
    found = check_segments(
        [
            QAInput(source, "Operation Channel continues."),
            QAInput("Задержаны трое.", "Three were detained."),
            QAInput(source, "The Kanal operation continues."),
            QAInput(source, "Operation Channel continues."),
        ]
    )
    assert [[f.check for f in segment] for segment in found] == [[], [], ["consistency"], []]
    assert "segment 1" in found[2][0].message


def term(status: TermStatus, target: str, reason: str | None = None) -> TermCheck:
    return TermCheck(
        msgid="ОВД",
        msgctxt=None,
        source_text="ОВД",
        source_start=0,
        source_end=3,
        target=target,
        status=status,
        method=None if status != TermStatus.FIXED else TermMethod.VARIANT,
        mt_span=None,
        final_span=None,
        reason=reason,
    )


def test_missing_and_forbidden_terms_are_findings_and_ok_or_fixed_are_not():
    source, target = "Сотрудники ОВД задержали его.", "ATS officers detained him."
    [missing, forbidden, fine] = check_segments(
        [
            QAInput(source, target, [term(TermStatus.MISSING, "internal affairs bodies", "x")]),
            QAInput(source, target, [term(TermStatus.FORBIDDEN, "internal affairs bodies")]),
            QAInput(source, target, [term(TermStatus.FIXED, "internal affairs bodies")]),
        ]
    )
    assert [f.check for f in missing] == ["term"]
    assert "internal affairs bodies" in missing[0].message and "(x)" in missing[0].message
    assert [f.check for f in forbidden] == ["term"]
    assert fine == ()


def test_no_finding_on_the_reference_translations_of_the_dev_and_test_sets():
    """126 correct translations written by a translator: a check that fires on them is
    noise a reviewer learns to ignore."""
    items = []
    for name in ("term_dev/dev.jsonl", "term_test/test.jsonl"):
        path = ROOT / "tests" / "data" / name
        items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    found = check_segments([QAInput(i["source"], i["reference"]) for i in items])
    assert {i["id"]: f for i, f in zip(items, found, strict=True) if f} == {}


def test_postedit_reports_qa_and_flags_the_segment(rutrans, tmp_path):
    source, mt, report = tmp_path / "s.txt", tmp_path / "m.txt", tmp_path / "r.json"
    source.write_text(
        "В операции участвовали 120 сотрудников ОВД.\nСовещание прошло в Ташкенте.\n",
        encoding="utf-8",
    )
    mt.write_text(
        "The operation involved officers of the internal affairs bodies.\n"
        "The meeting was held in Ташкент.\n",
        encoding="utf-8",
    )
    run = rutrans(
        "postedit", "--source", source, "--mt", mt, "--glossary", GLOSSARY, "--report", report
    )
    assert run.code == 0, run.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    first, second = data["segments"]
    assert [f["check"] for f in first["qa"]] == ["numbers"]
    # Ташкент is also a glossary term, so its approved "Tashkent" is missing too.
    assert [f["check"] for f in second["qa"]] == ["cyrillic", "term"]
    assert first["flagged"] and second["flagged"]
    assert data["qa"]["flagged"] == 2
    assert data["qa"]["by_check"]["numbers"] == 1 and data["qa"]["by_check"]["cyrillic"] == 1
