"""Write a result's files: all of them or none, each through write-then-rename.

The names are the one rule for where outputs go: ``<stem>.en<ext>``,
``<stem>.report.json`` and the review files ``<stem>.review.po`` and
``<stem>.review.html`` next to the input or in OUTDIR (a ``.ru`` language tag is
dropped: ``article.ru.txt`` → ``article.en.txt``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from rutrans import atomic
from rutrans.encoding import encode
from rutrans.errors import UserError
from rutrans.formats import write_unstaged
from rutrans.report import postedit_report, report_json, report_json_parts, translation_report
from rutrans.results import DocumentResult, PosteditResult
from rutrans.review.html import review_html_parts
from rutrans.review.po import review_po_parts

SOURCE_TAG = ".ru"
TARGET_TAG = ".en"


@dataclass(frozen=True)
class OutputPaths:
    translation: Path
    report: Path
    review_po: Path | None = None  # None: not written (rutrans apply)
    review_html: Path | None = None


def is_translation(path: Path) -> bool:
    """A file rutrans wrote (``x.en.txt``), not a document to translate."""
    return path.stem.lower().endswith(TARGET_TAG)


def paths_for(source: Path, outdir: Path | None) -> OutputPaths:
    """Where the translation of *source* and its report go; never onto *source* itself."""
    stem = source.stem
    if stem.lower().endswith(SOURCE_TAG):
        stem = stem[: -len(SOURCE_TAG)]
    folder = outdir if outdir is not None else source.parent
    paths = OutputPaths(
        folder / f"{stem}{TARGET_TAG}{source.suffix}",
        folder / f"{stem}.report.json",
        folder / f"{stem}.review.po",
        folder / f"{stem}.review.html",
    )
    if paths.translation.resolve() == source.resolve():
        raise UserError(f"{source}: the output would overwrite the input; use -o OUTDIR")
    return paths


def write_translation(
    result: DocumentResult, paths: OutputPaths, encoding: str | None = None
) -> None:
    """The translation (in the input's format; *encoding* overrides the input's), its
    report and its review files, appearing together or not at all."""
    report = translation_report(result)
    with contextlib.ExitStack() as stack:
        # Renamed in the reverse order of staging, so the report is renamed last.
        report_tmp = stack.enter_context(atomic.staged(paths.report))
        translation_tmp = stack.enter_context(atomic.staged(paths.translation))
        write_unstaged(result.document, result.replacements(), translation_tmp, encoding)
        # Each written a segment at a time: a long document's report, page and PO are
        # never whole strings in memory (the report's segments are made as they are read).
        if paths.review_po is not None:
            po_tmp = stack.enter_context(atomic.staged(paths.review_po))
            atomic.fill_text(po_tmp, review_po_parts(result, paths.review_po, paths.translation))
        if paths.review_html is not None:
            html_tmp = stack.enter_context(atomic.staged(paths.review_html))
            atomic.fill_text(html_tmp, review_html_parts(report))
        atomic.fill_text(report_tmp, report_json_parts(report))
        # Everything is written; the renames follow as this block ends.  The old report
        # goes first, so that a kill between the renames never pairs a new translation
        # with an old report (a folder run would take that pair for up to date).
        with contextlib.suppress(FileNotFoundError):
            paths.report.unlink()


def postedit_output(source: Path, mt: Path, output: Path | None) -> Path:
    """``<mt stem>.postedited<ext>`` next to MT unless given; never onto an input."""
    output = output or mt.with_name(f"{mt.stem}.postedited{mt.suffix}")
    if output.resolve() in (source.resolve(), mt.resolve()):
        raise UserError(f"{output}: would overwrite an input; choose another -o")
    return output


def write_postedit(result: PosteditResult, output: Path, report: Path | None) -> None:
    """The post-edited text in the MT file's encoding, and the report if asked for."""
    data = encode(result.text, result.encoding, output)
    with contextlib.ExitStack() as stack:
        staged_output = stack.enter_context(atomic.staged(output))
        atomic.fill(staged_output, data)
        if report is not None:
            staged_report = stack.enter_context(atomic.staged(report))
            atomic.fill(staged_report, report_json(postedit_report(result)).encode("utf-8"))
