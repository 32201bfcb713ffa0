"""``rutrans apply`` (and the review views): the reviewer's side.  Parse, call, print."""

from __future__ import annotations

from pathlib import Path

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
@click.argument("review_po", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
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
    outputs.write_translation(result, paths)
    for warning in warnings:
        click.echo(f"rutrans: warning: {review_po}:{warning.line}: {warning.message}", err=True)
    memory = memory_for(tm_path, no_tm)
    reviewed = [(r.source, r.target) for r in review.segments if not r.fuzzy]
    stored = memory.store(reviewed, str(review_po)) if memory is not None else 0
    click.echo(f"{review_po} → {translation} (report {paths.report})")
    still_fuzzy = len(review.segments) - len(reviewed)
    where = f" in {memory.path}" if memory is not None else ""
    click.echo(
        f"  translation memory: {plural(stored, 'segment')} stored{where}"
        + (f"; {still_fuzzy} still fuzzy, not stored" if still_fuzzy else "")
    )
    click.echo(qa_line([item.qa for item in result.segments]))
