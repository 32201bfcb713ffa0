"""A folder run on Ray Data (``rutrans translate … --ray``): the same documents, the same
pure translate step and the same outputs as the local loop, on a pool of Ray actors.

The driver plans the run and applies the local skip rule (:func:`folders.read_unless_done`);
what is left becomes a Dataset of output paths, mapped one document per call by a pool of
actors.  Each actor loads one engine (with its node's segment cache) and the terminology
once, then translates and writes a document with :func:`pipeline.translate` and
:func:`outputs.write_translation`, so each document's outputs appear whole or not at all:
a killed job, re-run, does only what is missing, and a task Ray retries after a worker
died rewrites the same bytes.

Paths travel as the user gave them (a report records them), and actors work in the
driver's folder: on a cluster, the documents, OUTDIR, the model package and the glossary
must be at the same paths on every node (a shared filesystem).  Each node keeps its own
segment cache and translation memory where a local run on it would.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rutrans import folders
from rutrans.engine import DecodingOptions
from rutrans.errors import UserError
from rutrans.outputs import OutputPaths

INSTALL_HINT = "--ray needs Ray: pip install 'rutrans[ray]'"


@dataclass(frozen=True)
class Job:
    """Everything an actor needs to translate a document as the local command would."""

    model: Path | None  # --model as given; None: RUTRANS_MODEL or the node's installed one
    options: DecodingOptions
    glossaries: tuple[Path, ...]  # as the user named them; empty: no glossary
    fluent: bool
    tm: Path | None  # --tm as given; None: the node's default
    use_tm: bool
    use_cache: bool
    encoding: str | None
    output_encoding: str | None
    signature_id: str  # what the driver expects every actor's reports to be signed with
    cwd: Path


def require_ray() -> None:
    """Refuse ``--ray`` in one line where Ray is not installed."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise UserError(INSTALL_HINT) from None


def run(
    planned: Sequence[folders.Planned],
    job: Job,
    address: str,
    workers: int | None,
    gpus_per_worker: float,
    force: bool,
    echo: Callable[[str, bool], None],
) -> dict[str, int]:
    """Translate what is not up to date in *planned* on Ray; the local run's counts.

    *echo(text, err)* prints: skipped and failed documents as the local run does, and
    progress (documents done of those to do, segments per second, ETA) on stderr.
    """
    counts = {"translated": 0, "up to date": 0, "failed": 0}
    pending: list[folders.Planned] = []
    for item in planned:
        try:
            document = folders.read_unless_done(
                item, job.encoding, job.signature_id, job.fluent, force
            )
        except UserError as error:
            counts["failed"] += 1
            echo(f"rutrans: error: {error.message}", True)
            continue
        if document is None:
            counts["up to date"] += 1
            echo(f"{item.source}: up to date, skipped", False)
        else:
            pending.append(item)
    if not pending:
        return counts
    started = time.monotonic()
    segments = 0
    for done, row in enumerate(_translated(pending, job, address, workers, gpus_per_worker), 1):
        if row["error"]:
            counts["failed"] += 1
            echo(f"rutrans: error: {row['error']}", True)
        else:
            counts["translated"] += 1
            segments += int(row["segments"])
            count = int(row["segments"])
            echo(
                f"{row['source']} → {row['translation']} ({count} segment{'s' * (count != 1)})",
                False,
            )
        elapsed = time.monotonic() - started
        eta = elapsed / done * (len(pending) - done)
        echo(
            f"{done}/{len(pending)} documents, {segments / max(elapsed, 1e-9):.1f} segments/s, "
            f"ETA {eta:.0f} s",
            True,
        )
    return counts


def _translated(
    pending: Sequence[folders.Planned],
    job: Job,
    address: str,
    workers: int | None,
    gpus_per_worker: float,
) -> Iterator[dict[str, Any]]:
    """Rows of translated documents, as they finish (in any order)."""
    import ray
    import ray.data

    cpus_per_worker = 1 if gpus_per_worker else max(1, job.options.threads)
    _connect(ray, address, (workers or os.cpu_count() or 1) * cpus_per_worker)
    try:
        if workers is None:
            workers = _workers_that_fit(ray, cpus_per_worker, gpus_per_worker)
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        rows = [_row(item) for item in pending]
        dataset = ray.data.from_items(rows).map_batches(
            _Translator,
            fn_constructor_kwargs={"job": job},
            batch_size=1,  # one document a call: progress and retries per document
            compute=ray.data.ActorPoolStrategy(size=min(workers, len(rows))),
            num_cpus=cpus_per_worker,
            num_gpus=gpus_per_worker or None,
            # Ray Data's actors are restarted, and their tasks retried, without limit: a
            # worker that dies is replaced and its document done again (written whole or
            # not at all, so never twice or half).
        )
        yield from dataset.iter_rows()
    finally:
        ray.shutdown()


