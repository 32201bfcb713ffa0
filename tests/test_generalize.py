"""The generalizing locator: renderings nobody listed, found by evidence, never guessed.

The glossary here has no ``# variant:`` lines and no forbidden entries — what a new user
writes.  The MT sentences are in the style of offline NMT output.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rutrans.postedit import evidence
from rutrans.postedit.evidence import Target, TermEvidence
from rutrans.results import MTResult, TermStatus
from rutrans.terminology import Terminology

PLAIN = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. Police and other bodies of an interior ministry.
msgid "орган внутренних дел"
msgid_plural "органы внутренних дел"
msgstr[0] "internal affairs body"
msgstr[1] "internal affairs bodies"

#. Abbreviation of органы внутренних дел.
msgid "ОВД"
msgstr "internal affairs bodies"

#. Kazakhstan's migration authority.
msgid "Миграционная служба"
msgstr "Migration Service"

#. The CSTO.
msgid "ОДКБ"
msgstr "CSTO"

#. Full name of the CSTO.
msgid "Организация Договора о коллективной безопасности"
msgstr "Collective Security Treaty Organization"

#. A region of Kazakhstan.
msgid "Туркестанская область"
msgstr "Turkestan Region"

#. CSTO anti-drug operation; the name is transliterated.
msgid "операция «Канал»"
msgstr "Operation Kanal"

#. Trafficking in people.
msgid "торговля людьми"
msgstr "human trafficking"

#. Kyrgyzstan's official name.
msgid "Кыргызская Республика"
msgstr "Kyrgyz Republic"

#. An administrative region.
msgid "область"
msgid_plural "области"
msgstr[0] "region"
msgstr[1] "regions"

#. Kept as written.
#, read-only
msgid "Интерпол"
msgstr "Интерпол"
"""


@pytest.fixture(scope="module")
def terms(tmp_path_factory: pytest.TempPathFactory) -> Terminology:
    path = tmp_path_factory.mktemp("plain") / "plain.po"
    path.write_text(PLAIN, encoding="utf-8")
    return Terminology.load([path])


def edit(terms: Terminology, source: str, mt: str):
    return terms.postedit(MTResult(mt, (), (), None), terms.matcher.find(source), source=source)


def outcome(result) -> list[tuple[str, str, str | None]]:
    return [(t.target, str(t.status), t.method and str(t.method)) for t in result.terms]


# --- the scorers, one by one --------------------------------------------------------------


def test_same_word_takes_number_spelling_possessive_and_derivation():
    assert evidence.same_word("agencies", "agency") == 1.0
    assert evidence.same_word("Organisation's", "organizations") == 1.0
    assert evidence.same_word("migratory", "migration") == 1.0
    assert evidence.same_word("Centre", "center") == 1.0
    assert evidence.same_word("illegally", "illegal") == 0.0  # an adverb is another word
    assert evidence.same_word("crime", "criminal") == 0.0


def test_synonym_knows_the_heads_mt_swaps():
    assert evidence.synonym("organs", "bodies") == 0.8
    assert evidence.synonym("frontier", "border") == 0.8
    assert evidence.synonym("police", "bodies") == 0.0
    assert evidence.synonym("bodies", "bodies") == 0.0  # that is the same word, not a synonym


def test_transliteration_reads_the_russian_in_latin_letters():
    term = TermEvidence((), ("Туркестанской", "области"), frozenset(), frozenset(), False)
    assert evidence.transliteration("oblast", term) == 0.9
    assert evidence.transliteration("Turkestanskaya", term) == 0.9
    assert evidence.transliteration("region", term) == 0.0


def test_acronym_both_ways():
    term = TermEvidence(
        (Target(("CSTO",), related=False),), (), frozenset({"CSTO"}), frozenset({"CSTO"}), False
    )
    assert evidence.acronym_score(["CSTO"], term) == 1.0
    assert evidence.acronym_score(["Collective", "Security", "Treaty", "Organization"], term) == 1
    assert evidence.acronym_score(["Collective", "Security", "Council"], term) == 0.0


