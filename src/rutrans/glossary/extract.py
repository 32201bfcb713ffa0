"""Propose glossary terms from Russian text: gettext's ``poterminology``, but Russian-aware.

poterminology counts word n-grams: in Russian that scatters one term over its case forms
(«органы / органов / органами внутренних дел») and proposes fragments across grammatical
boundaries.  Here a candidate is one of the three things a terminologist adds:

* an *acronym* — an all-caps token of 2–6 letters (ОДКБ, ГКНБ, РАТС);
* a *quoted name* — 1–4 words in quotes, as operations and programmes are named («Канал»);
* a *phrase* — 2–5 words of a noun chain (see :mod:`rutrans.glossary.phrases`): ADJ* NOUN
  with genitive dependents, or a bound noun + noun in the instrumental or dative
  («торговля людьми»), grouped by lemmas, so that every inflection counts towards one
  candidate, named by its dictionary form (head and its adjectives in the nominative).

Left out, so that the output is the translator's to-do list: what the glossary knows
(occurrences a glossary term covers, candidates whose lemmas are an entry's), and, by
C-value's nesting rule, phrases that are not terms of their own:

* a *fragment* — seen only inside one longer candidate, or inside longer candidates that
  hold it in at least four fifths of its occurrences.  What holds a phrase: its own adjectives
  («оборот наркотиков» in «незаконный оборот наркотиков»), a dependent that completes it,
  a name's capitalised head («Совещание министров …»), or a governing noun used with it
  in more than half of that noun's occurrences («внутренние дела», always after
  «органы» or «министр»).  A nested phrase seen on its own more often stays;
* a *term in a passing context* — a candidate that is not a fragment, plus a governing or
  dependent noun that is used elsewhere at least as often and holds nothing
  («сотрудничество органов внутренних дел», where «сотрудничество» goes with anything).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import product

from rutrans.glossary import morph
from rutrans.glossary.matcher import Matcher
from rutrans.glossary.model import Glossary
from rutrans.glossary.phrases import HYPHENS, Occ, Usage, Word, phrases, words
from rutrans.lines import LINE_BREAK, line_starts

_QUOTED = re.compile(
    r"«([^«»\n]{1,80})»|„([^„“”\n]{1,80})[“”]|“([^“”\n]{1,80})”|\"([^\"\n]{1,80})\""
)
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ]{2,6}$")
_ROMAN = re.compile(r"^[IVXLCDM]+$")  # chapter numbers, not acronyms
_GENDERS = frozenset({"masc", "femn", "neut"})
_OWN_SHARE = 5  # a nested phrase needs more than 1/5 of its occurrences on its own
Key = tuple[str, ...]
Span = tuple[str, int, int]


@dataclass(frozen=True)
class Candidate:
    """A term the glossary lacks, with the evidence a translator needs to decide on it."""

    term: str  # dictionary form, e.g. "транснациональные организованные группы"
    kind: str  # "acronym", "quoted-name", "phrase"
    count: int  # occurrences across all files
    forms: tuple[str, ...]  # distinct surface forms seen, most frequent first
    contexts: tuple[str, ...]  # up to 3 examples "file:line: …text around it…"


def _norm_name(text: str) -> str:
    """Names compare as the matcher compares them: case, ё, quote style, hyphens don't count."""
    norm = "".join("-" if c in HYPHENS else c for c in morph.normalise(text))
    return " ".join(re.sub(r"[«»„“”\"]", '"', norm).split())


def _known(glossary: Glossary | None) -> tuple[set[str], set[tuple[str, ...]]]:
    """Every entry as a name and as lemma keys — forbidden ones too: their term is known."""
    names: set[str] = set()
    keys: set[tuple[str, ...]] = set()
    for entry in glossary.entries if glossary else ():
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            names.add(_norm_name(msgid))
            options = [morph.lemmas(morph.normalise(w.text)) for r in words(msgid) for w in r]
            if 1 < len(options) <= 5:
                keys.update(product(*options))
    return names, keys


def _display(occ: Occ, caps: Sequence[bool]) -> list[str]:
    return [w.text if cap else w.text.lower() for w, cap in zip(occ.words, caps, strict=True)]


def _recase(new: str, old: str) -> str:
    """pymorphy3's lower-case inflection with *old*'s capitals (per hyphenated part), and
    without ё where the text writes е."""
    new = new if "ё" in old.lower() else new.replace("ё", "е")
    parts, old_parts = new.split("-"), re.split(f"[{HYPHENS}]", old)
    old_parts = old_parts if len(old_parts) == len(parts) else [old] * len(parts)
    return "-".join(
        p.capitalize() if o[:1].isupper() else p for p, o in zip(parts, old_parts, strict=True)
    )


