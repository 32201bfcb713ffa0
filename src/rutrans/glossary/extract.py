"""Propose glossary terms from Russian text: gettext's ``poterminology``, but Russian-aware.

poterminology counts word n-grams: in Russian that scatters one term over its case forms
(«органы / органов / органами внутренних дел») and proposes fragments across grammatical
boundaries.  Here a candidate is one of the three things a terminologist adds:

* an *acronym* — an all-caps token of 2–6 letters (ОДКБ, ГКНБ, РАТС);
* a *quoted name* — 1–4 words in quotes, as operations and programmes are named («Канал»);
* a *phrase* — ADJ* NOUN (ADJ* NOUN-in-genitive)*, 2–5 words, read from pymorphy3 parses
  and grouped by lemmas, so that every inflection counts towards one candidate, named by
  its dictionary form (head and its adjectives in the nominative).

Left out, so that the output is the translator's to-do list: what the glossary knows
(occurrences a glossary term covers, candidates whose lemmas are an entry's), and phrases
seen only inside one longer candidate (C-value's nesting rule: they say nothing more).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby, product
from typing import Any

from rutrans.glossary import morph
from rutrans.glossary.matcher import Matcher
from rutrans.glossary.model import Glossary

_HYPHENS = "-‐‑‒–—"
_QUOTED = re.compile(
    r"«([^«»\n]{1,80})»|„([^„“”\n]{1,80})[“”]|“([^“”\n]{1,80})”|\"([^\"\n]{1,80})\""
)
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ]{2,6}$")
_ROMAN = re.compile(r"^[IVXLCDM]+$")  # chapter numbers, not acronyms
# Heads that make a phrase a frame, not a term («в рамках …», «в ходе …», «ряд …»).
_STOP_HEADS = frozenset(
    {"рамка", "ход", "ряд", "часть", "число", "год", "время", "раз", "случай", "условие"}
)
_GENDERS = frozenset({"masc", "femn", "neut"})
Role = tuple[str, tuple[Any, ...]]  # "adj" or "noun", with the parses of that part of speech


@dataclass(frozen=True)
class Candidate:
    """A term the glossary lacks, with the evidence a translator needs to decide on it."""

    term: str  # dictionary form, e.g. "транснациональные организованные группы"
    kind: str  # "acronym", "quoted-name", "phrase"
    count: int  # occurrences across all files
    forms: tuple[str, ...]  # distinct surface forms seen, most frequent first
    contexts: tuple[str, ...]  # up to 3 examples "file:line: …text around it…"


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str
    initial: bool  # first word of a sentence: its capital letter says nothing


@dataclass(frozen=True)
class _Occ:
    label: str
    text: str
    start: int
    end: int
    words: tuple[_Word, ...] = ()  # phrases only, from here on
    parses: tuple[Any, ...] = ()  # the parse chosen for each word
    head: int = 0  # index of the head noun; the words before it agree with it


def _sentence_initial(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and (text[i] in " \t«„“”\"'(" or text[i] in _HYPHENS):
        i -= 1
    return i < 0 or text[i] in ".!?…\n\r"


def _words(text: str, skip: bytearray | None = None) -> Iterator[list[_Word]]:
    """Runs of words with nothing but spaces between them (a hyphenated compound is one
    word, as pymorphy3 parses it whole).  Punctuation, numbers, quotes, line breaks and
    spaced dashes end a run, so that a phrase never crosses them."""
    run: list[_Word] = []
    for tok in morph.tokenize(text):
        word = tok.kind == "word" and not (skip and skip[tok.start])
        gap = text[run[-1].end : tok.start] if run else ""
        if word and len(gap) == 1 and gap in _HYPHENS:
            run[-1] = _Word(run[-1].start, tok.end, text[run[-1].start : tok.end], run[-1].initial)
            continue
        if run and not (word and gap.isspace() and "\n" not in gap):
            yield run
            run = []
        if word:
            run.append(_Word(tok.start, tok.end, tok.text, _sentence_initial(text, tok.start)))
    if run:
        yield run


def _role(word: _Word) -> Role | None:
    """Adjective or noun by the most probable parse; pronouns («наш», «другой»), ordinals,
    abbreviations and acronyms (candidates of their own) are neither."""
    parses = morph.parses(morph.normalise(word.text))
    if len(word.text) < 2 or word.text.isupper() or not parses:
        return None
    top = parses[0].tag
    if top.POS in ("ADJF", "PRTF") and not {"Apro", "Anum"} & top.grammemes:
        # Adjective parses before participle ones: «организованной» keeps the lemma
        # «организованный» in every form, where the participle's is «организовать».
        adjectives = [p for p in parses if p.tag.POS in ("ADJF", "PRTF")]
        return "adj", tuple(sorted(adjectives, key=lambda p: p.tag.POS != "ADJF"))
    if top.POS == "NOUN" and "Abbr" not in top.grammemes:
        return "noun", tuple(p for p in parses if p.tag.POS == "NOUN")
    return None


def _agrees(adj: Any, noun: Any) -> bool:
    a, n = adj.tag, noun.tag
    gender_ok = n.number == "plur" or a.gender in (None, n.gender) or n.gender not in _GENDERS
    return bool(a.case == n.case and a.number == n.number and gender_ok)


def _unit(roles: Sequence[Role], i: int, case: str | None) -> list[Any] | None:
    """ADJ* NOUN from *i* (in *case* if given): the parses chosen so that they agree."""
    j = i
    while j < len(roles) and roles[j][0] == "adj":
        j += 1
    if j == len(roles) or roles[j][0] != "noun":
        return None
    for noun in roles[j][1]:
        chosen = [next((p for p in r[1] if _agrees(p, noun)), None) for r in roles[i:j]]
        if (case is None or noun.tag.case == case) and None not in chosen:
            return [*chosen, noun]
    return None


def _phrases(label: str, text: str, run: list[_Word]) -> Iterator[_Occ]:
    """Every 2–5 word span of every chunk ADJ* NOUN (ADJ* NOUN-gent)*: a span starts at any
    word of a unit up to its noun and ends at the noun of the same or a later unit."""
    for eligible, pairs in groupby(((w, _role(w)) for w in run), key=lambda p: p[1] is not None):
        if not eligible:
            continue
        words, maybe = zip(*pairs, strict=True)
        roles = [r for r in maybe if r]
        i = 0
        while i < len(words):
            if (first := _unit(roles, i, None)) is None:
                i += 1
                continue
            units, end = [(i, first)], i + len(first)
            while dep := _unit(roles, end, "gent"):
                units.append((end, dep))
                end += len(dep)
            parses = [p for _, unit in units for p in unit]
            for a, (a_start, a_unit) in enumerate(units):
                head = a_start + len(a_unit) - 1
                if morph.normalise(parses[head - i].normal_form) in _STOP_HEADS:
                    continue
                for start in range(a_start, head + 1):
                    for b_start, b_unit in units[a:]:
                        stop = b_start + len(b_unit)
                        if 2 <= stop - start <= 5:
                            span, chosen = words[start:stop], tuple(parses[start - i : stop - i])
                            yield _Occ(label, text, span[0].start, span[-1].end, span, chosen,
                                       head - start)  # fmt: skip
            i = end


def _norm_name(text: str) -> str:
    """Names compare as the matcher compares them: case, ё, quote style, hyphens don't count."""
    norm = "".join("-" if c in _HYPHENS else c for c in morph.normalise(text))
    return " ".join(re.sub(r"[«»„“”\"]", '"', norm).split())


