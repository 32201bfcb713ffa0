"""``rutrans glossary …``: lint, scan, extract, export, import.  Thin: parse, call, print."""

from __future__ import annotations

import bisect
import json
from pathlib import Path

import click

from rutrans.glossary.model import DEFAULT_GLOSSARY

glossary_option = click.option(
    "--glossary",
    "glossaries",
    multiple=True,
    type=click.Path(path_type=Path, readable=False),
    help="A glossary PO file or folder (repeatable; default: glossary/).",
)


def _glossary_paths(given: tuple[Path, ...]) -> list[Path]:
    return list(given) or [DEFAULT_GLOSSARY]


@click.group()
def glossary() -> None:
    """Check and use the PO glossary: lint, scan, extract, export, import."""


@glossary.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, readable=False))
def lint_command(paths: tuple[Path, ...]) -> None:
    """Check glossary PO files (default: glossary/). Errors exit 1, warnings exit 0."""
    from rutrans.glossary.lint import lint

    findings = lint(list(paths) or [DEFAULT_GLOSSARY])
    for finding in findings:
        click.echo(str(finding), err=finding.severity == "error")
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    click.echo(
        f"{errors} error{'' if errors == 1 else 's'}, "
        f"{warnings} warning{'' if warnings == 1 else 's'}",
        err=True,
    )
    if errors:
        raise SystemExit(1)


@glossary.command("scan")
@click.argument("file", type=click.Path(path_type=Path, readable=False))
@glossary_option
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of a table.")
@click.option(
    "--encoding", default=None, help="Read FILE in this encoding instead of detecting it."
)
def scan_command(
    file: Path, glossaries: tuple[Path, ...], as_json: bool, encoding: str | None
) -> None:
    """Every occurrence of a glossary term in FILE, in any inflected form.

    Offsets are characters in the decoded text of FILE.
    """
    from rutrans.formats import read_document
    from rutrans.glossary.lint import checked_glossary
    from rutrans.glossary.matcher import Matcher, scan_row
    from rutrans.lines import line_starts

    matcher = Matcher(checked_glossary(_glossary_paths(glossaries)))
    document = read_document(file, encoding)
    starts = line_starts(document.text)
    rows = [scan_row(m, bisect.bisect_right(starts, m.start)) for m in matcher.find(document.text)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        number = row["number"] or "-"
        status = "" if row["status"] == "approved" else f"  ({row['status']})"
        click.echo(f"{row['line']:>4}  {row['text']:<42} {number:<2}  {row['msgstr']}{status}")
    click.echo(
        f"{len(rows)} occurrences of {len({(r['msgctxt'], r['msgid']) for r in rows})} terms",
        err=True,
    )


@glossary.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, readable=False),
    required=True,
    help="The .pot to write.",
)
@glossary_option
@click.option(
    "--no-glossary",
    is_flag=True,
    help="Propose every candidate, as if the glossary were empty.",
)
@click.option(
    "--min-count",
    type=click.IntRange(1),
    default=2,
    show_default=True,
    help="Multiword phrases seen fewer times are left out.",
)
def extract_command(
    files: tuple[Path, ...],
    output: Path,
    glossaries: tuple[Path, ...],
    no_glossary: bool,
    min_count: int,
) -> None:
    """Candidate terms in FILES that the glossary lacks, as a POT for a translator."""
    from rutrans import atomic
    from rutrans.formats import read_document
    from rutrans.glossary.extract import candidates_pot, extract_candidates
    from rutrans.glossary.model import load_glossary

    texts = [(str(f), read_document(f).text) for f in files]
    known = None
    if not no_glossary and (glossaries or DEFAULT_GLOSSARY.exists()):
        known = load_glossary(_glossary_paths(glossaries))
    candidates = extract_candidates(texts, known, min_count=min_count)
    atomic.write_text(output, candidates_pot(candidates))
    click.echo(f"{len(candidates)} candidate terms written to {output}")


@glossary.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "tsv", "tbx"]), required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    help="Write here instead of standard output.",
)
@click.option(
    "--header",
    is_flag=True,
    help="csv/tsv: start with the language-code row 'ru,en' that Amazon Translate's "
    "custom terminology requires. Leave it off for DeepL and Google, which would read "
    "it as a term.",
)
@glossary_option
def export_command(
    fmt: str, output: Path | None, header: bool, glossaries: tuple[Path, ...]
) -> None:
    """Export for DeepL / Google / Amazon (csv, tsv: approved pairs) or Weblate (tbx)."""
    from rutrans import atomic
    from rutrans.glossary.exchange import export_glossary
    from rutrans.glossary.lint import checked_glossary

    text = export_glossary(checked_glossary(_glossary_paths(glossaries)), fmt, header=header)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic.write_text(output, text)
        click.echo(f"wrote {output}", err=True)


@glossary.command("import")
@click.argument("file", type=click.Path(path_type=Path, readable=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, readable=False),
    required=True,
    help="The PO file to write (refuses to overwrite an existing one).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "tsv", "tbx"]),
    default=None,
    help="Default: from FILE's suffix.",
)
def import_command(file: Path, output: Path, fmt: str | None) -> None:
    """Turn a two-column CSV/TSV glossary or a TBX file into a glossary PO file.

    A header row of language codes (ru,en; Amazon Translate's) picks the columns; columns
    left out are named in a warning.
    """
    from rutrans.errors import UserError
    from rutrans.glossary.exchange import import_glossary, write_po

    if output.exists():
        raise UserError(f"{output}: already exists; choose another -o or delete it first")
    imported = import_glossary(file, fmt)
    write_po(imported.entries, output)
    for warning in imported.warnings:
        click.echo(f"rutrans: warning: {warning}", err=True)
    click.echo(f"{len(imported.entries)} entries written to {output}")
