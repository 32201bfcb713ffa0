"""One Ray actor: one engine and one terminology, loaded once, translating and writing
documents with the local command's own steps."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rutrans.distributed.job import Job
from rutrans.errors import UserError
from rutrans.outputs import OutputPaths


class Translator:
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
        columns = ("source", "translation", "segments", "error", "from_cache", "mt_inputs")
        out: dict[str, list[Any]] = {name: [] for name in columns}
        for index, source in enumerate(batch["source"]):
            paths = OutputPaths(
                Path(str(batch["translation"][index])),
                Path(str(batch["report"][index])),
                Path(str(batch["review_po"][index])) if batch["review_po"][index] else None,
                Path(str(batch["review_html"][index])) if batch["review_html"][index] else None,
            )
            hits, misses = self._cache_counts()
            segments, error = self._one(Path(str(source)), paths)
            after = self._cache_counts()
            out["source"].append(str(source))
            out["translation"].append(str(paths.translation))
            out["segments"].append(segments)
            out["error"].append(error)
            out["from_cache"].append(after[0] - hits)
            out["mt_inputs"].append(after[0] - hits + after[1] - misses)
        return out

    def _cache_counts(self) -> tuple[int, int]:
        """MT inputs the segment cache answered and did not, so far (0, 0 without one)."""
        engine = getattr(self, "engine", None)
        return getattr(engine, "hits", 0), getattr(engine, "misses", 0)

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