def _known(glossary: Glossary | None) -> tuple[set[str], set[tuple[str, ...]]]:
    """Every entry as a name and as lemma keys — forbidden ones too: their term is known."""
    names: set[str] = set()
    keys: set[tuple[str, ...]] = set()
    for entry in glossary.entries if glossary else ():
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            names.add(_norm_name(msgid))
            options = [morph.lemmas(morph.normalise(w.text)) for r in _words(msgid) for w in r]
            if 1 < len(options) <= 5:
                keys.update(product(*options))
    return names, keys


def _display(occ: _Occ, caps: Sequence[bool]) -> list[str]:
    return [w.text if cap else w.text.lower() for w, cap in zip(occ.words, caps, strict=True)]


def _recase(new: str, old: str) -> str:
    """pymorphy3's lower-case inflection with *old*'s capitals (per hyphenated part), and
    without ё where the text writes е."""
    new = new if "ё" in old.lower() else new.replace("ё", "е")
    parts, old_parts = new.split("-"), re.split(f"[{_HYPHENS}]", old)
    old_parts = old_parts if len(old_parts) == len(parts) else [old] * len(parts)
    return "-".join(
        p.capitalize() if o[:1].isupper() else p for p, o in zip(parts, old_parts, strict=True)
    )


def _phrase_term(occs: list[_Occ], caps: Sequence[bool], form: str) -> str:
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


