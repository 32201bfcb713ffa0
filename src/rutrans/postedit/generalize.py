"""The generalizing locator: find the MT's rendering of a term that nobody listed.

For each occurrence the cheap locators left, every short run of MT words is scored by
the evidence (:mod:`rutrans.postedit.evidence`) that ties its words to the term — its
approved English in another order or number, a synonym head, a transliteration, another
entry's English for the same concept, an acronym — less the words it has that the term
does not, less a little for lying far from where the term sits in the Russian.  The best
run above :data:`THRESHOLD` is the rendering; below it the occurrence stays ``missing``:
a guess that damages a sentence is worse than a term left for the reviewer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rutrans.glossary.matcher import TermMatch
from rutrans.postedit.evidence import (
    FREE_SCORERS,
    FUNCTION_WORDS,
    PAIR_SCORERS,
    PHRASES,
    QUOTES,
    Target,
    TermEvidence,
    acronym_score,
    same_stem,
)
from rutrans.postedit.runs import CONJUNCTIONS, Word, cuts_a_phrase, is_name, runs_of, words_of
from rutrans.results import TermMethod

THRESHOLD = 0.7
NEAR_MISS = 0.4  # weaker runs are not worth a reviewer's attention
"""Calibrated on the dev set (benchmarks/term_eval.py) with the glossary's variants
removed: below it, more wrong spans than right ones."""
EXTRA_WORD_COST = 0.5  # per word of the run that is not evidence, per word of the term
POSITION_SLACK = 0.3  # relative distance between source and MT position that costs nothing
POSITION_COST = 0.5
ANCHORS = frozenset({"words", "transliteration"})  # a run needs one such word, or an acronym
METHOD = {
    "acronym": TermMethod.ACRONYM,
    "related": TermMethod.RELATED,
    "transliteration": TermMethod.TRANSLITERATION,
    "name": TermMethod.NAME,
    "synonym": TermMethod.SYNONYM,
    "words": TermMethod.WORDS,
}


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    score: float
    method: TermMethod
    occurrence: int


def _parts(word: str) -> list[str]:
    """A hyphenated word's parts (drug-related), a calqued "narco-" compound's too
    (narcotrafficking = narco + trafficking); a quoted name stays whole."""
    inner = word.strip(QUOTES)
    if " " in inner:
        return [inner]
    parts = []
    for part in re.split(r"[-‐‑]", inner):
        if len(part) > 7 and part.lower().startswith("narco") and part[5:6].isalpha():
            parts += [part[:5], part[5:]]
        elif part:
            parts.append(part)
    return parts or [inner]


def _best_pair(part: str, target: Target, used: set[int]) -> tuple[float, int, str]:
    best = (0.0, -1, "")
    for k, wanted in enumerate(target.words):
        if k in used:
            continue
        value, name = _pair_evidence(part, wanted)
        if value > best[0]:
            best = (value, k, name)
    return best


@functools.lru_cache(maxsize=200_000)
def _pair_evidence(part: str, wanted: str) -> tuple[float, str]:
    """The strongest scorer for one MT word against one word of the term (the first
    that reaches it, in PAIR_SCORERS order).  Cached: runs overlap, so a sentence asks
    about the same pair many times."""
    best = (0.0, "")
    for name, scorer in PAIR_SCORERS:
        value = scorer(part, wanted)
        if value > best[0]:
            best = (value, name)
    return best


def _phrase(word: str, target: Target, used: set[int]) -> list[int]:
    """The term's words one MT word stands for ("Interior" for Internal Affairs)."""
    lowered = [w.lower() for w in target.words]
    for phrase, singles in PHRASES:
        if word.strip(QUOTES).lower() not in singles:
            continue
        for k in range(len(lowered) - len(phrase) + 1):
            span = range(k, k + len(phrase))
            if tuple(lowered[k : k + len(phrase)]) == phrase and not used & set(span):
                return list(span)
    return []


