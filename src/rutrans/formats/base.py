"""What a document format is to rutrans, and the registry from file suffix to format.

Modelled on translate-toolkit's storage factory: one class per format, found by the file's
suffix.  A format reads a file into a :class:`~rutrans.results.Document` (paragraphs with
the spans the MT may see) and writes the document back with each paragraph's translated
pieces spliced in; everything else about the file it keeps as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from rutrans.errors import UserError
from rutrans.results import Document, Replacements


class Format(Protocol):
    """A reader/writer pair for one kind of file."""

    #: The name reports use for the format (``txt``, ``md``); also ``Document.kind``.
    name: str
    #: The suffixes it reads, lower case, the one named in messages first.
    suffixes: tuple[str, ...]

    def read(self, path: Path, encoding: str | None = None) -> Document:
        """Read *path*; *encoding* overrides detection where the format has one."""
        ...

    def write(
        self,
        document: Document,
        pieces: Replacements,
        path: Path,
        encoding: str | None = None,
    ) -> None:
        """Write *document* to *path* with *pieces* in place of its translated spans.

        *encoding* overrides the one the document was read in, where that means anything.
        *path* is a fresh file the caller renames into place; failures are UserErrors.
        """
        ...


class Registry:
    """Formats by suffix; later registrations of a suffix win (a plug-in overrides)."""

    def __init__(self) -> None:
        self._formats: dict[str, Format] = {}

    def register(self, fmt: Format) -> Format:
        self._formats = {k: v for k, v in self._formats.items() if v.name != fmt.name}
        for suffix in fmt.suffixes:
            self._formats[suffix.lower()] = fmt
        return fmt

    def unregister(self, name: str) -> None:
        self._formats = {k: v for k, v in self._formats.items() if v.name != name}

    def by_name(self, name: str) -> Format:
        for fmt in self._formats.values():
            if fmt.name == name:
                return fmt
        raise KeyError(name)

    def handles(self, path: Path) -> bool:
        return path.suffix.lower() in self._formats

    def for_path(self, path: Path) -> Format:
        """The format that reads *path*, by suffix, or the one-line error that none does."""
        fmt = self._formats.get(path.suffix.lower())
        if fmt is None:
            shown = f"'{path.suffix}'" if path.suffix else "(no suffix)"
            raise UserError(
                f"{path}: unsupported format {shown}; rutrans reads {self.described('and')}"
            )
        return fmt

    def described(self, conjunction: str) -> str:
        """ ".txt and .md": each format's first suffix, for messages."""
        names = list(dict.fromkeys(fmt.suffixes[0] for fmt in self._formats.values()))
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"
