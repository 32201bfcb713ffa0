"""Build engines: which model, which engine class, with which decoding options.

The CLI and batch runners call this, never an engine's constructor, so that a new engine
(or a wrapper such as a segment cache) is one entry in :data:`ENGINES` or one wrapping
call here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rutrans.engine import DecodingOptions, Engine, package
from rutrans.engine.argos import ArgosEngine, load_check
from rutrans.engine.package import ModelPackage

EngineClass = Callable[[ModelPackage, DecodingOptions], Engine]

ENGINES: dict[str, EngineClass] = {"argos": ArgosEngine}


def choose_model(model: Path | None) -> ModelPackage:
    """The package to use: ``--model`` over ``RUTRANS_MODEL`` over the installed one."""
    return package.resolve(model)


def create(chosen: ModelPackage, options: DecodingOptions, kind: str = "argos") -> Engine:
    """Load *chosen* into an engine of *kind* (loading the model takes a moment)."""
    return ENGINES[kind](chosen, options)


def install_from_file(path: Path) -> ModelPackage:
    """Install an ``.argosmodel`` after loading it once, so a damaged one is refused."""
    return package.install_from_file(path, verify=load_check)


def install_from_index() -> ModelPackage:
    """Download the newest ru→en package (needs internet) and install it, checked as above."""
    return package.install_from_index(verify=load_check)
