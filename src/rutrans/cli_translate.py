"""``rutrans translate``: documents and folders of them.  Parse, call, print."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rutrans.cli_cache import cache_for, no_cache_option
from rutrans.cli_glossary import glossary_option
from rutrans.cli_options import (
    STANDIN_WARNING,
    glossary_paths,
    memory_for,
    model_option,
    no_glossary_option,
    plural,
    qa_line,
    terminology_from,
    terms_line,
    tm_options,
)
from rutrans.errors import OutOfSpace, UserError

if TYPE_CHECKING:
    from rutrans.engine import Progress
    from rutrans.folders import Planned
    from rutrans.outputs import OutputPaths
    from rutrans.results import DocumentResult


class _TranslateCommand(click.Command):
    """``--ray`` takes an optional address; a bare ``--ray`` must not swallow the document
    or folder after it as the address."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, bare_ray_made_explicit(args))


def bare_ray_made_explicit(args: list[str]) -> list[str]:
    """*args* with ``local`` after each ``--ray`` whose next word is a file or folder.

    ``auto`` and ``local`` stay addresses even where a file has that name; other words
    that name nothing on disk stay addresses (and are checked as such).
    """
    made: list[str] = []
    for index, arg in enumerate(args):
        made.append(arg)
        if arg == "--":
            made.extend(args[index + 1 :])
            break
        following = args[index + 1] if index + 1 < len(args) else None
        if (
            arg == "--ray"
            and following is not None
            and following not in ("auto", "local")
            and os.path.lexists(following)
        ):
            made.append("local")
    return made


@click.command(cls=_TranslateCommand)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option(
    "-o",
    "--outdir",
    type=click.Path(path_type=Path, readable=False),
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
    help="CTranslate2 intra-op threads (0: OMP_NUM_THREADS if set, else half the CPUs "
    "this process may use, within its affinity and cgroup quota, 1 to 4).",
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
@click.option(
    "--glob",
    default=None,
    help="In folders, translate only files matching this pattern (e.g. '*.md' or "
    "'2024/*.txt'; default: every supported format).",
)
@click.option("--force", is_flag=True, help="Translate again documents that are up to date.")
@click.option(
    "--ray",
    "ray_address",
    is_flag=False,
    flag_value="local",
    default=None,
    metavar="[ADDRESS|auto|local]",
    help="Translate on Ray (pip install 'rutrans[ray]'): a new local Ray (local, the "
    "default), the cluster this machine belongs to (auto) or the one at ADDRESS.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 100_000),
    default=None,
    help="With --ray: how many engines (Ray actors) translate at once "
    "(default: as many as the CPUs, or GPUs, allow).",
)
@click.option(
    "--gpus-per-worker",
    type=click.FloatRange(0, 64),
    default=0.0,
    help="With --ray: GPUs each worker takes (e.g. 1, with --device cuda).",
)
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
    glob: str | None,
    force: bool,
    ray_address: str | None,
    workers: int | None,
    gpus_per_worker: float,
) -> None:
    """Translate INPUT files or folders (.txt .md .docx .odt .html) from Russian to English.

    Writes <stem>.en<ext>, <stem>.report.json, <stem>.review.html and <stem>.review.po
    next to each input, or in OUTDIR, where a folder's subfolders are mirrored.  Glossary
    terms are found in every inflected form and post-edited to the approved English; the
    report lists every occurrence and its status.  Segments a reviewer approved (rutrans
    apply) come from the translation memory, and segments translated before from the
    segment cache.  Documents whose outputs are up to date are skipped (--force redoes
    them); a document that fails is reported and the others go on.  With --ray, the
    documents are translated on Ray, with the same outputs (README: Running on a cluster).
    """
    from rutrans import folders, outputs, pipeline
    from rutrans.engine import DecodingOptions, factory
    from rutrans.segment import segments_of

    if ray_address is None and (workers is not None or gpus_per_worker):
        raise UserError("--workers and --gpus-per-worker go with --ray; add --ray or drop them")
    if gpus_per_worker and device == "cpu":
        raise UserError(
            "--gpus-per-worker gives each worker a GPU that --device cpu would leave idle; "
            "add --device cuda (and --compute-type float16 or int8)"
        )
    if ray_address is not None:
        from rutrans.distributed import require_ray

        require_ray()
    planned = folders.plan(inputs, outdir, glob)
    chosen_glossaries = glossary_paths(glossaries, no_glossary)
    terminology = terminology_from(chosen_glossaries, fluent)
    package = factory.choose_model(model_path)
    if package.standin:
        click.echo(STANDIN_WARNING.format(label=package.label), err=True)
    options = DecodingOptions(
        beam_size=beam, compute_type=compute_type, device=device, threads=threads
    )
    if ray_address is not None:
        from rutrans import distributed

        job = distributed.Job(
            model_path, options, tuple(chosen_glossaries), fluent,
            tm_path, not no_tm, not no_cache, encoding, output_encoding,
            pipeline.signature_id(factory.signature(package, options), terminology), Path.cwd(),
        )  # fmt: skip
        counts = distributed.run(
            planned, job, ray_address, workers, gpus_per_worker, force,
            lambda text, err: click.echo(text, err=err),
        )  # fmt: skip
        _finish(counts, len(planned))
        return
    engine = factory.create(package, options, cache=cache_for(no_cache))
    memory = memory_for(tm_path, no_tm)
    expected = pipeline.signature_id(engine, terminology)
    counts = {"translated": 0, "up to date": 0, "failed": 0}
    with _Bar(planned) as bar:
        for item in planned:
            try:
                document = folders.read_unless_done(item, encoding, expected, fluent, force)
                if document is None:
                    counts["up to date"] += 1
                    bar.skip(item.source)
                    continue
                before = getattr(engine, "hits", 0), getattr(engine, "misses", 0)
                segments = segments_of(document)
                result = pipeline.translate(
                    document, engine, terminology, bar.segments(item.source, len(segments)),
                    memory, segments,
                )  # fmt: skip
                outputs.write_translation(result, item.outputs, output_encoding)
            except UserError as error:
                if len(planned) == 1:
                    raise
                counts["failed"] += 1
                bar.echo(f"rutrans: error: {error.message}", err=True)
                if isinstance(error, OutOfSpace):  # the rest would fail the same way
                    counts["not attempted"] = len(planned) - sum(counts.values())
                    break
                continue
            counts["translated"] += 1
            cached = (
                getattr(engine, "hits", 0) - before[0],
                getattr(engine, "misses", 0) - before[1],
            )
            bar.echo(_done_lines(result, item.outputs, None if no_cache else cached))
    _finish(counts, len(planned))


def _finish(counts: dict[str, int], planned: int) -> None:
    if planned > 1:
        click.echo(
            ", ".join(f"{n} {what}" for what, n in counts.items()) + f" of {planned} documents"
        )
    if counts["failed"] or counts.get("not attempted"):
        raise SystemExit(1)


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
        if self.bar is None:
            return None
        done = 0

        def report(newly: int) -> None:
            nonlocal done
            before, done = done, min(count, done + newly)
            whole = self.sizes[source]
            self.bar.update(int(whole * done / max(count, 1)) - int(whole * before / max(count, 1)))
            if done == count:
                self.done += 1
                self.bar.label = self._label()

        return report

    def skip(self, source: Path) -> None:
        self.done += 1
        self._advance(source, 1.0)
        if self.bar is not None:
            self.bar.label = self._label()
        else:
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
