"""Find every glossary term in Russian text, in any inflected form.

Each entry's ``msgid`` is compiled once into a pattern of elements — a quote, a
punctuation mark, an exact word (acronyms, ``exact`` entries: the written form,
case-sensitive) or a word matched by its lemmas (all pymorphy3 parses).  Patterns are
indexed by the normalised *surface forms* of their first word (every form of its
lexemes), so a text word that cannot start a term costs one dictionary look-up and no
morphological analysis: a 10 000-entry glossary does not slow the scan down.

Candidates are then selected longest first, so matches never overlap, and each match
gets the grammatical number of its head noun, preferring parses that agree in number and
case with the term's adjectives («Шанхайской организации» is singular although
«организации» alone may be a plural).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

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


def compile_pattern(entry: Entry) -> Pattern | None:
    """Turn an entry's msgid into a pattern; None when it has no word to anchor on."""
    elements: list[Element] = []
    for token in morph.tokenize(entry.msgid):
        if token.kind == "quote":
            elements.append(Element("quote", morph.QUOTE))
        elif token.kind in ("other", "number"):
            elements.append(Element("other", token.text))
        elif entry.exact or _is_acronym(token.text):
            elements.append(Element("exact", token.text.replace("ё", "е").replace("Ё", "Е")))
        else:
            word = token.norm
            forms = morph.forms(word)
            if token.text[:1].isupper():  # a name: its nominative may fool pymorphy3
                forms |= morph.name_forms(word)
            elements.append(Element("lemma", word, morph.lemmas(word), forms))
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
        candidates = morph.parses(element.text)
        is_noun = bool(candidates) and candidates[0].tag.POS == "NOUN"
        if is_noun and any(p.tag.POS == "NOUN" and p.tag.case == "nomn" for p in candidates):
            return i
    return None


def _modifiers(elements: Sequence[Element], head: int | None) -> tuple[int, ...]:
    """Adjectives and participles right before the head (they agree with it)."""
    if head is None:
        return ()
    found = []
    i = head - 1
    while i >= 0 and elements[i].kind == "lemma":
        if not any(p.tag.POS in ("ADJF", "PRTF") for p in morph.parses(elements[i].text)):
            break
        found.append(i)
        i -= 1
    return tuple(found)


def _element_matches(element: Element, token: morph.Token) -> bool:
    if element.kind == "quote":
        return token.kind == "quote"
    if element.kind == "other":
        return token.text == element.text
    if token.kind != "word":
        return False
    if element.kind == "exact":
        return token.text.replace("ё", "е").replace("Ё", "Е") == element.text
    # A form of one of the word's lexemes shares a lemma with it: a set look-up instead
    # of a morphological analysis for every word the scan tries.
    return token.norm in element.forms


