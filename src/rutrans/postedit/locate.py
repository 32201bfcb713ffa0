"""Locate each term occurrence's rendering in the MT output, cheapest way first.

1. ``already`` — the approved term (either number) is in the MT: nothing to do;
2. ``variant`` — a rendering the glossary lists for the entry (``# variant:`` lines and
   its forbidden renderings), found case-insensitively in any English inflection;
3. ``probe`` — what the engine says for the term alone (translated in the document's
   batch), found the same way;
4. ``attention`` — the target words CTranslate2's attention aligns to the term.

Each target span serves one occurrence (two ОВД need two spans) and no two terms share
one: spans of all entries compete longest first, and the k-th occurrence of an entry
takes its k-th span.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from rutrans.glossary.matcher import TermMatch
from rutrans.glossary.model import Entry, Glossary
from rutrans.postedit.alignment import attention_span
from rutrans.postedit.english import Span, find_all
from rutrans.postedit.evidence import QUOTES
from rutrans.postedit.generalize import Candidate, candidates
from rutrans.postedit.lexicon import Lexicon
from rutrans.results import MTResult, TermMethod

MIN_PROBE_LETTERS = 3


@dataclass(frozen=True)
class Located:
    start: int
    end: int
    method: TermMethod
    possessive: str = ""


def forbidden_renderings(glossary: Glossary | Sequence[Entry]) -> dict[str, tuple[str, ...]]:
    """msgid → the renderings its forbidden entries list (Weblate-style entries)."""
    entries = glossary.entries if isinstance(glossary, Glossary) else glossary
    found: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        if entry.status == "forbidden":
            found[entry.msgid].extend(t for t in entry.target if t.strip())
    return {msgid: tuple(renderings) for msgid, renderings in found.items()}


def wanted_english(match: TermMatch) -> str:
    """The approved English for this occurrence: by its number; read-only keeps the source."""
    if match.entry.read_only:
        return match.text
    return match.entry.target_for(match.number)


class _Claims:
    """Target spans already given to an occurrence: no two terms fight over one span."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.spans)

    def take(self, start: int, end: int) -> None:
        self.spans.append((start, end))


def spans_of(text: str, renderings: Sequence[str]) -> list[Span]:
    """Occurrences of any of *renderings*, longest first where they overlap, in order."""
    found: list[Span] = []
    for rendering in {r.strip() for r in renderings if r.strip()}:
        found.extend(find_all(text, rendering))
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    for span in found:
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def _take_first_free(spans: Sequence[Span], claims: _Claims, method: TermMethod) -> Located | None:
    for span in spans:
        if claims.free(span.start, span.end):
            claims.take(span.start, span.end)
            return Located(span.start, span.end, method, span.possessive)
    return None


def _probe_renderings(match: TermMatch, probes: Mapping[str, str]) -> list[str]:
    renderings = []
    for key in (match.text, match.entry.msgid):
        rendering = probes.get(key, "").strip(' .,;:!?"«»')
        if sum(c.isalpha() for c in rendering) >= MIN_PROBE_LETTERS and rendering != key:
            renderings.append(rendering)
    return renderings


def _assign(
    text: str,
    matches: Sequence[TermMatch],
    waiting: Sequence[int],
    renderings: Callable[[list[int]], list[str]],
    claims: _Claims,
    method: TermMethod,
) -> dict[int, Located]:
    """Give each waiting occurrence a span of its entry's renderings.

    Spans of all entries compete longest first, so "drug laboratories" (one term) is not
    cut to "drug" (another); each entry takes at most as many spans as it has
    occurrences, and its k-th occurrence gets its k-th span in text order.  Where two
    entries share an English term (кража and хищение: theft), a span goes first to the
    entry whose occurrences want it in that number ("thefts" to a plural occurrence).
    """
    by_entry: dict[int, list[int]] = defaultdict(list)
    for i in waiting:
        by_entry[id(matches[i].entry)].append(i)
    wanted = {
        key: {wanted_english(matches[i]).casefold() for i in indices}
        for key, indices in by_entry.items()
    }

    def order(offer: tuple[Span, int]) -> tuple[int, bool, int]:
        span, key = offer
        body = span.text[: len(span.text) - len(span.possessive)].casefold()
        return -(span.end - span.start), body not in wanted[key], span.start

    offers = [
        (span, key)
        for key, indices in by_entry.items()
        for span in spans_of(text, renderings(indices))
    ]
    offers.sort(key=order)
    taken: dict[int, list[Span]] = defaultdict(list)
    for span, key in offers:
        if len(taken[key]) < len(by_entry[key]) and claims.free(span.start, span.end):
            claims.take(span.start, span.end)
            taken[key].append(span)
    assigned = {}
    for key, spans in taken.items():
        for i, span in zip(by_entry[key], sorted(spans, key=lambda s: s.start), strict=False):
            assigned[i] = Located(span.start, span.end, method, span.possessive)
    return assigned


