"""Ray itself: joining a cluster, the Dataset of documents mapped by a pool of actors, and
keeping Ray's own printing out of the run's one-line-per-event output."""

from __future__ import annotations

import logging
import os
import re
import socket
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from rutrans import folders
from rutrans.distributed.actor import Translator
from rutrans.distributed.job import Job
from rutrans.errors import UserError, first_line

# A cluster's address as ray.init takes it: the head's GCS (host:port) or Ray Client's
# ray://host:port.
ADDRESS = re.compile(r"(?:ray://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[\w.-]+):(?P<port>\d{1,5})")
# How often Ray runs a document again after the worker translating it died: enough for a
# node lost now and then, not forever for a document that kills its worker every time.
RETRIES = 3
CONNECT_TIMEOUT = 10.0  # seconds to wait for a cluster's head to accept a connection


class RayStopped(Exception):
    """The Ray job as a whole failed; its message is the one line to show."""


def translated(
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
        # A document whose task failed every retry is dropped, and the others go on; the
        # driver reports the dropped ones by name.
        context.max_errored_blocks = -1
        rows = [_row(item) for item in pending]
        with warnings.catch_warnings():
            # max_task_retries has no named parameter yet (Ray 2.60); the extra is capped
            # below the release that drops the keyword form.
            warnings.simplefilter("ignore", category=DeprecationWarning)
            dataset = ray.data.from_items(rows).map_batches(
                Translator,
                fn_constructor_kwargs={"job": job},
                batch_size=1,  # one document a call: progress and retries per document
                compute=ray.data.ActorPoolStrategy(size=min(workers, len(rows))),
                num_cpus=cpus_per_worker,
                num_gpus=gpus_per_worker or None,
                # A worker that dies is replaced (Ray Data restarts its actors without
                # limit) and its document done again, up to RETRIES times: written whole
                # or not at all, so never twice or half.
                max_task_retries=RETRIES,
            )
        yield from dataset.iter_rows()
    except ray.exceptions.RayError as error:
        raise RayStopped(f"Ray stopped the run: {first_line(error)}") from None
    finally:
        ray.shutdown()


class RayMessages:
    """While Ray runs, what Ray's own threads print goes here instead of the terminal.

    Ray's driver prints each worker failure, many lines long, to stdout from a thread of
    its own, and Ray Data logs failed tasks with their tracebacks from its executor
    thread.  rutrans reports every document in one line itself, so writes from threads
    other than the one that entered are dropped, and only worker deaths counted.
    """

    def __init__(self) -> None:
        self.worker_deaths = 0  # all that is kept of them: memory stays flat
        self.thread = threading.get_ident()
        self.saved: tuple[TextIO, TextIO] | None = None

    def keep(self, text: str) -> None:
        self.worker_deaths += text.count("worker died")

    def __enter__(self) -> RayMessages:
        self.saved = sys.stdout, sys.stderr
        sys.stdout = _ThreadFilter(sys.stdout, self)
        sys.stderr = _ThreadFilter(sys.stderr, self)
        return self

    def __exit__(self, *_: object) -> None:
        if self.saved is not None:
            sys.stdout, sys.stderr = self.saved


class _ThreadFilter:
    """A text stream that passes on the writes of one thread and counts the others'."""

    def __init__(self, stream: TextIO, messages: RayMessages) -> None:
        self.stream = stream
        self.messages = messages

    def write(self, text: str) -> int:
        if threading.get_ident() == self.messages.thread:
            return self.stream.write(text)
        self.messages.keep(text)
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding, fileno, …
        return getattr(self.stream, name)


def _connect(ray: Any, address: str, local_cpus: int) -> None:
    for name in ("ray", "ray.data", "ray.train", "ray.tune"):
        # Failed tasks are logged with tracebacks at ERROR; rutrans reports them itself.
        logging.getLogger(name).setLevel(logging.CRITICAL)
    quiet = {"logging_level": logging.ERROR, "log_to_driver": False, "include_dashboard": False}
    if address not in ("local", "auto"):
        _check_reachable(address)
    try:
        if address == "local":
            ray.init(address="local", num_cpus=local_cpus, **quiet)
        else:
            ray.init(address=address, **quiet)
    except (ConnectionError, ValueError) as error:
        raise UserError(
            f"--ray {address}: no Ray cluster to join ({first_line(error)}); start one "
            "with `ray start --head` or use --ray local"
        ) from None


def _check_reachable(address: str) -> None:
    """Refuse an address that is not one, or where nothing listens, in one line.

    Ray itself would wait minutes, printing a warning a second, before giving up.
    """
    parsed = ADDRESS.fullmatch(address)
    if parsed is None:
        raise UserError(
            f"--ray {address}: not a Ray address; give HOST:PORT (the head's, e.g. "
            "10.0.0.5:6379), ray://HOST:10001, auto or local (a bare --ray takes the "
            "word after it as the address unless that is a file or folder)"
        )
    host, port = parsed["host"].strip("[]"), int(parsed["port"])
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
    except OSError as error:
        raise UserError(
            f"--ray {address}: no Ray cluster answers there ({error.strerror or error}); "
            "start one with `ray start --head` or use --ray local"
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