class Matcher:
    """An index of a glossary's enforceable and proposed entries, ready to scan text."""

    def __init__(self, glossary: Glossary | Iterable[Entry]) -> None:
        entries = glossary.entries if isinstance(glossary, Glossary) else tuple(glossary)
        # Forbidden entries describe English renderings, not Russian terms to find.
        self.patterns = [
            p
            for p in (compile_pattern(e) for e in entries if e.status != "forbidden")
            if p is not None
        ]
        self._by_form: dict[str, list[Pattern]] = defaultdict(list)
        self._by_exact: dict[str, list[Pattern]] = defaultdict(list)
        for pattern in self.patterns:
            anchor = pattern.elements[pattern.anchor]
            if anchor.kind == "exact":
                self._by_exact[anchor.text].append(pattern)
            else:
                for form in anchor.forms | anchor.lemmas:
                    self._by_form[form].append(pattern)

    def find(self, text: str) -> list[TermMatch]:
        """Every occurrence of a term in *text*: longest first, never overlapping."""
        tokens = list(morph.tokenize(text))
        candidates: list[tuple[int, int, Pattern]] = []  # (first token, end token, pattern)
        for i, token in enumerate(tokens):
            if token.kind != "word":
                continue
            exact_key = token.text.replace("ё", "е").replace("Ё", "Е")
            for pattern in (*self._by_exact.get(exact_key, ()), *self._by_form.get(token.norm, ())):
                first = i - pattern.anchor
                last = first + len(pattern.elements)
                if first < 0 or last > len(tokens):
                    continue
                window = tokens[first:last]
                if all(
                    _element_matches(e, t) for e, t in zip(pattern.elements, window, strict=True)
                ):
                    candidates.append((first, last, pattern))
        return [self._match(text, tokens, c) for c in _select(candidates)]

    def _match(
        self, text: str, tokens: list[morph.Token], candidate: tuple[int, int, Pattern]
    ) -> TermMatch:
        first, last, pattern = candidate
        start, end = tokens[first].start, tokens[last - 1].end
        return TermMatch(
            start,
            end,
            text[start:end],
            pattern.entry,
            _number(pattern, tokens[first:last], _neighbours(tokens, first, last)),
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


def _candidate_parses(element: Element, token: morph.Token) -> list[Any]:
    all_parses = list(morph.parses(token.norm))
    fitting = [p for p in all_parses if morph.normalise(p.normal_form) in element.lemmas]
    return fitting or all_parses


def _neighbours(
    tokens: Sequence[morph.Token], first: int, last: int
) -> list[tuple[morph.Token, bool]]:
    """The words right before and after a match, each with whether a verb there can be
    the match's predicate: one right before it, or one right after a match that opens
    its sentence («Кражи чужого имущества составляют…»)."""
    initial = first == 0 or tokens[first - 1].text in ".!?…"
    around = [(tokens[i], i < first or initial) for i in (first - 1, last) if 0 <= i < len(tokens)]
    return [(t, verb_ok) for t, verb_ok in around if t.kind == "word"]


def _by_context(parses: Sequence[Any], neighbours: Sequence[tuple[morph.Token, bool]]) -> list[Any]:
    """Keep head parses that a neighbouring word agrees with.

    «составляют кражи»: a verb right before the noun picks its nominative plural over
    the genitive singular.  A verb *after* the noun is trusted only when the noun opens
    the sentence («…часть преступности составляют кражи»: the genitive «преступности» is
    not the subject).  An adjective on either side must agree in number and case.
    """
    for token, verb_ok in neighbours:
        agreeing = [
            h
            for h in parses
            for n in morph.parses(token.norm)
            if n.tag.number == h.tag.number
            and (
                (verb_ok and n.tag.POS == "VERB" and h.tag.case == "nomn")
                or (n.tag.POS in ("ADJF", "PRTF") and n.tag.case == h.tag.case)
            )
        ]
        if agreeing and len({morph.number_of(p) for p in agreeing}) == 1:
            return agreeing
    return list(parses)


def _number(
    pattern: Pattern,
    window: Sequence[morph.Token],
    neighbours: Sequence[tuple[morph.Token, bool]] = (),
) -> str | None:
    """Grammatical number of the occurrence, read from the head noun.

    Parses of the head are narrowed by agreement with the term's own adjectives, then —
    if singular and plural are both still possible — with the words around the match.
    """
    if pattern.head is None:
        return None
    head_parses = _candidate_parses(pattern.elements[pattern.head], window[pattern.head])
    agreeing = head_parses
    for index in pattern.modifiers:
        modifier = _candidate_parses(pattern.elements[index], window[index])
        narrowed = [
            h
            for h in agreeing
            if any(m.tag.number == h.tag.number and m.tag.case == h.tag.case for m in modifier)
        ]
        agreeing = narrowed or agreeing
    if len({morph.number_of(p) for p in agreeing} - {None}) > 1:
        agreeing = _by_context(agreeing, neighbours)
    for parse in agreeing:
        number = morph.number_of(parse)
        if number is not None:
            return number
    return None
