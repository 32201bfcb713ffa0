"""The one place that knows the order: segment → match → MT → post-edit → result.

``translate`` and ``postedit`` compute and write nothing; :mod:`rutrans.outputs` writes a
result's files.  The CLI, the tests and any batch runner call the same two.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rutrans import __version__, files
from rutrans.encoding import decode
from rutrans.engine import Engine, Progress, align
from rutrans.errors import UserError
from rutrans.lines import split_lines
from rutrans.memory import TranslationMemory
from rutrans.qa import QAInput, check_segments
from rutrans.results import (
    Document,
    DocumentResult,
    MTResult,
    PosteditedLine,
    PosteditResult,
    Segment,
    TermCheck,
    TermMethod,
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
    memory: TranslationMemory | None = None,
    segments: Sequence[Segment] | None = None,
) -> DocumentResult:
    """Translate one document and post-edit its terms; returns the result, writes nothing.

    Segments go through matching, MT and post-editing in chunks of :data:`CHUNK`, so a
    long document never has more than one chunk's attention matrices in memory (the
    result keeps the MT text, not what post-editing needed to read it).  A segment the
    translation *memory* has (a reviewer approved it) is taken from there.
    """
    if segments is None:
        segments = segments_of(document)
    done: list[TranslatedSegment] = []
    suppressed: set[str] = set()
    probes: dict[str, str] = {}
    for start in range(0, len(segments), CHUNK):
        chunk = segments[start : start + CHUNK]
        translated, blocked = _translate_chunk(chunk, engine, terminology, progress, memory, probes)
        done.extend(translated)
        suppressed.update(blocked)
    findings = check_segments([QAInput(t.segment.source, t.final, t.terms) for t in done])
    result = tuple(replace(t, qa=qa) for t, qa in zip(done, findings, strict=True))
    signature = Signature(
        rutrans=__version__,
        engine=engine.signature(),
        glossary=terminology.signature(sorted(suppressed)),
        input=input_signature(document),
    )
    notes = terminology.notes([t for item in result for t in item.terms])
    return DocumentResult(document, result, signature, notes)


CHUNK = 256
"""Segments matched, translated and post-edited together: enough for full MT batches."""


def _translate_chunk(
    segments: Sequence[Segment],
    engine: Engine,
    terminology: Terminology,
    progress: Progress | None,
    memory: TranslationMemory | None,
    probes: dict[str, str],
) -> tuple[list[TranslatedSegment], list[str]]:
    """One chunk through MT and post-editing; *probes* (the engine's rendering of each
    term alone) are shared by the document's chunks and filled in here."""
    sources = [s.mt_input for s in segments]
    matches = terminology.find(sources)
    remembered = memory.lookup(s.source for s in segments) if memory is not None else {}
    from_mt = [i for i, s in enumerate(segments) if s.source not in remembered]
    probe_texts = [t for t in terminology.probe_texts(matches) if t not in probes]
    suppressed = terminology.suppressible([matches[i] for i in from_mt])
    if progress is not None and len(from_mt) < len(segments):
        progress(len(segments) - len(from_mt))
    # Attention only where post-editing reads it: the segments that have terms.  The
    # probes ride with the other segments, or with these when there are no others.
    with_terms = [i for i in from_mt if matches[i]]
    plain = [i for i in from_mt if not matches[i]]
    translated_mt: dict[int, MTResult] = {}
    groups = (
        ((plain, False, probe_texts), (with_terms, True, []))
        if plain
        else (([], False, []), (with_terms, True, probe_texts))
    )
    for group, attention, extra in groups:
        if not group and not extra:
            continue
        results = engine.translate(
            [sources[i] for i in group] + extra,
            progress=_clamped(progress, len(group)),
            return_attention=attention,
            suppress=suppressed,
        )
        translated_mt.update(zip(group, results, strict=False))
        probes.update((text, r.text) for text, r in zip(extra, results[len(group) :], strict=True))
    mt = [
        translated_mt.get(i) or MTResult(remembered[s.source], (), (), None)
        for i, s in enumerate(segments)
    ]
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
    return [
        TranslatedSegment(
            s,
            _lean(r),
            final=e.final,
            terms=s.in_source(e.terms if i in translated_mt else _from_memory(e.terms)),
            origin="mt" if i in translated_mt else "tm",
        )
        for i, (s, r, e) in enumerate(zip(segments, mt, edited, strict=True))
    ], suppressed


def _lean(result: MTResult) -> MTResult:
    """The MT as the result keeps it: its text and score.  Tokens, attention and offsets
    were for post-editing, and would be most of a long document's memory."""
    return replace(
        result,
        source_tokens=(),
        target_tokens=(),
        attention=None,
        source_offsets=(),
        target_offsets=(),
    )


def signature_id(engine: Engine | EngineSignature, terminology: Terminology) -> str:
    """The signature id a translation by *engine* (or an engine signing with this) with
    *terminology* would carry (it does not depend on the document): what an up-to-date
    report must say."""
    signed = engine if isinstance(engine, EngineSignature) else engine.signature()
    placeholder = InputSignature(path="", sha256="")
    return Signature(__version__, signed, terminology.signature(), placeholder).id


def sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def document_sha256(document: Document) -> str:
    """What a report records of its input, and what tells that the input changed."""
    return document.digest or sha256(document.text)


def input_signature(document: Document) -> InputSignature:
    return InputSignature(
        path=str(document.path),
        format=document.kind,
        encoding=document.encoding,
        sha256=document_sha256(document),
        paragraphs=len(document.paragraphs),
    )


def _from_memory(terms: Sequence[TermCheck]) -> tuple[TermCheck, ...]:
    """A term already right in a reviewed segment was put there by the reviewer."""
    return tuple(
        replace(t, method=TermMethod.TM) if t.method == TermMethod.ALREADY else t for t in terms
    )


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


def _read_bytes(path: Path) -> bytes:
    return files.read_bytes(path)


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
        notes=terminology.notes([t for line in done for t in line.terms]),
    )
