"""``rutrans translate``: documents and folders of them.  Parse, call, print."""

from __future__ import annotations

import os
from pathlib import Path

import click

from rutrans.cli_cache import cache_for, no_cache_option
from rutrans.cli_glossary import glossary_option
from rutrans.cli_options import (
    STANDIN_WARNING,
    glossary_paths,
    memory_for,
    model_option,
    no_glossary_option,
    terminology_from,
    tm_options,
)
from rutrans.errors import UserError


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
    from rutrans import cli_local, folders, pipeline
    from rutrans.engine import DecodingOptions, factory

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
    settings = cli_local.Settings(
        engine, terminology, memory_for(tm_path, no_tm), encoding, output_encoding,
        pipeline.signature_id(engine, terminology), fluent, force, show_cache=not no_cache,
    )  # fmt: skip
    _finish(cli_local.run(planned, settings), len(planned))


def _finish(counts: dict[str, int], planned: int) -> None:
    if planned > 1:
        click.echo(
            ", ".join(f"{n} {what}" for what, n in counts.items()) + f" of {planned} documents"
        )
    if counts["failed"] or counts.get("not attempted"):
        raise SystemExit(1)