def _phrase_term(occs: list[Occ], caps: Sequence[bool], form: str) -> str:
    """The dictionary form: the head and its adjectives in the nominative, in the number the
    text uses most (the README's singular msgid is the translator's call); dependents as
    written.  A word keeps its capital only where it has one in mid-sentence."""
    heads = [o.parses[o.head].tag for o in occs]
    plural = sum(t.number == "plur" or "Pltm" in t.grammemes for t in heads) * 2 > len(heads)
    number = "plur" if plural else "sing"
    occ = next(o for o in occs if " ".join(_display(o, caps)) == form)
    noun = occ.parses[occ.head]
    noun = noun.inflect({"nomn", number}) or noun.inflect({"nomn"}) or noun
    words = _display(occ, caps)
    for k in range(occ.head):
        gender = {noun.tag.gender} & _GENDERS if noun.tag.number == "sing" else set()
        if new := occ.parses[k].inflect({"nomn", noun.tag.number or number, *gender}):
            words[k] = _recase(new.word, words[k])
    words[occ.head] = _recase(noun.word, words[occ.head])
    return " ".join(words)


def _context(occ: Occ) -> str:
    """``label:line: …`` and some 40 characters either side, cut at spaces."""
    text, start, end = occ.text, occ.start, occ.end
    before = line_starts(text[:start])  # CRLF, CR and LF all end a line
    line, begin = len(before), before[-1]
    after = LINE_BREAK.search(text, end)
    stop = after.start() if after else len(text)
    lo, hi = start - 40, end + 40
    left = begin if lo <= begin else (text.find(" ", lo, start) + 1 or lo)
    right = stop if hi >= stop else text.rfind(" ", end, hi + 1) % (hi + 1)
    more = "…" if left > begin else "", "…" if right < stop else ""
    return f"{occ.label}:{line}: {more[0]}{' '.join(text[left:right].split())}{more[1]}"


def extract_candidates(
    texts: Sequence[tuple[str, str]], glossary: Glossary | None, min_count: int = 2
) -> list[Candidate]:
    """Candidate terms in *texts* ``(label, text)`` that *glossary* lacks, most frequent
    first.  Acronyms and quoted names count from one occurrence (a name is a name); phrases
    need *min_count*, since most one-off noun phrases are not terms."""
    matcher = Matcher(glossary) if glossary and glossary.entries else None
    names, keys = _known(glossary)
    usage = Usage(min_count)
    prepared: list[tuple[str, str, bytearray, list[tuple[Key, Occ]], list[list[Word]]]] = []
    for label, text in texts:
        covered, quoted = bytearray(len(text)), bytearray(len(text))
        for match in matcher.find(text) if matcher else ():
            covered[match.start : match.end] = b"\1" * (match.end - match.start)
        found: list[tuple[Key, Occ]] = []
        for m in _QUOTED.finditer(text):
            inner = [t.kind for t in morph.tokenize(next(g for g in m.groups() if g))]
            if 1 <= inner.count("word") <= 4 and set(inner) <= {"word", "number"}:
                quoted[m.start() : m.end()] = b"\1" * (m.end() - m.start())
                found.append((("quoted-name", _norm_name(m.group())), Occ(label, text, *m.span())))
        for tok in morph.tokenize(text):
            if tok.kind == "word" and _ACRONYM.match(tok.text) and not _ROMAN.match(tok.text):
                found.append((("acronym", tok.norm), Occ(label, text, tok.start, tok.end)))
        runs = list(words(text, quoted))
        for run in runs:
            usage.survey(run)
        prepared.append((label, text, covered, found, runs))
    groups: dict[Key, list[Occ]] = defaultdict(list)
    for label, text, covered, found, runs in prepared:
        for run in runs:
            found.extend(
                (("phrase", *occ.lemmas()), occ) for occ in phrases(label, text, run, usage)
            )
        for key, occ in found:
            known = key[1:] in keys if key[0] == "phrase" else key[1] in names
            if not known and not any(covered[occ.start : occ.end]):
                groups[key].append(occ)
    return _candidates(groups, usage, min_count)


def _left_tied(occ: Occ, a: int, usage: Usage) -> bool:
    """Whether the words of *occ* before ``words[a]`` belong with what follows: an
    adjective of its unit, a governing unit written with a capital in mid-sentence (a
    name: «Совещание министров внутренних дел»), or a governing noun used so in more than
    half of its occurrences."""
    if a == 0:
        return False
    if a not in occ.units or any(
        w.text[:1].isupper() and not w.initial
        for w in occ.words[max(u for u in occ.units if u < a) : a]
    ):
        return True
    lemmas = occ.lemmas()
    return usage.bound((lemmas[a - 1], lemmas[occ.noun_of(a)]), lemmas[a - 1])


