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

import os
import time
from collections.abc import Callable, Sequence
from typing import Any

from rutrans import folders
from rutrans.distributed.job import Job
from rutrans.errors import UserError
from rutrans.segment import segments_of

__all__ = ["INSTALL_HINT", "Job", "require_ray", "run"]

INSTALL_HINT = "--ray needs Ray: pip install 'rutrans[ray]'"


def require_ray() -> None:
    """Refuse ``--ray`` in one line where Ray is not installed."""
    # Before Ray reads it: Ray's driver holds back repeated messages and prints them at
    # shutdown from the main thread; printed at once, they all come from Ray's own
    # thread, which session.RayMessages keeps out of the run's output.
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
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
    expected: dict[str, int] = {}  # source → its segments, for progress
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
            expected[str(item.source)] = len(segments_of(document))
    if not pending:
        return counts
    from rutrans.distributed.session import RETRIES, RayMessages, RayStopped, translated

    progress = _Progress(len(pending), sum(expected.values()))
    with RayMessages() as messages:
        try:
            for row in translated(pending, job, address, workers, gpus_per_worker):
                planned_segments = expected.pop(str(row["source"]), 0)
                if row["error"]:
                    counts["failed"] += 1
                    echo(f"rutrans: error: {row['error']}", True)
                else:
                    counts["translated"] += 1
                    echo(_done_line(row, job.use_cache), False)
                echo(progress.document_done(planned_segments), True)
        except RayStopped as stopped:
            echo(f"rutrans: error: {stopped}", True)
            counts["not attempted"] = len(expected)
            expected.clear()
    if messages.worker_deaths:
        times = messages.worker_deaths
        echo(
            f"rutrans: warning: Ray workers died {times} time{'s' * (times != 1)} during the "
            f"run, and Ray ran their documents again (each up to {RETRIES} times); why: "
            "`ray logs`, or /tmp/ray/session_latest/logs on the node",
            True,
        )
    for source in expected:  # rows Ray dropped: their task failed every retry
        counts["failed"] += 1
        echo(
            f"rutrans: error: {source}: not translated: the Ray worker translating it died "
            f"{RETRIES + 1} times; run again to retry it, or without --ray to see why",
            True,
        )
    return counts


def _done_line(row: dict[str, Any], use_cache: bool) -> str:
    """What the local run says of a document: its outputs and, with the cache, how many
    MT inputs (segments and their term probes) the node's cache answered."""
    count = int(row["segments"])
    line = f"{row['source']} → {row['translation']} ({count} segment{'s' * (count != 1)})"
    if use_cache and int(row["mt_inputs"]):
        line += f"\n  cache: {row['from_cache']} of {row['mt_inputs']} MT inputs from the cache"
    return line


class _Progress:
    """Documents and segments done of those to do, segments per second, time left."""

    def __init__(self, documents: int, segments: int) -> None:
        self.documents, self.segments = documents, segments
        self.documents_done = self.segments_done = 0
        self.started = time.monotonic()

    def document_done(self, segments: int) -> str:
        self.documents_done += 1
        self.segments_done += segments
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.segments_done / elapsed
        left = self.segments - self.segments_done
        eta = f"ETA {left / rate:.0f} s" if rate else "ETA unknown"
        return (
            f"{self.documents_done}/{self.documents} documents, "
            f"{self.segments_done}/{self.segments} segments, {rate:.1f} segments/s, {eta}"
        )
