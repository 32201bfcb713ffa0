"""Find every glossary term in Russian text, in any inflected form.

Each entry's ``msgid`` is compiled once into a pattern of elements — a quote, a
punctuation mark, an exact word (acronyms, ``exact`` entries: the written form,
case-sensitive) or a word matched by its lemmas (all pymorphy3 parses).  Patterns are
indexed by the normalised *surface forms* of their first word (every form of its
lexemes), then by the forms of the word after it, so a text word that cannot start a
term costs one dictionary look-up and no morphological analysis, and one that starts
hundreds of terms («государственный») a few more: a 10 000-entry glossary does not slow
the scan down.  The text is tokenised once, into columns (:class:`morph.TokenTable`);
only the words of a match are analysed, for its number.  The tokens are read through
:func:`textnorm.normalise` (soft hyphens, accents, zero-width characters and Latin
look-alikes in Cyrillic words do not hide a term), their offsets are the text's as written.

Candidates are then selected longest first, so matches never overlap, and each match
gets the grammatical number of its head noun, preferring parses that agree in number and
case with the term's adjectives («Шанхайской организации» is singular although
«организации» alone may be a plural).
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rutrans.glossary import morph
from rutrans.glossary.model import Entry, Glossary


@dataclass(frozen=True)
class Element:
    kind: str  # "quote", "other", "exact", "lemma"
    text: str  # normalised form (exact: as written, ё → е)
    lemmas: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()  # every form of its lexemes: what it matches


@dataclass(frozen=True)
class Pattern:
    entry: Entry
    elements: tuple[Element, ...]
    head: int | None  # index of the head noun among elements
    modifiers: tuple[int, ...]  # adjectives that agree with the head
    anchor: int  # index of the first word element: what the index is keyed by


@dataclass(frozen=True)
class TermMatch:
    """One occurrence of a glossary term in a text."""

    start: int
    end: int
    text: str
    entry: Entry
    number: str | None  # "sg", "pl", or None (acronyms, names)


def scan_row(match: TermMatch, line: int) -> dict[str, object]:
    """One row of ``rutrans glossary scan --json``: where the term is and what it means."""
    return {
        "start": match.start,
        "end": match.end,
        "text": match.text,
        "line": line,
        "msgid": match.entry.msgid,
        "msgctxt": match.entry.msgctxt,
        "msgstr": match.entry.target_for(match.number),
        "number": match.number,
        "status": match.entry.status,
    }


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def _exact(word: str) -> str:
    return word.replace("ё", "е").replace("Ё", "Е")


_QUOTE = Element("quote", morph.QUOTE)


@functools.lru_cache(maxsize=100_000)
def _lemma(word: str, name: bool) -> Element:
    """A word matched by its lemmas, one Element per form (terms share their words)."""
    forms = morph.forms(word)
    if name:  # a name: its nominative may fool pymorphy3
        forms |= morph.name_forms(word)
    return Element("lemma", word, morph.lemmas(word), forms)


def compile_pattern(entry: Entry) -> Pattern | None:
    """Turn an entry's msgid into a pattern; None when it has no word to anchor on."""
    elements: list[Element] = []
    exact = entry.exact
    table = morph.token_table(entry.msgid)
    for text, kind, word in zip(table.texts, table.kinds, table.words, strict=True):
        if kind == "quote":
            elements.append(_QUOTE)
        elif word is None:  # "other", "number"
            elements.append(Element("other", text))
        elif exact or _is_acronym(text):
            elements.append(Element("exact", _exact(text)))
        else:
            elements.append(_lemma(word, text[:1].isupper()))
    words = [i for i, e in enumerate(elements) if e.kind in ("exact", "lemma")]
    if not words:
        return None
    head = _head(elements)
    modifiers = _modifiers(elements, head)
    return Pattern(entry, tuple(elements), head, modifiers, anchor=words[0])


def _head(elements: Sequence[Element]) -> int | None:
    """The first noun that the dictionary form gives in the nominative.

    Words inside quotes are a name («Стоп-трафик»), not a head: a name has no number.
    A word whose most probable parse is not a noun (the preposition «в») is skipped.
    """
    quoted = False
    for i, element in enumerate(elements):
        if element.kind == "quote":
            quoted = not quoted
        if element.kind != "lemma" or quoted:
            continue
        candidates = morph.readings(element.text)
        is_noun = bool(candidates) and candidates[0].pos == "NOUN"
        if is_noun and any(r.pos == "NOUN" and r.case == "nomn" for r in candidates):
            return i
    return None


