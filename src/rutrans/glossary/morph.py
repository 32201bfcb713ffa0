"""Russian morphology for term matching: pymorphy3, cached by word form, and a tokenizer.

News text repeats its words, and pymorphy3 parses ~15 000 forms a second uncached, so
every analysis is cached by the (normalised) word form.

Words are normalised for comparison by lower-casing and ё → е.  The tokenizer is a
regular expression rather than razdel's: razdel tokenises ~1.3 MB/s, a tenth of the
time budget of a 1 MB scan, and term matching needs only words, numbers and quotes.
Hyphens and dashes are separators, never tokens, so that «Центрально-Азиатский»,
«Центрально – Азиатский» and «Центрально Азиатский» give the same words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

QUOTE = '"'
_QUOTES = "«»„“”‟\"'‚‘’‹›"
_TOKEN = re.compile(
    r"(?P<word>[^\W\d_]+)|(?P<number>\d+)|(?P<quote>[" + _QUOTES + r"])|(?P<other>[^\s\-‐‑‒–—―])"
)


@dataclass(frozen=True)
class Token:
    """A word, number, quote or punctuation mark, with its offsets in the text."""

    start: int
    end: int
    text: str
    kind: str  # "word", "number", "quote", "other"
    norm: str  # what comparisons use: lower case, ё → е, every quote style as one


def normalise(word: str) -> str:
    return word.lower().replace("ё", "е")


def tokenize(text: str) -> Iterator[Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        word = match.group()
        norm = QUOTE if kind == "quote" else normalise(word)
        yield Token(match.start(), match.end(), word, kind, norm)


@functools.lru_cache(maxsize=1)
def analyzer() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=500_000)
def parses(word: str) -> tuple[Any, ...]:
    """All pymorphy3 parses of a normalised word form (most probable first)."""
    return tuple(analyzer().parse(word))


@functools.lru_cache(maxsize=500_000)
def lemmas(word: str) -> frozenset[str]:
    """Every lemma any parse gives, plus the form itself (for words pymorphy3 guesses)."""
    return frozenset({normalise(p.normal_form) for p in parses(word)} | {word})


@functools.lru_cache(maxsize=100_000)
def forms(word: str) -> frozenset[str]:
    """Every form of every lexeme the word may belong to (normalised)."""
    found = {word}
    for parse in parses(word):
        found.update(normalise(form.word) for form in parse.lexeme)
    return frozenset(found)


_NAME_ENDINGS = ("а", "у", "ом", "ым", "ем", "е", "ой", "ы", "ых", "ыми", "и", "ю", "ей", "я")


@functools.lru_cache(maxsize=20_000)
def name_forms(word: str) -> frozenset[str]:
    """Forms of a proper name whose nominative pymorphy3 reads as something else.

    «Тургумбаев» parses only as a genitive plural of «Тургумбай», yet «Тургумбаевым»
    parses as the surname «Тургумбаев».  Try the usual case endings of Russian (and
    Central Asian) names and surnames; each that pymorphy3 maps back to *word* brings
    its whole paradigm.
    """
    found: set[str] = set()
    for ending in _NAME_ENDINGS:
        for parse in parses(word + ending):
            if normalise(parse.normal_form) == word:
                found.update(normalise(form.word) for form in parse.lexeme)
                break
    return frozenset(found)


def number_of(parse: Any) -> str | None:
    return {"sing": "sg", "plur": "pl"}.get(str(parse.tag.number))


def is_known(word: str) -> bool:
    """Whether pymorphy3 knows the word from its dictionary (not only a guess)."""
    return any(
        type(method).__name__ == "DictionaryAnalyzer"
        for parse in parses(normalise(word))
        for method, *_ in parse.methods_stack
    )
