"""The ``rutrans`` command line: parse options, call the pipeline, print.  Nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rutrans import __version__
from rutrans.cli_cache import cache, cache_for, no_cache_option
from rutrans.cli_glossary import glossary, glossary_option
from rutrans.cli_options import (
    STANDIN_WARNING,
    model_option,
    plural,
    qa_line,
    terms_line,
)
from rutrans.cli_review import apply_command, review_command
from rutrans.cli_translate import translate
from rutrans.errors import UserError

if TYPE_CHECKING:  # the modules themselves are imported by the commands that need them
    pass


class _Group(click.Group):
    """Turn every :class:`UserError` into one line on stderr and exit status 1, and
    Ctrl-C into one line and exit status 130."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as error:
            click.echo(f"rutrans: error: {error.message}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            # Every output is staged and renamed whole, so nothing is left half-written.
            click.echo("rutrans: interrupted; outputs already finished are kept", err=True)
            ctx.exit(130)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="rutrans")
def main() -> None:
    """Translate Russian documents into English offline, with terminology you can trust."""


@main.command()
@click.option(
    "--source",
    "source",
    type=click.Path(path_type=Path, readable=False),
    required=True,
    help="The Russian text, one segment per line.",
)
@click.option(
    "--mt",
    "mt",
    type=click.Path(path_type=Path, readable=False),
    required=True,
    help="Its machine translation from any system; line i translates line i.",
)
@glossary_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    help="Post-edited text (default: <mt stem>.postedited<ext> next to MT).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    help="Also write a JSON report of every term occurrence.",
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    help="Also use an Argos model (an .argosmodel file or package directory): its own "
    "rendering of each term, and its attention over the given MT.",
)
@no_cache_option
def postedit(
    source: Path,
    mt: Path,
    glossaries: tuple[Path, ...],
    output: Path | None,
    report_path: Path | None,
    model_path: Path | None,
    no_cache: bool,
) -> None:
    """Post-edit MT from any system (DeepL, Google, a human draft) to the glossary."""
    from rutrans import files, outputs, pipeline
    from rutrans.glossary.model import DEFAULT_GLOSSARY
    from rutrans.terminology import Terminology

    for given in (source, mt):  # before the glossary loads: a typo fails at once
        files.check_regular(given)
    if not glossaries and not DEFAULT_GLOSSARY.is_dir():
        raise UserError(f"no {DEFAULT_GLOSSARY}/ here to post-edit with; pass --glossary PATH")
    terminology = Terminology.load(list(glossaries) or [DEFAULT_GLOSSARY])
    output = outputs.postedit_output(source, mt, output)
    engine = None
    if model_path is not None:
        from rutrans.engine import DecodingOptions, factory

        package = factory.choose_model(model_path)
        if package.standin:
            click.echo(STANDIN_WARNING.format(label=package.label), err=True)
        engine = factory.create(package, DecodingOptions(), cache=cache_for(no_cache))
    result = pipeline.postedit(source, mt, terminology, engine)
    outputs.write_postedit(result, output, report_path)
    click.echo(f"{mt} → {output} ({plural(len(result.lines), 'line')} post-edited)")
    click.echo(terms_line(result.terms))
    click.echo(qa_line([line.qa for line in result.lines]))


@main.group(cls=_Group)
def model() -> None:
    """Install, list and inspect Argos ru→en model packages."""


@model.command("install")
@click.option(
    "--from-file",
    "from_file",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    help="Install this .argosmodel file instead of downloading from the Argos index.",
)
def model_install(from_file: Path | None) -> None:
    """Install the ru→en package: from the Argos index (needs internet) or from a file."""
    from rutrans.engine import factory

    if from_file is not None:
        installed = factory.install_from_file(from_file)
    else:
        installed = factory.install_from_index()
    click.echo(f"installed {installed.code} {installed.version} in {installed.path}")
    if installed.standin:
        click.echo(STANDIN_WARNING.format(label=installed.path), err=True)


@model.command("list")
def model_list() -> None:
    """Show installed ru→en packages (version, path); the first is the one used."""
    from rutrans.engine import package

    found = package.installed()
    if not found:
        click.echo(f"no ru→en package installed in {package.package_directory()}")
        return
    for item in found:
        note = "  (stand-in: random weights)" if item.standin else ""
        click.echo(f"{item.code}\t{item.version}\t{item.path}{note}")


@model.command("which")
@model_option
def model_which(model_path: Path | None) -> None:
    """Show which model `rutrans translate` would use, and why."""
    from rutrans.engine import factory

    chosen = factory.choose_model(model_path)
    note = "  (stand-in: random weights)" if chosen.standin else ""
    click.echo(f"{chosen.code}\t{chosen.version}\t{chosen.path}\t[{chosen.origin}]{note}")


# `rutrans glossary …` lives in its own module; its heavy imports happen inside commands.
main.add_command(translate)
main.add_command(glossary)
main.add_command(apply_command)
main.add_command(review_command)
main.add_command(cache)