def _joined_target(word: Word, target: Target, used: set[int]) -> list[int]:
    """Two words of the term the MT wrote as one (Stoptraffic for Stop-trafik)."""
    from rapidfuzz.fuzz import ratio

    inner = word.text.strip(QUOTES).lower()
    if len(inner) < 6:
        return []
    for k in range(len(target.words) - 1):
        if k in used or k + 1 in used:
            continue
        joined = (target.words[k] + target.words[k + 1]).lower()
        if abs(len(inner) - len(joined)) <= 2 and ratio(inner, joined) >= 85:
            return [k, k + 1]
    return []


def _compound(first: Word, second: Word, target: Target, used: set[int]) -> int:
    """Two MT words that are one word of the term (cyber crime = cybercrime), or -1."""
    joined = first.text.strip(QUOTES) + second.text.strip(QUOTES)
    for k, wanted in enumerate(target.words):
        if k not in used and same_stem(joined, wanted):
            return k
    return -1


def score_against(
    text: str, run: Sequence[Word], first: int, target: Target, term: TermEvidence
) -> tuple[float, set[str]]:
    """How well the words of *run* render *target*: coverage less extra words."""
    used: set[int] = set()
    total, extra, fired = 0.0, 0, set()
    named_at = -2  # index in run of the last word of a quoted or capitalised name
    bare: list[int] = []  # positions of words with no evidence
    index = 0
    while index < len(run):
        word = run[index]
        index += 1
        if word.text.lower() in FUNCTION_WORDS:
            continue
        if index < len(run) and text[word.end : run[index].start].isspace():
            k = _compound(word, run[index], target, used)
            if k >= 0:
                used.add(k)
                total += 1.0
                fired.add("words")
                index += 1
                continue
        joined = _joined_target(word, target, used)
        if joined:
            used |= set(joined)
            total += 0.9 * len(joined)
            fired.add("transliteration")
            continue
        covered = _phrase(word.text, target, used)
        if covered:
            used |= set(covered)
            total += 0.9 * len(covered)
            fired.add("synonym")
            # "Home Affairs" for Internal Affairs: the word it shares is no extra word.
            if index < len(run) and any(
                same_stem(run[index].text, target.words[k]) for k in covered
            ):
                index += 1
            continue
        matched = False
        for part in _parts(word.text):
            value, k, name = _best_pair(part, target, used)
            free = [k for k in range(len(target.words)) if k not in used]
            if not value and free:
                for free_name, free_scorer in FREE_SCORERS:
                    if free_value := free_scorer(part, term):
                        value, k, name = free_value, free[-1], free_name
                        break
            if value:
                used.add(k)
                total += value
                fired.add(name)
                matched = True
        if matched:
            continue
        position = index - 1
        if term.quoted_name and is_name(text, word, first + position):
            free = [k for k in range(len(target.words)) if k not in used]
            if named_at == position - 1:  # the name goes on ("Illegal Immigrant")
                named_at = position
                continue
            if free:
                used.add(free[-1])
                total += 0.7
                fired.add("name")
                named_at = position
                continue
        extra += 1
        bare.append(index - 1)
    if bare and (bare[0] == 0 or bare[-1] == len(run) - 1):
        return 0.0, set()  # a run starts and ends with the term's words, never another's
    size = max(len(target.words), 1)
    return total / size - EXTRA_WORD_COST * extra / size, fired


def anchorable(text: str, words: Sequence[Word], term: TermEvidence) -> list[bool]:
    """For each word, whether it could carry any evidence for *term* in some run.

    :func:`score_against` scores 0 for a run whose first or last word carries none (a
    run never ends on a function word), and evidence is tested with nothing of the
    target used yet, which only ever allows more.  So a run with an end word False here
    can only be an acronym: most runs of a long sentence far from the term are skipped
    without scoring them (:func:`worth_scoring`), with the same results."""
    marks = []
    nothing: set[int] = set()
    for position, word in enumerate(words):
        following = words[position + 1] if position + 1 < len(words) else None
        marks.append(
            word.text.lower() in FUNCTION_WORDS
            or (term.quoted_name and is_name(text, word, position))
            or any(
                _word_evidence(word, following, text, target, term, nothing)
                for target in term.targets
            )
        )
    # The second word of a compound (cyber + crime) is evidence through the first.
    for position in range(1, len(words)):
        before, word = words[position - 1], words[position]
        if not marks[position] and text[before.end : word.start].isspace():
            marks[position] = any(
                _compound(before, word, target, nothing) >= 0 for target in term.targets
            )
    return marks


