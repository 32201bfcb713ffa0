"""Build engines: which model, which engine class, with which decoding options.

The CLI and batch runners call this, never an engine's constructor, so that a new engine
(or a wrapper such as a segment cache) is one entry in :data:`ENGINES` or one wrapping
call here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rutrans.engine import DecodingOptions, Engine, package
from rutrans.engine.argos import ArgosEngine, check_options, engine_signature, load_check
from rutrans.engine.cache import CachedEngine, SegmentCache
from rutrans.engine.package import ModelPackage
from rutrans.signature import EngineSignature

EngineClass = Callable[[ModelPackage, DecodingOptions], Engine]

ENGINES: dict[str, EngineClass] = {"argos": ArgosEngine}


def choose_model(model: Path | None) -> ModelPackage:
    """The package to use: ``--model`` over ``RUTRANS_MODEL`` over the installed one."""
    return package.resolve(model)


def create(
    chosen: ModelPackage,
    options: DecodingOptions,
    kind: str = "argos",
    cache: SegmentCache | None = None,
) -> Engine:
    """Load *chosen* into an engine of *kind* (loading the model takes a moment).

    With a *cache*, the engine is wrapped so that cached segments skip MT, and the model
    is loaded only when a segment misses.
    """
    if cache is None:
        return ENGINES[kind](chosen, options)
    check_options(options)
    model_sha256 = chosen.content_hash()
    return CachedEngine(
        lambda: ENGINES[kind](chosen, options),
        model_sha256,
        options,
        engine_signature(chosen, options, model_sha256),
        cache,
    )


def signature(chosen: ModelPackage, options: DecodingOptions) -> EngineSignature:
    """What an engine :func:`create` makes would sign its output with, without loading the
    model or checking the device here (a distributed run's driver may have no GPU)."""
    return engine_signature(chosen, options, chosen.content_hash())


def install_from_file(path: Path) -> ModelPackage:
    """Install an ``.argosmodel`` after loading it once, so a damaged one is refused."""
    return package.install_from_file(path, verify=load_check)


def install_from_index() -> ModelPackage:
    """Download the newest ru→en package (needs internet) and install it, checked as above."""
    return package.install_from_index(verify=load_check)
