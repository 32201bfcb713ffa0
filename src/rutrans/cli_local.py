"""``rutrans translate`` on this machine: each planned document read, translated, written
and reported, with one progress bar for the run.

Small documents go to the engine together (:func:`rutrans.pipeline.translate_together`):
a news item of a few sentences fills a decoder batch poorly, and a folder of them is
translated about 1.15× faster so (``benchmarks/group_bench.py``).  A group holds
documents in the run's order up to :data:`rutrans.pipeline.CHUNK` segments and
:data:`GROUP_BYTES` of input, so memory stays bounded; a larger document is translated
on its own, in chunks.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rutrans.cli_options import plural, qa_line, terms_line
from rutrans.errors import OutOfSpace, UserError

if TYPE_CHECKING:
    from rutrans.engine import Engine, Progress
    from rutrans.folders import Planned
    from rutrans.memory import TranslationMemory
    from rutrans.outputs import OutputPaths
    from rutrans.results import Document, DocumentResult, Segment
    from rutrans.terminology import Terminology

GROUP_BYTES = 16 * 1024**2
"""Input bytes of the documents translated together (a .docx of a few sentences can be
megabytes of images: a group of them must not hold gigabytes)."""


@dataclass(frozen=True)
class Settings:
    """What every document of a local run is translated and written with."""

    engine: Engine
    terminology: Terminology
    memory: TranslationMemory | None
    encoding: str | None
    output_encoding: str | None
    signature_id: str
    fluent: bool
    force: bool
    show_cache: bool


@dataclass(frozen=True)
class _Read:
    item: Planned
    document: Document
    segments: Sequence[Segment]


def run(planned: Sequence[Planned], settings: Settings) -> dict[str, int]:
    """Translate *planned* documents; returns how many were translated, up to date, failed
    (and not attempted, after a full disk).  A lone document's error is raised."""
    from rutrans import folders, pipeline
    from rutrans.segment import segments_of

    counts = {"translated": 0, "up to date": 0, "failed": 0}
    pending: list[_Read] = []
    with _Bar(planned) as bar:
        run = _Run(settings, counts, bar, len(planned) == 1)
        for item in planned:
            try:
                document = folders.read_unless_done(
                    item, settings.encoding, settings.signature_id, settings.fluent, settings.force
                )
                if document is None:
                    counts["up to date"] += 1
                    bar.skip(item.source)
                    continue
                read = _Read(item, document, segments_of(document))
            except UserError as error:
                if run.failed(error):
                    break
                continue
            if len(read.segments) > pipeline.CHUNK:  # on its own, after those before it
                stop = bool(pending) and run.translate(pending)
                pending = []
                if stop or run.translate([read]):
                    break
                continue
            if pending and not _fits(pending, read, bar.sizes):
                stop, pending = run.translate(pending), []
                if stop:
                    break
            pending.append(read)
        else:
            if pending:
                run.translate(pending)
        if counts["failed"] and any(isinstance(e, OutOfSpace) for e in run.errors):
            counts["not attempted"] = len(planned) - sum(counts.values())
    return counts


def _fits(group: Sequence[_Read], read: _Read, sizes: Mapping[Path, int]) -> bool:
    """May *read* join *group* (segments and input bytes within bounds)?"""
    from rutrans import pipeline

    segments = sum(len(r.segments) for r in group) + len(read.segments)
    size = sum(sizes[r.item.source] for r in group) + sizes[read.item.source]
    return segments <= pipeline.CHUNK and size <= GROUP_BYTES


