"""The term matcher on real inflected Russian: every form, the right number, no look-alikes."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rutrans.glossary import morph
from rutrans.glossary.matcher import Matcher
from rutrans.glossary.model import Entry, load_glossary

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)

ENTRIES = """
msgid "орган внутренних дел"
msgid_plural "органы внутренних дел"
msgstr[0] "internal affairs body"
msgstr[1] "internal affairs bodies"

msgid "ОВД"
msgstr "internal affairs bodies"

msgid "Шанхайская организация сотрудничества"
msgstr "Shanghai Cooperation Organisation"

msgid "ШОС"
msgstr "SCO"

msgid "операция «Паутина»"
msgstr "Operation Pautina"

msgid "«Паутина»"
msgstr "Pautina"

msgid "«Розыск»"
msgstr "Rozysk"

msgid "«Канал»"
msgstr "Kanal"

msgid "международный розыск"
msgstr "international wanted list"

msgid "приграничный регион"
msgid_plural "приграничные регионы"
msgstr[0] "border region"
msgstr[1] "border regions"

msgid "Центрально-Азиатский регион"
msgstr "Central Asian region"

msgid "НИИ"
msgstr "research institute"

msgid "глава МВД"
msgstr "Minister of Internal Affairs"

msgid "МВД"
msgstr "Ministry of Internal Affairs"

#, fuzzy
msgid "наркопреступность"
msgstr "drug crime"

