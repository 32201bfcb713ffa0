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

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rutrans.glossary.matcher import TermMatch
from rutrans.glossary.model import Entry, Glossary
from rutrans.postedit.alignment import attention_span
from rutrans.postedit.english import Span, find_all
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
    occurrences, and its k-th occurrence gets its k-th span in text order.
    """
    by_entry: dict[int, list[int]] = defaultdict(list)
    for i in waiting:
        by_entry[id(matches[i].entry)].append(i)
    offers = [
        (span, key)
        for key, indices in by_entry.items()
        for span in spans_of(text, renderings(indices))
    ]
    offers.sort(key=lambda offer: (-(offer[0].end - offer[0].start), offer[0].start))
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
) -> list[Located | None]:
    """For each occurrence (in order), where the MT rendered it, or None."""
    text = mt.text
    claims = _Claims()
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
        if located[i] is None:
            spans = spans_of(text, _probe_renderings(matches[i], probes))
            located[i] = _take_first_free(spans, claims, TermMethod.PROBE)
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
    return located