def _context(occ: _Occ) -> str:
    """``label:line: …`` and some 40 characters either side, cut at spaces."""
    text, start, end = occ.text, occ.start, occ.end
    begin, stop = text.rfind("\n", 0, start) + 1, text.find("\n", end) % (len(text) + 1)
    lo, hi = start - 40, end + 40
    left = begin if lo <= begin else (text.find(" ", lo, start) + 1 or lo)
    right = stop if hi >= stop else text.rfind(" ", end, hi + 1) % (hi + 1)
    more = "…" if left > begin else "", "…" if right < stop else ""
    line = text.count("\n", 0, start) + 1
    return f"{occ.label}:{line}: {more[0]}{' '.join(text[left:right].split())}{more[1]}"


def _inside(occs: list[_Occ], spans: list[tuple[str, int, int]]) -> bool:
    """Whether every occurrence lies within one of *spans* (sorted label, start, end)."""
    for o in occs:
        i = bisect_right(spans, (o.label, o.start, sys.maxsize))
        if i == 0 or spans[i - 1][0] != o.label or spans[i - 1][2] < o.end:
            return False
    return True


def extract_candidates(
    texts: Sequence[tuple[str, str]], glossary: Glossary | None, min_count: int = 2
) -> list[Candidate]:
    """Candidate terms in *texts* ``(label, text)`` that *glossary* lacks, most frequent
    first.  Acronyms and quoted names count from one occurrence (a name is a name); phrases
    need *min_count*, since most one-off noun phrases are not terms."""
    matcher = Matcher(glossary) if glossary and glossary.entries else None
    names, keys = _known(glossary)
    groups: dict[tuple[str, ...], list[_Occ]] = defaultdict(list)
    for label, text in texts:
        covered, quoted = bytearray(len(text)), bytearray(len(text))
        for match in matcher.find(text) if matcher else ():
            covered[match.start : match.end] = b"\1" * (match.end - match.start)
        found: list[tuple[tuple[str, ...], _Occ]] = []
        for m in _QUOTED.finditer(text):
            inner = [t.kind for t in morph.tokenize(next(g for g in m.groups() if g))]
            if 1 <= inner.count("word") <= 4 and set(inner) <= {"word", "number"}:
                quoted[m.start() : m.end()] = b"\1" * (m.end() - m.start())
                found.append((("quoted-name", _norm_name(m.group())), _Occ(label, text, *m.span())))
        for tok in morph.tokenize(text):
            if tok.kind == "word" and _ACRONYM.match(tok.text) and not _ROMAN.match(tok.text):
                found.append((("acronym", tok.norm), _Occ(label, text, tok.start, tok.end)))
        for run in _words(text, quoted):
            for occ in _phrases(label, text, run):
                lemmas = (morph.normalise(p.normal_form) for p in occ.parses)
                found.append((("phrase", *lemmas), occ))
        for key, occ in found:
            known = key[1:] in keys if key[0] == "phrase" else key[1] in names
            if not known and not any(covered[occ.start : occ.end]):
                groups[key].append(occ)
    return _candidates(groups, min_count)


def _candidates(groups: dict[tuple[str, ...], list[_Occ]], min_count: int) -> list[Candidate]:
    """Groups to candidates: frequent enough, not nested, named by their dictionary form."""
    kept = {k: v for k, v in groups.items() if k[0] != "phrase" or len(v) >= min_count}
    spans = {k: sorted((o.label, o.start, o.end) for o in v) for k, v in kept.items()}
    index: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for key in kept:  # every shorter lemma run a phrase contains
        for n in range(2, len(key) - 1):
            for s in range(1, len(key) - n + 1):
                index[key[s : s + n]].append(key)
    by_term: dict[tuple[str, str], tuple[list[_Occ], Counter[str]]] = {}
    for key, occs in kept.items():
        if key[0] == "phrase":
            if any(_inside(occs, spans[longer]) for longer in index.get(key[1:], ())):
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
