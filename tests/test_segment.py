"""Tests for rutrans.segment: razdel's sentence splitting, repaired for our news texts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import razdel
from hypothesis import given, settings
from hypothesis import strategies as st

from rutrans import segment
from rutrans.segment import Sentence, split_sentences

SEED = Path(__file__).resolve().parents[1] / "translations/ru/kz-mvd-central-asia-meeting.ru.txt"


def texts(paragraph: str) -> list[str]:
    return [s.text for s in split_sentences(paragraph)]


def assert_well_formed(text: str, sentences: tuple[Sentence, ...]) -> None:
    """Offsets exact, in order, non-overlapping; stripped; every non-space character covered."""
    previous_end = 0
    covered = [False] * len(text)
    for s in sentences:
        assert previous_end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        covered[s.start : s.end] = [True] * (s.end - s.start)
        previous_end = s.end
    missed = [i for i, char in enumerate(text) if not char.isspace() and not covered[i]]
    assert missed == []


@pytest.fixture(scope="module")
def seed_paragraphs() -> list[str]:
    return [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seed_sentences(seed_paragraphs: list[str]) -> list[Sentence]:
    return [s for paragraph in seed_paragraphs for s in split_sentences(paragraph)]


# --- the seed article --------------------------------------------------------------------------


def test_seed_gives_at_least_20_sentences(seed_sentences: list[Sentence]) -> None:
    assert len(seed_sentences) >= 20


def test_seed_no_sentence_ends_with_thousand(seed_sentences: list[Sentence]) -> None:
    assert [s.text for s in seed_sentences if s.text.endswith("тыс.")] == []


def test_seed_no_boundary_inside_guillemets(seed_sentences: list[Sentence]) -> None:
    unbalanced = [s.text for s in seed_sentences if s.text.count("«") != s.text.count("»")]
    assert unbalanced == []


def test_seed_offsets_exact_and_in_order(seed_paragraphs: list[str]) -> None:
    for paragraph in seed_paragraphs:
        assert_well_formed(paragraph, split_sentences(paragraph))


def test_seed_thousand_sentence_is_whole(seed_sentences: list[Sentence]) -> None:
    [sentence] = [s.text for s in seed_sentences if "выявлено более 1 тыс." in s.text]
    assert sentence.startswith("Глава казахстанского ведомства отметил")
    assert "1 тыс. наркопреступлений, изъято почти 7 тонн" in sentence
    assert sentence.endswith("задержано более 2 тыс. человек за совершение наркоправонарушений.")


def test_seed_dash_led_direct_speech_splits(seed_paragraphs: list[str]) -> None:
    [speech] = [p for p in seed_paragraphs if p.startswith("– Мы плодотворно")]
    sentences = texts(speech)
    assert len(sentences) == 3
    assert sentences[0].endswith("в многостороннем формате.")
    assert sentences[1].startswith("Реализуем совместные программы")
    assert sentences[2].endswith("– сказал глава МВД.")


# --- ordinary splitting ------------------------------------------------------------------------


def test_ordinary_sentences_still_split() -> None:
    assert texts("Их доля превышает 65%. В основном это преступления небольшой тяжести.") == [
        "Их доля превышает 65%.",
        "В основном это преступления небольшой тяжести.",
    ]


def test_dash_led_speech_and_author_words() -> None:
    text = "– Мы работаем вместе. Реализуем программы, – сказал министр. – Это важно."
    assert texts(text) == [
        "– Мы работаем вместе.",
        "Реализуем программы, – сказал министр.",
        "– Это важно.",
    ]


@pytest.mark.parametrize("text", ["", " ", "\n", " \n\t "])
def test_empty_or_blank_gives_nothing(text: str) -> None:
    assert split_sentences(text) == ()


def test_whitespace_between_sentences_stays_outside() -> None:
    text = "  Задержан подозреваемый.   Возбуждено дело.  "
    sentences = split_sentences(text)
    assert [(s.start, s.end) for s in sentences] == [(2, 25), (28, 44)]
    assert_well_formed(text, sentences)


def test_sentence_is_frozen() -> None:
    sentence = split_sentences("Задержан.")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        sentence.start = 1  # type: ignore[misc]


# --- abbreviations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Изъято более 5 тыс. Доз героина.",
        "Ущерб составил 3 млн. Тенге по оценке следствия.",
        "Оборот достиг 2 млрд. Долларов США.",
        "Штраф в 500 руб. Суд не назначил.",
        "В 2023 г. Казахстан усилил охрану границы.",
        "В 2020–2023 гг. Казахстан принял три закона.",
        "Дело возбуждено по ч. 3 ст. 190 УК РК, т.е. Мошенничество в крупном размере.",
        "Изымались наркотики, оружие и т.д. Вместе с тем задержаны курьеры.",
        "Изымались наркотики, оружие и т. п. Вместе с тем задержаны курьеры.",
        "Задержан, т.к. Находился в розыске.",
        "Согласно ст. Закона о миграции гражданин выдворен.",
        "Согласно п. Второму приказа проверка продлена.",
        "Совершено преступление по ч. Второй статьи.",
        "Подробнее см. Приложение к приказу.",
        "Задержаны Ахметов, Сейтов и др. Участники группы.",
        "Центр им. Абая принял делегацию.",
        "Рейд прошёл на ул. Абая в центре города.",
        "В Алматинской обл. Проведён рейд.",
        "В Алатауском р-н. Задержан курьер.",
        "Рейд прошёл на пр. Абая в центре города.",
    ],
)
def test_never_split_after_abbreviation(text: str) -> None:
    assert texts(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Делегация прибыла в Оренбург. Затем министр вылетел в Бишкек.",
            ["Делегация прибыла в Оренбург.", "Затем министр вылетел в Бишкек."],
        ),
        (
            "Встречу открыл Ерлан Маратович. Затем выступил коллега.",
            ["Встречу открыл Ерлан Маратович.", "Затем выступил коллега."],
        ),
    ],
)
def test_word_ending_like_abbreviation_still_splits(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


# --- initials ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Глава МВД Е. Тургумбаев отметил рост раскрываемости.",
        "Глава МВД Е.Тургумбаев отметил рост раскрываемости.",
        "Глава МВД Е. Ж. Тургумбаев отметил рост раскрываемости.",
        "Как сообщил Тургумбаев Е.Ж. отметил рост раскрываемости.",
        "Слово взял Тургумбаев Е. Ж. После него выступил коллега.",
        "Делегацию возглавил Ә. Ахметов из Астаны.",
    ],
)
def test_never_split_after_initials(text: str) -> None:
    assert texts(text) == [text]


def test_initials_then_ordinary_split() -> None:
    text = "Выступил Е. Тургумбаев. Затем слово взял коллега."
    assert texts(text) == ["Выступил Е. Тургумбаев.", "Затем слово взял коллега."]


# --- quotes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Он сказал: «Мы работаем. Мы сотрудничаем.» Затем ушёл.",
            ["Он сказал: «Мы работаем. Мы сотрудничаем.»", "Затем ушёл."],
        ),
        (
            "Он сказал: «Мы работаем. Мы сотрудничаем». Затем ушёл.",
            ["Он сказал: «Мы работаем. Мы сотрудничаем».", "Затем ушёл."],
        ),
        (
            "Он сказал: „Мы работаем. Мы сотрудничаем.“ Затем ушёл.",
            ["Он сказал: „Мы работаем. Мы сотрудничаем.“", "Затем ушёл."],
        ),
        (
            'Он сказал: "Мы работаем. Мы сотрудничаем." Затем ушёл.',
            ['Он сказал: "Мы работаем. Мы сотрудничаем."', "Затем ушёл."],
        ),
        (
            "Он сказал: “Мы работаем. Мы сотрудничаем.” Затем ушёл.",
            ["Он сказал: “Мы работаем. Мы сотрудничаем.”", "Затем ушёл."],
        ),
    ],
)
def test_quote_is_whole_and_may_end_sentence(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_nested_quotes_stay_whole() -> None:
    text = (
        "Министр заявил: «Операция „Паутина. Этап второй“ завершена. Итоги подведём позже.» "
        "Совещание продолжилось."
    )
    assert texts(text) == [
        "Министр заявил: «Операция „Паутина. Этап второй“ завершена. Итоги подведём позже.»",
        "Совещание продолжилось.",
    ]


def test_quoted_name_then_new_sentence() -> None:
    text = "Проведена операция «Розыск». Кроме того, задержаны курьеры."
    assert texts(text) == ["Проведена операция «Розыск».", "Кроме того, задержаны курьеры."]


def test_quote_ending_in_dot_then_lowercase_does_not_split() -> None:
    text = "Операцию назвали „Паутина.“ и провели её в четырёх странах."
    assert texts(text) == [text]


def test_unclosed_quote_does_not_swallow_paragraph() -> None:
    text = "Он сказал: «Мы работаем. Затем ушёл. Совещание продолжилось."
    assert len(texts(text)) == 3


# --- soft line breaks and list markers ---------------------------------------------------------


def test_soft_line_break_inside_sentence() -> None:
    text = "Глава МВД РК\nЕ. Тургумбаев отметил, что выявлено более 1 тыс.\nнаркопреступлений."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [text]
    assert sentences[0].text.count("\n") == 2


def test_soft_line_break_between_sentences_splits_with_exact_offsets() -> None:
    text = "Задержаны 5 человек.\nИзъято 7 тонн наркотиков.\n"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Задержаны 5 человек.", "Изъято 7 тонн наркотиков."]
    assert [(s.start, s.end) for s in sentences] == [(0, 20), (21, 46)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. Задержано 5 человек.", ["1. Задержано 5 человек."]),
        ("2.1. Изъято оружие. Возбуждено дело.", ["2.1. Изъято оружие.", "Возбуждено дело."]),
        ("3) Проведена операция «Розыск».", ["3) Проведена операция «Розыск»."]),
    ],
)
def test_list_marker_stays_with_item(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


# --- properties --------------------------------------------------------------------------------

PIECES = [
    " ", "  ", "\n", "\t", ".", ". ", "!", "?", "…", ",", ":", "–", "-", "«", "»", "„", "“", "”",
    '"', "(", ")", "1", "65%", "2023", "тыс.", "г.", "т.е.", "т. д.", "р-н", "Е.", "Ж.", "Мы",
    "мы", "Тургумбаев", "работаем", "Затем", "А", "1.", "3)", "МВД", "ушёл", "\u00a0", "\u2028",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(PIECES), max_size=40).map("".join)))
def test_any_text_is_tiled_by_sentences(text: str) -> None:
    assert_well_formed(text, split_sentences(text))


# --- linear time: the same splits, and the accessors the join rules read -----------------------

RUSSIAN = [
    " ", " ", "  ", "\n", ".", ". ", "!", "?", "…", "«", "»", "„", "“", '"', "тыс.", "г.",
    "т.е.", "Мы", "мы", "работаем", "Затем", "ушёл", "Казахстан", "доз", "5", "Е.", "А",
]  # fmt: skip
russian_texts = st.lists(st.sampled_from(RUSSIAN), max_size=60).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(russian_texts, st.lists(st.sampled_from(RUSSIAN), max_size=600).map("".join)))
def test_sentences_cover_russian_text_exactly(text: str) -> None:
    sentences = split_sentences(text)
    outside = []
    position = 0
    for s in sentences:
        assert position <= s.start < s.end <= len(text)  # in order, not overlapping
        assert text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        outside.append(text[position : s.start])
        position = s.end
    outside.append(text[position:])
    assert all(gap.strip() == "" for gap in outside)


def test_seed_splits_where_it_always_has(seed_paragraphs: list[str]) -> None:
    """Sentence ends per paragraph of the seed article, as split before splitting was linear."""
    assert [[s.end for s in split_sentences(p)] for p in seed_paragraphs] == [
        [243], [252], [139, 268, 618], [95, 198, 491], [261, 461, 697], [184, 381], [233, 375],
        [304, 387, 410, 534, 622, 783], [141],
    ]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(), russian_texts, st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
)
def test_razdel_cuts_are_razdels_sentence_ends(text: str) -> None:
    flat = segment._flatten(text)
    ends = [s.stop for s in razdel.sentenize(flat)]
    assert list(segment.razdel_cuts(flat)) == ends[:-1]


@settings(max_examples=300, deadline=None)
@given(russian_texts, st.data())
def test_cut_reads_what_copies_would_show(text: str, data: st.DataObject) -> None:
    """``left_tail``, ``rest_contains`` and ``awaited`` agree with the stripped copies."""
    flat = segment._flatten(text)
    ends = data.draw(st.lists(st.integers(1, max(1, len(flat))), unique=True).map(sorted))
    taken = data.draw(st.lists(st.booleans(), min_size=len(ends), max_size=len(ends)))
    scan = segment._Scan(flat)
    start = 0
    for end, take in zip(ends, taken, strict=True):
        cut = scan.cut(end)
        left, right = flat[start:end].strip(), flat[end:].strip()
        assert (cut.left, cut.right) == (left, right)
        assert all(cut.left_tail(size) == left[-size:] for size in (1, 5, 12))
        assert cut.awaited == set(segment._open_quotes(left))
        assert all(cut.rest_contains(closer) == (closer in right) for closer in '»“”"')
        if take:
            scan.take(end)
            start = end


def test_cut_after_long_space_run_reads_the_sentence() -> None:
    flat = "Изъято 5 тыс." + " " * 200
    cut = segment._Scan(flat).cut(len(flat))
    assert cut.left_tail(12) == "зъято 5 тыс." == flat.strip()[-12:]


def test_quote_open_from_start_to_end_of_long_paragraph_is_one_sentence() -> None:
    body = "Мы работаем. Затем ушёл. Изъято 5 тыс. Доз. " * 5000
    text = "«" + body + "Конец.»"
    assert texts(text) == [text]
    assert len(texts(body)) == 3 * 5000


def test_long_run_of_razdel_joins_is_one_sentence() -> None:
    text = "изъято 5 тыс. доз, " * 20_000 + "всё."
    assert texts(text) == [text.strip()]


def test_long_space_run_after_closing_quote() -> None:
    """The quote-then-word look-ahead reads a run of spaces once, not once per space."""
    quote, spaces = "Он сказал: «Ушёл.»", " " * 50_000
    assert texts(quote + spaces + "– Затем пришёл.") == [quote, "– Затем пришёл."]
    # razdel sees only spaces on the right of "»", so it does not cut; nor does the look-ahead
    assert texts(quote + spaces + "2023 год прошёл.") == [quote + spaces + "2023 год прошёл."]
