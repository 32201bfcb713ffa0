"""Which runs of MT words may be the rendering of a term.

A run is a few words in a row with nothing but spaces, hyphens or quotes between them.  It
may not start or end with a function word, nor cut a phrase it does not cover — half a
name, half a hyphenated compound, or a prepositional phrase without its noun — because
replacing such a run leaves half a phrase behind ("human trafficking beings").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rutrans.postedit.evidence import FUNCTION_WORDS, QUOTES

CONJUNCTIONS = frozenset({"and", "or"})  # end a run unless the term has one

# A quoted name of up to three words is one token ("Spider Web"); else a word, with its
# hyphens, apostrophes and a possessive.
_WORD = re.compile(r"[«“„\"](?:\w[\w’'-]*(?:\s+\w[\w’'-]*){0,2})[»”\"]|\w+(?:[-’']\w+)*(?:['’]s?)?")
_JOINER = re.compile(rf"[\s{QUOTES}\-–]*")  # what may stand between the words of a run


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str


def words_of(text: str) -> list[Word]:
    return [Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def runs_of(
    text: str, words: Sequence[Word], longest: int, conjunctions: bool
) -> list[tuple[int, int]]:
    """Word index ranges [i, j] that may be one rendering: no punctuation inside, no
    function word at either end, no "and" unless the term has one ("crime and drug" is
    two things, not "drug crime")."""
    runs = []
    for i, first in enumerate(words):
        if first.text.lower() in FUNCTION_WORDS:
            continue
        for j in range(i, min(len(words), i + longest)):
            if j > i and not _JOINER.fullmatch(text, words[j - 1].end, words[j].start):
                break
            lowered = words[j].text.lower()
            if lowered in CONJUNCTIONS and not conjunctions:
                break
            if lowered not in FUNCTION_WORDS:
                runs.append((i, j))
    return runs


PREPOSITIONS = frozenset("of on in for from to with under within against by at".split())  # noqa: SIM905
# Words that may follow a noun phrase: a run with a preposition inside may end before them.
_AFTER_PHRASE = frozenset(
    """
    is are was were be been has have had will would can could may might must should shall
    remain remains remained became become becomes and or but as that which who whose than
    not also said says met meets held holds took takes made makes sent sends led leads told
    tells began begins found finds brought brings saw sees gave gives reports reported
    """.split()  # noqa: SIM905
)


@functools.lru_cache(maxsize=1024)
def is_headline(text: str) -> bool:
    """More capitals than small letters: an ALL-CAPS headline (asked once per run of a
    sentence's words, so cached per text)."""
    return sum(c.isupper() for c in text) > sum(c.islower() for c in text)


def cuts_a_phrase(text: str, words: Sequence[Word], first: int, last: int) -> bool:
    """The run would end or start inside a phrase it does not cover, so replacing it
    would leave half a phrase behind:

    * inside a name: a one-word run with a capitalised word right before or after it
      ("the Kyrgyz Republic" is not "Kyrgyz"; a possessive ends a name), unless the text
      is an ALL-CAPS headline;
    * inside a hyphenated word with a capitalised part it does not render (Kyrgyz-Tajik);
    * inside a prepositional phrase: "trafficking in human" + "beings" — unless what
      follows ends a noun phrase (a verb, a function word) or the run ends on a name.
    """
    headline = is_headline(text)
    before = words[first - 1] if first > 0 else None
    after = words[last + 1] if last + 1 < len(words) else None
    spaced_before = before is not None and text[before.end : words[first].start].isspace()
    spaced_after = after is not None and text[words[last].end : after.start].isspace()
    single = first == last
    possessive = words[last].text.endswith(("'s", "’s", "s'", "s’"))
    if not headline:
        name_after = spaced_after and after is not None and after.text[:1].isupper()
        if single and name_after and not possessive:
            return True
        if (
            single
            and spaced_before
            and before is not None
            and before.text[:1].isupper()
            and before.text.lower() not in FUNCTION_WORDS
            and not _starts_sentence(text, before.start)
        ):
            return True
        for word in (words[first], words[last]):
            parts = re.split(r"[-‐‑]", word.text.strip(QUOTES))
            if len(parts) > 1 and sum(p[:1].isupper() for p in parts) > 1:
                return True
    inside = {w.text.lower() for w in words[first : last + 1]}
    if inside & PREPOSITIONS and spaced_after and after is not None:
        if words[last].text[:1].isupper():
            return False  # "the Organisation of Cooperation unites": the name ends it
        following = after.text.lower()
        ends_phrase = (
            following in FUNCTION_WORDS
            or following in _AFTER_PHRASE
            or following.endswith("ed")
            or not following[:1].isalpha()
        )
        return not ends_phrase
    return False


def _starts_sentence(text: str, offset: int) -> bool:
    before = text[:offset].rstrip(" " + QUOTES + "(")
    return not before or before[-1] in ".!?:;…\n–—>"


def _quoted(text: str, word: Word) -> bool:
    before = text[word.start - 1] if word.start else ""
    after = text[word.end] if word.end < len(text) else ""
    return bool(before and before in QUOTES) or bool(after and after in QUOTES)


def is_name(text: str, word: Word, index: int) -> bool:
    """A quoted word, or a capitalised one that does not start the sentence."""
    if _quoted(text, word) or word.text[:1] in QUOTES:
        return True
    return word.text[:1].isupper() and index > 0 and not word.text.isupper()
