"""Glossary candidate extraction: acronyms, quoted names and noun phrases grouped by lemma,
minus what the glossary already knows and minus fragments of longer terms, written out as
a POT for the translator."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import GLOSSARY, SEED

from rutrans.glossary import morph
from rutrans.glossary.extract import Candidate, candidates_pot, extract_candidates
from rutrans.glossary.model import Entry, Glossary, load_glossary

SMALL_GLOSSARY = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. Collective name for the police and other bodies of a Ministry of Internal Affairs.
msgid "орган внутренних дел"
msgid_plural "органы внутренних дел"
msgstr[0] "internal affairs body"
msgstr[1] "internal affairs bodies"

#. Shanghai Cooperation Organisation.
msgid "ШОС"
msgstr "SCO"
"""


def has_lemmas(term: str, expected: tuple[str, ...]) -> bool:
    """Whether *term*'s words have these lemmas, whatever number and case it was put in."""
    words = term.split()
    return len(words) == len(expected) and all(
        lemma in morph.lemmas(morph.normalise(word))
        for word, lemma in zip(words, expected, strict=False)
    )


def phrase(candidates: list[Candidate], *expected: str) -> Candidate | None:
    found = [c for c in candidates if c.kind == "phrase" and has_lemmas(c.term, expected)]
    assert len(found) <= 1, found
    return found[0] if found else None


def mentions(candidates: list[Candidate], lemma: str) -> list[Candidate]:
    """Phrase candidates with a word of this lemma anywhere."""
    return [
        c
        for c in candidates
        if c.kind == "phrase"
        and any(lemma in morph.lemmas(morph.normalise(w)) for w in c.term.split())
    ]


def by_term(candidates: list[Candidate], kind: str) -> dict[str, Candidate]:
    return {c.term: c for c in candidates if c.kind == kind}


def nested_in(short: str, long: str) -> bool:
    """Whether *short*'s words are a run of *long*'s, lemma by lemma, whatever the case."""
    options = [morph.lemmas(morph.normalise(w)) for w in short.split()]
    words = [morph.lemmas(morph.normalise(w)) for w in long.split()]
    return len(options) < len(words) and any(
        all(a & b for a, b in zip(options, words[i:], strict=False))
        for i in range(len(words) - len(options) + 1)
    )


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_candidates(seed_text: str) -> list[Candidate]:
    return extract_candidates([("seed.txt", seed_text)], None)


def test_seed_phrases_grouped_by_lemma(seed_text: str, seed_candidates: list[Candidate]) -> None:
    organs = phrase(seed_candidates, "орган", "внутренний", "дело")
    assert organs is not None
    # Counted independently: every inflection of «орган(ы) внутренних дел» in the article.
    assert organs.count == len(re.findall(r"\bорган\w* внутренних дел", seed_text, re.I)) == 4
    assert organs.term == "органы внутренних дел"
    assert organs.forms == ("органов внутренних дел",)
    border = phrase(seed_candidates, "приграничный", "регион")
    assert border is not None
    assert border.count == len(re.findall(r"приграничн\w+ регион\w*", seed_text)) == 5
    assert border.term in ("приграничные регионы", "приграничный регион")
    assert set(border.forms) == {"приграничных регионов", "приграничных регионах"}
    theft = phrase(seed_candidates, "кража", "чужой", "имущество")
    assert (
        theft is not None
        and theft.count == 3
        and theft.term in ("кражи чужого имущества", "кража чужого имущества")
    )


def test_seed_acronyms_and_quoted_names(seed_candidates: list[Candidate]) -> None:
    acronyms = by_term(seed_candidates, "acronym")
    counts = {a: acronyms[a].count for a in ("ОВД", "МВД", "ШОС", "СНГ", "РК")}
    assert counts == {"ОВД": 1, "МВД": 2, "ШОС": 2, "СНГ": 2, "РК": 3}
    names = by_term(seed_candidates, "quoted-name")
    assert {"«Розыск»", "«Скотокрад»", "«Стоп-трафик»", "«Паутина»"} <= set(names)
    # Phrases need min_count (2); names and acronyms count from one occurrence.
    assert all(c.count >= 2 for c in seed_candidates if c.kind == "phrase")
    assert names["«Паутина»"].count == 1


def test_seed_is_ranked_by_count_then_length(seed_candidates: list[Candidate]) -> None:
    ranks = [(-c.count, -len(c.term.split())) for c in seed_candidates]
    assert ranks == sorted(ranks)
    assert seed_candidates[0].term == "приграничные регионы"
    assert seed_candidates[0].count == 5


