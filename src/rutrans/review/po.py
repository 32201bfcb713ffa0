"""The bilingual review PO: one entry per segment, edited in Poedit and applied back.

``msgctxt`` is the segment id, ``msgid`` the Russian exactly as in the document,
``msgstr`` the final English; ``#.`` comments carry what the reviewer needs beside it (the
raw MT, each term and how it was handled, the QA findings) and ``#, fuzzy`` marks the
flagged segments, which Poedit shows first as "needs work".  The header binds the file to
its document (path relative to the PO, SHA-256 of the text), so that ``rutrans apply``
refuses a review of another document or of a source edited since.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rutrans.errors import UserError
from rutrans.results import DocumentResult, TermCheck

DOCUMENT = "X-Rutrans-Document"
SOURCE_SHA = "X-Rutrans-Source-SHA256"
ENCODING = "X-Rutrans-Encoding"
TRANSLATION = "X-Rutrans-Translation"
SIGNATURE = "X-Rutrans-Signature"
MT_PREFIX = "MT: "


def _relative(path: Path, folder: Path) -> str:
    return os.path.relpath(path.resolve(), folder.resolve())


def _term_line(term: TermCheck) -> str:
    how = f" by {term.method}" if term.method else ""
    why = f": {term.reason}" if term.reason else ""
    source = f"«{term.source_text}»" if term.source_text else "(no source)"
    return f"term {source} → {term.target} ({term.status}{how}{why})"


def review_po(result: DocumentResult, po_path: Path, translation: Path) -> str:
    """The review PO of *result*, to be written at *po_path*."""
    return "".join(review_po_parts(result, po_path, translation))


def review_po_parts(result: DocumentResult, po_path: Path, translation: Path) -> Iterator[str]:
    """:func:`review_po`'s text in pieces, one per entry, as polib writes the whole file:
    a long document's review PO is never held whole."""
    import polib

    folder = po_path.parent
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"rutrans review of {result.document.path.name}",
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "X-Source-Language": "ru",
        DOCUMENT: _relative(result.document.path, folder),
        SOURCE_SHA: result.signature.input.sha256,
        ENCODING: result.document.encoding,
        TRANSLATION: _relative(translation, folder),
        SIGNATURE: result.signature.id,
    }
    lines = {p.index: p.line for p in result.document.paragraphs}
    yield str(po)  # the header
    for item in result.segments:
        comments = [f"{MT_PREFIX}{item.mt.text}"]
        if item.origin != "mt":
            comments.append(f"origin: {item.origin}")
        comments += [_term_line(t) for t in item.terms]
        comments += [f"QA {f.check}: {f.message}" for f in item.qa]
        entry = polib.POEntry(
            msgctxt=str(item.segment.id),
            msgid=item.segment.source,
            msgstr=item.final,
            comment="\n".join(" ".join(c.split()) for c in comments),
            occurrences=[(str(result.document.path.name), str(lines[item.segment.paragraph]))],
            flags=["fuzzy"] if item.flagged else [],
        )
        yield "\n" + entry.__unicode__(po.wrapwidth)
    yield "\n"


@dataclass(frozen=True)
class ReviewedSegment:
    id: int
    source: str
    target: str
    mt: str  # the raw MT, from the ``#. MT:`` comment
    fuzzy: bool
    line: int  # in the review PO


@dataclass(frozen=True)
class Review:
    path: Path
    document: Path
    source_sha256: str
    encoding: str | None
    translation: Path
    segments: tuple[ReviewedSegment, ...]


def _entry(entry: Any, path: Path) -> ReviewedSegment:
    line = max(1, int(entry.linenum))
    if not (entry.msgctxt or "").isdigit():
        raise UserError(
            f"{path}:{line}: entry without a segment id (msgctxt); "
            "this is not a rutrans review PO, or an entry was added by hand"
        )
    if not entry.msgstr.strip():
        raise UserError(
            f"{path}:{line}: segment {entry.msgctxt} has an empty translation; write one, "
            "or copy the source's English back"
        )
    mt = next(
        (c[len(MT_PREFIX) :] for c in (entry.comment or "").split("\n") if c.startswith(MT_PREFIX)),
        "",
    )
    return ReviewedSegment(
        int(entry.msgctxt), entry.msgid, entry.msgstr, mt, "fuzzy" in entry.flags, line
    )


def read_review(path: Path) -> Review:
    """Read a review PO that ``rutrans translate`` wrote (and a reviewer edited)."""
    from rutrans.pofile import read_po

    po = read_po(path).po
    meta = po.metadata
    if DOCUMENT not in meta or SOURCE_SHA not in meta:
        raise UserError(
            f"{path}: not a rutrans review PO (no {DOCUMENT} in its header); "
            "give the <stem>.review.po that rutrans translate wrote"
        )
    folder = path.parent
    segments = tuple(_entry(e, path) for e in po if not e.obsolete)
    first: dict[int, ReviewedSegment] = {}
    for segment in segments:  # else one of the reviewer's two texts would be lost unsaid
        seen = first.setdefault(segment.id, segment)
        if seen is not segment:
            raise UserError(
                f"{path}:{segment.line}: segment {segment.id} appears twice (first at line "
                f"{seen.line}); keep the entry you mean and delete the other"
            )
    return Review(
        path=path,
        document=folder / meta[DOCUMENT],
        source_sha256=meta[SOURCE_SHA],
        encoding=meta.get(ENCODING) or None,
        translation=folder / meta.get(TRANSLATION, ""),
        segments=segments,
    )
