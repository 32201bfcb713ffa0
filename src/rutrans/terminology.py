"""The glossary stage of a translation: match terms, probe the engine, post-edit.

Kept apart from ``pipeline`` so that the pipeline reads as the order of stages, and
shared by ``rutrans translate`` (MT from the engine) and ``rutrans postedit`` (MT from
anywhere).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rutrans.engine import Engine, MTResult
from rutrans.glossary.matcher import Matcher, TermMatch
from rutrans.glossary.model import Glossary, load_glossary
from rutrans.postedit import PosteditResult, TermCheck
from rutrans.postedit.editor import forbidden_renderings, postedit_segment


@dataclass
class Terminology:
    """A loaded glossary, ready to find terms and fix their renderings."""

    glossary: Glossary
    matcher: Matcher
    forbidden: dict[str, tuple[str, ...]]
    fluent: bool = False
    probes: dict[str, str] = field(default_factory=dict)  # term text → engine's rendering

    @classmethod
    def load(cls, paths: Sequence[Path], fluent: bool = False) -> Terminology:
        glossary = load_glossary(paths)
        return cls(glossary, Matcher(glossary), forbidden_renderings(glossary), fluent)

    def signature(self) -> dict[str, object]:
        return {
            "entries": len(self.glossary.entries),
            "sha256": self.glossary.digest,
            "files": [str(f) for f in self.glossary.files],
            "fluent": self.fluent,
        }

    def find(self, sources: Sequence[str]) -> list[list[TermMatch]]:
        return [self.matcher.find(source) for source in sources]

    def probe_texts(self, matches: Sequence[Sequence[TermMatch]]) -> list[str]:
        """Terms to translate alone (once per model run), to learn the engine's rendering."""
        wanted = {
            text
            for found in matches
            for match in found
            if match.entry.status == "approved" and not match.entry.read_only
            for text in (match.text, match.entry.msgid)
        }
        return sorted(wanted - self.probes.keys())

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

    def remember_probes(self, texts: Sequence[str], results: Sequence[MTResult]) -> None:
        self.probes.update({text: r.text for text, r in zip(texts, results, strict=True)})

    def postedit(self, mt: MTResult, matches: Sequence[TermMatch]) -> PosteditResult:
        return postedit_segment(mt, matches, self.forbidden, self.probes)

    def refluent(
        self,
        engine: Engine,
        sources: Sequence[str],
        results: list[PosteditResult],
        matches: Sequence[Sequence[TermMatch]],
    ) -> list[PosteditResult]:
        """``--fluent``: re-decode each fixed segment with the MT forced up to and through
        its last fixed term, so the rest of the sentence continues from the approved term."""
        redo = []
        for i, result in enumerate(results):
            ends = [t.final_span[1] for t in result.terms if t.status == "fixed" and t.final_span]
            if ends:
                redo.append((i, result.final[: max(ends)]))
        if not redo:
            return results
        decoded = engine.translate(
            [sources[i] for i, _ in redo],
            return_attention=True,
            target_prefixes=[prefix for _, prefix in redo],
        )
        updated = list(results)
        for (i, prefix), mt in zip(redo, decoded, strict=True):
            again = self.postedit(mt, matches[i])
            if not again.final.startswith(prefix.rstrip()):
                continue  # the engine did not keep the prefix: keep the plain post-edit
            fixed_before = {t.source_start for t in results[i].terms if t.status == "fixed"}
            terms = tuple(
                _as_prefix(t) if t.source_start in fixed_before and t.status == "ok" else t
                for t in again.terms
            )
            updated[i] = PosteditResult(again.final, terms)
        return updated


def _as_prefix(check: TermCheck) -> TermCheck:
    return replace(check, status="fixed", method="prefix")