def test_seed_top_ten_has_no_fragments(seed_candidates: list[Candidate]) -> None:
    top = seed_candidates[:10]
    fragments = [
        (short.term, long.term)
        for short in top
        for long in seed_candidates
        if short.kind == long.kind == "phrase" and nested_in(short.term, long.term)
    ]
    assert fragments == []
    terms = [c.term for c in top]
    # «внутренних дел» (6) is only ever part of «органов / министров внутренних дел»;
    # «сотрудничества органов внутренних дел» (3) is the term in a passing context.
    assert terms[:3] == ["приграничные регионы", "органы внутренних дел", "кражи чужого имущества"]
    assert phrase(seed_candidates, "внутренний", "дело") is None
    assert mentions(seed_candidates, "сотрудничество") == []
    assert phrase(seed_candidates, "министр", "внутренний", "дело") in top
    human = phrase(seed_candidates, "торговля", "человек")
    assert human is not None and human.term == "торговля людьми" and human.count == 2
    assert human in top


def test_glossary_terms_are_not_candidates(tmp_path: Path, seed_text: str) -> None:
    (tmp_path / "small.po").write_text(SMALL_GLOSSARY, encoding="utf-8")
    glossary = load_glossary([tmp_path])
    candidates = extract_candidates([("seed.txt", seed_text)], glossary)
    assert phrase(candidates, "орган", "внутренний", "дело") is None
    # Every occurrence lies in a glossary match, so the longer phrases around it go too.
    assert mentions(candidates, "орган") == []
    assert "ШОС" not in by_term(candidates, "acronym")
    # The rest is still there.
    assert getattr(phrase(candidates, "приграничный", "регион"), "count", 0) == 5
    assert getattr(phrase(candidates, "кража", "чужой", "имущество"), "count", 0) == 3
    assert {"ОВД", "МВД", "СНГ", "РК"} <= set(by_term(candidates, "acronym"))
    assert "«Паутина»" in by_term(candidates, "quoted-name")


def test_inflected_forms_make_one_candidate() -> None:
    text = (
        "Встреча с органами внутренних дел прошла. Работа органов внутренних дел улучшилась.\n"
        "Органы внутренних дел сообщили о результатах."
    )
    candidates = extract_candidates([("t.txt", text)], None)
    organs = phrase(candidates, "орган", "внутренний", "дело")
    assert organs is not None and organs.count == 3
    assert organs.term == "органы внутренних дел"  # sentence-initial capital dropped
    assert set(organs.forms) == {
        "органами внутренних дел",
        "органов внутренних дел",
        "органы внутренних дел",
    }
    # Seen only inside the longer candidate: nested, not proposed on its own.
    assert phrase(candidates, "внутренний", "дело") is None


def test_dictionary_form_and_capitals() -> None:
    text = (
        "Встреча прошла в рамках Шанхайской организации сотрудничества. Решения в рамках "
        "Шанхайской организации сотрудничества приняты.\n"
        "Открыт Центр миграционных услуг. Сотрудники Центра миграционных услуг работают.\n"
        "Незаконная миграция растёт. Идёт борьба с незаконной миграцией."
    )
    terms = {c.term: c for c in extract_candidates([("t.txt", text)], None)}
    assert terms["Шанхайская организация сотрудничества"].count == 2
    assert terms["Центр миграционных услуг"].count == 2
    assert terms["незаконная миграция"].count == 2
    assert not [t for t in terms if t.startswith("рамк")]  # a frame, not a term


def test_phrases_do_not_cross_punctuation_or_quotes() -> None:
    text = "Отчёт органов, внутренних дел. Отчёт органов, внутренних дел. «Органы внутренних дел»"
    candidates = extract_candidates([("t.txt", text)], None, min_count=1)
    organ_terms = [c.term for c in mentions(candidates, "орган")]
    assert organ_terms == ["отчёт органов"]  # the comma ends the phrase
    assert "«Органы внутренних дел»" in by_term(candidates, "quoted-name")
    assert phrase(candidates, "орган", "внутренний", "дело") is None


def test_min_count_applies_to_phrases_only() -> None:
    text = "Сотрудники ГКНБ провели операцию «Мак» против транснациональной организованной группы."
    strict = extract_candidates([("t.txt", text)], None, min_count=2)
    assert {(c.kind, c.term) for c in strict} == {("acronym", "ГКНБ"), ("quoted-name", "«Мак»")}
    loose = extract_candidates([("t.txt", text)], None, min_count=1)
    group = phrase(loose, "транснациональный", "организованный", "группа")
    assert group is not None and group.term == "транснациональная организованная группа"


