"""Replace each located rendering of a term by the approved English, and report.

:mod:`rutrans.postedit.locate` finds where the MT rendered each occurrence; here the
replacements take the number of the Russian occurrence, the casing of their place, and a
corrected (or dropped) «a»/«an».  Passes repeat until one changes nothing, so
post-editing the output again changes nothing either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from rutrans.glossary.matcher import TermMatch
from rutrans.postedit.english import (
    Span,
    article_before,
    cased_like,
    fix_article,
    is_sentence_start,
    looks_plural,
)
from rutrans.postedit.generalize import THRESHOLD, nearest
from rutrans.postedit.lexicon import Lexicon
from rutrans.postedit.locate import Located, locate, spans_of, wanted_english
from rutrans.results import MTResult, PostEdit, TermCheck, TermMethod, TermStatus


def _replacement(text: str, where: Located, match: TermMatch) -> tuple[int, str, int]:
    """(edit start, new text, length of the term at its end) for one located span."""
    # An ALL-CAPS span makes the term ALL CAPS only in an ALL-CAPS headline, not where
    # it is an acronym in an ordinary sentence (UNODC → United Nations Office on …).
    headline = sum(c.isupper() for c in text) > sum(c.islower() for c in text)
    term = cased_like(
        wanted_english(match),
        text[where.start : where.end] if headline else "",
        is_sentence_start(text, where.start),
        source_all_caps=len(match.text) > 3 and match.text.isupper() and not match.entry.exact,
    )
    if where.possessive:
        # "the bodies' decisions", "the Ministry of Internal Affairs' press service",
        # with the MT's own apostrophe (typographic ’ or ASCII ').
        mark = "’" if "’" in where.possessive else "'"
        term += mark if term.endswith("s") else mark + "s"
    plural = not match.entry.read_only and (
        (match.number == "pl" and len(match.entry.target) > 1)
        or (len(match.entry.target) == 1 and looks_plural(term))
    )
    article_start = article_before(text, where.start)
    if plural and article_start is not None:  # "an agency" for a plural occurrence
        return article_start, term, len(term)
    article = fix_article(text[: where.start] + term, where.start)
    if article is None:
        return where.start, term, len(term)
    # The article is edited with the term it stands before ("an frontier region" →
    # "a border region"): it is part of the term's span, nothing else is touched.
    article_start, corrected = article
    old_end = article_start + (2 if text[article_start : article_start + 2].lower() == "an" else 1)
    return article_start, corrected + text[old_end : where.start] + term, len(term)


MAX_PASSES = 4


@dataclass(frozen=True)
class _Pass:
    final: str
    located: list[Located | None]
    final_spans: dict[int, tuple[int, int]]
    edits: list[_Edit]


Locator = Callable[[MTResult], list[Located | None]]


def _one_pass(mt: MTResult, matches: Sequence[TermMatch], locator: Locator) -> _Pass:
    located = locator(mt)
    edits: list[_Edit] = []
    for i, where in enumerate(located):
        if where is not None and where.method != TermMethod.ALREADY:
            start, new, term_length = _replacement(mt.text, where, matches[i])
            if any(w is not None and w.start < where.start and w.end > start for w in located):
                # The «a»/«an» before it renders another term: that one's to edit.
                start, new = where.start, new[len(new) - term_length :]
            edits.append(_Edit(start, where.end, new, i, term_length, where.method, where.start))
    final, final_spans = _apply(mt.text, edits, located)
    return _Pass(final, located, final_spans, edits)


def _to_original(position: int, earlier: Sequence[_Edit]) -> int:
    """Map an offset in a pass's output back to the text before that pass."""
    shift = 0
    for edit in sorted(earlier):
        new_start = edit.start + shift
        if position < new_start:
            break
        shift += len(edit.new) - (edit.end - edit.start)
    return position - shift


