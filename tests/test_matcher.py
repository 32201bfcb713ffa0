"""The term matcher on real inflected Russian: every form, the right number, no look-alikes."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rutrans.glossary import morph, textnorm
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


# --- text copied from web pages and PDFs ------------------------------------------------------


def spans(matcher: Matcher, text: str) -> list[tuple[str, str, str | None]]:
    """What each match covers in *text* as written, checked against the match's own text."""
    matches = matcher.find(text)
    for match in matches:
        assert text[match.start : match.end] == match.text
    return [(text[m.start : m.end], m.entry.msgid, m.number) for m in matches]


def test_a_soft_hyphen_inside_a_word_is_read_through(matcher):
    text = "Сотрудники орга\u00adнов внутрен\u00adних дел задержали под\u00adозреваемого."
    assert spans(matcher, text) == [
        ("орга\u00adнов внутрен\u00adних дел", "орган внутренних дел", "pl")
    ]


def test_a_stress_accent_is_read_through_and_stays_on_its_letter(matcher, tmp_path):
    text = "Заявле\u0301ние орга\u0301на вну\u0301тренних дел опубликовано."
    assert spans(matcher, text) == [
        ("орга\u0301на вну\u0301тренних дел", "орган внутренних дел", "sg")
    ]
    cases = matcher_of(
        'msgid "уголовное дело"\nmsgid_plural "уголовные дела"\n'
        'msgstr[0] "criminal case"\nmsgstr[1] "criminal cases"\n',
        tmp_path,
    )
    # An accent on the last letter of a match is part of the match, not left behind.
    assert spans(cases, "Возбуждены уголо\u0301вные дела\u0301 против организаторов.") == [
        ("уголо\u0301вные дела\u0301", "уголовное дело", "pl")
    ]


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_zero_width_characters_inside_and_around_words_are_read_through(matcher, invisible):
    z = invisible
    text = f"{z}Сотрудники {z}органов внут{z}ренних дел{z} и О{z}ВД{z} провели рейд."
    assert spans(matcher, text) == [
        (f"органов внут{z}ренних дел", "орган внутренних дел", "pl"),
        (f"О{z}ВД", "ОВД", None),  # what is around a word is not part of it
    ]


def test_latin_look_alikes_in_a_cyrillic_word_are_read_as_cyrillic(matcher, tmp_path):
    # Latin O in «OВД», M in «MВД», K in «Kазахстан», p in «pайоне», o and e in «oргаHов».
    assert spans(matcher, "Сотрудники OВД и глава MВД провели встречу.") == [
        ("OВД", "ОВД", None),
        ("глава MВД", "глава МВД", "sg"),
    ]
    assert spans(matcher, "Совещание с oрганами внутренних дeл прошло.") == [
        ("oрганами внутренних дeл", "орган внутренних дел", "pl")
    ]
    places = matcher_of(
        'msgid "Республика Казахстан"\nmsgstr "Republic of Kazakhstan"\n\n'
        'msgid "район"\nmsgstr "district"\n',
        tmp_path,
    )
    assert spans(places, "В Pеспублике Kазахстан, в пригородном pайоне Алматы.") == [
        ("Pеспублике Kазахстан", "Республика Казахстан", "sg"),
        ("pайоне", "район", "sg"),
    ]


def test_wholly_latin_words_stay_latin(tmp_path):
    acronyms = matcher_of(
        'msgid "ОМОН"\nmsgstr "riot police"\n\nmsgid "CSTO"\nmsgstr "CSTO"\n\n'
        'msgid "Interpol"\nmsgstr "Interpol"\n',
        tmp_path,
    )
    # «OMOH» is all Latin look-alikes, but with no Cyrillic letter it is a Latin word.
    assert spans(acronyms, "Бойцы OMOH, ОДКБ (CSTO) и Interpol; бойцы OМOН.") == [
        ("CSTO", "CSTO", None),
        ("Interpol", "Interpol", None),
        ("OМOН", "ОМОН", None),
    ]


def test_ordinary_text_is_read_as_written(matcher):
    text = "В Москве ёлки, iPhone и Wi-Fi; органы внутренних дел, 2024 год — «Паутина»."
    assert textnorm.normalise(text).text == text
    table = morph.token_table(text)
    assert [text[s:e] for s, e in zip(table.starts, table.ends, strict=True)] == table.texts
    assert spans(matcher, text) == [
        ("органы внутренних дел", "орган внутренних дел", "pl"),
        ("«Паутина»", "«Паутина»", None),
    ]


def test_a_word_with_a_latin_letter_that_has_no_look_alike_is_left_alone():
    # «Rоссия»: R has no Cyrillic twin, so the word is not guessed at.
    assert textnorm.normalise("в Rоссии и в Pоссии").text == "в Rоссии и в России"
