"""English surface rules for post-editing: find a rendering in any inflection, carry the
casing over, and keep «a»/«an» agreeing with the word that now follows it.

Written by hand: these are a handful of regular-expression rules, and an English
morphology library (inflect, lemminflect) would add a dependency for the plural of the
last word and an article.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_WORD_SEPARATOR = r"[\s\-‐‑]+"
# "an" before a vowel sound.  Letters whose *name* starts with a vowel sound take "an"
# when they begin an acronym read letter by letter (an FSB officer, an MVD report).
_VOWEL_LETTER_NAMES = set("AEFHILMNORSX")
_CONSONANT_SOUND_PREFIXES = ("uni", "use", "usu", "uti", "eu", "one", "once", "ur")
_VOWEL_SOUND_PREFIXES = ("hour", "honest", "honour", "heir")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    possessive: str  # "'s", "'", "’s", "’" or "": kept after the replacement


def _inflected(word: str) -> str:
    """A word in either English number: agency/agencies, office/offices, minister(s)."""
    escaped = re.escape(word)
    if re.fullmatch(r"[A-Za-z]+y", word) and word[-2].lower() not in "aeiou":
        return f"(?:{escaped}|{re.escape(word[:-1])}ies)"
    if re.fullmatch(r"[A-Za-z]+", word):
        return f"(?:{escaped}(?:es|s)?)"
    return escaped


# Quotes and hyphens of every kind are matched as their ASCII forms, in a copy of the
# text with the same offsets (one code point for one): a pattern of ASCII classes
# compiles three times faster than one of Unicode classes under IGNORECASE, and a
# document's renderings are compiled in every run.
_AS_ASCII = str.maketrans(
    dict.fromkeys("«»“”„", '"') | dict.fromkeys("‘’", "'") | dict.fromkeys("‐‑", "-")
)
_QUOTE = "[\"']?"


@functools.lru_cache(maxsize=20_000)
def rendering_pattern(rendering: str) -> re.Pattern[str]:
    """A case-insensitive pattern for *rendering* in any English number or possessive.

    Any word may take -s, -es, -ies (agency → agencies, Minister of … → Ministers of …),
    the last a possessive 's or '; words may be joined by spaces or hyphens
    (law-enforcement = law enforcement) and quoted (operation "Search").  A match never
    starts or ends inside a hyphenated word: "drug" is not in "drug-related".
    """
    words = [w for w in re.split(_WORD_SEPARATOR, rendering.translate(_AS_ASCII).strip()) if w]
    if not words:
        raise ValueError("empty rendering")
    body = r"[\s-]+".join(f"{_QUOTE}{_inflected(w)}{_QUOTE}" for w in words)
    return re.compile(
        rf"(?<![\w-])(?P<body>{body})(?P<poss>'s\b|s?'(?!\w))?(?![\w]|-\w)",
        re.IGNORECASE,
    )


def find_all(text: str, rendering: str) -> list[Span]:
    """Every occurrence of *rendering* in *text*, inflection-tolerant, left to right."""
    found = []
    for match in rendering_pattern(rendering).finditer(text.translate(_AS_ASCII)):
        start, end = match.span()
        possessive = text[match.start("poss") : match.end("poss")] if match.group("poss") else ""
        found.append(Span(start, end, text[start:end], possessive))
    return found


def is_sentence_start(text: str, offset: int) -> bool:
    before = text[:offset].rstrip(" «\"'“(")
    return not before or before[-1] in ".!?:…\n–—"


def cased_like(term: str, mt_span: str, sentence_start: bool, source_all_caps: bool) -> str:
    """The approved term with the casing its place needs.

    An ALL-CAPS headline stays all caps; a term at the start of a sentence starts with a
    capital.  Otherwise the glossary's casing is the approved casing.
    """
    letters = [c for c in mt_span if c.isalpha()]
    if source_all_caps or (
        len(letters) > 3 and all(c.isupper() for c in letters) and not term.isupper()
    ):
        return term.upper()
    if sentence_start and term[:1].islower():
        return term[:1].upper() + term[1:]
    return term


def looks_plural(term: str) -> bool:
    """An English term with one form that is plural all the same ("internal affairs
    bodies" for ОВД): its last word is a lower-case -s plural.  Capitalised names ending
    in -s ("Ministry of Internal Affairs") are singular."""
    last = re.split(r"[\s-]", term.strip())[-1]
    return last.islower() and last.endswith("s") and not last.endswith(("ss", "us", "is"))


def article_for(word: str) -> str:
    """``a`` or ``an`` before *word* (by sound, with the usual exceptions)."""
    if not word:
        return "a"
    first_token = re.split(r"[\s\-]", word, maxsplit=1)[0]
    if len(first_token) > 1 and first_token.isupper():  # an acronym read letter by letter
        return "an" if first_token[0] in _VOWEL_LETTER_NAMES else "a"
    lower = word.lower()
    if lower.startswith(_VOWEL_SOUND_PREFIXES):
        return "an"
    if lower.startswith(_CONSONANT_SOUND_PREFIXES):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


_ARTICLE_BEFORE = re.compile(r"(?<![\w-])(?P<article>an?|An?|AN?)(?P<space>\s+)$")


def article_before(text: str, start: int) -> int | None:
    """Where an indefinite article right before *start* begins, if there is one."""
    match = _ARTICLE_BEFORE.search(text, 0, start)
    return match.start("article") if match else None


def fix_article(text: str, start: int) -> tuple[int, str] | None:
    """If an indefinite article right before *start* disagrees with the word at *start*,
    return ``(article_start, corrected_article)``; else None."""
    match = _ARTICLE_BEFORE.search(text, 0, start)
    if match is None:
        return None
    article = match.group("article")
    wanted = article_for(text[start:])
    if article.lower() == wanted:
        return None
    following = text[start : start + 12]
    headline = article.isupper() and (len(article) > 1 or following.upper() == following)
    if headline:
        wanted = wanted.upper()
    elif article[0].isupper():
        wanted = wanted.capitalize()
    return match.start("article"), wanted
