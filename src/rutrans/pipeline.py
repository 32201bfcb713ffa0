"""The one place that knows the order: segment → match → MT → post-edit → result.

``translate`` (``translate_together`` for several small documents in shared MT batches)
and ``postedit`` compute and write nothing; :mod:`rutrans.outputs` writes a result's
files.  The CLI, the tests and any batch runner call the same functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rutrans import __version__, files
from rutrans.encoding import decode
from rutrans.engine import Engine, Progress, align
from rutrans.errors import UserError
from rutrans.glossary.matcher import TermMatch
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
        chunk = _plan(segments[start : start + CHUNK], terminology, memory, probes)
        if progress is not None and chunk.from_memory:
            progress(chunk.from_memory)
        [(mt, new_probes)] = _machine_translate([chunk], engine, progress)
        probes.update(new_probes)
        done.extend(_finish(chunk, mt, probes, engine, terminology))
        suppressed.update(chunk.suppressed)
    return _document_result(document, done, suppressed, engine, terminology)


def translate_together(
    documents: Sequence[tuple[Document, Sequence[Segment]]],
    engine: Engine,
    terminology: Terminology,
    memory: TranslationMemory | None = None,
    progress: Progress | None = None,
) -> list[DocumentResult]:
    """Translate small documents (at most :data:`CHUNK` segments each) in shared MT
    batches: what :func:`translate` gives each of them, at the throughput of one document
    of their combined size (a handful of sentences fills a decoder batch poorly).

    Documents whose forbidden renderings to suppress differ cannot share a batch (the
    engine takes one list per call); they go in a batch of their own.
    """
    chunks = []
    for document, segments in documents:
        if len(segments) > CHUNK:
            raise ValueError(f"{document.path}: {len(segments)} segments; at most {CHUNK}")
        chunks.append(_plan(segments, terminology, memory, {}))
    remembered = sum(c.from_memory for c in chunks)
    if progress is not None and remembered:
        progress(remembered)
    results = []
    for (document, _), chunk, (mt, probes) in zip(
        documents, chunks, _machine_translate(chunks, engine, progress), strict=True
    ):
        done = _finish(chunk, mt, probes, engine, terminology)
        results.append(_document_result(document, done, chunk.suppressed, engine, terminology))
    return results


CHUNK = 64
"""Segments matched, translated and post-edited together: several full 1,024-token MT
batches, while their attention matrices, which Python holds as float objects (about
0.25 MB a segment with the tiny stand-in), stay small: at 256 a folder run of small
documents peaked at 340 MiB against 211, and a long document ran no faster."""


@dataclass(frozen=True)
class _Chunk:
    """Segments of one document with what their MT needs to know."""

    segments: Sequence[Segment]
    matches: list[list[TermMatch]]
    remembered: Mapping[str, str]  # source → the translation memory's English
    from_mt: tuple[int, ...]  # indices of the segments the memory does not have
    probe_texts: tuple[str, ...]  # terms to translate alone, not yet translated
    suppressed: tuple[str, ...]  # forbidden renderings the decoder must not write

    @property
    def sources(self) -> list[str]:
        return [s.mt_input for s in self.segments]

    @property
    def from_memory(self) -> int:
        return len(self.segments) - len(self.from_mt)


def _plan(
    segments: Sequence[Segment],
    terminology: Terminology,
    memory: TranslationMemory | None,
    probes: Mapping[str, str],
) -> _Chunk:
    """Match the terms of *segments*; *probes* are the terms the document has probed."""
    matches = terminology.find([s.mt_input for s in segments])
    remembered = memory.lookup(s.source for s in segments) if memory is not None else {}
    from_mt = tuple(i for i, s in enumerate(segments) if s.source not in remembered)
    return _Chunk(
        segments,
        matches,
        remembered,
        from_mt,
        probe_texts=tuple(t for t in terminology.probe_texts(matches) if t not in probes),
        suppressed=tuple(terminology.suppressible([matches[i] for i in from_mt])),
    )


def _machine_translate(
    chunks: Sequence[_Chunk], engine: Engine, progress: Progress | None
) -> list[tuple[dict[int, MTResult], dict[str, str]]]:
    """The MT of each chunk's segments (by index) and of its term probes.

    Chunks that suppress the same renderings share each engine call.  Attention where
    post-editing reads it, the segments that have terms (see :func:`_calls`).
    """
    done: list[tuple[dict[int, MTResult], dict[str, str]]] = [({}, {}) for _ in chunks]
    by_suppressed: dict[tuple[str, ...], list[int]] = {}
    for k, chunk in enumerate(chunks):
        by_suppressed.setdefault(chunk.suppressed, []).append(k)
    for suppressed, members in by_suppressed.items():
        segments = [(k, i) for k in members for i in chunks[k].from_mt]
        for wanted, attention in _calls(segments, chunks):
            results = engine.translate(
                [chunks[k].segments[i].mt_input for k, i in wanted],
                progress=progress,
                return_attention=attention,
                suppress=suppressed,
            )
            for (k, i), result in zip(wanted, results, strict=True):
                done[k][0][i] = result
        texts = list(dict.fromkeys(t for k in members for t in chunks[k].probe_texts))
        probed = _probes(engine, texts, suppressed)
        for k in members:
            done[k][1].update((t, probed[t]) for t in chunks[k].probe_texts)
    return done


def _calls(
    segments: list[tuple[int, int]], chunks: Sequence[_Chunk]
) -> list[tuple[list[tuple[int, int]], bool]]:
    """The engine calls for *segments* (chunk, index): with attention for those that have
    terms.  Where most have terms, one call gives all of them attention: a call of their
    own would decode the few others alone, long ones too, which cost more time (0.5 s
    of the seed's 6) than the attention does (none measurable)."""
    with_terms = [(k, i) for k, i in segments if chunks[k].matches[i]]
    plain = [(k, i) for k, i in segments if not chunks[k].matches[i]]
    if 2 * len(with_terms) >= len(segments):
        return [(segments, True)] if segments else []
    return [(g, attention) for g, attention in ((plain, False), (with_terms, True)) if g]


def _finish(
    chunk: _Chunk,
    translated_mt: Mapping[int, MTResult],
    probes: Mapping[str, str],
    engine: Engine,
    terminology: Terminology,
) -> list[TranslatedSegment]:
    """Post-edit a chunk's MT (the translation memory's English where it has some)."""
    sources, matches = chunk.sources, chunk.matches
    mt = [
        translated_mt.get(i) or MTResult(chunk.remembered[s.source], (), (), None)
        for i, s in enumerate(chunk.segments)
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
        for i, (s, r, e) in enumerate(zip(chunk.segments, mt, edited, strict=True))
    ]


def _document_result(
    document: Document,
    done: Sequence[TranslatedSegment],
    suppressed: Iterable[str],
    engine: Engine,
    terminology: Terminology,
) -> DocumentResult:
    findings = check_segments([QAInput(t.segment.source, t.final, t.terms) for t in done])
    result = tuple(replace(t, qa=qa) for t, qa in zip(done, findings, strict=True))
    signature = Signature(
        rutrans=__version__,
        engine=engine.signature(),
        glossary=terminology.signature(sorted(set(suppressed))),
        input=input_signature(document),
    )
    notes = terminology.notes([t for item in result for t in item.terms])
    return DocumentResult(document, result, signature, notes)


PROBE_BEAM = 1
"""Term probes are a few words each: there a beam costs three times the time of greedy
decoding (94 probes of the seed, argos-shape stand-in) and seldom finds other words."""


def _probes(engine: Engine, texts: Sequence[str], suppress: Sequence[str]) -> dict[str, str]:
    """What the engine says for each term alone: post-editing looks for it in the MT."""
    if not texts:
        return {}
    results = engine.translate(texts, suppress=suppress, beam_size=PROBE_BEAM)
    return {text: result.text for text, result in zip(texts, results, strict=True)}


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
        probes = _probes(engine, terminology.probe_texts(matches), ())
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