def locate(
    mt: MTResult,
    matches: Sequence[TermMatch],
    forbidden: Mapping[str, tuple[str, ...]],
    probes: Mapping[str, str],
    lexicon: Lexicon | None = None,
    source_length: int = 0,
) -> list[Located | None]:
    """For each occurrence (in order), where the MT rendered it, or None."""
    text = mt.text
    claims = _Claims()
    for start, end in protected_regions(text):  # markup and URLs are never edited
        claims.take(start, end)
    located: list[Located | None] = [None] * len(matches)
    active = [i for i, m in enumerate(matches) if m.entry.status == "approved"]

    def renderings_for_already(indices: list[int]) -> list[str]:
        entry = matches[indices[0]].entry
        return [wanted_english(matches[i]) for i in indices] + list(entry.target)

    def renderings_for_variant(indices: list[int]) -> list[str]:
        entry = matches[indices[0]].entry
        return [*entry.variants, *forbidden.get(entry.msgid, ())]

    for method, renderings in (
        (TermMethod.ALREADY, renderings_for_already),
        (TermMethod.VARIANT, renderings_for_variant),
    ):
        waiting = [i for i in active if located[i] is None]
        for i, where in _assign(text, matches, waiting, renderings, claims, method).items():
            located[i] = where
    for i in active:
        found_at = located[i]
        if found_at is not None:
            located[i] = found_at = _without_enclosing_quotes(text, found_at)
        if (
            found_at is not None
            and found_at.method == TermMethod.ALREADY
            and not reads_as_approved(text, found_at, matches[i])
        ):
            located[i] = replace(found_at, method=TermMethod.FORM)
    for i in active:
        if located[i] is None:
            spans = spans_of(text, _probe_renderings(matches[i], probes))
            located[i] = _take_first_free(spans, claims, TermMethod.PROBE)
    if lexicon is not None:
        waiting = [i for i in active if located[i] is None]
        found = candidates(text, matches, waiting, lexicon.evidence, claims.free, source_length)
        for i, where in _best_free(text, found, matches, claims).items():
            located[i] = where
    if mt.attention:
        for i in active:
            if located[i] is None:
                span = attention_span(
                    mt.attention,
                    mt.source_offsets,
                    mt.target_offsets,
                    (matches[i].start, matches[i].end),
                    text,
                )
                if span is not None and claims.free(*span):
                    claims.take(*span)
                    located[i] = Located(span[0], span[1], TermMethod.ATTENTION)
    return [None if w is None else _without_enclosing_quotes(text, w) for w in located]


def _best_free(
    text: str, found: Sequence[Candidate], matches: Sequence[TermMatch], claims: _Claims
) -> dict[int, Located]:
    """Best candidates first, each occurrence once, no two sharing text; an entry's k-th
    occurrence gets its k-th span in text order."""
    taken: dict[int, Candidate] = {}
    for candidate in found:
        if candidate.occurrence not in taken and claims.free(candidate.start, candidate.end):
            claims.take(candidate.start, candidate.end)
            taken[candidate.occurrence] = candidate
    by_entry: dict[int, list[int]] = defaultdict(list)
    for i in sorted(taken):
        by_entry[id(matches[i].entry)].append(i)
    assigned = {}
    for indices in by_entry.values():
        spans = sorted((taken[i] for i in indices), key=lambda c: c.start)
        for i, c in zip(indices, spans, strict=True):
            assigned[i] = Located(c.start, c.end, c.method, _possessive(text[c.start : c.end]))
    return assigned


def _possessive(span: str) -> str:
    """The possessive a span ends with ("the Committee's"), kept after the replacement."""
    if span.endswith(("'s", "’s")):
        return span[-2:]
    if span.endswith(("s'", "s’")):
        return span[-1:]
    return ""


_MARKUP = re.compile(r"<[^<>]*>|&[A-Za-z0-9#]+;|\b(?:https?|ftp)://\S+|\bwww\.\S+")


def protected_regions(text: str) -> list[tuple[int, int]]:
    """HTML/XML tags (with their attributes), entities and URLs: never a term's place."""
    return [(m.start(), m.end()) for m in _MARKUP.finditer(text)]


def reads_as_approved(text: str, where: Located, match: TermMatch) -> bool:
    """Honest ``ok``: the span is the approved term as the glossary writes it — capitals
    where it has them (a capital at a sentence start and an ALL-CAPS headline are fine),
    and no quotes of its own that the approved term lacks (operation "Rozysk")."""
    body = text[where.start : where.end - len(where.possessive)]
    forms = [wanted_english(match), *match.entry.target]
    if any(q in body for q in QUOTES) and not any(q in f for f in forms for q in QUOTES):
        return False
    letters = [c for c in body if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        return True  # a headline
    body_words = re.split(r"[\s\-‐‑]+", body.strip())
    for form in forms:
        form_words = re.split(r"[\s\-‐‑]+", form.strip())
        if len(form_words) != len(body_words):
            continue
        if all(_same_capitals(b, f) for b, f in zip(body_words, form_words, strict=True)):
            return True
    return False


def _same_capitals(written: str, approved: str) -> bool:
    if approved.isupper() and len(approved) > 1:  # an acronym: all capitals
        return written[: len(approved)].isupper()
    if approved[:1].isupper():
        return written[:1].isupper()
    return True  # a lower-case term may start a sentence or stand in a Title-Case title


def _without_enclosing_quotes(text: str, where: Located) -> Located:
    """Quotes around the whole span belong to the sentence, not to the term: `The "ATS"
    officers` keeps its quotes.  A quote whose partner is inside the span (operation
    "Search") is the MT's quoting of the name, replaced with it."""
    start, end = where.start, where.end - len(where.possessive)
    body = text[start:end]
    quotes = [k for k, c in enumerate(body) if c in QUOTES]
    if len(body) > 2 and quotes == [0, len(body) - 1]:
        start, end = start + 1, end - 1
    elif quotes == [0]:
        start += 1
    elif quotes == [len(body) - 1] and len(body) > 1:
        end -= 1
    else:
        return where
    return Located(start, end + len(where.possessive), where.method, where.possessive)
