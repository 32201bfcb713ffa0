"""``rutrans review`` and ``rutrans apply``: the reviewer's side.  Parse, call, print."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from rutrans.cli_glossary import glossary_option
from rutrans.cli_options import load_terminology, memory_for, plural, qa_line, tm_options
from rutrans.errors import UserError


def _report_path(translation: Path) -> Path:
    stem = translation.stem
    if stem.lower().endswith(".en"):
        stem = stem[:-3]
    return translation.with_name(f"{stem}.report.json")


@click.command("apply")
@click.argument("review_po", type=click.Path(path_type=Path, readable=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    help="The English document (default: the translation the review PO was made with).",
)
@glossary_option
@tm_options
def apply_command(
    review_po: Path,
    output: Path | None,
    glossaries: tuple[Path, ...],
    tm_path: Path | None,
    no_tm: bool,
) -> None:
    """Rebuild the English document from a reviewed REVIEW_PO (<stem>.review.po).

    The reviewer's text is used as it is; terms and QA are checked on it, and a dropped
    approved term or a forbidden rendering brought back is a warning.  Every entry that
    is not fuzzy is stored in the translation memory, which the next translate uses.
    """
    from rutrans import outputs
    from rutrans.apply import apply_review
    from rutrans.review.po import read_review

    review = read_review(review_po)
    terminology = load_terminology(glossaries, no_glossary=False, fluent=False)
    result, warnings = apply_review(review, terminology)
    translation = output or review.translation
    if translation.resolve() in (review.document.resolve(), review_po.resolve()):
        raise UserError(f"{translation}: would overwrite an input; choose another -o")
    paths = outputs.OutputPaths(translation, _report_path(translation))
    # The translation memory first: one that cannot be written (a full disk) leaves the
    # document as it was, and a document that cannot be written keeps the review stored.
    memory = memory_for(tm_path, no_tm)
    reviewed = [(r.source, r.target) for r in review.segments if not r.fuzzy]
    stored = memory.store(reviewed, str(review_po)) if memory is not None else 0
    outputs.write_translation(result, paths)
    for warning in warnings:
        click.echo(f"rutrans: warning: {review_po}:{warning.line}: {warning.message}", err=True)
    click.echo(f"{review_po} → {translation} (report {paths.report})")
    still_fuzzy = len(review.segments) - len(reviewed)
    where = f" in {memory.path}" if memory is not None else ""
    click.echo(
        f"  translation memory: {plural(stored, 'segment')} stored{where}"
        + (f"; {still_fuzzy} still fuzzy, not stored" if still_fuzzy else "")
    )
    click.echo(qa_line([item.qa for item in result.segments]))


def _load_report(path: Path) -> dict[str, Any]:
    """A report ``translate`` or ``postedit`` wrote, or a one-line error."""
    from rutrans import files
    from rutrans.review.shape import problem

    try:
        data = json.loads(files.read_bytes(path, "report").decode("utf-8"))
    except UnicodeDecodeError as error:
        raise UserError(f"{path}: not UTF-8 ({error.reason}); give a report.json") from None
    except json.JSONDecodeError as error:
        raise UserError(f"{path}:{error.lineno}: not JSON ({error.msg}); give a report") from None
    except RecursionError:
        raise UserError(f"{path}: JSON nested too deeply to be a report; give a report") from None
    needed = {"signature", "segments", "qa"}
    if not isinstance(data, dict) or not needed <= set(data):
        raise UserError(
            f"{path}: not a rutrans report (no {', '.join(sorted(needed))}); "
            "give the <stem>.report.json that rutrans translate or postedit wrote"
        )
    wrong = problem(data)
    if wrong is not None:
        raise UserError(
            f"{path}: not a rutrans report ({wrong}); give the <stem>.report.json that "
            "rutrans translate or postedit wrote, unedited"
        )
    return data


@click.command("review")
@click.argument("report", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--html",
    "html_out",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    help="Write the review page to this file instead of showing the terminal view.",
)
@click.option("--flagged", is_flag=True, help="Only the segments that need a human.")
def review_command(report: Path, html_out: Path | None, flagged: bool) -> None:
    """Show REPORT.json side by side: source, final English, terms and QA findings.

    In a terminal, a coloured table; piped, plain text.  With --html, the same review
    page translate writes (<stem>.review.html).
    """
    from rutrans import atomic
    from rutrans.review import terminal
    from rutrans.review.html import review_html

    data = _load_report(report)
    if html_out is not None:
        if html_out.resolve() == report.resolve():
            raise UserError(f"{html_out}: would overwrite the report; choose another --html")
        atomic.write_text(html_out, review_html(data))
        click.echo(f"{report} → {html_out}")
        return
    terminal.show(data, flagged, sys.stdout)
