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

gettext's tools (msgcat, msgmerge, msgattrib, msguniq), Poedit and Weblate's msgmerge
add-on drop every ``#,`` flag but ``fuzzy``, so the flags that change what rutrans does
(forbidden, exact, read-only) are also written on a ``# rutrans: …`` translator-comment
line, which all of them keep.  An entry's flags are the union of its ``#,`` line, that
marker and gettext's sticky ``#=`` flags.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rutrans.errors import UserError
from rutrans.pofile import PoFile, read_po

KNOWN_FLAGS = frozenset({"fuzzy", "read-only", "forbidden", "terminology", "exact"})
MEANING_FLAGS = frozenset({"forbidden", "exact", "read-only"})
"""Flags that change what rutrans does and that gettext's tools drop from ``#,`` lines."""
VARIANT_PREFIX = "variant:"
MARKER_PREFIX = "rutrans:"
STICKY_PREFIX = "="  # a ``#=`` line, as polib (and msgcat 0.21) read it: ``# =``
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
    marked: frozenset[str] = frozenset()  # flags on ``# rutrans:`` / ``#=`` lines

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


def _comment_values(comment: str, prefix: str) -> list[str]:
    """The text after *prefix* on each translator-comment line that starts with it."""
    found = []
    for line in comment.splitlines():
        stripped = line.strip()
        if stripped.lower().startswith(prefix):
            found.append(stripped[len(prefix) :].strip())
    return found


def _variants(comment: str) -> tuple[str, ...]:
    return tuple(value for value in _comment_values(comment, VARIANT_PREFIX) if value)


def _marked(comment: str) -> frozenset[str]:
    """Flags on ``# rutrans: forbidden, exact`` and sticky ``#= exact`` lines."""
    lines = _comment_values(comment, MARKER_PREFIX) + _comment_values(comment, STICKY_PREFIX)
    return frozenset(flag.strip() for line in lines for flag in line.split(",") if flag.strip())


def entry_from_po(po_entry: object, file: Path) -> Entry:
    e = po_entry
    marked = _marked(e.tcomment or "")  # type: ignore[attr-defined]
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
        flags=frozenset(e.flags) | marked,  # type: ignore[attr-defined]
        note=(e.comment or "").strip(),  # type: ignore[attr-defined]
        variants=_variants(e.tcomment or ""),  # type: ignore[attr-defined]
        file=file,
        line=max(1, int(e.linenum)),  # type: ignore[attr-defined]  # 0: a headerless first
        marked=marked,
    )


def glossary_of(files: Sequence[PoFile]) -> Glossary:
    """The entries of parsed PO files (an entry with an empty msgid is no term: skipped
    here, reported by lint)."""
    digest = hashlib.sha256()
    entries: list[Entry] = []
    for file in files:
        digest.update(bytes.fromhex(file.sha256))
        entries.extend(entry_from_po(e, file.path) for e in file.entries() if e.msgid)
    return Glossary(tuple(entries), tuple(f.path for f in files), digest.hexdigest())


def load_glossary(paths: Sequence[Path] = (DEFAULT_GLOSSARY,)) -> Glossary:
    """Read every PO file under *paths*, unchecked (use :func:`lint.checked_glossary`
    for anything that translates)."""
    return glossary_of([read_po(file) for file in po_files(paths)])
