"""The JSON report of a result: every segment, every term occurrence, and the signature.

It reads :mod:`rutrans.results` and nothing else: whatever made the result (the engine, an
external MT file, a batch runner), the report is built the same way.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rutrans.results import DocumentResult, PosteditResult, TermCheck, flagged, summary

REPORT_FORMAT = 1


def translation_report(result: DocumentResult) -> dict[str, Any]:
    """The report of ``rutrans translate`` for one document."""
    lines = {p.index: p.line for p in result.document.paragraphs}
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "signature": result.signature.as_dict(),
        "segments": [
            {
                "id": item.segment.id,
                "paragraph": item.segment.paragraph + 1,
                "line": lines[item.segment.paragraph],
                "start": item.segment.start,
                "end": item.segment.end,
                "source": item.segment.source,
                "mt": item.mt.text,
                "final": item.final,
                **(_terms(item.terms) if result.has_glossary else {}),
            }
            for item in result.segments
        ],
    }
    if result.has_glossary:
        report["summary"] = summary(result.terms)
    return report


def postedit_report(result: PosteditResult) -> dict[str, Any]:
    """The report of ``rutrans postedit``: one segment per line, as ``translate`` reports."""
    return {
        "format": REPORT_FORMAT,
        "signature": result.signature.as_dict(),
        "segments": [
            {"id": d.line, "line": d.line, "source": d.source, "mt": d.mt, "final": d.final}
            | _terms(d.terms)
            for d in result.lines
        ],
        "summary": summary(result.terms),
    }


def _terms(terms: Sequence[TermCheck]) -> dict[str, Any]:
    return {"terms": [t.as_dict() for t in terms], "flagged": flagged(terms)}


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