def test_acronym_and_quote_rules() -> None:
    text = (
        'ВНИМАНИЕ: в XXI веке ОДКБ и UNODC провели операции „Канал“, «Канал» и "Канал". '
        "Программа «очень длинное название из многих слов» и «Мак-2023» тоже."
    )
    candidates = extract_candidates([("t.txt", text)], None)
    assert set(by_term(candidates, "acronym")) == {"ОДКБ", "UNODC"}
    names = by_term(candidates, "quoted-name")
    assert names["«Канал»"].count == 3  # every quote style is one name
    assert len(names["«Канал»"].forms) == 3
    assert "«Мак-2023»" in names
    assert not [n for n in names if "длинное" in n]  # more than 4 words: not a name


def test_forbidden_entry_still_counts_as_known() -> None:
    """The matcher skips forbidden entries; their Russian term is known all the same."""
    text = "Работа органов внутренних дел. Отчёт органов внутренних дел."
    assert phrase(extract_candidates([("t", text)], None), "орган", "внутренний", "дело")
    forbidden = Entry(
        msgid="орган внутренних дел",
        msgid_plural=None,
        msgctxt="forbidden",
        target=("internal affairs agency",),
        flags=frozenset({"forbidden"}),
        note="",
        variants=(),
        file=Path("x.po"),
        line=1,
    )
    glossary = Glossary((forbidden,), (), "")
    assert not phrase(extract_candidates([("t", text)], glossary), "орган", "внутренний", "дело")


def test_counts_and_contexts_span_files() -> None:
    texts = [
        ("a.txt", "Заголовок\nВ докладе говорится о незаконном обороте наркотиков в регионе."),
        ("b.txt", "Незаконный оборот наркотиков растёт, говорится в докладе, который вчера "
                  "опубликовало министерство внутренних дел республики."),
    ]  # fmt: skip
    trade = phrase(extract_candidates(texts, None), "незаконный", "оборот", "наркотик")
    assert trade is not None and trade.term == "незаконный оборот наркотиков"
    assert trade.count == 2
    assert trade.contexts == (
        "a.txt:2: В докладе говорится о незаконном обороте наркотиков в регионе.",
        "b.txt:1: Незаконный оборот наркотиков растёт, говорится в докладе, который…",
    )


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_contexts_count_lines_ended_by_cr_and_crlf(newline: str) -> None:
    # Old Mac tools end lines with CR alone: each line is a line, as the reader counts them.
    text = newline.join(
        [
            "Заголовок",
            "В докладе говорится о незаконном обороте наркотиков в регионе.",
            "",
            "Незаконный оборот наркотиков растёт, говорится в докладе.",
        ]
    )
    trade = phrase(
        extract_candidates([("mac.txt", text)], None), "незаконный", "оборот", "наркотик"
    )
    assert trade is not None
    assert trade.contexts == (
        "mac.txt:2: В докладе говорится о незаконном обороте наркотиков в регионе.",
        "mac.txt:4: Незаконный оборот наркотиков растёт, говорится в докладе.",
    )


def test_pot_is_a_valid_template(tmp_path: Path, seed_candidates: list[Candidate]) -> None:
    text = candidates_pot(seed_candidates)
    pot = polib.pofile(text)
    assert "rutrans glossary extract" in pot.header
    assert [e.msgid for e in pot] == [c.term for c in seed_candidates]
    assert all(e.msgstr == "" and not e.translated() for e in pot)
    first = pot[0].comment.splitlines()
    assert first[:3] == [
        "count: 5",
        "kind: phrase",
        "forms: приграничных регионов | приграничных регионах",
    ]
    assert first[3].startswith("seed.txt:2: ")
    paths = [tmp_path / "candidates.pot"]
    paths[0].write_text(text, encoding="utf-8")
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt is not installed")
    done = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(paths[0])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


