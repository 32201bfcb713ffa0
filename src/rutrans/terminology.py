"""The glossary stage of a translation: match terms, say what to probe, post-edit.

Kept apart from ``pipeline`` so that the pipeline reads as the order of stages, and
shared by ``rutrans translate`` (MT from the engine) and ``rutrans postedit`` (MT from
anywhere).  It never calls an engine: it says which texts to translate (term probes,
``--fluent`` prefixes) and the pipeline asks the engine.  Immutable: what one document
teaches (the engine's rendering of its terms) is passed in per call, never kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rutrans.glossary.lint import checked_glossary
from rutrans.glossary.matcher import Matcher, TermMatch
from rutrans.glossary.model import Glossary
from rutrans.postedit.editor import postedit_segment
from rutrans.postedit.english import find_all
from rutrans.postedit.lexicon import Lexicon
from rutrans.postedit.locate import forbidden_renderings
from rutrans.results import MTResult, PostEdit, TermCheck, TermMethod, TermStatus
from rutrans.signature import GlossarySignature

Probes = Mapping[str, str]
"""A term's Russian text → the engine's rendering of it alone."""


@dataclass(frozen=True)
class Terminology:
    """A loaded glossary, ready to find terms and fix their renderings.

    "No glossary" is :meth:`empty`: it finds nothing, so every stage runs the same way
    and nothing is edited; only its signature (None) tells the report there was none.
    """

    glossary: Glossary
    matcher: Matcher
    forbidden: Mapping[str, tuple[str, ...]]
    lexicon: Lexicon
    fluent: bool = False

    @classmethod
    def load(cls, paths: Sequence[Path], fluent: bool = False) -> Terminology:
        """The glossary under *paths*, refused with one line if lint finds an error."""
        return cls.of(checked_glossary(paths), fluent)

    @classmethod
    def of(cls, glossary: Glossary, fluent: bool = False) -> Terminology:
        return cls(
            glossary,
            Matcher(glossary),
            forbidden_renderings(glossary),
            Lexicon.from_entries(glossary.entries),
            fluent,
        )

    @classmethod
    def empty(cls) -> Terminology:
        return cls.of(Glossary((), (), ""))

    @property
    def is_empty(self) -> bool:
        return not self.glossary.files

    def signature(self, suppressed: Sequence[str] | None = None) -> GlossarySignature | None:
        if self.is_empty:
            return None
        return GlossarySignature(
            entries=len(self.glossary.entries),
            sha256=self.glossary.digest,
            files=tuple(str(f) for f in self.glossary.files),
            fluent=self.fluent,
            suppressed=tuple(suppressed) if suppressed is not None else None,
        )

    def find(self, sources: Sequence[str]) -> list[list[TermMatch]]:
        return [self.matcher.find(source) for source in sources]

    def probe_texts(self, matches: Sequence[Sequence[TermMatch]]) -> list[str]:
        """Terms to translate alone, to learn the engine's rendering of each."""
        return sorted(
            {
                text
                for found in matches
                for match in found
                if match.entry.status == "approved" and not match.entry.read_only
                for text in (match.text, match.entry.msgid)
            }
        )

    def suppressible(self, matches: Sequence[Sequence[TermMatch]]) -> list[str]:
        """Forbidden renderings of the document's terms that decoding can safely block.

        Only multiword renderings and acronyms ("Shanghai Cooperation Organization",
        "ATS"): blocking a single ordinary word ("Search") would also block it where it
        is right.
        """
        msgids = {m.entry.msgid for found in matches for m in found}
        return sorted(
            rendering
            for msgid in msgids
            for rendering in self.forbidden.get(msgid, ())
            if " " in rendering.strip() or (rendering.isupper() and len(rendering) > 1)
        )

    def postedit(
        self,
        mt: MTResult,
        matches: Sequence[TermMatch],
        probes: Probes | None = None,
        source: str = "",
    ) -> PostEdit:
        """Post-edit one segment; *source* (the Russian the matches are in) lets the
        generalizing locator weigh where in the sentence each term sits."""
        return postedit_segment(
            mt, matches, self.forbidden, probes or {}, self.lexicon, len(source)
        )

    def notes(self, terms: Sequence[TermCheck]) -> dict[str, str]:
        """The note (``#.``) of each term that occurs, by msgid: what a reviewer reads on
        hovering over a highlighted term."""
        wanted = {t.msgid for t in terms}
        found: dict[str, str] = {}
        for entry in self.glossary.entries:
            if entry.msgid in wanted and entry.status != "forbidden" and entry.note:
                found.setdefault(entry.msgid, entry.note)
        return found

    def check(self, text: str, found: Sequence[TermMatch], source: str) -> tuple[TermCheck, ...]:
        """What each term occurrence is in *text*, which is never changed (a reviewer's).

        A rendering post-editing would replace is ``missing`` there, or ``forbidden``
        when it is one of the entry's forbidden renderings.
        """
        edited = self.postedit(MTResult(text, (), (), None), found, {}, source)
        return tuple(self._as_written(text, term) for term in edited.terms)

    def _as_written(self, text: str, term: TermCheck) -> TermCheck:
        if term.status != TermStatus.FIXED:
            return term
        span = term.mt_span
        forbidden = span is not None and any(
            found.start < span[1] and span[0] < found.end
            for rendering in self.forbidden.get(term.msgid, ())
            for found in find_all(text, rendering)
        )
        return replace(
            term,
            status=TermStatus.FORBIDDEN if forbidden else TermStatus.MISSING,
            method=None,
            final_span=span if forbidden else None,
            reason="a forbidden rendering" if forbidden else "the text does not have it",
        )

    def fluent_prefixes(self, edited: Sequence[PostEdit]) -> dict[int, str]:
        """``--fluent``: for each fixed segment (by index), the final text up to and
        through its last fixed term — the English to re-decode it from, so the rest of
        the sentence continues from the approved term."""
        if not self.fluent:
            return {}
        prefixes = {}
        for i, result in enumerate(edited):
            ends = [
                t.final_span[1]
                for t in result.terms
                if t.status == TermStatus.FIXED and t.final_span
            ]
            if ends:
                prefixes[i] = result.final[: max(ends)]
        return prefixes

    def with_fluent(
        self,
        edited: Sequence[PostEdit],
        prefixes: Mapping[int, str],
        redecoded: Sequence[MTResult],
        matches: Sequence[Sequence[TermMatch]],
        probes: Probes | None = None,
        sources: Sequence[str] = (),
    ) -> list[PostEdit]:
        """Take the re-decoded segments where the engine kept the prefix."""
        updated = list(edited)
        for (i, prefix), mt in zip(prefixes.items(), redecoded, strict=True):
            again = self.postedit(mt, matches[i], probes, sources[i] if sources else "")
            if not again.final.startswith(prefix.rstrip()):
                continue  # the engine did not keep the prefix: keep the plain post-edit
            fixed_before = {t.source_start for t in edited[i].terms if t.status == TermStatus.FIXED}
            terms = tuple(
                _as_prefix(t) if t.source_start in fixed_before and t.status == TermStatus.OK else t
                for t in again.terms
            )
            updated[i] = PostEdit(again.final, terms)
        return updated


def _as_prefix(check: TermCheck) -> TermCheck:
    return replace(check, status=TermStatus.FIXED, method=TermMethod.PREFIX)
