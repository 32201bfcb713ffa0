"""The one place that knows the order: segment → match → MT → post-edit → result.

``translate`` and ``postedit`` compute and write nothing; :mod:`rutrans.outputs` writes a
result's files.  The CLI, the tests and any batch runner call the same two.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from rutrans import __version__
from rutrans.encoding import decode
from rutrans.engine import Engine, Progress, align
from rutrans.errors import UserError
from rutrans.formats import handles, read_document, registry
from rutrans.lines import split_lines
from rutrans.outputs import is_translation
from rutrans.qa import QAInput, check_segments
from rutrans.results import (
    Document,
    DocumentResult,
    MTResult,
    PosteditedLine,
    PosteditResult,
    TranslatedSegment,
)
from rutrans.segment import segments_of
from rutrans.signature import EngineSignature, ExternalMT, InputSignature, Signature
from rutrans.terminology import Terminology


def translate(
    document: Document,
    engine: Engine,
    terminology: Terminology,
    progress: Progress | None = None,
) -> DocumentResult:
    """Translate one document and post-edit its terms; returns the result, writes nothing.

    The document's segments — and its terms alone, to learn how the engine renders
    them — go to the engine in one call.
    """
    segments = segments_of(document)
    sources = [s.mt_input for s in segments]
    matches = terminology.find(sources)
    probe_texts = terminology.probe_texts(matches)
    suppressed = terminology.suppressible(matches)
    results = engine.translate(
        sources + probe_texts,
        progress=_clamped(progress, len(sources)),
        return_attention=any(matches),  # only post-editing reads the attention
        suppress=suppressed,
    )
    mt, probed = results[: len(sources)], results[len(sources) :]
    probes = {text: r.text for text, r in zip(probe_texts, probed, strict=True)}
    edited = [
        terminology.postedit(r, m, probes, source)
        for r, m, source in zip(mt, matches, sources, strict=True)
    ]
    prefixes = terminology.fluent_prefixes(edited)
    if prefixes:
        redecoded = engine.translate(
            [sources[i] for i in prefixes],
            return_attention=True,
            target_prefixes=list(prefixes.values()),
        )
        edited = terminology.with_fluent(edited, prefixes, redecoded, matches, probes, sources)
    findings = check_segments(
        [QAInput(s.source, e.final, e.terms) for s, e in zip(segments, edited, strict=True)]
    )
    translated = tuple(
        TranslatedSegment(s, r, final=e.final, terms=e.terms, qa=qa)
        for s, r, e, qa in zip(segments, mt, edited, findings, strict=True)
    )
    signature = Signature(
        rutrans=__version__,
        engine=engine.signature(),
        glossary=terminology.signature(suppressed),
        input=InputSignature(
            path=str(document.path),
            format=document.kind,
            encoding=document.encoding,
            sha256=hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
            paragraphs=len(document.paragraphs),
        ),
    )
    return DocumentResult(document, translated, signature)


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


def expand_inputs(inputs: Sequence[Path]) -> list[Path]:
    """Files as given; a directory stands for the documents directly inside it."""
    files: list[Path] = []
    for given in inputs:
        if given.is_dir():
            inside = sorted(
                p for p in given.iterdir() if p.is_file() and handles(p) and not is_translation(p)
            )
            if not inside:
                raise UserError(
                    f"{given}: no {registry.described('or')} documents in this directory; "
                    "give document files or a directory that has some"
                )
            files.extend(inside)
        else:
            files.append(given)
    return files


def read_all(inputs: Sequence[Path], encoding: str | None) -> list[Document]:
    """Read every input before any model is loaded, so bad input fails fast."""
    return [read_document(path, encoding) for path in expand_inputs(inputs)]


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise UserError(f"{path}: no such file; check the path")
    try:
        return path.read_bytes()
    except OSError as err:
        raise UserError(f"{path}: cannot be read ({err.strerror}); check the file") from None


def postedit(
    source: Path, mt: Path, terminology: Terminology, engine: Engine | None = None
) -> PosteditResult:
    """Post-edit a line-aligned MT file (any MT system) against its Russian source.

    With an *engine* (``postedit --model``), post-editing also gets what only an engine
    knows: its own rendering of each term (probes) and a forced alignment of the given MT
    (attention), as ``translate`` has them."""
    source_bytes, mt_bytes = _read_bytes(source), _read_bytes(mt)
    source_text, _ = decode(source_bytes, source)
    mt_text, mt_encoding = decode(mt_bytes, mt)
    source_lines, mt_lines = split_lines(source_text), split_lines(mt_text)
    if len(source_lines) != len(mt_lines):
        raise UserError(
            f"{mt}: has {len(mt_lines)} lines but {source} has {len(source_lines)}; "
            "the files must be line-aligned (line i of MT translates line i of SOURCE)"
        )
    russian_lines = [russian for russian, _ in source_lines]
    english_lines = [english for english, _ in mt_lines]
    matches = terminology.find(russian_lines)
    drafts = [MTResult(english, (), (), None) for english in english_lines]
    probes: dict[str, str] = {}
    if engine is not None:
        probe_texts = terminology.probe_texts(matches)
        probes = {
            t: r.text for t, r in zip(probe_texts, engine.translate(probe_texts), strict=True)
        }
        with_terms = [i for i, found in enumerate(matches) if found and english_lines[i].strip()]
        aligned = align(
            engine, [russian_lines[i] for i in with_terms], [english_lines[i] for i in with_terms]
        )
        for i, forced in zip(with_terms, aligned, strict=True):
            drafts[i] = forced
    edited = [
        terminology.postedit(draft, found, probes, source=russian)
        for russian, draft, found in zip(russian_lines, drafts, matches, strict=True)
    ]
    findings = check_segments(
        [QAInput(r, e.final, e.terms) for r, e in zip(russian_lines, edited, strict=True)]
    )
    done = [
        PosteditedLine(number, russian, english, result.final, result.terms, qa)
        for number, (russian, english, result, qa) in enumerate(
            zip(russian_lines, english_lines, edited, findings, strict=True), start=1
        )
    ]
    signature = Signature(
        rutrans=__version__,
        engine=engine.signature() if engine is not None else EngineSignature(name="external"),
        glossary=terminology.signature(),
        input=InputSignature(path=str(source), sha256=hashlib.sha256(source_bytes).hexdigest()),
        mt=ExternalMT(path=str(mt), sha256=hashlib.sha256(mt_bytes).hexdigest()),
    )
    return PosteditResult(
        lines=tuple(done),
        line_endings=tuple(ending for _, ending in mt_lines),
        encoding=mt_encoding,
        signature=signature,
    )
