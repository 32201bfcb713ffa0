"""The data that passes between stages: small frozen dataclasses, and one signature type.

Every stage (formats, segmentation, engine, post-editing) takes and returns these; the
report and the review views read nothing else.  It imports nothing of rutrans but the
signature types (:mod:`rutrans.signature`), so any module may import it without a cycle.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from rutrans.signature import Signature

Span = tuple[int, int]
Replacements = Mapping[int, Sequence[tuple[int, int, str]]]
"""Per paragraph index, ``(start, end, new text)`` with offsets in the paragraph's text;
those :meth:`DocumentResult.replacements` makes are :class:`Replacement` triples."""


# --- documents ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """One unit of translation; *spans* are ``[start, end)`` offsets relative to *text*."""

    index: int
    start: int
    end: int
    line: int
    text: str
    spans: tuple[Span, ...]
    location: str = ""  # where it is in a structured document ("table 1, row 2, cell 3")


@dataclass(frozen=True)
class Document:
    """A decoded input file; *text* is exactly the file's text (less a BOM).

    *kind* names the format that read it (``txt``, ``md``, …) and so the one that writes
    its translation back.  *digest* is the SHA-256 of the file's bytes where *text* does
    not hold everything its translation is written from (a .docx's formatting, a page's
    markup); reports and up-to-date checks use it instead of the text's.
    """

    path: Path
    kind: str
    encoding: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    digest: str = ""


@dataclass(frozen=True)
class Segment:
    """One sentence of one paragraph: what goes to the MT as one unit."""

    id: int  # 1-based, document-wide
    paragraph: int  # Paragraph.index
    start: int  # offsets in the paragraph's text
    end: int
    source: str  # the text exactly as in the document

    @property
    def mt_input(self) -> str:
        """The sentence as the MT sees it: soft line breaks and runs of spaces made one space."""
        return " ".join(self.source.split())

    def in_source(self, terms: Sequence[TermCheck]) -> tuple[TermCheck, ...]:
        """*terms* found in :attr:`mt_input`, with their span moved to :attr:`source`, where
        reports and review pages show it; ``source_text`` stays as the MT saw it."""
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", self.source)]
        starts = list(itertools.accumulate((end - start + 1 for start, end in words), initial=0))

        def moved(offset: int, is_end: bool) -> int:
            # The word of mt_input the offset is in (an end may be the word's end).
            word = bisect.bisect_right(starts, offset - is_end) - 1
            return words[word][0] + offset - starts[word]

        return tuple(
            replace(
                t, source_start=moved(t.source_start, False), source_end=moved(t.source_end, True)
            )
            if t.source_text
            else t
            for t in terms
        )


@dataclass(frozen=True)
class Anchor:
    """Where one approved term is on both sides of a translated piece: its Russian words
    in the paragraph (*source*, paragraph offsets) and its English in the piece's new text
    (*target*).  A writer that keeps formatting runs writes the English term into the run
    its Russian words are in, so that the term keeps their bold, italic or link."""

    source: Span
    target: Span


class Replacement(tuple[int, int, str]):
    """One translated piece of a paragraph: ``(start, end, new text)``, offsets in the
    paragraph's text.  It unpacks and compares as that plain triple, so every writer (and
    every plug-in format) takes it as before; *anchors* ride along, sorted, for the writers
    that keep formatting runs (:mod:`rutrans.formats.runs`), and the others never look."""

    anchors: tuple[Anchor, ...]

    def __new__(
        cls, start: int, end: int, new_text: str, anchors: Sequence[Anchor] = ()
    ) -> Replacement:
        self = super().__new__(cls, (start, end, new_text))
        object.__setattr__(self, "anchors", tuple(anchors))
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Replacement is frozen; cannot set {name}")

    def __getnewargs__(self) -> tuple[int, int, str, tuple[Anchor, ...]]:
        # tuple's own gives one argument, the triple; copy and pickle need this __new__'s.
        start, end, new_text = self
        return start, end, new_text, self.anchors

    def __repr__(self) -> str:
        return f"Replacement{tuple(self)!r}" + (
            f" anchors={self.anchors!r}" if self.anchors else ""
        )


# --- machine translation ------------------------------------------------------------------


@dataclass(frozen=True)
class MTResult:
    """One segment's raw machine translation, with the subwords that made it.

    With ``return_attention`` the engine also gives the attention matrix
    (``[target token][source token]``) and each token's character span in the source
    text and in ``text``, so that post-editing can find where a term went.
    """

    text: str
    source_tokens: tuple[str, ...]
    target_tokens: tuple[str, ...]
    score: float | None
    attention: tuple[tuple[float, ...], ...] | None = None
    source_offsets: tuple[Span, ...] = ()
    target_offsets: tuple[Span, ...] = ()


# --- terminology --------------------------------------------------------------------------


class TermStatus(StrEnum):
    """What became of one occurrence of a glossary term."""

    OK = "ok"  # the MT already had the approved term
    FIXED = "fixed"  # the MT's rendering was replaced by it
    MISSING = "missing"  # no rendering could be located: left as the MT wrote it
    FORBIDDEN = "forbidden"  # a forbidden rendering is left in the text
    PROPOSED = "proposed"  # a fuzzy entry: reported, never applied


class TermMethod(StrEnum):
    """How the MT's rendering of a term was found (cheapest first)."""

    ALREADY = "already"  # the approved term is there as the glossary writes it
    FORM = "form"  # the approved words in the wrong case or inside quotes
    VARIANT = "variant"  # a rendering the glossary lists (variant or forbidden)
    PROBE = "probe"  # the engine's rendering of the term alone
    # The generalizing locator, by the evidence that fired:
    ACRONYM = "acronym"  # an acronym of the term, or the term's acronym spelt out
    RELATED = "related"  # the English of another entry for the same concept
    TRANSLITERATION = "transliteration"  # Latin letters of the Russian words
    NAME = "name"  # the quoted or capitalised name beside the term's other words
    SYNONYM = "synonym"  # the term's words with a synonym head
    WORDS = "words"  # the term's words in another order, number or construction
    ATTENTION = "attention"  # the target words CTranslate2's attention aligns to the term
    PREFIX = "prefix"  # --fluent: re-decoded from the approved term on
    TM = "tm"  # the segment came from the translation memory with the term in it


