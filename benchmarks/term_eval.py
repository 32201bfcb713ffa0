"""Terminology accuracy of MT drafts before and after rutrans's post-editing.

    python benchmarks/term_eval.py [--data tests/data/term_dev/dev.jsonl] [--glossary glossary]
                                   [--json OUT]

Each dev item is a Russian source, a reference translation that uses the glossary's approved
English, and MT-like drafts.  Every draft is post-edited with ``Terminology.postedit`` (no
engine: no probes, no attention, so only renderings the glossary lists can be fixed), and
the drafts and the post-edited texts are scored the same way:

- **exact-match term accuracy** (WMT21 terminology task, Alam et al. 2021): for every
  occurrence of an approved glossary term in the source (rutrans's matcher), is the
  occurrence's approved English in the hypothesis?  Case-insensitive, any English plural or
  possessive (``rutrans.postedit.english.find_all``).  Occurrences are counted, not
  presence: two occurrences need two non-overlapping spans, and a longer term's span is
  not also counted for a shorter one ("drug crime" is not "crime" too).
- **window overlap** (WMT21, windows 2 and 3): the share of the reference's words within
  ±window of the term that are also within ±window of the term in the hypothesis.  WMT21
  averages per segment over the terms found; here it is averaged over occurrences, and an
  occurrence whose term is not in the hypothesis scores 0, so that the number cannot rise
  by dropping terms.
- **chrF outside term spans** (sacrebleu ``CHRF``): the hypothesis and the reference with
  every term span removed (approved English, ``# variant:`` and forbidden renderings of
  the segment's terms, with an «a»/«an» right before them, which rutrans edits with the
  term).  Post-editing must not lower it: it may only touch term spans.
- rutrans's own ``summary()`` of the post-editing run (ok / fixed / missing / forbidden).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sacrebleu.metrics.chrf import CHRF

from rutrans import __version__
from rutrans.glossary.model import Glossary
from rutrans.postedit.english import Span, article_before, find_all
from rutrans.results import MTResult, TermCheck, summary
from rutrans.terminology import Terminology

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "term_dev" / "dev.jsonl"
GLOSSARY = ROOT / "glossary"
WINDOWS = (2, 3)
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


@dataclass(frozen=True)
class Item:
    id: str
    source: str
    reference: str
    drafts: tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    """One draft of one item, post-edited, with what scoring it needs."""

    item: Item
    draft: str
    final: str
    checks: tuple[TermCheck, ...]
    renderings: tuple[str, ...]  # every English form of the segment's terms, good or bad

    @property
    def targets(self) -> list[str]:
        """The approved English of each approved occurrence, in source order."""
        return [c.target for c in self.checks if c.source_text and c.status != "proposed"]


def load_items(path: Path) -> list[Item]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            items.append(Item(raw["id"], raw["source"], raw["reference"], tuple(raw["drafts"])))
    return items


def _free(span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> bool:
    return all(span[1] <= a or span[0] >= b for a, b in taken)


def locate(text: str, targets: Sequence[str]) -> list[Span | None]:
    """For each occurrence's approved English, a span of *text* that renders it, or None.

    Longer targets take their spans first and no span serves two occurrences, so that an
    occurrence is only counted when the text really has one more rendering of it.  The
    k-th occurrence of a target gets its k-th free span.
    """
    taken: list[tuple[int, int]] = []
    found: list[Span | None] = [None] * len(targets)
    for i in sorted(range(len(targets)), key=lambda i: -len(targets[i])):
        for span in find_all(text, targets[i]):
            if _free((span.start, span.end), taken):
                taken.append((span.start, span.end))
                found[i] = span
                break
    return found


def exact_matches(text: str, targets: Sequence[str]) -> int:
    """How many of the occurrences (their approved English) *text* renders."""
    return sum(span is not None for span in locate(text, targets))


def context_words(text: str, span: Span, window: int) -> list[str]:
    """Up to *window* words each side of *span*, lower-cased, punctuation dropped."""
    left = _WORD.findall(text[: span.start])[-window:] if window else []
    right = _WORD.findall(text[span.end :])[:window]
    return [w.lower() for w in (*left, *right)]


def window_overlap(hyp: str, hyp_span: Span | None, ref: str, ref_span: Span, window: int) -> float:
    """Share of the reference's context words (multiset) found in the hypothesis's context."""
    if hyp_span is None:
        return 0.0
    ref_words = context_words(ref, ref_span, window)
    hyp_words = context_words(hyp, hyp_span, window)
    if not ref_words:
        return 1.0 if not hyp_words else 0.0
    return sum((Counter(hyp_words) & Counter(ref_words)).values()) / len(ref_words)


def _with_article(text: str, start: int) -> int:
    article = article_before(text, start)
    return start if article is None else article


def without_terms(text: str, targets: Sequence[str], renderings: Sequence[str]) -> str:
    """*text* with the term spans cut out: the occurrences' approved English first, then any
    other rendering of the segment's terms, each with an «a»/«an» right before it."""
    taken = [(s.start, s.end) for s in locate(text, targets) if s is not None]
    for rendering in sorted(set(renderings), key=len, reverse=True):
        for span in find_all(text, rendering):
            if _free((span.start, span.end), taken):
                taken.append((span.start, span.end))
    cuts = sorted((_with_article(text, start), end) for start, end in taken)
    kept, cursor = [], 0
    for start, end in cuts:
        kept.append(text[cursor:start])
        cursor = max(cursor, end)
    kept.append(text[cursor:])
    return " ".join(" ".join(kept).split())