def _modifiers(elements: Sequence[Element], head: int | None) -> tuple[int, ...]:
    """Adjectives and participles right before the head (they agree with it)."""
    if head is None:
        return ()
    found = []
    i = head - 1
    while i >= 0 and elements[i].kind == "lemma":
        if not any(r.pos in ("ADJF", "PRTF") for r in morph.readings(elements[i].text)):
            break
        found.append(i)
        i -= 1
    return tuple(found)


def _fits(element: Element, i: int, table: morph.TokenTable) -> bool:
    """Whether token *i* of *table* is what *element* asks for."""
    kind = element.kind
    if kind == "lemma":
        # A form of one of the word's lexemes shares a lemma with it: a set look-up
        # instead of a morphological analysis for every word the scan tries.
        return table.words[i] in element.forms
    if kind == "quote":
        return table.kinds[i] == "quote"
    if kind == "other":
        return table.texts[i] == element.text
    return table.kinds[i] == "word" and _exact(table.texts[i]) == element.text


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Compiling a glossary allocates some 10⁵ long-lived objects (pymorphy3's parses,
    forms, patterns) and no garbage cycles; the cyclic collector's full passes over them
    would take a fifth of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Entry(NamedTuple):
    """A pattern as the index holds it: what is left to check once it is looked up."""

    order: tuple[bool, int]  # (exact anchor first, then glossary order): ties keep it
    pattern: Pattern
    checks: tuple[tuple[int, Element], ...]  # (offset from the first token, element)


class _Group:
    """Patterns that start with the same word, by the word that must follow it."""

    __slots__ = ("after", "others")

    def __init__(self) -> None:
        self.after: dict[int, list[_Entry]] = {}  # by the next word's Matcher._next id
        self.others: list[_Entry] = []  # no word to key them by next


class Matcher:
    """An index of a glossary's enforceable and proposed entries, ready to scan text."""

    def __init__(self, glossary: Glossary | Iterable[Entry]) -> None:
        entries = glossary.entries if isinstance(glossary, Glossary) else tuple(glossary)
        with _collector_paused():
            # Forbidden entries describe English renderings, not Russian terms to find.
            self.patterns = [
                p
                for p in (compile_pattern(e) for e in entries if e.status != "forbidden")
                if p is not None
            ]
            self._index()

    def _index(self) -> None:
        # A text word looks up the groups its form starts, then the next word's form
        # among the words that follow there: a word shared by hundreds of terms
        # («государственный») costs a few dictionary look-ups, not hundreds of checks.
        self._by_form: dict[str, list[_Group]] = defaultdict(list)
        self._by_exact: dict[str, list[_Group]] = defaultdict(list)
        self._next: dict[str, list[int]] = defaultdict(list)  # form → second words with it
        groups: dict[Element, _Group] = {}
        second: dict[Element, int] = {}
        for seq, pattern in enumerate(self.patterns):
            elements, at = pattern.elements, pattern.anchor
            anchor = elements[at]
            group = groups.get(anchor)
            if group is None:
                group = groups[anchor] = _Group()
                if anchor.kind == "exact":
                    self._by_exact[anchor.text].append(group)
                else:
                    for form in anchor.forms:
                        self._by_form[form].append(group)
            keyed = at + 1 < len(elements) and elements[at + 1].kind == "lemma"
            checks = tuple(
                (i, e) for i, e in enumerate(elements) if i != at and (i != at + 1 or not keyed)
            )
            item = _Entry((anchor.kind != "exact", seq), pattern, checks)
            if not keyed:
                group.others.append(item)
                continue
            following = elements[at + 1]
            key = second.get(following)
            if key is None:
                key = second[following] = len(second)
                for form in following.forms:
                    self._next[form].append(key)
            group.after.setdefault(key, []).append(item)
        self._exact_norms = {morph.normalise(key) for key in self._by_exact}

    def find(self, text: str) -> list[TermMatch]:
        """Every occurrence of a term in *text*: longest first, never overlapping."""
        table = morph.token_table(text)
        words, texts = table.words, table.texts
        count = len(words)
        by_form, by_exact, exact_norms = self._by_form, self._by_exact, self._exact_norms
        candidates: list[tuple[int, int, Pattern]] = []  # (first token, end token, pattern)
        for i, norm in enumerate(words):
            if norm is None:
                continue
            groups = by_form.get(norm, ())
            if norm in exact_norms:
                groups = (*by_exact.get(_exact(texts[i]), ()), *groups)
            if not groups:
                continue
            following = self._next.get(words[i + 1] or "", ()) if i + 1 < count else ()
            found: list[_Entry] = []
            for group in groups:
                if group.others:
                    found.extend(group.others)
                for key in following:
                    found.extend(group.after.get(key, ()))
            if len(found) > 1:
                found.sort(key=lambda item: item.order)
            for item in found:
                pattern = item.pattern
                first = i - pattern.anchor
                last = first + len(pattern.elements)
                if first < 0 or last > count:
                    continue
                if all(_fits(e, first + offset, table) for offset, e in item.checks):
                    candidates.append((first, last, pattern))
        return [self._match(text, table, c) for c in _select(candidates)]

    def _match(
        self, text: str, table: morph.TokenTable, candidate: tuple[int, int, Pattern]
    ) -> TermMatch:
        first, last, pattern = candidate
        start, end = table.starts[first], table.ends[last - 1]
        return TermMatch(
            start,
            end,
            text[start:end],
            pattern.entry,
            _number(pattern, table.words[first:last], _neighbours(table, first, last)),
        )


