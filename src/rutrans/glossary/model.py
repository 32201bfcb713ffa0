"""The glossary as gettext PO files, read with polib into small frozen dataclasses.

One PO entry is one concept (the format is written down in ``glossary/README.md``):

* ``msgid`` — the Russian term in dictionary form; ``msgid_plural`` its plural;
* ``msgstr`` / ``msgstr[0]``, ``msgstr[1]`` — the approved English singular / plural;
* ``msgctxt`` — separates homographs;
* ``#.`` — the note for translators (Weblate's "explanation");
* ``# variant: …`` translator-comment lines — renderings MT tends to produce, which
  post-editing replaces by the approved term (comments keep the file valid for
  ``msgfmt --check`` and are editable in Poedit);
* flags ``fuzzy`` (proposed, never enforced), ``read-only`` (keep the source form),
  ``forbidden`` (the msgstr is a rendering that must not appear), ``terminology``
  (Weblate's glossary marker) and rutrans's own ``exact`` (match only as written; the
  default for all-caps acronyms such as ОВД, ШОС, СНГ).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rutrans.errors import UserError

KNOWN_FLAGS = frozenset({"fuzzy", "read-only", "forbidden", "terminology", "exact"})
VARIANT_PREFIX = "variant:"
DEFAULT_GLOSSARY = Path("glossary")

_ACRONYM = re.compile(r"^[A-ZА-ЯЁ0-9]{2,}(?:[ -][A-ZА-ЯЁ0-9]{2,})*$")


@dataclass(frozen=True)
class Entry:
    """One concept of the glossary, as written in its PO file."""

    msgid: str
    msgid_plural: str | None
    msgctxt: str | None
    target: tuple[str, ...]  # (msgstr,) or (singular, plural)
    flags: frozenset[str]
    note: str
    variants: tuple[str, ...]
    file: Path
    line: int

    @property
    def status(self) -> str:
        """``approved``, ``fuzzy`` (proposed) or ``forbidden`` (a rendering not to use)."""
        if "forbidden" in self.flags:
            return "forbidden"
        if "fuzzy" in self.flags:
            return "fuzzy"
        return "approved"

    @property
    def exact(self) -> bool:
        """Match only as written: flagged ``exact``, or an all-caps acronym (НИИ ≠ ни)."""
        return "exact" in self.flags or bool(_ACRONYM.match(self.msgid))

    @property
    def read_only(self) -> bool:
        return "read-only" in self.flags

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def target_for(self, number: str | None) -> str:
        """The English for a Russian occurrence in number ``sg``/``pl`` (None: singular)."""
        if number == "pl" and len(self.target) > 1 and self.target[1]:
            return self.target[1]
        return self.target[0]


@dataclass(frozen=True)
class Glossary:
    entries: tuple[Entry, ...]
    files: tuple[Path, ...]
    digest: str  # sha256 of the files' bytes, for report signatures

    @property
    def signature(self) -> str:
        return f"{len(self.entries)}#{self.digest[:12]}"


def po_files(paths: Iterable[Path]) -> list[Path]:
    """The ``.po`` files named or found (recursively) under the given paths."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(path.rglob("*.po"))
            if not inside:
                raise UserError(f"{path}: no .po files in this directory; give a glossary folder")
            found.extend(inside)
        elif path.exists():
            found.append(path)
        else:
            raise UserError(f"{path}: no such glossary file or folder; check the path")
    return found


_STRING_LINE = re.compile(r'^\s*(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"')
_CLOSED = re.compile(r'(?<!\\)(?:\\\\)*"\s*$')


def _unterminated_string(text: str) -> int | None:
    """Line number of a string that never closes.

    polib silently drops the last character of ``msgstr "SCO`` where msgfmt reports
    "end-of-line within string"; catch it so a glossary never loads a truncated term.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#") or not _STRING_LINE.match(line):
            continue
        body = line[line.index('"') :]
        if len(body) < 2 or not _CLOSED.search(body):
            return number
    return None


def parse_po(path: Path) -> object:
    """polib's parse, with a syntax error turned into ``file:line: …`` for the user."""
    import polib

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path}:1: invalid PO (not UTF-8); save the file as UTF-8") from None
    bad_line = _unterminated_string(text)
    if bad_line is not None:
        raise UserError(
            f"{path}:{bad_line}: invalid PO (end of line within string); close the quote"
        )
    try:
        return polib.pofile(str(path), encoding="utf-8", wrapwidth=0)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        text = str(error)
        match = re.search(r"line (\d+)", text)
        line = match.group(1) if match else "1"
        reason = text.split(" (line")[0].strip() or type(error).__name__
        raise UserError(
            f"{path}:{line}: invalid PO ({reason}); fix the entry (msgfmt --check-format "
            "points at the same line)"
        ) from None


def _variants(comment: str) -> tuple[str, ...]:
    found = []
    for line in comment.splitlines():
        stripped = line.strip()
        if stripped.lower().startswith(VARIANT_PREFIX):
            value = stripped[len(VARIANT_PREFIX) :].strip()
            if value:
                found.append(value)
    return tuple(found)


def entry_from_po(po_entry: object, file: Path) -> Entry:
    e = po_entry
    if e.msgid_plural:  # type: ignore[attr-defined]
        plural = e.msgstr_plural  # type: ignore[attr-defined]
        target = tuple(plural.get(i, "") for i in range(max(2, len(plural))))
    else:
        target = (e.msgstr,)  # type: ignore[attr-defined]
    return Entry(
        msgid=e.msgid,  # type: ignore[attr-defined]
        msgid_plural=e.msgid_plural or None,  # type: ignore[attr-defined]
        msgctxt=e.msgctxt,  # type: ignore[attr-defined]
        target=target,
        flags=frozenset(e.flags),  # type: ignore[attr-defined]
        note=(e.comment or "").strip(),  # type: ignore[attr-defined]
        variants=_variants(e.tcomment or ""),  # type: ignore[attr-defined]
        file=file,
        line=int(e.linenum),  # type: ignore[attr-defined]
    )


def load_glossary(paths: Sequence[Path] = (DEFAULT_GLOSSARY,)) -> Glossary:
    """Read every PO file under *paths* (obsolete ``#~`` entries are ignored)."""
    files = po_files(paths)
    digest = hashlib.sha256()
    entries: list[Entry] = []
    for file in files:
        digest.update(file.read_bytes())
        po = parse_po(file)
        for po_entry in po:  # type: ignore[attr-defined]
            if po_entry.obsolete or not po_entry.msgid:
                continue
            entries.append(entry_from_po(po_entry, file))
    return Glossary(tuple(entries), tuple(files), digest.hexdigest())