def postedit_all(
    items: Sequence[Item], terminology: Terminology, scoring: Terminology | None = None
) -> list[Segment]:
    """Post-edit every draft with *terminology*; the term spans that scoring cuts out
    come from *scoring* (default: the same glossary), so that every mode is scored alike."""
    scoring = scoring or terminology
    segments = []
    for item in items:
        matches = scoring.matcher.find(item.source)
        renderings = tuple(
            rendering
            for m in matches
            if m.entry.status == "approved"
            for rendering in (
                *m.entry.target,
                *m.entry.variants,
                *scoring.forbidden.get(m.entry.msgid, ()),
            )
            if rendering.strip()
        )
        own = terminology.matcher.find(item.source)
        for draft in item.drafts:
            result = terminology.postedit(MTResult(draft, (), (), None), own, source=item.source)
            segments.append(Segment(item, draft, result.final, result.terms, renderings))
    return segments


def score(segments: Sequence[Segment], side: str, chrf: CHRF) -> dict[str, float]:
    """Exact-match accuracy, window overlaps and chrF outside terms of ``draft`` or ``final``."""
    occurrences = matched = 0
    overlaps: dict[int, float] = dict.fromkeys(WINDOWS, 0.0)
    hyps, refs = [], []
    for segment in segments:
        hyp, ref, targets = getattr(segment, side), segment.item.reference, segment.targets
        hyp_spans, ref_spans = locate(hyp, targets), locate(ref, targets)
        occurrences += len(targets)
        matched += sum(s is not None for s in hyp_spans)
        for hyp_span, ref_span in zip(hyp_spans, ref_spans, strict=True):
            if ref_span is None:
                raise ValueError(f"{segment.item.id}: reference lacks a term: {targets}")
            for window in WINDOWS:
                overlaps[window] += window_overlap(hyp, hyp_span, ref, ref_span, window)
        hyps.append(without_terms(hyp, targets, segment.renderings))
        refs.append(without_terms(ref, targets, segment.renderings))
    return {
        "occurrences": occurrences,
        "exact_match": matched / occurrences if occurrences else 0.0,
        **{
            f"window_overlap_{w}": overlaps[w] / occurrences if occurrences else 0.0
            for w in WINDOWS
        },
        "chrf_outside_terms": chrf.corpus_score(hyps, [refs]).score,
    }


def signature(data: Path, terminology: Terminology, chrf: CHRF) -> str:
    """One line saying what the numbers come from, like sacrebleu's signatures.

    *chrf* must have scored already: sacrebleu learns the number of references then.
    """
    digest = hashlib.sha256(data.read_bytes()).hexdigest()[:8]
    return (
        f"term_eval|data:{data.name}#{digest}|glossary:{terminology.glossary.signature}"
        f"|rutrans:{__version__}|chrF:{chrf.get_signature().format()}"
    )


MODES = {
    "after": "the glossary as it is",
    "after_no_variants": "its `# variant:` lines removed",
    "after_plain": "variants and forbidden entries removed: approved terms and notes only",
}


def without_variants(glossary: Glossary, keep_forbidden: bool) -> Glossary:
    """The glossary a new user would write: no listed MT renderings."""
    entries = tuple(
        replace(e, variants=())
        for e in glossary.entries
        if keep_forbidden or e.status != "forbidden"
    )
    return replace(glossary, entries=entries)