def postedit_segment(
    mt: MTResult,
    matches: Sequence[TermMatch],
    forbidden: Mapping[str, tuple[str, ...]],
    probes: Mapping[str, str] | None = None,
    lexicon: Lexicon | None = None,
    source_length: int = 0,
) -> PostEdit:
    """Post-edit one segment's MT; *matches* are term occurrences in the MT's source text.

    Passes repeat until one changes nothing, so that the result is a fixed point: when
    two entries share an English term (ОВД and «органы внутренних дел»), a replacement
    can reveal where another occurrence went, and post-editing the output again must
    not find more to do.
    """
    probes = probes or {}

    def locator(text: MTResult) -> list[Located | None]:
        return locate(text, matches, forbidden, probes or {}, lexicon, source_length)

    current = _one_pass(mt, matches, locator)
    edits = list(current.edits)  # in the coordinates of the original MT text
    for _ in range(MAX_PASSES - 1):
        if not current.edits:
            break
        following = _one_pass(MTResult(current.final, (), (), None), matches, locator)
        if _rewrites(following.edits, sorted(edits)) or _straddles(
            following.located, sorted(edits)
        ):
            break  # it would edit what an earlier pass wrote: keep the earlier result
        current = following
        for edit in current.edits:  # regions earlier passes left untouched
            start = _to_original(edit.start, edits)
            located_start = _to_original(edit.located_start, edits)
            end = start + (edit.end - edit.start)
            edits.append(replace(edit, start=start, end=end, located_start=located_start))
    located = _owners(current, sorted(edits))
    final, final_spans = current.final, current.final_spans
    statuses = _statuses(matches, located)
    leftovers = _forbidden_left(final, matches, forbidden, final_spans.values())
    checks = []
    for i, match in enumerate(matches):
        where = located[i]
        reason = None
        if statuses[i] == TermStatus.MISSING and leftovers.get(match.entry.msgid):
            statuses[i] = TermStatus.FORBIDDEN
            left = leftovers[match.entry.msgid].pop(0)
            reason = f"the forbidden rendering {left.text!r} is left in the text"
        elif statuses[i] == TermStatus.MISSING:
            reason = _why_missing(final, match, lexicon, final_spans.values())
        elif statuses[i] == TermStatus.PROPOSED:
            reason = "a proposed (fuzzy) entry: reported, never applied"
        checks.append(
            TermCheck(
                msgid=match.entry.msgid,
                msgctxt=match.entry.msgctxt,
                source_text=match.text,
                source_start=match.start,
                source_end=match.end,
                target=wanted_english(match),
                status=statuses[i],
                method=where.method if where else None,
                mt_span=(where.start, where.end) if where else None,
                final_span=final_spans.get(i),
                reason=reason,
            )
        )
    # A forbidden rendering no occurrence accounts for (the MT said "ATS" twice for one
    # ОВД) is reported too: it is not an occurrence, but a reviewer must see it.
    for msgid, spans in leftovers.items():
        for span in spans:
            checks.append(
                TermCheck(
                    msgid,
                    None,
                    "",
                    0,
                    0,
                    "",
                    TermStatus.FORBIDDEN,
                    None,
                    None,
                    (span.start, span.end),
                    reason=f"the forbidden rendering {span.text!r} is left in the text",
                )
            )
    done = tuple((e.start, e.end, e.new) for e in sorted(edits))
    return PostEdit(final, tuple(checks), done)


def _written(earlier: Sequence[_Edit]) -> list[tuple[int, int]]:
    """Where the earlier passes' replacements are in the text they made."""
    written, shift = [], 0
    for edit in earlier:
        written.append((edit.start + shift, edit.start + shift + len(edit.new)))
        shift += len(edit.new) - (edit.end - edit.start)
    return written


def _rewrites(later: Sequence[_Edit], earlier: Sequence[_Edit]) -> bool:
    """Does a later pass edit inside text an earlier pass wrote?  (A replacement must
    never be replaced again: that is how edits would pile up on each other.)"""
    return any(e.start < end and e.end > start for e in later for start, end in _written(earlier))


def _straddles(later: Sequence[Located | None], earlier: Sequence[_Edit]) -> bool:
    """Does a later pass find a rendering across the edge of a replacement, half in it
    ("drugs" written for «наркотиков», read with the MT's "crime" after it as
    «наркопреступлений»)?  No edit owns such a span, and the MT has no place for it."""
    return any(
        w is not None and w.start < end and w.end > start and not start <= w.start <= w.end <= end
        for w in later
        for start, end in _written(earlier)
    )


