"""The JSON report of a result: every segment, every term occurrence, and the signature.

It reads :mod:`rutrans.results` and nothing else: whatever made the result (the engine, an
external MT file, a batch runner), the report is built the same way.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rutrans.qa import CHECK_NAMES
from rutrans.results import DocumentResult, PosteditResult, QAFinding, TermCheck, summary

REPORT_FORMAT = 1


def translation_report(result: DocumentResult) -> dict[str, Any]:
    """The report of ``rutrans translate`` for one document."""
    lines = {p.index: p.line for p in result.document.paragraphs}
    locations = {p.index: p.location for p in result.document.paragraphs if p.location}
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "signature": result.signature.as_dict(),
        "segments": [
            {
                "id": item.segment.id,
                "paragraph": item.segment.paragraph + 1,
                "line": lines[item.segment.paragraph],
                **(
                    {"location": locations[item.segment.paragraph]}
                    if item.segment.paragraph in locations
                    else {}
                ),
                "start": item.segment.start,
                "end": item.segment.end,
                "source": item.segment.source,
                "mt": item.mt.text,
                "final": item.final,
                "origin": item.origin,
                **({"terms": _terms(item.terms)} if result.has_glossary else {}),
                **_qa(item.qa),
            }
            for item in result.segments
        ],
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
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