NEEDS_REVIEW = frozenset({TermStatus.MISSING, TermStatus.FORBIDDEN})


@dataclass(frozen=True)
class TermCheck:
    """What happened to one occurrence of a glossary term in one segment."""

    msgid: str
    msgctxt: str | None
    source_text: str
    source_start: int  # offsets in the segment's source text
    source_end: int
    target: str  # the approved English for this occurrence (right number)
    status: TermStatus
    method: TermMethod | None
    mt_span: Span | None  # in the MT text
    final_span: Span | None  # in the final text
    reason: str | None = None  # why it is missing, forbidden or proposed

    def as_dict(self) -> dict[str, object]:
        return {
            "msgid": self.msgid,
            "msgctxt": self.msgctxt,
            "source_text": self.source_text,
            "source_span": [self.source_start, self.source_end] if self.source_text else None,
            "target": self.target,
            "status": str(self.status),
            "method": str(self.method) if self.method else None,
            "mt_span": list(self.mt_span) if self.mt_span else None,
            "final_span": list(self.final_span) if self.final_span else None,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class PostEdit:
    """One segment after post-editing: the final text and what happened to each term."""

    final: str
    terms: tuple[TermCheck, ...]
    edits: tuple[tuple[int, int, str], ...] = ()  # (start, end, new text) in the MT text

    @property
    def flagged(self) -> bool:
        """Needs a reviewer: a term could not be fixed."""
        return flagged(self.terms)


def flagged(terms: Sequence[TermCheck]) -> bool:
    return any(t.status in NEEDS_REVIEW for t in terms)


def summary(terms: Sequence[TermCheck]) -> dict[str, object]:
    """Occurrence counts and term accuracy = (ok + fixed) / occurrences.

    Proposed (fuzzy) entries are reported but are not occurrences of approved terms.
    ``forbidden`` also counts forbidden renderings left in the text that no source
    occurrence accounts for.
    """
    counted = [t for t in terms if t.status != TermStatus.PROPOSED and t.source_text]
    statuses = (TermStatus.OK, TermStatus.FIXED, TermStatus.MISSING, TermStatus.FORBIDDEN)
    counts = {str(s): sum(t.status == s for t in counted) for s in statuses}
    # Forbidden renderings with no source occurrence are counted as forbidden, not as
    # occurrences: they lower nothing, but the segment is flagged.
    counts["forbidden"] += sum(
        t.status == TermStatus.FORBIDDEN and not t.source_text for t in terms
    )
    occurrences = len(counted)
    accuracy = (counts["ok"] + counts["fixed"]) / occurrences if occurrences else None
    return {"occurrences": occurrences, **counts, "term_accuracy": accuracy}


# --- QA ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QAFinding:
    """Something a reviewer should look at in one segment's English (see :mod:`rutrans.qa`)."""

    check: str  # the check's name: numbers, cyrillic, repetition, length_ratio, cut_short, …
    message: str
    span: Span | None = None  # in the final text, where the finding has a place

    def as_dict(self) -> dict[str, object]:
        return {"check": self.check, "message": self.message, "span": self.span}


# --- whole results ------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslatedSegment:
    segment: Segment
    mt: MTResult
    final: str
    terms: tuple[TermCheck, ...] = ()
    qa: tuple[QAFinding, ...] = ()
    origin: str = "mt"  # "mt", "tm" (the translation memory) or "review" (rutrans apply)

    @property
    def flagged(self) -> bool:
        """Needs a reviewer: a QA finding (term checks included)."""
        return bool(self.qa)


@dataclass(frozen=True)
class DocumentResult:
    """One document translated: what ``outputs`` writes and the report and review read."""

    document: Document
    segments: tuple[TranslatedSegment, ...]
    signature: Signature
    notes: Mapping[str, str] = field(default_factory=dict)  # msgid → the glossary's note

    @property
    def has_glossary(self) -> bool:
        return self.signature.glossary is not None

    @property
    def terms(self) -> tuple[TermCheck, ...]:
        return tuple(t for s in self.segments for t in s.terms)

    def replacements(self) -> dict[int, list[Replacement]]:
        """Each paragraph's translated pieces, for the format that writes the document,
        with where each approved term is on both sides (see :class:`Anchor`)."""
        pieces: dict[int, list[Replacement]] = {}
        for item in self.segments:
            seg = item.segment
            pieces.setdefault(seg.paragraph, []).append(
                Replacement(seg.start, seg.end, item.final, term_anchors(item))
            )
        return pieces


def term_anchors(item: TranslatedSegment) -> tuple[Anchor, ...]:
    """The approved terms of *item* whose English is still where the term check put it,
    by their place in the final text.  After a review (``rutrans apply``) a span may no
    longer hold the term, so a span whose text is not the term (case aside: a term may
    open the sentence) is dropped rather than trusted."""
    seg = item.segment
    found = [
        Anchor((seg.start + t.source_start, seg.start + t.source_end), t.final_span)
        for t in item.terms
        if t.status in (TermStatus.OK, TermStatus.FIXED)
        and t.source_text
        and t.final_span is not None
        and item.final[t.final_span[0] : t.final_span[1]].casefold() == t.target.casefold()
    ]
    return tuple(sorted(found, key=lambda a: a.target))


@dataclass(frozen=True)
class PosteditedLine:
    line: int  # 1-based
    source: str
    mt: str
    final: str
    terms: tuple[TermCheck, ...]
    qa: tuple[QAFinding, ...] = ()

    @property
    def flagged(self) -> bool:
        return bool(self.qa)


@dataclass(frozen=True)
class PosteditResult:
    """A line-aligned MT file post-edited against its source (``rutrans postedit``)."""

    lines: tuple[PosteditedLine, ...]
    line_endings: tuple[str, ...]  # the MT file's, one per line, kept as they were
    encoding: str  # the MT file's, kept for the output
    signature: Signature
    notes: Mapping[str, str] = field(default_factory=dict)  # msgid → the glossary's note

    @property
    def text(self) -> str:
        return "".join(
            d.final + ending for d, ending in zip(self.lines, self.line_endings, strict=True)
        )

    @property
    def terms(self) -> tuple[TermCheck, ...]:
        return tuple(t for d in self.lines for t in d.terms)