def _word_evidence(
    word: Word,
    following: Word | None,
    text: str,
    target: Target,
    term: TermEvidence,
    used: set[int],
) -> bool:
    if (
        following is not None
        and text[word.end : following.start].isspace()
        and _compound(word, following, target, used) >= 0
    ):
        return True
    if _joined_target(word, target, used) or _phrase(word.text, target, used):
        return True
    return any(
        _best_pair(part, target, used)[0] or any(s(part, term) for _, s in FREE_SCORERS)
        for part in _parts(word.text)
    )


def worth_scoring(
    words: Sequence[Word], i: int, j: int, term: TermEvidence, marks: Sequence[bool]
) -> bool:
    """False for a run that :func:`score_run` would score 0 (*marks* from
    :func:`anchorable`), found without scoring it."""
    return (marks[i] and marks[j]) or bool(acronym_score([w.text for w in words[i : j + 1]], term))


def score_run(
    text: str, words: Sequence[Word], i: int, j: int, term: TermEvidence
) -> tuple[float, str]:
    """The run's best score over the term's targets, and the evidence that named it."""
    run = words[i : j + 1]
    if acronym_score([w.text for w in run], term):
        return 1.0, "acronym"
    best: tuple[float, str] = (0.0, "")
    for target in term.targets:
        score, fired = score_against(text, run, i, target, term)
        if not fired & ANCHORS:
            continue
        if target.related:
            fired.add("related")
            score *= 0.95
        method = next(name for name in METHOD if name in fired)
        if score > best[0]:
            best = (score, method)
    return best


def _position_cost(match: TermMatch, source_length: int, text: str, start: int, end: int) -> float:
    if not source_length or not text:
        return 0.0
    distance = abs((match.start + match.end) / 2 / source_length - (start + end) / 2 / len(text))
    return POSITION_COST * max(0.0, distance - POSITION_SLACK)


def candidates(
    text: str,
    matches: Sequence[TermMatch],
    waiting: Sequence[int],
    evidence: Callable[[TermMatch], TermEvidence],
    free: Callable[[int, int], bool],
    source_length: int = 0,
) -> list[Candidate]:
    """Every run of *text* above the threshold for every waiting occurrence, best first."""
    words = words_of(text)
    found = []
    for i in waiting:
        term = evidence(matches[i])
        longest = 2 * max((len(t.words) for t in term.targets), default=1) + 2
        conjunctions = any(w.lower() in CONJUNCTIONS for t in term.targets for w in t.words)
        marks = anchorable(text, words, term)
        for first, last in runs_of(text, words, longest, conjunctions):
            if not worth_scoring(words, first, last, term, marks):
                continue
            start, end = words[first].start, words[last].end
            if not free(start, end) or cuts_a_phrase(text, words, first, last):
                continue
            score, method = score_run(text, words, first, last, term)
            score -= _position_cost(matches[i], source_length, text, start, end)
            if score >= THRESHOLD:
                found.append(Candidate(start, end, score, METHOD[method], i))
    found.sort(key=lambda c: (-c.score, -(c.end - c.start), c.start))
    return found


def nearest(
    text: str,
    match: TermMatch,
    evidence: Callable[[TermMatch], TermEvidence],
    free: Callable[[int, int], bool],
) -> tuple[int, int, float] | None:
    """The best run for *match* however weak (above a floor), for a ``missing`` reason."""
    words = words_of(text)
    term = evidence(match)
    longest = 2 * max((len(t.words) for t in term.targets), default=1) + 2
    best: tuple[int, int, float] | None = None
    marks = anchorable(text, words, term)
    for first, last in runs_of(text, words, longest, conjunctions=True):
        if not worth_scoring(words, first, last, term, marks):
            continue
        start, end = words[first].start, words[last].end
        if free(start, end) and not cuts_a_phrase(text, words, first, last):
            score, _ = score_run(text, words, first, last, term)
            if score >= NEAR_MISS and (best is None or score > best[2]):
                best = (start, end, score)
    return best
