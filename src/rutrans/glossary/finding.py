"""One thing ``rutrans glossary lint`` reports, with the file and line an editor jumps to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rutrans.files import printable


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    file: Path
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{printable(self.file)}:{self.line}: {self.severity}: {self.message} [{self.rule}]"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