def _priority(candidate: tuple[int, int, Pattern]) -> tuple[int, int, int, int]:
    first, last, pattern = candidate
    entry = pattern.entry
    # Longer terms first; then the default sense (no msgctxt) and approved over proposed.
    return (-(last - first), entry.msgctxt is not None, entry.status != "approved", first)


def _select(candidates: list[tuple[int, int, Pattern]]) -> list[tuple[int, int, Pattern]]:
    taken: set[int] = set()
    chosen = []
    for candidate in sorted(candidates, key=_priority):
        first, last, _ = candidate
        span = set(range(first, last))
        if span & taken:
            continue
        taken |= span
        chosen.append(candidate)
    return sorted(chosen, key=lambda c: c[0])


def _candidate_parses(element: Element, norm: str | None) -> list[morph.Reading]:
    all_readings = list(morph.readings(norm or ""))
    fitting = [r for r in all_readings if r.lemma in element.lemmas]
    return fitting or all_readings


def _neighbours(table: morph.TokenTable, first: int, last: int) -> list[tuple[str, bool]]:
    """The words right before and after a match (their norms), each with whether a verb
    there can be the match's predicate: one right before it, or one right after a match
    that opens its sentence («Кражи чужого имущества составляют…»)."""
    initial = first == 0 or table.texts[first - 1] in ".!?…"
    around = [
        (table.words[i], i < first or initial)
        for i in (first - 1, last)
        if 0 <= i < len(table.words)
    ]
    return [(norm, verb_ok) for norm, verb_ok in around if norm is not None]


def _by_context(
    readings: Sequence[morph.Reading], neighbours: Sequence[tuple[str, bool]]
) -> list[morph.Reading]:
    """Keep head parses that a neighbouring word agrees with.

    «составляют кражи»: a verb right before the noun picks its nominative plural over
    the genitive singular.  A verb *after* the noun is trusted only when the noun opens
    the sentence («…часть преступности составляют кражи»: the genitive «преступности» is
    not the subject).  An adjective on either side must agree in number and case.
    """
    for norm, verb_ok in neighbours:
        agreeing = [
            h
            for h in readings
            for n in morph.readings(norm)
            if n.number == h.number
            and (
                (verb_ok and n.pos == "VERB" and h.case == "nomn")
                or (n.pos in ("ADJF", "PRTF") and n.case == h.case)
            )
        ]
        if agreeing and len({morph.number_of_reading(r) for r in agreeing}) == 1:
            return agreeing
    return list(readings)


def _number(
    pattern: Pattern,
    window: Sequence[str | None],
    neighbours: Sequence[tuple[str, bool]] = (),
) -> str | None:
    """Grammatical number of the occurrence, read from the head noun.

    *window* holds the norms of the matched words.  Parses of the head are narrowed by
    agreement with the term's own adjectives, then — if singular and plural are both
    still possible — with the words around the match.
    """
    if pattern.head is None:
        return None
    head_readings = _candidate_parses(pattern.elements[pattern.head], window[pattern.head])
    agreeing = head_readings
    for index in pattern.modifiers:
        modifier = _candidate_parses(pattern.elements[index], window[index])
        narrowed = [
            h for h in agreeing if any(m.number == h.number and m.case == h.case for m in modifier)
        ]
        agreeing = narrowed or agreeing
    if len({morph.number_of_reading(r) for r in agreeing} - {None}) > 1:
        agreeing = _by_context(agreeing, neighbours)
    for reading in agreeing:
        number = morph.number_of_reading(reading)
        if number is not None:
            return number
    return None
