"""``rutrans apply``: a reviewed review PO back into the English document.

The reviewer has the last word: their text is used as it is.  What rutrans still does is
check it — the same term and QA checks as ``translate`` — and say when a segment drops an
approved term or brings back a forbidden rendering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rutrans import __version__
from rutrans.errors import UserError
from rutrans.formats import read_document
from rutrans.pipeline import document_sha256, input_signature, sha256
from rutrans.qa import QAInput, check_segments
from rutrans.results import (
    NEEDS_REVIEW,
    DocumentResult,
    MTResult,
    Segment,
    TermCheck,
    TermStatus,
    TranslatedSegment,
)
from rutrans.review.po import Review, ReviewedSegment
from rutrans.segment import segments_of
from rutrans.signature import EngineSignature, ExternalMT, Signature
from rutrans.terminology import Terminology


@dataclass(frozen=True)
class ReviewWarning:
    """Something the reviewer's text does to a term: said, never changed."""

    line: int  # in the review PO
    message: str


def apply_review(
    review: Review, terminology: Terminology
) -> tuple[DocumentResult, list[ReviewWarning]]:
    """The document rebuilt from a reviewed review PO, and what its terms check says.

    The reviewer has the last word: their text is used as it is.  Term and QA checks run
    on it, and a dropped approved term or a forbidden rendering brought back is a warning.
    """
    document = read_document(review.document, review.encoding)
    if document_sha256(document) != review.source_sha256:
        raise UserError(
            f"{review.document}: changed since {review.path} was written; "
            "translate it again and review the new review PO"
        )
    segments = segments_of(document)
    reviewed = _match_segments(review, segments)
    sources = [s.mt_input for s in segments]
    matches = terminology.find(sources)
    terms = [
        s.in_source(terminology.check(r.target, m, source))
        for s, r, m, source in zip(segments, reviewed, matches, sources, strict=True)
    ]
    warnings = [
        ReviewWarning(r.line, _warning(r.id, t))
        for r, found in zip(reviewed, terms, strict=True)
        for t in found
        if t.status in NEEDS_REVIEW
    ]
    findings = check_segments(
        [QAInput(s.source, r.target, t) for s, r, t in zip(segments, reviewed, terms, strict=True)]
    )
    result = DocumentResult(
        document,
        tuple(
            TranslatedSegment(s, MTResult(r.mt, (), (), None), r.target, t, qa, origin="review")
            for s, r, t, qa in zip(segments, reviewed, terms, findings, strict=True)
        ),
        Signature(
            rutrans=__version__,
            engine=EngineSignature(name="review"),
            glossary=terminology.signature(),
            input=input_signature(document),
            mt=ExternalMT(path=str(review.path), sha256=sha256(review.path.read_bytes())),
        ),
        terminology.notes([t for found in terms for t in found]),
    )
    return result, warnings


def _match_segments(review: Review, segments: Sequence[Segment]) -> list[ReviewedSegment]:
    """The reviewed entry of every segment, or a one-line error naming the entry."""
    by_id = {r.id: r for r in review.segments}
    for entry in review.segments:
        if entry.id > len(segments) or segments[entry.id - 1].source != entry.source:
            raise UserError(
                f"{review.path}:{entry.line}: segment {entry.id}'s source is not in "
                f"{review.document}; is this the review of another document?"
            )
    for segment in segments:
        if segment.id not in by_id:
            raise UserError(
                f"{review.path}: segment {segment.id} has no entry; "
                "restore it from the review PO rutrans translate wrote"
            )
    return [by_id[s.id] for s in segments]


def _warning(segment: int, term: TermCheck) -> str:
    if term.status == TermStatus.FORBIDDEN:
        of = f" of «{term.source_text}»" if term.source_text else ""
        return (
            f"segment {segment} brings back a forbidden rendering{of}; "
            f"the glossary says '{term.target}'"
        )
    return f"segment {segment} drops the approved '{term.target}' for «{term.source_text}»"
