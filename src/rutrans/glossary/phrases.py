"""Noun phrases of Russian text for ``glossary extract``: chains of ADJ* NOUN units, and
how often each noun is used, and used in which link, so that counts can tell a term from
a fragment of one or from a term in a passing context.

A chain is ADJ* NOUN followed by dependent units: ADJ* NOUN in the genitive (the usual
case of Russian terms: «органы внутренних дел», «кража чужого имущества»), or a bare noun
in the instrumental or dative that the head governs («торговля людьми», «обмен опытом»).
Those two cases are also what verbs and free syntax put after a noun («противодействие
кражам», «задержан сотрудниками»), so such a link is read only where the pair repeats and
is *bound*: one of its nouns is used in it in more than half of its occurrences.  It
ends the chain, and the next chain starts at its noun, so that «противодействии кражам
чужого имущества» gives «кражи чужого имущества» whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby, pairwise
from typing import Any

from rutrans.glossary import morph

HYPHENS = "-‐‑‒–—"
# Heads that make a phrase a frame, not a term («в рамках …», «в ходе …», «ряд …»).
_STOP_HEADS = frozenset(
    {"рамка", "ход", "ряд", "часть", "число", "год", "время", "раз", "случай", "условие"}
)
_GENDERS = frozenset({"masc", "femn", "neut"})
_GOVERNED = ("ablt", "datv")  # the oblique cases a noun governs without a preposition
Role = tuple[str, tuple[Any, ...]]  # "adj" or "noun", with the parses of that part of speech
Link = tuple[str, str]  # lemmas of a governing noun and of the noun of the unit it governs


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str
    initial: bool  # first word of a sentence: its capital letter says nothing


@dataclass(frozen=True)
class Occ:
    label: str
    text: str
    start: int
    end: int
    words: tuple[Word, ...] = ()  # phrases only, from here on
    parses: tuple[Any, ...] = ()  # the parse chosen for each word
    head: int = 0  # index of the head noun; the words before it agree with it
    units: tuple[int, ...] = (0,)  # where each ADJ* NOUN unit starts (the first may be cut)

    def lemmas(self) -> tuple[str, ...]:
        return tuple(morph.normalise(p.normal_form) for p in self.parses)

    def noun_of(self, i: int) -> int:
        """The index of the noun that ends the unit word *i* is in."""
        return next((u for u in self.units if u > i), len(self.words)) - 1


@dataclass
class Usage:
    """Noun tokens per lemma (every lemma a token may have), links between adjacent
    units of chains, and adjacent noun pairs in a governed oblique case."""

    min_count: int = 2
    nouns: Counter[str] = field(default_factory=Counter)
    links: Counter[Link] = field(default_factory=Counter)
    oblique: Counter[Link] = field(default_factory=Counter)

    def bound(self, link: Link, lemma: str) -> bool:
        """Whether *lemma*, one end of *link*, is used in it in more than half of its
        occurrences: it belongs with the other end."""
        return 2 * self.links[link] > self.nouns[lemma]

    def governs(self, link: Link) -> bool:
        """An instrumental or dative link is read where it repeats and is bound."""
        count = self.oblique[link]
        return count >= self.min_count and 2 * count > min(self.nouns[n] for n in link)

    def survey(self, run: list[Word]) -> None:
        """Pass one: count nouns and the governed-case pairs a chain may then use."""
        roles = [_role(w) for w in run]
        for role in roles:
            if role and role[0] == "noun":
                self.nouns.update({_lemma(p) for p in role[1]})
        for a, b in pairwise(roles):
            if a and b and a[0] == b[0] == "noun":
                if any(p.tag.case in ("gent", "gen2") for p in b[1]):
                    continue
                if dep := next((p for p in b[1] if p.tag.case in _GOVERNED), None):
                    self.oblique[_lemma(a[1][0]), _lemma(dep)] += 1


def _lemma(parse: Any) -> str:
    return morph.normalise(parse.normal_form)


def _sentence_initial(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and (text[i] in " \t«„“”\"'(" or text[i] in HYPHENS):
        i -= 1
    return i < 0 or text[i] in ".!?…\n\r"


def words(text: str, skip: bytearray | None = None) -> Iterator[list[Word]]:
    """Runs of words with nothing but spaces between them (a hyphenated compound is one
    word, as pymorphy3 parses it whole).  Punctuation, numbers, quotes, line breaks and
    spaced dashes end a run, so that a phrase never crosses them."""
    run: list[Word] = []
    for tok in morph.tokenize(text):
        word = tok.kind == "word" and not (skip and skip[tok.start])
        gap = text[run[-1].end : tok.start] if run else ""
        if word and len(gap) == 1 and gap in HYPHENS:
            run[-1] = Word(run[-1].start, tok.end, text[run[-1].start : tok.end], run[-1].initial)
            continue
        if run and not (word and gap.isspace() and "\n" not in gap):
            yield run
            run = []
        if word:
            run.append(Word(tok.start, tok.end, tok.text, _sentence_initial(text, tok.start)))
    if run:
        yield run


def _role(word: Word) -> Role | None:
    """Adjective or noun by the most probable parse; pronouns («наш», «другой»), ordinals,
    abbreviations and acronyms (candidates of their own) are neither."""
    parses = morph.parses(morph.normalise(word.text))
    if len(word.text) < 2 or word.text.isupper() or not parses:
        return None
    top = parses[0].tag
    if top.POS in ("ADJF", "PRTF") and not {"Apro", "Anum"} & top.grammemes:
        # Adjective parses before participle ones: «организованной» keeps the lemma
        # «организованный» in every form, where the participle's is «организовать».
        adjectives = [p for p in parses if p.tag.POS in ("ADJF", "PRTF")]
        return "adj", tuple(sorted(adjectives, key=lambda p: p.tag.POS != "ADJF"))
    if top.POS == "NOUN" and "Abbr" not in top.grammemes:
        return "noun", tuple(p for p in parses if p.tag.POS == "NOUN")
    return None


def _agrees(adj: Any, noun: Any) -> bool:
    a, n = adj.tag, noun.tag
    gender_ok = n.number == "plur" or a.gender in (None, n.gender) or n.gender not in _GENDERS
    return bool(a.case == n.case and a.number == n.number and gender_ok)


def _unit(roles: Sequence[Role], i: int, case: str | None) -> list[Any] | None:
    """ADJ* NOUN from *i* (in *case* if given): the parses chosen so that they agree."""
    j = i
    while j < len(roles) and roles[j][0] == "adj":
        j += 1
    if j == len(roles) or roles[j][0] != "noun":
        return None
    for noun in roles[j][1]:
        chosen = [next((p for p in r[1] if _agrees(p, noun)), None) for r in roles[i:j]]
        if (case is None or noun.tag.case == case) and None not in chosen:
            return [*chosen, noun]
    return None


def _governed(roles: Sequence[Role], end: int, head: Any, usage: Usage) -> list[Any] | None:
    """A bare noun at *end* in a case *head* governs, where the pair is bound."""
    if end == len(roles) or roles[end][0] != "noun":
        return None
    for dep in roles[end][1]:
        if dep.tag.case in _GOVERNED and usage.governs((_lemma(head), _lemma(dep))):
            return [dep]
    return None


def _chain(roles: Sequence[Role], i: int, usage: Usage) -> tuple[list[tuple[int, list[Any]]], int]:
    """The units of the chain from *i* and where the next chain starts."""
    first = _unit(roles, i, None)
    if first is None:
        return [], i + 1
    units, end = [(i, first)], i + len(first)
    while dep := _unit(roles, end, "gent"):
        units.append((end, dep))
        end += len(dep)
    if dep := _governed(roles, end, units[-1][1][-1], usage):
        units.append((end, dep))  # the last unit: the next chain starts at its noun
    return units, end


def phrases(label: str, text: str, run: list[Word], usage: Usage) -> Iterator[Occ]:
    """Pass two: every 2–5 word span of every chain (a span starts at any word of a unit up
    to its noun and ends at the noun of the same or a later unit); counts the links."""
    for eligible, pairs in groupby(((w, _role(w)) for w in run), key=lambda p: p[1] is not None):
        if not eligible:
            continue
        found, maybe = zip(*pairs, strict=True)
        roles = [r for r in maybe if r]
        i = 0
        while i < len(found):
            units, after = _chain(roles, i, usage)
            parses = [p for _, unit in units for p in unit]
            starts = [s for s, _ in units]
            for (_, gov), (_, dep) in pairwise(units):
                usage.links[_lemma(gov[-1]), _lemma(dep[-1])] += 1
            for a, (a_start, a_unit) in enumerate(units):
                head = a_start + len(a_unit) - 1
                if _lemma(parses[head - i]) in _STOP_HEADS:
                    continue
                for start in range(a_start, head + 1):
                    for b_start, b_unit in units[a:]:
                        stop = b_start + len(b_unit)
                        if 2 <= stop - start <= 5:
                            span, chosen = found[start:stop], tuple(parses[start - i : stop - i])
                            inner = (0, *(s - start for s in starts if start < s < stop))
                            yield Occ(label, text, span[0].start, span[-1].end, span, chosen,
                                      head - start, inner)  # fmt: skip
            i = after