def _connect(ray: Any, address: str, local_cpus: int) -> None:
    for name in ("ray", "ray.data", "ray.train", "ray.tune"):
        logging.getLogger(name).setLevel(logging.ERROR)
    quiet = {"logging_level": logging.ERROR, "log_to_driver": False, "include_dashboard": False}
    try:
        if address == "local":
            ray.init(address="local", num_cpus=local_cpus, **quiet)
        else:
            ray.init(address=address, **quiet)
    except ConnectionError as error:
        raise UserError(
            f"--ray {address}: no Ray cluster there ({error}); start one with "
            "`ray start --head` or use --ray local"
        ) from None


def _workers_that_fit(ray: Any, cpus_per_worker: int, gpus_per_worker: float) -> int:
    resources = ray.cluster_resources()
    if gpus_per_worker:
        return max(1, int(resources.get("GPU", 0) // gpus_per_worker))
    return max(1, int(resources.get("CPU", 1) // cpus_per_worker))


def _row(item: folders.Planned) -> dict[str, str]:
    paths = item.outputs
    return {
        "source": str(item.source),
        "translation": str(paths.translation),
        "report": str(paths.report),
        "review_po": str(paths.review_po or ""),
        "review_html": str(paths.review_html or ""),
    }


class _Translator:
    """One Ray actor: one engine and one terminology, loaded once, for many documents."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.refusal = ""
        try:
            self._load(job)
        except UserError as error:
            # Every document of this actor fails with the reason, rather than Ray
            # restarting an actor that cannot start.
            self.refusal = f"on {os.uname().nodename}: {error.message}"

    def _load(self, job: Job) -> None:
        from rutrans import pipeline
        from rutrans.engine import factory
        from rutrans.engine.cache import default_cache
        from rutrans.memory import TranslationMemory, default_path
        from rutrans.terminology import Terminology

        os.chdir(job.cwd)  # relative paths mean what they mean to the driver
        paths = list(job.glossaries)
        self.terminology = (
            Terminology.load(paths, fluent=job.fluent) if paths else Terminology.empty()
        )
        cache = default_cache() if job.use_cache else None
        if cache is not None:
            cache.check()
        package = factory.choose_model(job.model)
        self.engine = factory.create(package, job.options, cache=cache)
        self.memory = TranslationMemory(job.tm or default_path()) if job.use_tm else None
        if pipeline.signature_id(self.engine, self.terminology) != job.signature_id:
            raise UserError(
                f"{package.label}: the model, glossary or CTranslate2 here is not the "
                "driver's; give every node the same files at the same paths"
            )

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {"source": [], "translation": [], "segments": [], "error": []}
        for index, source in enumerate(batch["source"]):
            paths = OutputPaths(
                Path(str(batch["translation"][index])),
                Path(str(batch["report"][index])),
                Path(str(batch["review_po"][index])) if batch["review_po"][index] else None,
                Path(str(batch["review_html"][index])) if batch["review_html"][index] else None,
            )
            segments, error = self._one(Path(str(source)), paths)
            out["source"].append(str(source))
            out["translation"].append(str(paths.translation))
            out["segments"].append(segments)
            out["error"].append(error)
        return out

    def _one(self, source: Path, paths: OutputPaths) -> tuple[int, str]:
        from rutrans import outputs, pipeline
        from rutrans.formats import read_document
        from rutrans.segment import segments_of

        if self.refusal:
            return 0, self.refusal
        try:
            document = read_document(source, self.job.encoding)
            segments = segments_of(document)
            result = pipeline.translate(
                document, self.engine, self.terminology, None, self.memory, segments
            )
            outputs.write_translation(result, paths, self.job.output_encoding)
        except UserError as error:
            return 0, error.message
        return len(segments), ""
