"""The JSON report of a result: every segment, every term occurrence, and the signature.

It reads :mod:`rutrans.results` and nothing else: whatever made the result (the engine, an
external MT file, a batch runner), the report is built the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from rutrans.qa import CHECK_NAMES
from rutrans.results import DocumentResult, PosteditResult, QAFinding, TermCheck, summary

REPORT_FORMAT = 1


class SegmentEntries:
    """A report's segments, each made when it is reached, as often as they are iterated:
    written out one at a time (:func:`write_report_json`, the review page), a long
    document's report never has more than one segment's entry in memory."""

    def __init__(self, result: DocumentResult) -> None:
        self._result = result
        self._lines = {p.index: p.line for p in result.document.paragraphs}
        self._locations = {p.index: p.location for p in result.document.paragraphs if p.location}

    def __len__(self) -> int:
        return len(self._result.segments)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for item in self._result.segments:
            paragraph = item.segment.paragraph
            yield {
                "id": item.segment.id,
                "paragraph": paragraph + 1,
                "line": self._lines[paragraph],
                **(
                    {"location": self._locations[paragraph]} if paragraph in self._locations else {}
                ),
                "start": item.segment.start,
                "end": item.segment.end,
                "source": item.segment.source,
                "mt": item.mt.text,
                "final": item.final,
                "origin": item.origin,
                **({"terms": _terms(item.terms)} if self._result.has_glossary else {}),
                **_qa(item.qa),
            }


def translation_report(result: DocumentResult) -> dict[str, Any]:
    """The report of ``rutrans translate`` for one document; its ``segments`` are a
    :class:`SegmentEntries` (``list(...)`` it for a list)."""
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "signature": result.signature.as_dict(),
        "segments": SegmentEntries(result),
    }
    if result.has_glossary:
        report["summary"] = summary(result.terms)
        report["notes"] = dict(result.notes)
    report["qa"] = qa_summary([item.qa for item in result.segments])
    return report


def postedit_report(result: PosteditResult) -> dict[str, Any]:
    """The report of ``rutrans postedit``: one segment per line, as ``translate`` reports."""
    return {
        "format": REPORT_FORMAT,
        "signature": result.signature.as_dict(),
        "segments": [
            {"id": d.line, "line": d.line, "source": d.source, "mt": d.mt, "final": d.final}
            | {"terms": _terms(d.terms)}
            | _qa(d.qa)
            for d in result.lines
        ],
        "summary": summary(result.terms),
        "notes": dict(result.notes),
        "qa": qa_summary([d.qa for d in result.lines]),
    }


def _terms(terms: Sequence[TermCheck]) -> list[dict[str, object]]:
    return [t.as_dict() for t in terms]


def _qa(findings: Sequence[QAFinding]) -> dict[str, Any]:
    return {"qa": [f.as_dict() for f in findings], "flagged": bool(findings)}


def qa_summary(per_segment: Sequence[Sequence[QAFinding]]) -> dict[str, Any]:
    """Flagged segments, and findings counted by check (every check named, 0 or more)."""
    counts = dict.fromkeys(CHECK_NAMES, 0)
    for findings in per_segment:
        for finding in findings:
            counts[finding.check] = counts.get(finding.check, 0) + 1
    return {"flagged": sum(bool(f) for f in per_segment), "by_check": counts}


def report_json(report: dict[str, Any]) -> str:
    return "".join(report_json_parts(report))


_PLACEHOLDER = "rutrans: the segments go here"


def report_json_parts(report: dict[str, Any]) -> Iterator[str]:
    """:func:`report_json`'s text in pieces, one per segment: the same bytes as
    ``json.dumps(report, indent=2)``, without the whole report in memory at once."""
    segments = report["segments"]
    if not len(segments):
        yield json.dumps({**report, "segments": []}, ensure_ascii=False, indent=2) + "\n"
        return
    frame = json.dumps({**report, "segments": [_PLACEHOLDER]}, ensure_ascii=False, indent=2)
    before, after = frame.split(f'\n    "{_PLACEHOLDER}"\n', 1)
    yield before + "\n"
    for number, segment in enumerate(segments):
        text = json.dumps(segment, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield ("    " if number == 0 else ",\n    ") + text
    yield "\n" + after + "\n"
