"""QA: what a reviewer should look at first, for every segment of a result.

:func:`check_segments` runs the segment checks of :mod:`rutrans.qa.checks`, turns the
term checks that need a human (``missing``, ``forbidden``) into findings, and adds the one
check that needs the whole document: the same source sentence translated two ways.  A
segment with any finding is flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rutrans.qa.checks import SEGMENT_CHECKS
from rutrans.results import QAFinding, TermCheck, TermStatus

CHECK_NAMES = (
    *(check.__name__ for check in SEGMENT_CHECKS),
    "consistency",
    "term",
)


@dataclass(frozen=True)
class QAInput:
    """One segment as QA reads it: the Russian, the final English, its term checks."""

    source: str
    target: str
    terms: Sequence[TermCheck] = ()


def _term_findings(terms: Sequence[TermCheck]) -> list[QAFinding]:
    findings = []
    for term in terms:
        if term.status == TermStatus.MISSING:
            why = f" ({term.reason})" if term.reason else ""
            findings.append(
                QAFinding("term", f"'{term.target}' for «{term.source_text}» is missing{why}")
            )
        elif term.status == TermStatus.FORBIDDEN:
            shown = f" for «{term.source_text}»" if term.source_text else ""
            findings.append(
                QAFinding(
                    "term",
                    f"a forbidden rendering{shown} is in the text; write '{term.target}'",
                    term.final_span,
                )
            )
    return findings


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_segments(segments: Sequence[QAInput]) -> list[tuple[QAFinding, ...]]:
    """The findings of every segment, in order."""
    first_seen: dict[str, tuple[int, str]] = {}
    results = []
    for number, item in enumerate(segments, start=1):
        findings = [f for check in SEGMENT_CHECKS for f in check(item.source, item.target)]
        findings += _term_findings(item.terms)
        key = _normalised(item.source)
        if key:
            first, english = first_seen.setdefault(key, (number, item.target))
            if first != number and _normalised(english) != _normalised(item.target):
                findings.append(
                    QAFinding(
                        "consistency",
                        f"the same source as segment {first} is translated differently",
                    )
                )
        results.append(tuple(findings))
    return results