def test_spelling_of_a_name():
    assert evidence.spelling("Ferghana", "Fergana") == 0.9
    assert evidence.spelling("Tadjikistan", "Tajikistan") == 0.9
    assert evidence.spelling("Kazakhstan", "Kyrgyzstan") == 0.0
    assert evidence.spelling("fergana", "Fergana") == 0.0  # names only


def test_a_mixed_case_acronym_is_read_by_its_capitals():
    term = TermEvidence((), (), frozenset({"MIA"}), frozenset(), False)
    assert evidence.acronym_score(["MoIA"], term) == 1.0
    assert evidence.acronym_score(["Mia"], term) == 0.0


# --- each kind of rendering, found without a listed variant -------------------------------


@pytest.mark.parametrize(
    "source, mt, final, method",
    [
        (  # another construction: "X of Y" for "Y X"
            "Миграционная служба выдала разрешения.",
            "The service of migration issued permits.",
            "The Migration Service issued permits.",
            "words",
        ),
        (  # a synonym head with the same modifiers
            "Органы внутренних дел задержали курьера.",
            "The internal affairs organs detained a courier.",
            "The internal affairs bodies detained a courier.",
            "synonym",
        ),
        (  # the full name where the glossary approves the acronym
            "Учения ОДКБ прошли в Таджикистане.",
            "Exercises of the Collective Security Treaty Organization took place in Tajikistan.",
            "Exercises of the CSTO took place in Tajikistan.",
            "acronym",
        ),
        (  # a Latin transliteration of the Russian acronym
            "Учения ОДКБ прошли в Таджикистане.",
            "The ODKB exercises took place in Tajikistan.",
            "The CSTO exercises took place in Tajikistan.",
            "acronym",
        ),
        (  # a transliteration where the glossary has a translation
            "В Туркестанской области задержаны двое.",
            "Two were detained in Turkestanskaya oblast.",
            "Two were detained in Turkestan Region.",
            "transliteration",
        ),
        (  # a translated name in quotes where the glossary approves the transliteration
            "Итоги операции «Канал» подвели в Минске.",
            'The results of the operation "Channel" were summed up in Minsk.',
            "The results of the Operation Kanal were summed up in Minsk.",
            "name",
        ),
        (  # a synonym of one of its words, in another construction
            "Органы внутренних дел пресекли торговлю людьми.",
            "The internal affairs bodies stopped the trafficking in persons.",
            "The internal affairs bodies stopped the human trafficking.",
            "synonym",
        ),
        (  # a rendering with more words than the term, replaced whole
            "Учения ОДКБ прошли в Таджикистане.",
            "Exercises of the Organization of the Collective Security Treaty took place.",
            "Exercises of the CSTO took place.",
            "related",
        ),
    ],
)
def test_a_rendering_nobody_listed_is_found(terms, source, mt, final, method):
    result = edit(terms, source, mt)
    assert result.final == final
    fixed = [t for t in result.terms if t.status == TermStatus.FIXED]
    assert [str(t.method) for t in fixed] == [method]


def test_two_occurrences_need_two_spans(terms):
    result = edit(
        terms,
        "ОВД Туркестанской области и ОВД Шымкента провели рейд.",
        "The OVD of Turkestanskaya oblast and the OVD of Shymkent conducted a raid.",
    )
    assert result.final == (
        "The internal affairs bodies of Turkestan Region and the internal affairs bodies "
        "of Shymkent conducted a raid."
    )


# --- never guess, never damage ------------------------------------------------------------


def test_a_guess_is_left_as_it_was_and_says_why(terms):
    mt = "The police detained a courier."
    result = edit(terms, "Органы внутренних дел задержали курьера.", mt)
    assert result.final == mt
    [check] = result.terms
    assert check.status == TermStatus.MISSING and check.reason


def test_half_a_phrase_is_never_replaced(terms):
    """The rendering must be taken whole or not at all: never "human trafficking beings"."""
    mt = "They discussed trafficking in human beings."
    result = edit(terms, "Обсуждалась торговля людьми.", mt)
    assert "trafficking beings" not in result.final
    assert result.final in (mt, "They discussed human trafficking.")


