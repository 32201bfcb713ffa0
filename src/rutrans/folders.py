"""Which documents a ``translate`` run covers, where each one's outputs go, and which are
already done.

A directory given as input is walked with its subfolders (in name order, so runs are
reproducible), keeping every file a format handles (or matching ``--glob``), and its
tree is mirrored under OUTDIR.  rutrans's own outputs, anything inside OUTDIR, and
symlinks that lead out of the folder are left out.  A document whose outputs already
exist with a report signed by the same model, decoding options, glossary and input text
is up to date and skipped: after an interrupt, a re-run does only what is missing
(outputs are written whole or not at all, so a finished document is never half there).
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rutrans.errors import UserError
from rutrans.formats import check_readable, handles, read_document, registry
from rutrans.outputs import OutputPaths, is_translation, paths_for
from rutrans.pipeline import document_sha256
from rutrans.results import Document


@dataclass(frozen=True)
class Planned:
    """One document of the run and where its outputs go."""

    source: Path
    outputs: OutputPaths


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _walk(folder: Path, glob: str | None, outdir: Path | None) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        here = Path(root)
        dirs[:] = sorted(
            d
            for d in dirs
            if _inside(here / d, folder)  # a symlinked folder leading out stays out
            and not (outdir is not None and _inside(here / d, outdir))
        )
        for name in sorted(files):
            path = here / name
            relative = path.relative_to(folder).as_posix()
            wanted = (
                fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(name, glob)
                if glob
                else handles(path)
            )
            if wanted and not is_translation(path) and _inside(path, folder) and path.is_file():
                found.append(path)
    return found


def plan(inputs: Sequence[Path], outdir: Path | None, glob: str | None = None) -> list[Planned]:
    """Every document the run translates, with its outputs; a clash is an error up front."""
    if outdir is not None and outdir.exists() and not outdir.is_dir():
        raise UserError(f"{outdir}: is a file, not a folder; give -o a folder for the outputs")
    planned: list[Planned] = []
    for given in inputs:
        if given.is_dir():
            inside = _walk(given, glob, outdir)
            if not inside:
                what = f"files matching {glob}" if glob else f"{registry.described('or')} documents"
                raise UserError(
                    f"{given}: no {what} in this folder or its subfolders; "
                    "give document files or a folder that has some"
                )
            for path in inside:
                mirrored = outdir / path.parent.relative_to(given) if outdir else None
                planned.append(Planned(path, paths_for(path, mirrored)))
        else:
            check_readable(given)  # a typo fails now, not after loading the model
            planned.append(Planned(given, paths_for(given, outdir)))
    _refuse_clashes(planned)
    return planned


def _refuse_clashes(planned: Sequence[Planned]) -> None:
    """Two documents writing one file, or a document's output overwriting another input."""
    inputs = {p.source.resolve(): p.source for p in planned}
    writers: dict[Path, Path] = {}
    for item in planned:
        for output in _files(item.outputs):
            key = output.resolve()
            if key in inputs:
                raise UserError(
                    f"{item.source}: its output {output} would overwrite the input "
                    f"{inputs[key]}; use -o OUTDIR"
                )
            first = writers.setdefault(key, item.source)
            if first != item.source:
                raise UserError(
                    f"{item.source}: its output {output} is also {first}'s; rename one "
                    "of them or translate them into different folders"
                )


def _files(paths: OutputPaths) -> list[Path]:
    return [p for p in (paths.translation, paths.report, paths.review_po, paths.review_html) if p]


def up_to_date(outputs: OutputPaths, signature_id: str, text_sha256: str, fluent: bool) -> bool:
    """The outputs exist and their report was made from this text the same way."""
    if not all(p.is_file() for p in _files(outputs)):
        return False
    try:
        report = json.loads(outputs.report.read_text(encoding="utf-8"))
        signature = report["signature"]
        glossary = signature.get("glossary") or {}
        return bool(
            signature["id"] == signature_id
            and signature["input"]["sha256"] == text_sha256
            and bool(glossary.get("fluent", False)) == fluent
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False  # an unreadable or foreign report: translate again


def read_unless_done(
    item: Planned, encoding: str | None, signature_id: str, fluent: bool, force: bool
) -> Document | None:
    """*item*'s document, or None where its outputs are up to date (and not *force*d):
    the one skip rule of a local and a distributed run."""
    document = read_document(item.source, encoding)
    if not force and up_to_date(item.outputs, signature_id, document_sha256(document), fluent):
        return None
    return document
