"""What the driver hands every actor: a document's translation as the local command
would make it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rutrans.engine import DecodingOptions


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