def _why_missing(
    final: str,
    match: TermMatch,
    lexicon: Lexicon | None,
    taken: Iterable[tuple[int, int]],
) -> str:
    """What a reviewer needs to know about a term left as the MT wrote it."""
    spans = list(taken)
    closest = None
    if lexicon is not None:
        closest = nearest(
            final, match, lexicon.evidence, lambda a, b: all(b <= s or a >= e for s, e in spans)
        )
    if closest is None:
        return "no rendering of the term found in the MT: check the sentence"
    start, end, score = closest
    return (
        f"not sure enough to replace {final[start:end]!r} (evidence {score:.2f}, "
        f"needs {THRESHOLD:.2f}): check it"
    )


def _owners(last: _Pass, edits: Sequence[_Edit]) -> list[Located | None]:
    """Who renders what, from the last pass, in the original MT's coordinates.

    An occurrence whose final span lies in an edit was fixed (by that edit's method);
    one whose final span is untouched MT text was already right.
    """
    regions = []  # (final start, final end, edit)
    shift = 0
    for edit in edits:
        regions.append((edit.start + shift, edit.start + shift + len(edit.new), edit))
        shift += len(edit.new) - (edit.end - edit.start)
    owners: list[Located | None] = []
    for span in (last.final_spans.get(i) for i in range(len(last.located))):
        if span is None:
            owners.append(None)
            continue
        inside = [e for start, end, e in regions if start <= span[0] < end]
        if inside:
            edit = inside[0]
            owners.append(Located(edit.located_start, edit.end, edit.method))
        else:
            before = [(end, e) for start, end, e in regions if end <= span[0]]
            delta = sum(len(e.new) - (e.end - e.start) for _, e in before)
            owners.append(Located(span[0] - delta, span[1] - delta, TermMethod.ALREADY))
    return owners


def _statuses(matches: Sequence[TermMatch], located: Sequence[Located | None]) -> list[TermStatus]:
    statuses = []
    for match, where in zip(matches, located, strict=True):
        if match.entry.status != "approved":
            statuses.append(TermStatus.PROPOSED)
        elif where is None:
            statuses.append(TermStatus.MISSING)
        else:
            statuses.append(
                TermStatus.OK if where.method == TermMethod.ALREADY else TermStatus.FIXED
            )
    return statuses


def _forbidden_left(
    final: str,
    matches: Sequence[TermMatch],
    forbidden: Mapping[str, tuple[str, ...]],
    term_spans: Iterable[tuple[int, int]],
) -> dict[str, list[Span]]:
    """Forbidden renderings of this segment's terms still in the final text."""
    taken = list(term_spans)
    left: dict[str, list[Span]] = {}
    for msgid in dict.fromkeys(m.entry.msgid for m in matches if m.entry.status == "approved"):
        spans = [
            s
            for s in spans_of(final, forbidden.get(msgid, ()))
            if all(s.end <= a or s.start >= b for a, b in taken)
        ]
        if spans:
            left[msgid] = spans
    return left


@dataclass(frozen=True, order=True)
class _Edit:
    start: int  # may be before `located_start`: an «a»/«an» corrected with the term
    end: int
    new: str
    occurrence: int
    term_length: int  # the term is the last term_length characters of `new`
    method: TermMethod
    located_start: int


def _apply(
    text: str, edits: list[_Edit], located: Sequence[Located | None]
) -> tuple[str, dict[int, tuple[int, int]]]:
    """Apply non-overlapping edits; return the text and each occurrence's final span."""
    pieces: list[str] = []
    final_spans: dict[int, tuple[int, int]] = {}
    shifts: list[tuple[int, int]] = []  # (original end of an edit, total shift after it)
    cursor = shift = 0
    for edit in sorted(edits):
        pieces += [text[cursor : edit.start], edit.new]
        term_end = edit.start + shift + len(edit.new)
        final_spans[edit.occurrence] = (term_end - edit.term_length, term_end)
        shift += len(edit.new) - (edit.end - edit.start)
        shifts.append((edit.end, shift))
        cursor = edit.end
    pieces.append(text[cursor:])
    for i, where in enumerate(located):
        if where is not None and i not in final_spans:
            before = [total for end, total in shifts if end <= where.start]
            delta = before[-1] if before else 0
            final_spans[i] = (where.start + delta, where.end + delta)
    return "".join(pieces), final_spans