class _Run:
    """Translating and writing documents, counting and printing as they finish."""

    def __init__(self, settings: Settings, counts: dict[str, int], bar: _Bar, alone: bool):
        self.settings, self.counts, self.bar, self.alone = settings, counts, bar, alone
        self.errors: list[UserError] = []

    def failed(self, error: UserError) -> bool:
        """Count and print *error*; True when the run must stop (a full disk)."""
        if self.alone:
            raise error
        self.counts["failed"] += 1
        self.errors.append(error)
        self.bar.echo(f"rutrans: error: {error.message}", err=True)
        return isinstance(error, OutOfSpace)  # the rest would fail the same way

    def translate(self, group: Sequence[_Read]) -> bool:
        """Translate and write *group*; True when the run must stop."""
        from rutrans import outputs, pipeline

        s = self.settings
        before = _cache_counts(s.engine)
        try:
            if len(group) == 1:
                (only,) = group
                progress = self.bar.segments(only.item.source, len(only.segments))
                results = [
                    pipeline.translate(
                        only.document, s.engine, s.terminology, progress, s.memory, only.segments
                    )
                ]
            else:
                pairs = [(r.document, r.segments) for r in group]
                progress = self.bar.group([r.item.source for r in group], sum(map(len, pairs)))
                results = pipeline.translate_together(
                    pairs, s.engine, s.terminology, s.memory, progress
                )
        except UserError as error:
            if len(group) > 1:  # tell which document it was: translate them one by one
                return any(self.translate([read]) for read in group)
            return self.failed(error)
        after = _cache_counts(s.engine)
        cached = (after[0] - before[0], after[1] - before[1]) if s.show_cache else None
        for read, result in zip(group, results, strict=True):
            try:
                outputs.write_translation(result, read.item.outputs, s.output_encoding)
            except UserError as error:
                if self.failed(error):
                    return True
                continue
            if len(group) > 1:
                self.bar.finished()
            self.counts["translated"] += 1
            self.bar.echo(
                _done_lines(result, read.item.outputs, cached if len(group) == 1 else None)
            )
        if len(group) > 1 and cached is not None and cached[0] + cached[1]:
            self.bar.echo(
                f"  cache: {cached[0]} of {cached[0] + cached[1]} MT inputs from the cache, "
                f"for the {len(group)} documents above (translated together)"
            )
        return False


def _cache_counts(engine: Engine) -> tuple[int, int]:
    return getattr(engine, "hits", 0), getattr(engine, "misses", 0)


def _done_lines(result: DocumentResult, paths: OutputPaths, cached: tuple[int, int] | None) -> str:
    lines = [
        f"{result.document.path} → {paths.translation} "
        f"({plural(len(result.segments), 'segment')}, "
        f"{plural(len(result.document.paragraphs), 'paragraph')}; report {paths.report})"
    ]
    if result.has_glossary:
        lines.append(terms_line(result.terms))
    lines.append(qa_line([item.qa for item in result.segments]))
    if cached is not None and cached[0] + cached[1]:
        # MT inputs: the segments and the term probes that go with them.
        lines.append(f"  cache: {cached[0]} of {cached[0] + cached[1]} MT inputs from the cache")
    return "\n".join(lines)


class _Bar:
    """One progress bar for the whole run on stderr, when it is a terminal.

    Measured in bytes of input, so that its ETA holds across documents of very different
    sizes; it moves segment by segment within a document, and says how many documents
    are done.  Printing goes above the bar.
    """

    def __init__(self, planned: Sequence[Planned]) -> None:
        self.sizes = {p.source: _size(p.source) for p in planned}
        self.total = len(planned)
        self.done = 0
        self.bar: Any = None
        if sys.stderr.isatty() and (self.total > 1 or sum(self.sizes.values()) > 20_000):
            self.bar = click.progressbar(
                length=max(1, sum(self.sizes.values())),
                label=self._label(),
                file=sys.stderr,
                show_eta=True,
                show_percent=True,
            )

    def _label(self) -> str:
        return f"{self.done}/{self.total} documents"

    def __enter__(self) -> _Bar:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def _advance(self, source: Path, part: float) -> None:
        if self.bar is not None:
            self.bar.update(int(self.sizes[source] * part))

    def segments(self, source: Path, count: int) -> Progress | None:
        """The progress callback for one document of *count* segments."""
        return self.group([source], count, alone=True)

    def group(self, sources: Sequence[Path], count: int, alone: bool = False) -> Progress | None:
        """The progress callback for documents translated together, *count* segments in
        all: the bar moves over their input bytes as segments finish (and, for a document
        *alone*, counts it done with its last segment)."""
        if self.bar is None:
            return None
        whole = sum(self.sizes[source] for source in sources)
        done = 0

        def report(newly: int) -> None:
            nonlocal done
            before, done = done, min(count, done + newly)
            self.bar.update(int(whole * done / max(count, 1)) - int(whole * before / max(count, 1)))
            if alone and done == count and before < count:
                self._count_done()

        return report

    def _count_done(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.label = self._label()
            self.bar.render_progress()  # now, not with the next document's first step

    def finished(self) -> None:
        """One more document of a group written (the bar moved with its segments)."""
        self._count_done()

    def skip(self, source: Path) -> None:
        self._advance(source, 1.0)
        self._count_done()
        if self.bar is None:
            click.echo(f"{source}: up to date, skipped")

    def echo(self, text: str, err: bool = False) -> None:
        if self.bar is not None:
            sys.stderr.write("\r\033[K")  # clear the bar's line; it redraws on update
        click.echo(text, err=err)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
