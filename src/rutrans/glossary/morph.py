"""Russian morphology for term matching: pymorphy3, cached by word form, and a tokenizer.

News text repeats its words, and pymorphy3 parses ~15 000 forms a second uncached, so
every analysis is cached by the (normalised) word form; the forms of a lexeme are read
from its paradigm, and the grammemes agreement needs are kept as plain strings.

Words are normalised for comparison by lower-casing and ё → е.  The tokenizer is a
regular expression rather than razdel's: razdel tokenises ~1.3 MB/s, a tenth of the
time budget of a 1 MB scan, and term matching needs only words, numbers and quotes.
Hyphens and dashes are separators, never tokens, so that «Центрально-Азиатский»,
«Центрально – Азиатский» and «Центрально Азиатский» give the same words.  The matcher's
:func:`token_table` reads text through :func:`textnorm.normalise` (soft hyphens, accents,
zero-width characters, Latin look-alikes); :func:`tokenize` gives words as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from rutrans.glossary import textnorm

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


class TokenTable(NamedTuple):
    """:func:`tokenize`'s tokens as columns, for scanning long texts: no object per token."""

    starts: list[int]
    ends: list[int]
    texts: list[str]
    kinds: list[str]
    words: list[str | None]  # a word's norm; None for every other kind of token


def token_table(text: str) -> TokenTable:
    """The tokens of *text* as :mod:`textnorm` reads it (no soft hyphens, accents or
    zero-width characters; look-alike Latin letters of a Cyrillic word as Cyrillic):
    texts as read, offsets in *text* as written."""
    read = textnorm.normalise(text)
    table = TokenTable([], [], [], [], [])
    starts, ends, texts = table.starts.append, table.ends.append, table.texts.append
    kinds, words = table.kinds.append, table.words.append
    norms: dict[str, str] = {}  # news text repeats its words
    as_written = read.text is text  # most text: its offsets are the tokens' own
    for match in _TOKEN.finditer(read.text):
        kind = match.lastgroup or "other"
        word = match.group()
        if as_written:
            starts(match.start())
            ends(match.end())
        else:
            starts(read.start(match.start()))
            ends(read.end(match.end()))
        texts(word)
        kinds(kind)
        if kind == "word":
            norm = norms.get(word)
            if norm is None:
                norm = norms[word] = normalise(word)
            words(norm)
        else:
            words(None)
    return table


@functools.lru_cache(maxsize=1)
def analyzer() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=500_000)
def parses(word: str) -> tuple[Any, ...]:
    """All pymorphy3 parses of a normalised word form (most probable first)."""
    return tuple(analyzer().parse(word))


class Reading(NamedTuple):
    """What term matching reads from a parse, as plain strings (None where absent)."""

    pos: str | None
    number: str | None
    case: str | None
    lemma: str  # the normalised normal form


def _plain(grammeme: Any) -> str | None:
    return None if grammeme is None else str(grammeme)


@functools.lru_cache(maxsize=500_000)
def readings(word: str) -> tuple[Reading, ...]:
    """:func:`parses` of a normalised word form as Readings, in the same order.

    pymorphy3 computes ``tag.POS``, ``tag.case``… on every access (a set intersection
    and a new string); agreement checks read them thousands of times per text.
    """
    return tuple(
        Reading(
            _plain(p.tag.POS), _plain(p.tag.number), _plain(p.tag.case), normalise(p.normal_form)
        )
        for p in parses(word)
    )


@functools.lru_cache(maxsize=500_000)
def lemmas(word: str) -> frozenset[str]:
    """Every lemma any parse gives, plus the form itself (for words pymorphy3 guesses)."""
    return frozenset({normalise(p.normal_form) for p in parses(word)} | {word})


@functools.lru_cache(maxsize=100_000)
def forms(word: str) -> frozenset[str]:
    """Every form of every lexeme the word may belong to (normalised)."""
    found = {word}
    seen: set[tuple[int, str]] = set()  # dictionary lexemes already added
    for parse in parses(word):
        found.update(_lexeme_words(parse, seen))
    return frozenset(found)


def _lexeme_words(parse: Any, seen: set[tuple[int, str]]) -> Iterator[str]:
    """The normalised forms of *parse*'s lexeme: ``parse.lexeme``'s words.

    A dictionary parse is read straight from its paradigm (prefix + stem + suffix, as
    pymorphy3's ``DictionaryAnalyzer.get_lexeme`` builds it) without building a tag and
    a Parse for every form, and a lexeme already in *seen* is skipped: «дела» has three
    parses of «дело», one lexeme.  Guessed parses go through ``parse.lexeme``.
    """
    stack = parse.methods_stack
    unit = stack[0][0]
    if len(stack) != 1 or type(unit).__name__ != "DictionaryAnalyzer":
        yield from (normalise(form.word) for form in parse.lexeme)
        return
    _, fixed_word, para_id, idx = stack[0]
    dictionary = unit.dict
    paradigm = dictionary.paradigms[para_id]
    stem = dictionary.build_stem(paradigm, idx, fixed_word)
    if (para_id, stem) in seen:
        return
    seen.add((para_id, stem))
    size = len(paradigm) // 3
    prefixes, suffixes = dictionary.paradigm_prefixes, dictionary.suffixes
    for i in range(size):
        yield normalise(prefixes[paradigm[2 * size + i]] + stem + suffixes[paradigm[i]])


_NAME_ENDINGS = ("а", "у", "ом", "ым", "ем", "е", "ой", "ы", "ых", "ыми", "и", "ю", "ей", "я")


@functools.lru_cache(maxsize=20_000)
def name_forms(word: str) -> frozenset[str]:
    """Forms of a proper name whose nominative pymorphy3 reads as something else.

    «Тургумбаев» parses only as a genitive plural of «Тургумбай», yet «Тургумбаевым»
    parses as the surname «Тургумбаев».  Try the usual case endings of Russian (and
    Central Asian) names and surnames; each that pymorphy3 maps back to *word* brings
    its whole paradigm.

    A word the dictionary knows as its own normal form («Министерство», «Казахстан»)
    has its paradigm in :func:`forms` already; its endings are not tried, since each
    made-up form («Министерствоом») costs pymorphy3's slow guessing, and a glossary's
    capitalised words are mostly such (the first word of an official name).
    """
    if any(
        _from_dictionary(parse) and normalise(parse.normal_form) == word for parse in parses(word)
    ):
        return frozenset()
    found: set[str] = set()
    for ending in _NAME_ENDINGS:
        for parse in parses(word + ending):
            if normalise(parse.normal_form) == word:
                found.update(_lexeme_words(parse, set()))
                break
    return frozenset(found)


_NUMBERS = {"sing": "sg", "plur": "pl"}


def number_of(parse: Any) -> str | None:
    return _NUMBERS.get(str(parse.tag.number))


def number_of_reading(reading: Reading) -> str | None:
    return _NUMBERS.get(reading.number or "")


def _from_dictionary(parse: Any) -> bool:
    return any(type(method).__name__ == "DictionaryAnalyzer" for method, *_ in parse.methods_stack)


def is_known(word: str) -> bool:
    """Whether pymorphy3 knows the word from its dictionary (not only a guess)."""
    return any(_from_dictionary(parse) for parse in parses(normalise(word)))
