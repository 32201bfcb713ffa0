"""Terminology post-editing: put the approved term where the MT put its own rendering.

``locate`` finds, for each occurrence of a glossary term in a Russian segment, the span of
the MT output that renders it (cheapest way first); ``apply`` replaces those spans with
the approved English and reports every occurrence's status.  Nothing outside a located
span is ever edited (an «a»/«an» right before a span counts as part of it).
"""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("ok", "fixed", "missing", "forbidden", "proposed")
METHODS = ("already", "variant", "probe", "attention", "prefix")


@dataclass(frozen=True)
class TermCheck:
    """What happened to one occurrence of a glossary term in one segment."""

    msgid: str
    msgctxt: str | None
    source_text: str
    source_start: int  # offsets in the segment's source text
    source_end: int
    target: str  # the approved English for this occurrence (right number)
    status: str  # ok, fixed, missing, forbidden, proposed (fuzzy entries: never applied)
    method: str | None  # how the MT's rendering was found
    mt_span: tuple[int, int] | None  # in the MT text
    final_span: tuple[int, int] | None  # in the final text

    def as_dict(self) -> dict[str, object]:
        return {
            "msgid": self.msgid,
            "msgctxt": self.msgctxt,
            "source_text": self.source_text,
            "target": self.target,
            "status": self.status,
            "method": self.method,
            "mt_span": list(self.mt_span) if self.mt_span else None,
            "final_span": list(self.final_span) if self.final_span else None,
        }


@dataclass(frozen=True)
class PosteditResult:
    final: str
    terms: tuple[TermCheck, ...]
    edits: tuple[tuple[int, int, str], ...] = ()  # (start, end, new text) in the MT text

    @property
    def flagged(self) -> bool:
        """Needs a reviewer: a term could not be fixed."""
        return any(t.status in ("missing", "forbidden") for t in self.terms)


def summary(terms: list[TermCheck] | tuple[TermCheck, ...]) -> dict[str, object]:
    """Occurrence counts and term accuracy = (ok + fixed) / occurrences.

    Proposed (fuzzy) entries are reported but are not occurrences of approved terms.
    ``forbidden`` also counts forbidden renderings left in the text that no source
    occurrence accounts for.
    """
    counted = [t for t in terms if t.status != "proposed" and t.source_text]
    counts = {status: sum(t.status == status for t in counted) for status in STATUSES[:4]}
    # Forbidden renderings with no source occurrence are counted as forbidden, not as
    # occurrences: they lower nothing, but the segment is flagged.
    counts["forbidden"] += sum(t.status == "forbidden" and not t.source_text for t in terms)
    occurrences = len(counted)
    accuracy = (counts["ok"] + counts["fixed"]) / occurrences if occurrences else None
    return {"occurrences": occurrences, **counts, "term_accuracy": accuracy}
