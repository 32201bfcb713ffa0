"""The ``rutrans`` command line: parse options, call the pipeline, print.  Nothing else."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rutrans import __version__
from rutrans.cli_cache import cache, cache_for, no_cache_option
from rutrans.cli_glossary import glossary, glossary_option
from rutrans.cli_options import load_terminology, memory_for, plural, qa_line, tm_options
from rutrans.cli_review import apply_command, review_command
from rutrans.errors import UserError

if TYPE_CHECKING:  # the modules themselves are imported by the commands that need them
    from rutrans.engine import Engine
    from rutrans.memory import TranslationMemory
    from rutrans.results import Document, DocumentResult, TermCheck
    from rutrans.terminology import Terminology

STANDIN_WARNING = (
    "warning: {label} is a rutrans stand-in model with random weights: "
    "its output is noise, not a translation"
)
PROGRESS_MIN_SEGMENTS = 10


class _Group(click.Group):
    """Turn every :class:`UserError` into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as error:
            click.echo(f"rutrans: error: {error.message}", err=True)
            ctx.exit(1)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="rutrans")
def main() -> None:
    """Translate Russian documents into English offline, with terminology you can trust."""


model_option = click.option(
    "--model",
    "model_path",
    type=click.Path(path_type=Path),
    default=None,
    help="An .argosmodel file or an unpacked package directory "
    "(default: $RUTRANS_MODEL, else the installed ru→en package).",
)


no_glossary_option = click.option(
    "--no-glossary", is_flag=True, help="Translate without terminology post-editing."
)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--outdir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write outputs here instead of next to each input.",
)
@model_option
@click.option("--beam", type=click.IntRange(1, 32), default=4, show_default=True)
@click.option(
    "--compute-type",
    default="int8",
    show_default=True,
    help="CTranslate2 compute type (int8, int8_float32, float32, float16 on GPU, default).",
)
@click.option(
    "--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu", show_default=True
)
@click.option(
    "--threads",
    type=click.IntRange(0, 256),
    default=0,
    show_default=True,
    help="CTranslate2 intra-op threads (0: let CTranslate2 choose).",
)
@click.option(
    "--encoding", default=None, help="Read inputs in this encoding instead of detecting it."
)
@click.option(
    "--output-encoding",
    default=None,
    help="Write translations in this encoding (default: the input's).",
)
@glossary_option
@no_glossary_option
@click.option(
    "--fluent",
    is_flag=True,
    help="Re-decode fixed sentences from the approved term on, so they read fluently "
    "(the rest of such a sentence may change).",
)
@tm_options
@no_cache_option
def translate(
    inputs: tuple[Path, ...],
    outdir: Path | None,
    model_path: Path | None,
    beam: int,
    compute_type: str,
    device: str,
    threads: int,
    encoding: str | None,
    output_encoding: str | None,
    glossaries: tuple[Path, ...],
    no_glossary: bool,
    fluent: bool,
    tm_path: Path | None,
    no_tm: bool,
    no_cache: bool,
) -> None:
    """Translate INPUT files (.txt, .md, or directories of them) from Russian into English.

    Writes <stem>.en<ext>, <stem>.report.json and <stem>.review.po next to each input,
    or in OUTDIR.  Glossary terms are found in every inflected form and post-edited to
    the approved English; the report lists every occurrence and its status.  Segments a
    reviewer approved (rutrans apply) come from the translation memory instead of MT.
    """
    from rutrans import outputs, pipeline
    from rutrans.engine import DecodingOptions, factory

    documents = pipeline.read_all(inputs, encoding)
    planned = [outputs.paths_for(d.path, outdir) for d in documents]
    terminology = load_terminology(glossaries, no_glossary, fluent)
    package = factory.choose_model(model_path)
    if package.standin:
        click.echo(STANDIN_WARNING.format(label=package.label), err=True)
    options = DecodingOptions(
        beam_size=beam, compute_type=compute_type, device=device, threads=threads
    )
    engine = factory.create(package, options, cache=cache_for(no_cache))
    memory = memory_for(tm_path, no_tm)
    for document, paths in zip(documents, planned, strict=True):
        before = getattr(engine, "hits", 0), getattr(engine, "misses", 0)
        result = _translate_one(document, engine, terminology, memory)
        hits = getattr(engine, "hits", 0) - before[0]
        misses = getattr(engine, "misses", 0) - before[1]
        outputs.write_translation(result, paths, output_encoding)
        click.echo(
            f"{document.path} → {paths.translation} "
            f"({plural(len(result.segments), 'segment')}, "
            f"{plural(len(document.paragraphs), 'paragraph')}; "
            f"report {paths.report})"
        )
        if result.has_glossary:
            click.echo(_terms_line(result.terms))
        click.echo(qa_line([item.qa for item in result.segments]))
        if not no_cache and hits + misses:
            # MT inputs: the segments and the term probes that go with them.
            click.echo(f"  cache: {hits} of {hits + misses} MT inputs from the cache")


def _terms_line(terms: Sequence[TermCheck]) -> str:
    from rutrans.results import summary

    counts = summary(terms)
    if not counts["occurrences"]:
        return "  terms: none of the glossary's terms occur"
    accuracy = counts["term_accuracy"]
    return (
        f"  terms: {counts['occurrences']} occurrences — {counts['ok']} ok, "
        f"{counts['fixed']} fixed, {counts['missing']} missing, "
        f"{counts['forbidden']} forbidden; term accuracy {accuracy:.0%}"
    )


def _translate_one(
    document: Document,
    engine: Engine,
    terminology: Terminology,
    memory: TranslationMemory | None,
) -> DocumentResult:
    from rutrans import pipeline
    from rutrans.segment import segments_of

    count = len(segments_of(document))
    if not sys.stderr.isatty() or count < PROGRESS_MIN_SEGMENTS:
        return pipeline.translate(document, engine, terminology, memory=memory)
    with click.progressbar(length=count, label=document.path.name, file=sys.stderr) as bar:
        return pipeline.translate(document, engine, terminology, bar.update, memory)


@main.command()
@click.option(
    "--source",
    "source",
    type=click.Path(path_type=Path),
    required=True,
    help="The Russian text, one segment per line.",
)
@click.option(
    "--mt",
    "mt",
    type=click.Path(path_type=Path),
    required=True,
    help="Its machine translation from any system; line i translates line i.",
)
@glossary_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Post-edited text (default: <mt stem>.postedited<ext> next to MT).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write a JSON report of every term occurrence.",
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(path_type=Path),
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
    from rutrans import outputs, pipeline
    from rutrans.glossary.model import DEFAULT_GLOSSARY
    from rutrans.terminology import Terminology

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
    click.echo(_terms_line(result.terms))
    click.echo(qa_line([line.qa for line in result.lines]))


@main.group(cls=_Group)
def model() -> None:
    """Install, list and inspect Argos ru→en model packages."""


@model.command("install")
@click.option(
    "--from-file",
    "from_file",
    type=click.Path(path_type=Path),
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
main.add_command(glossary)
main.add_command(apply_command)
main.add_command(review_command)
main.add_command(cache)
