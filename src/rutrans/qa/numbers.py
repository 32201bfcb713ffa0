"""The numbers a sentence states, as values both languages can be compared on.

A Russian «1,5 тыс.» and an English "1.5 thousand" or "1,500" state the same number;
«15 марта 2018 г.» and "March 15, 2018" state 15, 3 (March) and 2018.  Each number found
is a :class:`Quantity`: the text it came from and every value it may mean (the number
itself and, with a multiplier word after it, the product), so that a check only asks
whether two quantities share a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_SPACE = "[ \u00a0\u202f]"  # Russian groups thousands with (narrow) no-break spaces

RU_NUMBER = re.compile(rf"(?<![\w.,])(\d{{1,3}}(?:{_SPACE}\d{{3}})+|\d+)(?:,(\d+))?(?![\d])")
EN_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:[.](\d+)|,(\d{1,2})(?!\d))?(?!\d)")

RU_MULTIPLIERS = {
    "тыс": 1_000,
    "тысяч": 1_000,
    "млн": 1_000_000,
    "миллион": 1_000_000,
    "млрд": 1_000_000_000,
    "миллиард": 1_000_000_000,
}
EN_MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
RU_MONTHS = (
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма[йяюе]",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
)
EN_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# English style spells out small numbers: «3 человека» → "three people".
EN_WORDS = {
    word: value
    for value, words in enumerate(
        (
            "zero",
            "one first",
            "two second",
            "three third",
            "four fourth",
            "five fifth",
            "six sixth",
            "seven seventh",
            "eight eighth",
            "nine ninth",
            "ten tenth",
            "eleven eleventh",
            "twelve twelfth",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty twentieth",
        )
    )
    for word in words.split()
}
EN_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80})
EN_WORDS.update({"ninety": 90, "hundred": 100, "dozen": 12})
_RU_MAY = frozenset({"май", "мая", "маю", "мае", "маем"})
_RU_MONTH = re.compile(r"(?<!\w)(" + "|".join(RU_MONTHS) + r")[а-яё]*", re.IGNORECASE)
_EN_MONTH = re.compile(r"(?<![\w-])(" + "|".join(EN_MONTHS) + r")(?!\w)", re.IGNORECASE)
_EN_WORD = re.compile(r"(?<![\w])(" + "|".join(EN_WORDS) + r")(?![\w])", re.IGNORECASE)
_WORD_AFTER = re.compile(r"\s*([^\W\d_]+)")


@dataclass(frozen=True)
class Quantity:
    """One number in a text: where it is, as written, and every value it may mean."""

    start: int
    end: int
    text: str
    values: frozenset[Decimal]

    def same_as(self, other: Quantity) -> bool:
        return not self.values.isdisjoint(other.values)


def _decimal(whole: str, fraction: str | None) -> Decimal | None:
    digits = re.sub(r"\D", "", whole) + (f".{fraction}" if fraction else "")
    try:
        return Decimal(digits).normalize()
    except InvalidOperation:
        return None


def _multiplied(text: str, end: int, value: Decimal, table: dict[str, int]) -> set[Decimal]:
    """The value, and its product with a multiplier word right after (тыс., million)."""
    values = {value}
    word = _WORD_AFTER.match(text, end)
    if word:
        found = word.group(1).lower()
        for stem, factor in table.items():
            if found.startswith(stem):
                values.add((value * factor).normalize())
    return values


def russian_quantities(text: str) -> Iterator[Quantity]:
    """Numbers in Russian text: «1 500», «1,5 тыс.», «2018 г.», and month names."""
    for match in RU_NUMBER.finditer(text):
        value = _decimal(match.group(1), match.group(2))
        if value is not None:
            values = _multiplied(text, match.end(), value, RU_MULTIPLIERS)
            yield Quantity(match.start(), match.end(), match.group(), frozenset(values))
    for match in _RU_MONTH.finditer(text):
        word = match.group().lower()
        index = next(i for i, stem in enumerate(RU_MONTHS, 1) if re.match(stem, word))
        if index != 5 or word in _RU_MAY:  # «мая» is May, «маяк» is not
            yield Quantity(match.start(), match.end(), match.group(), frozenset({Decimal(index)}))


def english_quantities(text: str) -> Iterator[Quantity]:
    """Numbers in English text: "1,500", "1.5 million", "three", month names."""
    for match in EN_NUMBER.finditer(text):
        value = _decimal(match.group(1), match.group(2) or match.group(3))
        if value is not None:
            values = _multiplied(text, match.end(), value, EN_MULTIPLIERS)
            if match.group(3):  # "1,5" kept from the Russian: read either way
                values.add(_decimal(match.group(1) + match.group(3), None) or value)
            yield Quantity(match.start(), match.end(), match.group(), frozenset(values))
    for match in _EN_MONTH.finditer(text):
        index = EN_MONTHS.index(match.group(1).lower()) + 1
        yield Quantity(match.start(), match.end(), match.group(), frozenset({Decimal(index)}))
    for match in _EN_WORD.finditer(text):
        value = Decimal(EN_WORDS[match.group(1).lower()])
        values = _multiplied(text, match.end(), value, EN_MULTIPLIERS)
        yield Quantity(match.start(), match.end(), match.group(), frozenset(values))