def _right_bound(occ: Occ, b: int, usage: Usage) -> bool:
    """Whether the unit of *occ* from ``words[b]`` is governed by the noun before it in
    more than half of its occurrences."""
    if b == len(occ.words):
        return False
    lemmas, noun = occ.lemmas(), occ.noun_of(b)
    return usage.bound((lemmas[b - 1], lemmas[noun]), lemmas[noun])


def _not_terms(found: dict[Key, list[Occ]], usage: Usage) -> set[Key]:
    """The phrases (lemma keys) not to propose: fragments, and terms in passing contexts."""
    within: dict[Key, list[tuple[Key, int]]] = defaultdict(list)  # phrase → (longer, offset)
    for key in found:
        for size in range(2, len(key)):
            for a in range(len(key) - size + 1):
                if key[a : a + size] in found:
                    within[key[a : a + size]].append((key, a))
    fragments: set[Key] = set()
    for key, occs in found.items():
        mine, held = {(o.label, o.start, o.end) for o in occs}, set()
        for longer, a in within[key]:
            spans = set()
            for o in found[longer]:
                span: Span = (o.label, o.words[a].start, o.words[a + len(key) - 1].end)
                spans.add(span)
                if _left_tied(o, a, usage) or a + len(key) < len(o.words):
                    held.add(span)  # bound to a head, or completed by a dependent
            if mine <= spans:  # it says nothing the longer phrase does not
                held |= mine
        own = len(mine - held)
        if own * _OWN_SHARE <= len(mine):  # (nearly) always held by longer ones
            fragments.add(key)
    in_context = {
        longer
        for key, places in within.items()
        if key not in fragments
        for longer, a in places
        if longer not in fragments
        and not any(
            _left_tied(o, a, usage) or _right_bound(o, a + len(key), usage) for o in found[longer]
        )
    }
    return fragments | in_context


def _candidates(groups: dict[Key, list[Occ]], usage: Usage, min_count: int) -> list[Candidate]:
    """Groups to candidates: frequent enough, terms of their own, named by their
    dictionary form."""
    kept = {k: v for k, v in groups.items() if k[0] != "phrase" or len(v) >= min_count}
    dropped = _not_terms({k[1:]: v for k, v in kept.items() if k[0] == "phrase"}, usage)
    by_term: dict[tuple[str, str], tuple[list[Occ], Counter[str]]] = {}
    for key, occs in kept.items():
        if key[0] == "phrase":
            if key[1:] in dropped:
                continue
            caps = [any(w.text[:1].isupper() and not w.initial for w in ws)
                    for ws in zip(*(o.words for o in occs), strict=True)]  # fmt: skip
            forms = Counter(" ".join(_display(o, caps)) for o in occs)
            term = _phrase_term(occs, caps, forms.most_common(1)[0][0])
        else:
            forms = Counter(" ".join(o.text[o.start : o.end].split()) for o in occs)
            term = forms.most_common(1)[0][0]
            term = f"«{term[1:-1]}»" if key[0] == "quoted-name" else term
        merged, seen = by_term.setdefault((key[0], term), ([], Counter()))
        merged.extend(occs)
        seen.update(forms)
    result = []
    for (kind, term), (occs, seen) in by_term.items():
        occs.sort(key=lambda o: (o.label, o.start))
        forms_seen = tuple(f for f, _ in seen.most_common())
        result.append(Candidate(term, kind, len(occs), forms_seen, tuple(map(_context, occs[:3]))))
    return sorted(result, key=_rank)


def _rank(candidate: Candidate) -> tuple[int, int, str]:
    """Most frequent first; of equally frequent ones, the longer (more specific) first."""
    return -candidate.count, -len(candidate.term.split()), candidate.term


def candidates_pot(candidates: Sequence[Candidate]) -> str:
    """A POT template for the translator: one untranslated entry per candidate, with the
    evidence (count, kind, forms, contexts) in ``#.`` comments, which Poedit and Weblate
    show next to the source string."""
    import polib

    pot = polib.POFile(wrapwidth=0)
    pot.header = (
        "Russian terms the rutrans glossary does not have yet.\n"
        "Generated by `rutrans glossary extract`. Translate those that are terms and move\n"
        "them to glossary/ru-en/*.po with a note (see glossary/README.md); drop the rest."
    )
    pot.metadata = {
        "Project-Id-Version": "rutrans glossary",
        "POT-Creation-Date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000"),
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for c in sorted(candidates, key=_rank):
        notes = [f"count: {c.count}", f"kind: {c.kind}", "forms: " + " | ".join(c.forms)]
        pot.append(polib.POEntry(msgid=c.term, msgstr="", comment="\n".join([*notes, *c.contexts])))
    return str(pot)