WORSE_CHRF = 2.0  # a sentence's chrF outside terms falling this much is damage


def worse_lines(segments: Sequence[Segment], chrf: CHRF) -> list[str]:
    """Drafts that post-editing made worse: fewer approved terms than the MT had, or the
    words outside the terms changed for the worse (sentence chrF outside term spans)."""
    worse = []
    for s in segments:
        ref = s.item.reference
        if exact_matches(s.final, s.targets) < exact_matches(s.draft, s.targets):
            worse.append(s.item.id)
            continue
        outside_ref = without_terms(ref, s.targets, s.renderings)
        before = chrf.sentence_score(without_terms(s.draft, s.targets, s.renderings), [outside_ref])
        after = chrf.sentence_score(without_terms(s.final, s.targets, s.renderings), [outside_ref])
        if after.score < before.score - WORSE_CHRF:
            worse.append(s.item.id)
    return worse


def evaluate(data: Path, glossary: Path) -> dict[str, Any]:
    terminology = Terminology.load([glossary])
    items = load_items(data)
    runs = {
        "after": terminology,
        "after_no_variants": Terminology.of(without_variants(terminology.glossary, True)),
        "after_plain": Terminology.of(without_variants(terminology.glossary, False)),
    }
    chrf = CHRF()
    segments = {mode: postedit_all(items, t, terminology) for mode, t in runs.items()}
    result: dict[str, Any] = {"before": score(segments["after"], "draft", chrf)}
    for mode, done in segments.items():
        result[mode] = score(done, "final", chrf)
        result[mode]["worse_lines"] = worse_lines(done, CHRF())
        result[f"{mode}_summary".replace("after_summary", "rutrans_summary")] = summary(
            [c for s in done for c in s.checks]
        )
    result["signature"] = signature(data, terminology, chrf)
    result["segments"] = [
        {
            "id": s.item.id,
            "draft": s.draft,
            "final": s.final,
            "final_no_variants": n.final,
            "final_plain": p.final,
            "terms": [c.as_dict() for c in s.checks],
            "terms_no_variants": [c.as_dict() for c in n.checks],
        }
        for s, n, p in zip(
            segments["after"],
            segments["after_no_variants"],
            segments["after_plain"],
            strict=True,
        )
    ]
    return result


def table(result: dict[str, Any]) -> str:
    rows = [
        ("exact-match term accuracy", "exact_match", "{:.3f}"),
        *((f"window overlap, window {w}", f"window_overlap_{w}", "{:.3f}") for w in WINDOWS),
        ("chrF outside term spans", "chrf_outside_terms", "{:.2f}"),
    ]
    columns = ("before", *MODES)
    heads = ("draft", "glossary", "no variants", "plain")
    lines = [f"{'':<30}" + "".join(f"{h:>13}" for h in heads)]
    for label, key, fmt in rows:
        lines.append(f"{label:<30}" + "".join(f"{fmt.format(result[c][key]):>13}" for c in columns))
    lines.append(
        f"{'drafts made worse':<30}{'':>13}"
        + "".join(f"{len(result[c]['worse_lines']):>13}" for c in MODES)
    )
    counts = result["rutrans_summary"]
    lines.append(
        f"term occurrences: {result['before']['occurrences']} in {len(result['segments'])} "
        "drafts; rutrans (glossary): "
        + " ".join(f"{k} {counts[k]}" for k in ("ok", "fixed", "missing", "forbidden"))
        + f", term accuracy {counts['term_accuracy']:.3f}"
    )
    lines += [f"  {h}: {MODES[c]}" for h, c in zip(heads[1:], MODES, strict=True)]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--glossary", type=Path, default=GLOSSARY)
    parser.add_argument("--json", type=Path, help="write the scores and every segment here")
    args = parser.parse_args(argv)
    result = evaluate(args.data, args.glossary)
    print(table(result))
    lowered = any(
        result[mode]["chrf_outside_terms"] < result["before"]["chrf_outside_terms"]
        for mode in MODES
    )
    print(
        "chrF outside terms LOWERED by post-editing: it edited outside term spans"
        if lowered
        else "chrF outside terms not lowered by post-editing"
    )
    print(result["signature"])
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 1 if lowered else 0


if __name__ == "__main__":
    sys.exit(main())