# Paragraphs in the style of the Central Asian ministries' press releases, every term in
# several cases.
NEWS = """\
В Ташкенте прошло совещание руководителей органов внутренних дел государств Центральной \
Азии, посвящённое противодействию торговле людьми и незаконной миграции. Открывая \
встречу, заместитель министра отметил, что органы внутренних дел региона за год выявили \
более 300 преступлений, связанных с торговлей людьми.
По данным МВД Кыргызстана, большинство жертв торговли людьми – трудовые мигранты. \
Сотрудники органов внутренних дел пресекли деятельность 12 организованных преступных \
групп, специализировавшихся на незаконной миграции и торговле людьми. Сотрудники полиции \
также задержали 40 нарушителей миграционного законодательства.
Отдельно обсуждался незаконный оборот наркотиков. В Таджикистане органами внутренних дел \
изъято свыше двух тонн наркотических средств, а каналы незаконного оборота наркотиков из \
Афганистана перекрыты. Участники договорились об обмене опытом и создании общей базы \
данных; обмен опытом между кинологическими службами продолжится в следующем году.
Как сообщила пресс-служба Министерства внутренних дел Республики Казахстан, члены \
организованных преступных групп задержаны в Алматы и Шымкенте, а сотрудники органов \
внутренних дел и сотрудники полиции провели рейды на рынках. Борьба с незаконным оборотом \
наркотиков и незаконной миграцией остаётся приоритетом органов внутренних дел.
"""


@pytest.fixture(scope="module")
def news_candidates() -> list[Candidate]:
    return extract_candidates([("news.txt", NEWS)], None)


def test_fragments_of_longer_terms_are_not_proposed(news_candidates: list[Candidate]) -> None:
    organs = phrase(news_candidates, "орган", "внутренний", "дело")
    assert organs is not None and organs.count == 6
    assert organs.term == "органы внутренних дел"
    assert set(organs.forms) == {
        "органов внутренних дел",
        "органы внутренних дел",
        "органами внутренних дел",
    }
    # Five of its six occurrences are in «органы внутренних дел»: not a term of its own.
    assert phrase(news_candidates, "внутренний", "дело") is None
    trade = phrase(news_candidates, "незаконный", "оборот", "наркотик")
    assert trade is not None and trade.count == 3
    assert trade.term == "незаконный оборот наркотиков"
    assert phrase(news_candidates, "оборот", "наркотик") is None
    assert phrase(news_candidates, "незаконный", "оборот") is None
    groups = phrase(news_candidates, "организованный", "преступный", "группа")
    assert groups is not None and groups.count == 2
    assert phrase(news_candidates, "преступный", "группа") is None
    migration = phrase(news_candidates, "незаконный", "миграция")
    assert migration is not None and migration.count == 3
    assert migration.term == "незаконная миграция"


def test_a_term_in_a_passing_context_is_the_term(news_candidates: list[Candidate]) -> None:
    """«сотрудники органов внутренних дел» repeats, but «сотрудники» goes with the police
    as often: the term is «органы внутренних дел»."""
    police = phrase(news_candidates, "сотрудник", "полиция")
    assert police is not None and police.count == 2
    assert phrase(news_candidates, "сотрудник", "орган", "внутренний", "дело") is None
    everything = {c.term for c in news_candidates}
    assert not [(a, b) for a in everything for b in everything if nested_in(a, b)]


def test_noun_governing_a_noun_in_another_oblique_case(news_candidates: list[Candidate]) -> None:
    human = phrase(news_candidates, "торговля", "человек")
    assert human is not None and human.term == "торговля людьми"
    assert human.count == 4
    assert set(human.forms) == {"торговле людьми", "торговлей людьми", "торговли людьми"}
    experience = phrase(news_candidates, "обмен", "опыт")
    assert experience is not None and experience.term == "обмен опытом"
    assert experience.count == 2
    assert set(experience.forms) == {"обмене опытом", "обмен опытом"}
    # Seen once: «противодействие торговле людьми» is not a collocation.
    assert mentions(news_candidates, "противодействие") == []


def test_a_governed_pair_must_be_bound() -> None:
    """A dative after a noun repeats all over press releases («противодействие
    экстремизму, кражам, мошенничеству»): proposed only where one of the two nouns is
    used in the pair more often than not."""
    text = (
        "Обсуждалось противодействие кражам скота. Усилено противодействие кражам скота.\n"
        "Противодействие экстремизму и противодействие мошенничеству остаются в планах. "
        "Кражи скота и кражи автомашин выросли, а кражи из квартир снизились.\n"
        "Руководство страной и руководство страной в целом."
    )
    candidates = extract_candidates([("t.txt", text)], None)
    assert mentions(candidates, "противодействие") == []
    cattle = phrase(candidates, "кража", "скот")
    assert cattle is not None and cattle.count == 3
    country = phrase(candidates, "руководство", "страна")
    assert country is not None and country.term == "руководство страной"


def test_extract_with_the_project_glossary_leaves_no_known_term() -> None:
    candidates = extract_candidates([("news.txt", NEWS)], load_glossary([GLOSSARY]))
    assert phrase(candidates, "торговля", "человек") is None
    assert phrase(candidates, "незаконный", "миграция") is None
    assert mentions(candidates, "орган") == []
