"""How a result was made: one frozen Signature type that owns its id string, as
sacrebleu's signatures do, and the parts it is made of.  Imports nothing of rutrans."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ModelIdentity:
    code: str
    version: str
    sha256: str
    origin: str | None = None  # --model, RUTRANS_MODEL, installed
    standin: bool = False  # random weights: the output is noise


@dataclass(frozen=True)
class EngineSignature:
    """Which engine and model made the MT, and how it decoded."""

    name: str  # "argos-ctranslate2", or "external" for MT made outside rutrans
    model: ModelIdentity | None = None
    decoding: Mapping[str, object] = field(default_factory=dict)
    library: tuple[str, str] | None = None  # ("ctranslate2", its version)


@dataclass(frozen=True)
class GlossarySignature:
    entries: int
    sha256: str
    files: tuple[str, ...]
    fluent: bool
    # Forbidden renderings blocked at decoding (``translate`` only; None for ``postedit``).
    suppressed: tuple[str, ...] | None = None

    @property
    def short(self) -> str:
        return f"{self.entries}#{self.sha256[:12]}{'+fluent' if self.fluent else ''}"


@dataclass(frozen=True)
class InputSignature:
    path: str
    sha256: str
    format: str | None = None
    encoding: str | None = None
    paragraphs: int | None = None


@dataclass(frozen=True)
class ExternalMT:
    """MT that came from outside rutrans (``rutrans postedit``)."""

    path: str
    sha256: str


STANDIN_NOTE = "stand-in model with random weights: mt and final are noise"


@dataclass(frozen=True)
class Signature:
    """How a result was made, so that two reports can be compared and a result reproduced.

    :attr:`id` says it in one line, as sacrebleu's signatures do:
    ``rutrans:0.1.0|model:translate-ru_en@1.9#1a2b3c4d|beam:4|lp:0.2|ct:int8|glossary:none``.
    """

    rutrans: str
    engine: EngineSignature
    glossary: GlossarySignature | None
    input: InputSignature
    mt: ExternalMT | None = None

    @property
    def id(self) -> str:
        glossary = self.glossary.short if self.glossary else "none"
        if self.mt is not None:
            model = self.engine.model
            aligner = f"|aligner:{model.code}@{model.version}#{model.sha256[:8]}" if model else ""
            external = f"engine:external#{self.mt.sha256[:8]}{aligner}"
            if self.standin:
                external += "|STANDIN-NOISE"
            return f"rutrans:{self.rutrans}|{external}|glossary:{glossary}"
        model, decoding = self.engine.model, self.engine.decoding
        parts = [
            f"rutrans:{self.rutrans}",
            f"model:{model.code}@{model.version}#{model.sha256[:8]}"
            if model
            else "model:None@None#",
            f"beam:{decoding.get('beam_size')}",
            f"lp:{decoding.get('length_penalty')}",
            f"ct:{decoding.get('compute_type')}",
            f"glossary:{glossary}",
        ]
        if self.standin:
            parts.append("STANDIN-NOISE")
        return "|".join(parts)

    @property
    def standin(self) -> bool:
        return bool(self.engine.model and self.engine.model.standin)

    def as_dict(self) -> dict[str, Any]:
        """The report's ``signature`` object (key order is part of the report format)."""
        out: dict[str, Any] = {"rutrans": self.rutrans, "engine": self.engine.name}
        if self.mt is not None:
            out["mt"] = {"path": self.mt.path, "sha256": self.mt.sha256}
        if self.engine.library is not None:
            out[self.engine.library[0]] = self.engine.library[1]
        if self.engine.model is not None:
            out["model"] = _model_dict(self.engine.model)
        if self.mt is None or self.engine.model is not None:
            out["decoding"] = dict(self.engine.decoding)
        out["glossary"] = _glossary_dict(self.glossary)
        out["input"] = _input_dict(self.input)
        out["id"] = self.id
        if self.standin:
            out["warning"] = STANDIN_NOTE
        return out


def _model_dict(model: ModelIdentity) -> dict[str, object]:
    out: dict[str, object] = {"code": model.code, "version": model.version, "sha256": model.sha256}
    if model.origin is not None:
        out["origin"] = model.origin
    out["standin"] = model.standin
    return out


def _glossary_dict(glossary: GlossarySignature | None) -> dict[str, object] | None:
    if glossary is None:
        return None
    out: dict[str, object] = {
        "entries": glossary.entries,
        "sha256": glossary.sha256,
        "files": list(glossary.files),
        "fluent": glossary.fluent,
    }
    if glossary.suppressed is not None:
        out["suppressed"] = list(glossary.suppressed)
    return out


def _input_dict(given: InputSignature) -> dict[str, object]:
    out: dict[str, object] = {"path": given.path}
    if given.format is not None:
        out["format"] = given.format
    if given.encoding is not None:
        out["encoding"] = given.encoding
    out["sha256"] = given.sha256
    if given.paragraphs is not None:
        out["paragraphs"] = given.paragraphs
    return out
