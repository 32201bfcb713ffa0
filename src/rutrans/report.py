"""The JSON report of one translated document, signed like a sacrebleu score.

The signature says how the output was made — rutrans version, model identity (package
code, version and a content hash), decoding options, glossary — so two reports can be
compared and a result can be reproduced.  ``signature["id"]`` is the same in one compact
line, for logs and the top of review pages.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rutrans import __version__
from rutrans.postedit import TermCheck, summary

if TYPE_CHECKING:
    from pathlib import Path

    from rutrans.document import Document
    from rutrans.pipeline import PosteditedLine, TranslatedSegment
    from rutrans.terminology import Terminology

REPORT_FORMAT = 1


def signature_id(signature: dict[str, Any]) -> str:
    """``rutrans:0.1.0|model:translate-ru_en@1.9#1a2b3c4d|beam:4|lp:0.2|ct:int8|glossary:none``."""
    model = signature.get("model", {})
    decoding = signature.get("decoding", {})
    parts = [
        f"rutrans:{signature.get('rutrans')}",
        f"model:{model.get('code')}@{model.get('version')}#{str(model.get('sha256', ''))[:8]}",
        f"beam:{decoding.get('beam_size')}",
        f"lp:{decoding.get('length_penalty')}",
        f"ct:{decoding.get('compute_type')}",
        f"glossary:{_glossary_id(signature.get('glossary'))}",
    ]
    if model.get("standin"):
        parts.append("STANDIN-NOISE")
    return "|".join(parts)


def _glossary_id(glossary: Any) -> str:
    if not glossary:
        return "none"
    fluent = "+fluent" if glossary.get("fluent") else ""
    return f"{glossary.get('entries')}#{str(glossary.get('sha256', ''))[:12]}{fluent}"


def build_report(
    document: Document,
    segments: Sequence[TranslatedSegment],
    engine_signature: dict[str, object],
    glossary: dict[str, object] | None = None,
) -> dict[str, Any]:
    source_bytes = document.text.encode("utf-8")
    signature: dict[str, Any] = {
        "rutrans": __version__,
        **engine_signature,
        "glossary": glossary,
        "input": {
            "path": str(document.path),
            "format": document.kind,
            "encoding": document.encoding,
            "sha256": hashlib.sha256(source_bytes).hexdigest(),
            "paragraphs": len(document.paragraphs),
        },
    }
    signature["id"] = signature_id(signature)
    if signature.get("model", {}).get("standin"):
        signature["warning"] = "stand-in model with random weights: mt and final are noise"
    lines = {p.index: p.line for p in document.paragraphs}
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "signature": signature,
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
                **(_terms(item.terms) if glossary is not None else {}),
            }
            for item in segments
        ],
    }
    if glossary is not None:
        report["summary"] = summary([t for item in segments for t in item.terms])
    return report


def _terms(terms: Sequence[TermCheck]) -> dict[str, Any]:
    return {
        "terms": [t.as_dict() for t in terms],
        "flagged": any(t.status in ("missing", "forbidden") for t in terms),
    }


def postedit_signature(source: Path, mt: Path, terminology: Terminology) -> dict[str, Any]:
    """How a `rutrans postedit` result was made: the MT came from outside rutrans."""
    signature: dict[str, Any] = {
        "rutrans": __version__,
        "engine": "external",
        "mt": {"path": str(mt), "sha256": hashlib.sha256(mt.read_bytes()).hexdigest()},
        "glossary": terminology.signature(),
        "input": {"path": str(source), "sha256": hashlib.sha256(source.read_bytes()).hexdigest()},
    }
    signature["id"] = (
        f"rutrans:{__version__}|engine:external#{signature['mt']['sha256'][:8]}"
        f"|glossary:{_glossary_id(signature['glossary'])}"
    )
    return signature


def build_postedit_report(
    signature: dict[str, Any], lines: Sequence[PosteditedLine]
) -> dict[str, Any]:
    """The report of `rutrans postedit`: one segment per line, as `translate` reports them."""
    return {
        "format": REPORT_FORMAT,
        "signature": signature,
        "segments": [
            {"id": d.line, "line": d.line, "source": d.source, "mt": d.mt, "final": d.final}
            | _terms(d.terms)
            for d in lines
        ],
        "summary": summary([t for d in lines for t in d.terms]),
    }


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
