"""``rutrans glossary lint``: every defect a glossary file can have, each a small rule.

Rules take the loaded entries and yield :class:`Finding` s with the file and line of the
entry, so that an editor can jump there.  Errors make the command exit 1; warnings are
advice.  Rules follow razdel's model: one named function per defect, a docstring that
says what it catches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from rutrans.errors import UserError
from rutrans.glossary import morph
from rutrans.glossary.finding import Finding
from rutrans.glossary.matcher import compile_pattern
from rutrans.glossary.meaning import MEANING_RULES
from rutrans.glossary.model import KNOWN_FLAGS, Entry, Glossary, glossary_of, po_files
from rutrans.glossary.pocheck import check_file
from rutrans.pofile import PoFile, read_po

__all__ = ["Finding", "checked_glossary", "lint"]


Rule = Callable[[Sequence[Entry]], Iterator[Finding]]


def _error(entry: Entry, rule: str, message: str) -> Finding:
    return Finding("error", entry.file, entry.line, rule, message)


def _warning(entry: Entry, rule: str, message: str) -> Finding:
    return Finding("warning", entry.file, entry.line, rule, message)


def _key(entry: Entry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def duplicate_entries(entries: Sequence[Entry]) -> Iterator[Finding]:
    """The same msgid + msgctxt twice (msgfmt rejects it within a file; we also check
    across files, where it means two answers to one question)."""
    seen: dict[tuple[str | None, str], Entry] = {}
    for entry in entries:
        first = seen.setdefault(_key(entry), entry)
        if first is not entry:
            yield _error(
                entry, "duplicate", f"duplicate entry '{entry.msgid}' (first at {first.where})"
            )


def conflicting_entries(entries: Sequence[Entry]) -> Iterator[Finding]:
    """Two approved entries that match the same Russian (same lemmas, e.g. «органы
    внутренних дел» as a msgid and as another entry's plural) with different English and
    no msgctxt to tell them apart."""
    by_lemmas: dict[tuple[object, ...], Entry] = {}
    for entry in entries:
        if entry.status != "approved" or entry.msgctxt is not None:
            continue
        for russian in filter(None, (entry.msgid, entry.msgid_plural)):
            pattern = compile_pattern(_with_msgid(entry, russian))
            if pattern is None:
                continue
            key = tuple(
                (e.kind, e.text if e.kind != "lemma" else e.lemmas) for e in pattern.elements
            )
            first = by_lemmas.setdefault(key, entry)
            if first is not entry and _key(first) != _key(entry) and first.target != entry.target:
                yield _error(
                    entry,
                    "conflict",
                    f"'{russian}' is also matched by '{first.msgid}' at {first.where} "
                    "with other English; merge them or add a msgctxt",
                )


def _with_msgid(entry: Entry, msgid: str) -> Entry:
    from dataclasses import replace

    return replace(entry, msgid=msgid)


def untranslated(entries: Sequence[Entry]) -> Iterator[Finding]:
    """An approved entry with an empty msgstr (or an empty plural form) would delete the
    MT's words; a forbidden one forbids nothing."""
    for entry in entries:
        if entry.status != "fuzzy" and not all(t.strip() for t in entry.target):
            yield _error(
                entry,
                "untranslated",
                f"{entry.status} entry '{entry.msgid}' has an empty msgstr; "
                "translate it or mark it fuzzy",
            )


def unknown_flags(entries: Sequence[Entry]) -> Iterator[Finding]:
    """A flag rutrans does not know is a typo or a tool's flag that means nothing here."""
    for entry in entries:
        for flag in sorted(entry.flags - KNOWN_FLAGS):
            yield _error(
                entry,
                "unknown-flag",
                f"unknown flag '{flag}' on '{entry.msgid}'; "
                f"known: {', '.join(sorted(KNOWN_FLAGS))}",
            )


def plural_forms(entries: Sequence[Entry]) -> Iterator[Finding]:
    """msgid and msgid_plural must be the same term in two numbers, with two English forms."""
    for entry in entries:
        if entry.msgid_plural is None:
            continue
        if len(entry.target) != 2:
            yield _error(
                entry,
                "plural",
                f"'{entry.msgid}' has {len(entry.target)} msgstr forms; English needs 2",
            )
            continue
        singular = compile_pattern(entry)
        plural = compile_pattern(_with_msgid(entry, entry.msgid_plural))
        if singular is None or plural is None:
            continue
        lemmas_of = [
            [e.lemmas if e.kind == "lemma" else {e.text} for e in p.elements]
            for p in (singular, plural)
        ]
        agree = len(lemmas_of[0]) == len(lemmas_of[1]) and all(
            not set(a).isdisjoint(b) for a, b in zip(*lemmas_of, strict=False)
        )
        if not agree:
            yield _error(
                entry,
                "plural",
                f"plural forms disagree: '{entry.msgid}' and '{entry.msgid_plural}' "
                "are not one term",
            )
        elif entry.target[0].strip() and entry.target[0] == entry.target[1]:
            yield _warning(
                entry,
                "plural",
                f"'{entry.msgid}': English singular and plural are the same; "
                "drop msgid_plural if English has one form",
            )


_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
_LATIN = re.compile(r"[a-zA-Z]")


def unanalysable_russian(entries: Sequence[Entry]) -> Iterator[Finding]:
    """Russian the matcher cannot inflect: a word mixing Cyrillic and Latin letters
    (a Latin «о» in «oрган» never matches — error), or a lower-case word pymorphy3 does
    not know (inflected forms may be missed — warning)."""
    for entry in entries:
        if entry.status == "forbidden":
            continue
        for russian in filter(None, (entry.msgid, entry.msgid_plural)):
            for token in morph.tokenize(russian):
                word = token.text
                if token.kind != "word" or not _CYRILLIC.search(word):
                    continue
                if _LATIN.search(word):
                    yield _error(
                        entry, "morphology", f"'{word}' mixes Cyrillic and Latin letters; retype it"
                    )
                elif word.islower() and not entry.exact and not morph.is_known(word):
                    yield _warning(
                        entry,
                        "morphology",
                        f"pymorphy3 does not know '{word}'; inflected forms may be missed",
                    )


def approved_and_forbidden(entries: Sequence[Entry]) -> Iterator[Finding]:
    """A rendering cannot be both the approved term and forbidden; a variant that is the
    approved term itself would replace the term with itself."""
    approved: dict[str, Entry] = {}
    for entry in entries:
        if entry.status == "approved":
            for target in entry.target:
                approved.setdefault(target.strip().casefold(), entry)
    for entry in entries:
        if entry.status == "forbidden":
            for target in entry.target:
                other = approved.get(target.strip().casefold())
                if other is not None:
                    yield _error(
                        entry,
                        "forbidden-approved",
                        f"'{target}' is forbidden here but approved at {other.where}",
                    )
        for variant in entry.variants:
            other = approved.get(variant.casefold())
            if other is entry:
                yield _error(
                    entry, "variant", f"variant '{variant}' is the approved term itself; remove it"
                )
            elif other is not None and entry.status == "approved":
                yield _warning(
                    entry,
                    "variant",
                    f"variant '{variant}' is the approved term of '{other.msgid}' at {other.where}",
                )


def missing_note(entries: Sequence[Entry]) -> Iterator[Finding]:
    """Every approved entry needs a note (#.) saying what it is and whose usage it follows."""
    for entry in entries:
        if entry.status == "approved" and not entry.note:
            yield _warning(
                entry,
                "note",
                f"'{entry.msgid}' has no note (#.); say what it is and whose English it follows",
            )


def orphan_forbidden(entries: Sequence[Entry]) -> Iterator[Finding]:
    """A forbidden rendering of a term the glossary does not approve anywhere."""
    approved_ids = {e.msgid for e in entries if e.status == "approved"}
    approved_ids |= {e.msgid_plural for e in entries if e.status == "approved" and e.msgid_plural}
    for entry in entries:
        if entry.status == "forbidden" and entry.msgid not in approved_ids:
            yield _warning(
                entry,
                "forbidden-orphan",
                f"forbidden rendering of '{entry.msgid}', which has no approved entry",
            )


RULES: tuple[Rule, ...] = (
    *MEANING_RULES,
    duplicate_entries,
    conflicting_entries,
    untranslated,
    unknown_flags,
    plural_forms,
    unanalysable_russian,
    approved_and_forbidden,
    missing_note,
    orphan_forbidden,
)


def _read_all(paths: Sequence[Path]) -> tuple[list[PoFile], list[Finding]]:
    """Parse every PO file under *paths*; an unreadable file is one finding, not a crash."""
    files: list[PoFile] = []
    findings: list[Finding] = []
    for path in po_files(paths):
        try:
            files.append(read_po(path))
        except UserError as error:
            where, _, rest = error.message.partition(": ")
            line = where.rsplit(":", 1)[1] if ":" in where else "1"
            number = int(line) if line.isdigit() else 1
            findings.append(Finding("error", path, number, "invalid-po", rest))
    return files, findings


def _lint_files(files: Sequence[PoFile], glossary: Glossary) -> list[Finding]:
    findings = [finding for file in files for finding in check_file(file)]
    findings += [finding for rule in RULES for finding in rule(glossary.entries)]
    if files and not glossary.entries:  # else no term would be checked, and nothing said
        findings.append(
            Finding(
                "error",
                files[0].path,
                1,
                "empty",
                "no glossary entries in it; add terms (glossary/README.md says how), "
                "or leave it out",
            )
        )
    return sorted(findings, key=lambda f: (str(f.file), f.line, not f.is_error))


def lint(paths: Sequence[Path]) -> list[Finding]:
    """Every finding for the PO files under *paths*: unreadable files, what msgfmt
    --check rejects, and the glossary rules."""
    files, unreadable = _read_all(paths)
    return unreadable + _lint_files(files, glossary_of(files))


def checked_glossary(paths: Sequence[Path]) -> Glossary:
    """The glossary under *paths*, if lint finds no error in it.

    ``translate``, ``postedit`` and ``scan`` use only a glossary lint accepts: an entry
    that lint rejects would otherwise be applied (an empty msgstr deletes the MT's
    words) or silently lose to another (the first duplicate wins).  Warnings pass.
    """
    files = [read_po(path) for path in po_files(paths)]  # unreadable: its own one line
    glossary = glossary_of(files)
    errors = [f for f in _lint_files(files, glossary) if f.is_error]
    if errors:
        first = errors[0]
        more = (
            f" (1 of {len(errors)} errors; rutrans glossary lint lists them all)"
            if len(errors) > 1
            else ""
        )
        raise UserError(f"{first.file}:{first.line}: {first.message} [{first.rule}]{more}")
    return glossary
