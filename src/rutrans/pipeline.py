"""The one place that knows the order: read → segment → MT → write translation + report."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rutrans import atomic
from rutrans.document import Document, read_document, render, write_document
from rutrans.engine import Engine, MTResult, Progress
from rutrans.errors import UserError
from rutrans.report import build_report, report_json
from rutrans.segment import split_sentences

DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
LANGUAGE_TAG = ".ru"  # "article.ru.txt" translates to "article.en.txt", not "article.ru.en.txt"


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


@dataclass(frozen=True)
class TranslatedSegment:
    segment: Segment
    mt: MTResult
    final: str


@dataclass(frozen=True)
class Outputs:
    translation: Path
    report: Path


@dataclass(frozen=True)
class DocumentResult:
    document: Document
    outputs: Outputs
    segments: tuple[TranslatedSegment, ...]


def segments_of(document: Document) -> tuple[Segment, ...]:
    """Split every translatable span of every paragraph into sentences."""
    found: list[Segment] = []
    for paragraph in document.paragraphs:
        for span_start, span_end in paragraph.spans:
            for sentence in split_sentences(paragraph.text[span_start:span_end]):
                found.append(
                    Segment(
                        id=len(found) + 1,
                        paragraph=paragraph.index,
                        start=span_start + sentence.start,
                        end=span_start + sentence.end,
                        source=sentence.text,
                    )
                )
    return tuple(found)


def output_paths(source: Path, outdir: Path | None) -> Outputs:
    """``<stem>.en<ext>`` and ``<stem>.report.json`` next to the input or in *outdir*."""
    stem = source.stem
    if stem.lower().endswith(LANGUAGE_TAG):
        stem = stem[: -len(LANGUAGE_TAG)]
    folder = outdir if outdir is not None else source.parent
    return Outputs(folder / f"{stem}.en{source.suffix}", folder / f"{stem}.report.json")


def expand_inputs(inputs: Sequence[Path]) -> list[Path]:
    """Files as given; a directory stands for the documents directly inside it."""
    files: list[Path] = []
    for given in inputs:
        if given.is_dir():
            inside = sorted(
                p
                for p in given.iterdir()
                if p.is_file()
                and p.suffix.lower() in DOCUMENT_SUFFIXES
                and not p.stem.lower().endswith(".en")  # rutrans's own outputs
            )
            if not inside:
                raise UserError(
                    f"{given}: no .txt or .md documents in this directory; "
                    "give document files or a directory that has some"
                )
            files.extend(inside)
        else:
            files.append(given)
    return files


def translate_document(
    document: Document,
    engine: Engine,
    outdir: Path | None,
    output_encoding: str | None = None,
    progress: Progress | None = None,
) -> DocumentResult:
    """Translate one document in one engine call and write its translation and report."""
    outputs = output_paths(document.path, outdir)
    if outputs.translation.resolve() == document.path.resolve():
        raise UserError(f"{document.path}: the output would overwrite the input; use -o OUTDIR")
    segments = segments_of(document)
    results = engine.translate([s.mt_input for s in segments], progress=progress)
    # Until glossary post-editing lands, the final text is the MT's.
    translated = tuple(
        TranslatedSegment(segment, result, final=result.text)
        for segment, result in zip(segments, results, strict=True)
    )
    replacements: dict[int, list[tuple[int, int, str]]] = {}
    for item in translated:
        seg = item.segment
        replacements.setdefault(seg.paragraph, []).append((seg.start, seg.end, item.final))
    text = render(document, replacements)
    report = build_report(document, translated, engine.signature())
    # Both files appear together or not at all.
    with contextlib.ExitStack() as stack:
        report_tmp = stack.enter_context(atomic.staged(outputs.report))
        translation_tmp = stack.enter_context(atomic.staged(outputs.translation))
        write_document(document, text, translation_tmp, encoding=output_encoding)
        report_tmp.write_text(report_json(report), encoding="utf-8")
    return DocumentResult(document, outputs, translated)


def read_all(inputs: Sequence[Path], encoding: str | None) -> list[Document]:
    """Read every input before any model is loaded, so bad input fails fast."""
    return [read_document(path, encoding) for path in expand_inputs(inputs)]
