"""What the glossary as a whole says about one entry: its kin and its acronyms.

An acronym entry and its full name are one concept (ШОС and Шанхайская организация
сотрудничества; ОДКБ and Организация Договора о коллективной безопасности): the Russian
acronym is the initials of the full name's words.  So is a pair of entries with the same
English.  The MT may render an occurrence of either with the other's English, or with an
acronym of its own, or with the Latin letters of the Russian acronym (ОДКБ → ODKB): all of
it is evidence for the generalizing locator, derived here once per glossary.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rutrans.glossary.matcher import TermMatch
from rutrans.glossary.model import Entry
from rutrans.postedit.evidence import (
    Target,
    TermEvidence,
    content_words,
    initials,
    transliterations,
)

_RUSSIAN_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_RUSSIAN_FUNCTION_WORDS = frozenset(
    ["о", "об", "и", "в", "во", "на", "по", "с", "со", "для", "от", "к", "при", "из", "за"]
)


def _russian_initials(msgid: str) -> str:
    words = [w for w in _RUSSIAN_WORD.findall(msgid) if w.lower() not in _RUSSIAN_FUNCTION_WORDS]
    return "".join(w[0] for w in words).upper()


def _is_acronym(text: str) -> bool:
    return len(text) >= 2 and text.isupper() and " " not in text.strip()


@dataclass
class Lexicon:
    """The kin of every approved entry (built once per glossary; read-only after)."""

    kin: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    _cache: dict[tuple[int, str], TermEvidence] = field(default_factory=dict)

    @classmethod
    def from_entries(cls, entries: Iterable[Entry]) -> Lexicon:
        approved = [e for e in entries if e.status == "approved" and not e.read_only]
        by_initials: dict[str, list[Entry]] = defaultdict(list)  # full names
        by_acronym: dict[str, list[Entry]] = defaultdict(list)  # acronym entries
        by_english: dict[str, list[Entry]] = defaultdict(list)
        for entry in approved:
            if _is_acronym(entry.msgid):
                by_acronym[entry.msgid.upper()].append(entry)
            elif len(key := _russian_initials(entry.msgid)) >= 2:
                by_initials[key].append(entry)
            by_english[entry.target[0].lower()].append(entry)
        lexicon = cls()
        for entry in approved:
            kin = list(by_english[entry.target[0].lower()])
            if _is_acronym(entry.msgid):
                kin += by_initials.get(entry.msgid.upper(), [])
            else:
                kin += by_acronym.get(_russian_initials(entry.msgid), [])
            lexicon.kin[entry.msgid] = [e for e in dict.fromkeys(kin) if e is not entry]
        return lexicon

    def evidence(self, match: TermMatch) -> TermEvidence:
        """Everything the generalizing locator may use for this occurrence."""
        key = (id(match.entry), match.text)
        if key not in self._cache:
            self._cache[key] = self._build(match)
        return self._cache[key]

    def _build(self, match: TermMatch) -> TermEvidence:
        entry = match.entry
        if entry.read_only:  # kept in its source form: nothing in the English to look for
            return TermEvidence((), (), frozenset(), frozenset(), quoted_name=False)
        own = [t for t in entry.target if t.strip()]
        kin = [t for e in self.kin.get(entry.msgid, []) for t in e.target if t.strip()]
        targets = [Target(content_words(t), related=False) for t in own]
        targets += [Target(content_words(t), related=True) for t in kin if t not in own]
        real = {t.strip() for t in own + kin if _is_acronym(t.strip())}
        acronyms = real | {initials(t.words) for t in targets if len(t.words) >= 3}
        for russian in (entry.msgid, match.text):
            if _is_acronym(russian.strip()):
                acronyms |= {latin.upper() for latin in transliterations(russian.strip())}
        russian_words = tuple(
            dict.fromkeys(_RUSSIAN_WORD.findall(match.text) + _RUSSIAN_WORD.findall(entry.msgid))
        )
        return TermEvidence(
            targets=tuple(t for t in targets if t.words),
            russian=russian_words,
            acronyms=frozenset(a for a in acronyms if len(a) >= 2),
            expansions=frozenset(real),
            quoted_name="«" in entry.msgid or '"' in entry.msgid,
        )