#, forbidden
msgctxt "forbidden"
msgid "ОВД"
msgstr "ATS"
"""


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    path = tmp_path_factory.mktemp("glossary") / "terms.po"
    path.write_text(HEADER + ENTRIES, encoding="utf-8")
    return Matcher(load_glossary([path]))


def found(matcher: Matcher, text: str) -> list[tuple[str, str, str | None]]:
    return [(m.text, m.entry.msgid, m.number) for m in matcher.find(text)]


@pytest.mark.parametrize(
    ("text", "form", "number"),
    [
        ("Сотрудничество органов внутренних дел расширяется.", "органов внутренних дел", "pl"),
        ("Совещание с органами внутренних дел прошло.", "органами внутренних дел", "pl"),
        ("Орган внутренних дел района провёл проверку.", "Орган внутренних дел", "sg"),
        ("Заявление органа внутренних дел опубликовано.", "органа внутренних дел", "sg"),
        ("Это решение органов внутренних дел.", "органов внутренних дел", "pl"),
    ],
)
def test_every_case_form_of_a_multiword_term(matcher, text, form, number):
    assert found(matcher, text) == [(form, "орган внутренних дел", number)]


def test_agreement_decides_the_number_of_an_ambiguous_noun(matcher):
    # «организации» alone could be a nominative plural; «Шанхайской» makes it singular.
    text = "А в рамках Шанхайской организации сотрудничества проведена операция."
    assert found(matcher, text) == [
        ("Шанхайской организации сотрудничества", "Шанхайская организация сотрудничества", "sg")
    ]
    plural = "приграничных регионах и приграничным регионам"
    assert [n for _, _, n in found(matcher, plural)] == ["pl", "pl"]


def test_acronyms_match_only_as_written(matcher):
    assert found(matcher, "взаимодействия ОВД приграничных регионов") == [
        ("ОВД", "ОВД", None),
        ("приграничных регионов", "приграничный регион", "pl"),
    ]
    assert found(matcher, "в рамках ШОС") == [("ШОС", "ШОС", None)]
    assert found(matcher, "овд и шос") == []


def test_acronym_never_matches_an_ordinary_word(matcher):
    # Stemming «НИИ» would hit the particle «ни».
    assert found(matcher, "Ни один сотрудник НИИ не пострадал, ни один.") == [("НИИ", "НИИ", None)]


def test_quoted_operation_name_vs_the_ordinary_noun(matcher):
    text = "Розыск преступников продолжается; в рамках операции «Розыск» задержаны трое."
    assert found(matcher, text) == [("«Розыск»", "«Розыск»", None)]
    assert found(matcher, "Они находились в международном розыске.") == [
        ("международном розыске", "международный розыск", "sg")
    ]


def test_channels_are_not_operation_kanal(matcher):
    text = "пресечение каналов поставки наркотиков; операция «Канал» завершена"
    assert found(matcher, text) == [("«Канал»", "«Канал»", None)]


def test_longest_match_wins_and_quote_styles_are_equal(matcher):
    for quoted in ("«Паутина»", '"Паутина"', "„Паутина“", "“Паутина”"):
        text = f"проведена первая антинаркотическая операция {quoted}, направленная на"
        assert found(matcher, text) == [(f"операция {quoted}", "операция «Паутина»", "sg")]
    assert found(matcher, "в ходе «Паутины»") == [("«Паутины»", "«Паутина»", None)]


def test_hyphen_dash_and_space_are_equal(matcher):
    for written in (
        "Центрально-Азиатском регионе",
        "Центрально – Азиатском регионе",
        "Центрально Азиатском регионе",
    ):
        [(text, msgid, number)] = found(matcher, f"в нашем {written} сохраняется")
        assert (text, msgid, number) == (written, "Центрально-Азиатский регион", "sg")


def test_yo_equals_ye(matcher, tmp_path):
    path = tmp_path / "yo.po"
    path.write_text(
        HEADER + 'msgid "объём изъятия"\nmsgstr "volume of seizures"\n', encoding="utf-8"
    )
    yo = Matcher(load_glossary([path]))
    assert [m.text for m in yo.find("объем изъятия вырос, объёма изъятия нет")] == [
        "объем изъятия",
        "объёма изъятия",
    ]


def test_longer_term_beats_the_acronym_inside_it(matcher):
    assert found(matcher, "как отметил глава МВД РК") == [("глава МВД", "глава МВД", "sg")]
    assert found(matcher, "заявление МВД") == [("МВД", "МВД", None)]


def test_fuzzy_entries_are_found_and_forbidden_ones_are_not(matcher):
    [match] = matcher.find("рост наркопреступности в регионе")
    assert match.entry.status == "fuzzy"
    assert all(m.entry.status != "forbidden" for m in matcher.find("ОВД и ОВД"))


def test_offsets_point_at_the_text(matcher):
    text = "Как отметил глава МВД, органы внутренних дел и ОВД работают."
    for match in matcher.find(text):
        assert text[match.start : match.end] == match.text


def test_counts_every_occurrence(matcher):
    text = "ОВД и ОВД, органы внутренних дел и органов внутренних дел."
    assert [msgid for _, msgid, _ in found(matcher, text)] == [
        "ОВД",
        "ОВД",
        "орган внутренних дел",
        "орган внутренних дел",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='абвгдеёжзийклмнопрстуфхцчшщъыьэюяОВДШСНГ «»"-–., ', max_size=80))
def test_matches_never_overlap_and_are_in_order(matcher, text):
    matches = matcher.find(text)
    for left, right in itertools.pairwise(matches):
        assert left.end <= right.start
    for match in matches:
        assert text[match.start : match.end] == match.text


def test_entries_can_be_given_directly():
    entry = Entry(
        "торговля людьми", None, None, ("human trafficking",), frozenset(), "", (), Path("x.po"), 1
    )
    assert [m.text for m in Matcher([entry]).find("борьба с торговлей людьми")] == [
        "торговлей людьми"
    ]


def matcher_of(po: str, folder: Path) -> Matcher:
    path = folder / "terms.po"
    path.write_text(HEADER + po, encoding="utf-8")
    return Matcher(load_glossary([path]))


def test_of_two_equal_candidates_the_exact_one_then_the_first_in_the_glossary_wins(tmp_path):
    ties = matcher_of(
        'msgctxt "a"\nmsgid "глава министерства"\nmsgstr "head A"\n\n'
        'msgctxt "b"\nmsgid "глава министерства"\nmsgstr "head B"\n\n'
        '#, exact\nmsgctxt "c"\nmsgid "глава министерства"\nmsgstr "head C"\n',
        tmp_path,
    )
    assert [m.entry.msgctxt for m in ties.find("глава министерства")] == ["c"]
    assert [m.entry.msgctxt for m in ties.find("главы министерства")] == ["a"]


def test_terms_that_share_their_first_word_are_told_apart_by_the_next(tmp_path):
    shared = matcher_of(
        'msgid "государственная граница"\nmsgstr "state border"\n\n'
        'msgid "государственная программа"\nmsgstr "state programme"\n\n'
        'msgid "государственная"\nmsgstr "state"\n\n'
        'msgid "граница"\nmsgstr "border"\n',
        tmp_path,
    )
    text = "на государственной границе и по государственным программам, государственная тайна"
    assert [(m.text, m.entry.msgid, m.number) for m in shared.find(text)] == [
        ("государственной границе", "государственная граница", "sg"),
        ("государственным программам", "государственная программа", "pl"),
        ("государственная", "государственная", None),
    ]


@pytest.mark.parametrize(
    "word", ["дела", "стали", "ёлки", "тургумбаевым", "кто-то", "сотрудничества"]
)
def test_word_forms_are_the_forms_of_every_lexeme(word):
    # morph.forms reads dictionary paradigms directly; it must agree with pymorphy3.
    word = morph.normalise(word)
    expected = {word} | {
        morph.normalise(form.word) for parse in morph.parses(word) for form in parse.lexeme
    }
    assert morph.forms(word) == expected
    assert [(r.pos, r.number, r.case) for r in morph.readings(word)] == [
        (p.tag.POS, p.tag.number, p.tag.case) for p in morph.parses(word)
    ]
