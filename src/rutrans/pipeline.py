"""The one place that knows the order: read → segment → MT → write translation + report."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rutrans import atomic
from rutrans.document import Document, read_document, render
from rutrans.encoding import decode, encode
from rutrans.engine import Engine, MTResult, Progress
from rutrans.errors import UserError
from rutrans.postedit import TermCheck
from rutrans.report import (
    build_postedit_report,
    build_report,
    postedit_signature,
    report_json,
)
from rutrans.segment import split_sentences
from rutrans.terminology import Terminology

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
    terms: tuple[TermCheck, ...] = ()


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
    terminology: Terminology | None = None,
) -> DocumentResult:
    """Translate one document and write its translation and report.

    The document's segments — and, with a glossary, its terms alone, to learn how the
    engine renders them — go to the engine in one call.
    """
    outputs = output_paths(document.path, outdir)
    if outputs.translation.resolve() == document.path.resolve():
        raise UserError(f"{document.path}: the output would overwrite the input; use -o OUTDIR")
    segments = segments_of(document)
    sources = [s.mt_input for s in segments]
    matches = terminology.find(sources) if terminology else [[] for _ in segments]
    probes = terminology.probe_texts(matches) if terminology else []
    suppressed = terminology.suppressible(matches) if terminology else []
    results = engine.translate(
        sources + probes,
        progress=_clamped(progress, len(sources)),
        return_attention=terminology is not None,
        suppress=suppressed,
    )
    mt, probed = results[: len(sources)], results[len(sources) :]
    if terminology is None:
        translated = tuple(
            TranslatedSegment(s, r, final=r.text) for s, r in zip(segments, mt, strict=True)
        )
    else:
        terminology.remember_probes(probes, probed)
        edited = [terminology.postedit(r, m) for r, m in zip(mt, matches, strict=True)]
        if terminology.fluent:
            edited = terminology.refluent(engine, sources, edited, matches)
        translated = tuple(
            TranslatedSegment(s, r, final=e.final, terms=e.terms)
            for s, r, e in zip(segments, mt, edited, strict=True)
        )
    replacements: dict[int, list[tuple[int, int, str]]] = {}
    for item in translated:
        seg = item.segment
        replacements.setdefault(seg.paragraph, []).append((seg.start, seg.end, item.final))
    text = render(document, replacements)
    glossary = {**terminology.signature(), "suppressed": suppressed} if terminology else None
    report = build_report(document, translated, engine.signature(), glossary)
    # Both files appear together or not at all.
    with contextlib.ExitStack() as stack:
        report_tmp = stack.enter_context(atomic.staged(outputs.report))
        translation_tmp = stack.enter_context(atomic.staged(outputs.translation))
        # Encode before writing, so an error names the output file, not the temporary one.
        translation_tmp.write_bytes(
            encode(text, output_encoding or document.encoding, outputs.translation)
        )
        report_tmp.write_text(report_json(report), encoding="utf-8")
    return DocumentResult(document, outputs, translated)


def _clamped(progress: Progress | None, total: int) -> Progress | None:
    """Report progress over the document's segments only, not the term probes."""
    if progress is None:
        return None
    done = 0

    def report(newly: int) -> None:
        nonlocal done
        step = min(newly, total - done)
        done += step
        if step:
            progress(step)

    return report


def read_all(inputs: Sequence[Path], encoding: str | None) -> list[Document]:
    """Read every input before any model is loaded, so bad input fails fast."""
    return [read_document(path, encoding) for path in expand_inputs(inputs)]


@dataclass(frozen=True)
class PosteditedLine:
    line: int  # 1-based
    source: str
    mt: str
    final: str
    terms: tuple[TermCheck, ...]


@dataclass(frozen=True)
class PosteditFiles:
    output: Path
    report: Path | None
    segments: tuple[PosteditedLine, ...]


_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def _lines(path: Path, text: str) -> list[tuple[str, str]]:
    """(line, its line ending) pairs; a final line ending does not make an extra line."""
    parts = _LINE_BREAK.split(text)
    pairs = [
        (parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)
    ]
    if pairs and pairs[-1] == ("", ""):
        pairs.pop()
    return pairs


def _read_text(path: Path) -> tuple[str, str]:
    if not path.is_file():
        raise UserError(f"{path}: no such file; check the path")
    return decode(path.read_bytes(), path)


def postedit_files(
    source: Path,
    mt: Path,
    terminology: Terminology,
    output: Path | None = None,
    report_path: Path | None = None,
) -> PosteditFiles:
    """Post-edit a line-aligned MT file (any MT system) against its Russian source."""
    source_text, _ = _read_text(source)
    mt_text, mt_encoding = _read_text(mt)
    source_lines, mt_lines = _lines(source, source_text), _lines(mt, mt_text)
    if len(source_lines) != len(mt_lines):
        raise UserError(
            f"{mt}: has {len(mt_lines)} lines but {source} has {len(source_lines)}; "
            "the files must be line-aligned (line i of MT translates line i of SOURCE)"
        )
    output = output or mt.with_name(f"{mt.stem}.postedited{mt.suffix}")
    if output.resolve() in (source.resolve(), mt.resolve()):
        raise UserError(f"{output}: would overwrite an input; choose another -o")
    done: list[PosteditedLine] = []
    pieces: list[str] = []
    for number, ((russian, _), (english, ending)) in enumerate(
        zip(source_lines, mt_lines, strict=True), start=1
    ):
        result = terminology.postedit(
            MTResult(english, (), (), None), terminology.matcher.find(russian)
        )
        done.append(PosteditedLine(number, russian, english, result.final, result.terms))
        pieces.append(result.final + ending)
    report = None
    if report_path is not None:
        report = build_postedit_report(postedit_signature(source, mt, terminology), done)
    with contextlib.ExitStack() as stack:
        staged_output = stack.enter_context(atomic.staged(output))
        staged_output.write_bytes(encode("".join(pieces), mt_encoding, output))
        if report is not None and report_path is not None:
            staged_report = stack.enter_context(atomic.staged(report_path))
            staged_report.write_text(report_json(report), encoding="utf-8")
    return PosteditFiles(output, report_path, tuple(done))