def test_a_name_is_never_cut(terms):
    mt = "The delegation of the Kyrgyz Republic arrived in the region."
    result = edit(terms, "Делегация Кыргызской Республики прибыла в область.", mt)
    assert result.final == mt
    assert outcome(result)[0] == ("Kyrgyz Republic", "ok", "already")


def test_read_only_terms_are_not_looked_for(terms):
    mt = "Requests were sent via Interpol."
    assert edit(terms, "Запросы направлены через Интерпол.", mt).final == mt


# --- honest statuses ----------------------------------------------------------------------


def test_ok_only_when_the_text_reads_as_the_glossary_writes_it(terms):
    source = "Операция «Канал» завершена."
    ok = edit(terms, source, "Operation Kanal is over.")
    assert outcome(ok) == [("Operation Kanal", "ok", "already")]
    quoted = edit(terms, source, 'The operation "Kanal" is over.')
    assert quoted.final == "The Operation Kanal is over."
    assert outcome(quoted) == [("Operation Kanal", "fixed", "form")]
    headline = edit(terms, "ОПЕРАЦИЯ «КАНАЛ» ЗАВЕРШЕНА", "OPERATION KANAL IS OVER")
    assert outcome(headline) == [("Operation Kanal", "ok", "already")]


def test_reports_carry_source_spans_and_reasons(terms):
    source = "Органы внутренних дел задержали курьера."
    result = edit(terms, source, "The police detained a courier.")
    row = result.terms[0].as_dict()
    assert row["source_span"] == [0, len("Органы внутренних дел")]
    assert row["status"] == "missing" and row["reason"]


def test_quotes_around_a_rendering_stay(terms):
    result = edit(terms, "Сотрудники ОВД прибыли.", 'The "OVD" officers arrived.')
    assert result.final == 'The "internal affairs bodies" officers arrived.'


def test_markup_is_never_edited(terms):
    mt = '<span title="OVD officers">The OVD officers</span> arrived.'
    result = edit(terms, "Сотрудники ОВД прибыли.", mt)
    assert result.final == (
        '<span title="OVD officers">The internal affairs bodies officers</span> arrived.'
    )


# --- properties ---------------------------------------------------------------------------

SOURCE = "Сотрудники ОВД Туркестанской области и Миграционная служба провели операцию «Канал»."
FRAGMENTS = [
    "Officers of",
    "the OVD",
    '"OVD"',
    "internal affairs organs",
    "of Turkestanskaya oblast",
    "the Turkestan Region",
    "and",
    "the service of migration",
    "Migration Service",
    'the operation "Channel"',
    "Operation Kanal",
    "<b>",
    "</b>",
    '<a href="https://x.kz/OVD">',
    "</a>",
    "conducted",
    "the Kyrgyz Republic",
    "police",
    ",",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=9))
def test_edits_stay_in_spans_markup_stays_and_twice_is_once(terms, pieces):
    mt = " ".join(pieces) + "."
    matches = terms.matcher.find(SOURCE)
    result = terms.postedit(MTResult(mt, (), (), None), matches, source=SOURCE)
    # Everything outside the reported edits is the MT, character for character.
    rebuilt, cursor = [], 0
    for start, end, new in result.edits:
        assert cursor <= start <= end <= len(mt)
        rebuilt += [mt[cursor:start], new]
        cursor = end
    rebuilt.append(mt[cursor:])
    assert "".join(rebuilt) == result.final
    # Tags come through untouched, and no edit begins or ends on a quote it did not open.
    assert re.findall(r"<[^>]*>", result.final) == re.findall(r"<[^>]*>", mt)
    for start, end, _ in result.edits:
        inside = mt[start:end]
        assert not (inside[:1] in '"«' and inside.count('"') + inside.count("«") == 1)
    # Post-editing the output again changes nothing.
    again = terms.postedit(MTResult(result.final, (), (), None), matches, source=SOURCE)
    assert again.final == result.final
