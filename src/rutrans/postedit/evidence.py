"""What an English word of the MT says about a glossary term: small named scorers.

The generalizing locator (:mod:`rutrans.postedit.generalize`) finds the MT's rendering of
a term that nobody listed.  It asks, for every word of the MT, what evidence ties it to
the term; each kind of evidence is one function here, in the style of razdel's rules, so
that a report's ``method`` says which one fired:

* ``words`` — the word is one of the approved term's words (English stems, either
  number, a possessive, British or American spelling: organisation = organizations);
* ``synonym`` — the word stands where the term has a word of the same meaning
  (bodies/organs/agencies, border/frontier; a short hand-written list of the domain's
  generic nouns, :data:`SYNONYMS`);
* ``transliteration`` — the word is a Latin transliteration of a Russian word of the
  occurrence (oblast, Rozysk, GKNB), in one of the standard schemes;
* ``related`` — the word belongs to the approved English of another entry for the same
  concept (ШОС and Шанхайская организация сотрудничества; two entries with one English);
* ``name`` — the term is a quoted name («Паутина») and the word is a quoted or
  capitalised name right next to the term's other words (Operation "Web").

An acronym is evidence for a whole span at once (:func:`acronym_score`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "on",
        "in",
        "for",
        "to",
        "and",
        "at",
        "by",
        "with",
        "within",
        "from",
        "against",
        "under",
        "'s",
    ]
)
"""Words that may stand between a term's words ("service of migration") but never start
or end a rendering."""

SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "body bodies organ organs agency agencies authority authorities structure structures",
        "ministry ministries department departments",
        "office offices bureau bureaus bureaux",
        "head heads chief chiefs",
        "officer officers employee employees staff personnel worker workers",
        "crime crimes offence offences offense offenses",
        "crime crimes criminal",
        "offence offences offense offenses violation violations infringement infringements",
        "trafficking trade traffic circulation turnover",
        "human humans people persons person individuals",
        "grave serious severe",
        "laboratory laboratories lab labs",
        "migrant migrants immigrant immigrants",
        "arms weapons",
        "joint combined",
        "prosecutor prosecutors procurator procurators",
        "area territory space",
        "theft thefts stealing larceny",
        "border borders frontier frontiers boundary",
        "region regions area areas province provinces oblast",
        "state states country countries",
        "member members participant participants participating",
        "illegal unlawful illicit",
        "drug drugs narcotic narcotics narco",
        "cooperation co-operation collaboration",
        "fight struggle combat combating combatting counteraction countering",
        "security safety",
        "wanted sought",
        "smuggling contraband",
        "meeting meetings session sessions",
    )
)
"""Generic nouns of the domain that MT swaps for each other (written by hand: no
well-kept thesaurus ships offline, and these are the heads MT varies)."""

WordScorer = Callable[[str, "TermEvidence"], float]
PairScorer = Callable[[str, str], float]


QUOTES = "\"'«»“”„‘’"

PHRASES: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("internal", "affairs"), frozenset({"interior", "home"})),
)
"""Several words of a term that MT says in one ("Interior Ministry" for the Ministry of
Internal Affairs): the term's words, and the single words that stand for them."""

# What derivation adds to a stem: migrat → migratory, asia → asian, kazakh → kazakhstan.
_DERIVATION = re.compile(
    r"(?:n|an|ian|al|ial|ical|ic|ity|iti|ive|ing|ed|er|ers|or|ory|ori|ary|ari|ism|ist|ists|ion"
    r"|ation"
    r"|stan|i|y|ies|s|es|ment|ance|ence)"
)


@functools.lru_cache(maxsize=100_000)
def _normalise(word: str) -> str:
    word = word.strip(QUOTES).lower().replace("’", "'")
    for ending in ("'s", "s'", "'"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            word = word[: -len(ending)] + ("s" if ending == "s'" else "")
            break
    return word


@functools.cache
def _stemmer() -> object:
    import Stemmer  # PyStemmer: Snowball, the stemmer search engines use

    return Stemmer.Stemmer("english")


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Snowball stem of a word, spelling-neutral (organise = organize, centre = center,
    labour = labor, offence = offense, anti-terrorist = antiterrorist)."""
    base = _normalise(word).replace("-", "")
    base = re.sub(r"(?<=\w{3})tre$", "ter", base)
    base = re.sub(r"(?<=\w{3})our$", "or", base)
    base = re.sub(r"ence$", "ense", base)
    stemmed: str = _stemmer().stemWord(base)  # type: ignore[attr-defined]
    return stemmed.replace("z", "s")


@functools.lru_cache(maxsize=200_000)
def same_stem(a: str, b: str) -> bool:
    """Same word in another form: equal stems, or one stem the other plus a derivational
    ending (migrat/migratori, asia/asian) — but not an adverb for an adjective
    (illegally is not illegal: the MT said something else there)."""
    if _normalise(a).endswith("ly") != _normalise(b).endswith("ly"):
        return False
    sa, sb = stem(a), stem(b)
    if sa == sb:
        return True
    short, long = sorted((sa, sb), key=len)
    return (
        len(short) >= 4
        and long.startswith(short)
        and bool(_DERIVATION.fullmatch(long[len(short) :]))
    )


@functools.cache
def _schemes() -> tuple[object, ...]:
    import iuliia

    return (iuliia.WIKIPEDIA, iuliia.BGN_PCGN, iuliia.ICAO_DOC_9303, iuliia.GOST_52535)


@functools.lru_cache(maxsize=20_000)
def transliterations(russian: str) -> frozenset[str]:
    """Latin spellings of a Russian word in the common schemes, lower case, ASCII only."""
    found = set()
    for scheme in _schemes():
        latin = scheme.translate(russian)  # type: ignore[attr-defined]
        found.add(re.sub(r"[^a-z]", "", latin.lower()))
    return frozenset(f for f in found if f)


def _similar(word: str, latin: str) -> bool:
    """*word* spells the transliteration *latin*, give or take the Russian ending
    (Rozyska ~ Rozysk, oblasti ~ oblast) and a letter (Kirgizstan ~ Kyrgyzstan)."""
    from rapidfuzz.fuzz import ratio

    word = re.sub(r"[^a-z]", "", word.lower())
    if len(word) < 3:
        return False
    if latin.startswith(word) and len(latin) - len(word) <= 3:
        return True
    return ratio(word, latin[: len(word) + 1]) >= 85 or ratio(word, latin) >= 85


@dataclass(frozen=True)
class Target:
    """One English form the concept may take: the approved term, or a related entry's."""

    words: tuple[str, ...]  # its content words
    related: bool  # another entry's English for the same concept


@dataclass(frozen=True)
class TermEvidence:
    """What is known about one occurrence: its approved English, its Russian, its kin."""

    targets: tuple[Target, ...]
    russian: tuple[str, ...]  # the occurrence's Russian words and the entry's msgid words
    acronyms: frozenset[str]  # one-word acronyms that stand for the whole term
    expansions: frozenset[str]  # real acronyms of the concept, whose words may be spelt out
    quoted_name: bool  # the Russian term is a «quoted name»


def content_words(text: str) -> tuple[str, ...]:
    """The words that carry meaning, hyphenated words taken apart (Secretary-General)."""
    return tuple(
        part
        for w in re.findall(r"[\w’'-]+", text)
        if w.lower() not in FUNCTION_WORDS
        for part in re.split(r"[-‐‑]", w.strip("'’"))
        if part and part.lower() not in FUNCTION_WORDS
    )


def initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isalpha()).upper()


# --- evidence for a word against one word of a target -------------------------------------


def same_word(word: str, target_word: str) -> float:
    return 1.0 if same_stem(word, target_word) else 0.0


def spelling(word: str, target_word: str) -> float:
    """Another spelling of the same name (Ferghana/Fergana, Tadjikistan/Tajikistan)."""
    from rapidfuzz.fuzz import ratio

    if len(word) < 5 or not word[:1].isupper() or not target_word[:1].isupper():
        return 0.0
    return 0.9 if ratio(word.lower(), target_word.lower()) >= 85 else 0.0


def synonym(word: str, target_word: str) -> float:
    lowered, wanted = _normalise(word), _normalise(target_word)
    if lowered != wanted and not _synonym_groups(lowered).isdisjoint(_synonym_groups(wanted)):
        return 0.8
    return 0.0


@functools.lru_cache(maxsize=100_000)
def _synonym_groups(word: str) -> frozenset[int]:
    """Which of :data:`SYNONYMS`' groups hold *word* (each group once, not per pair)."""
    return frozenset(i for i, group in enumerate(SYNONYMS) if word in group)


PAIR_SCORERS: tuple[tuple[str, PairScorer], ...] = (
    ("words", same_word),
    ("transliteration", spelling),
    ("synonym", synonym),
)
"""Evidence that a word of the MT is a given word of a target, strongest first."""


# --- evidence for a word against the occurrence as a whole -------------------------------


def transliteration(word: str, term: TermEvidence) -> float:
    word = word.strip(QUOTES)
    if len(word) < 3 or not word[:1].isalpha() or not word.isascii():
        return 0.0
    for russian in term.russian:
        if any(_similar(word, latin) for latin in transliterations(russian)):
            return 0.9
    return 0.0


FREE_SCORERS: tuple[tuple[str, WordScorer], ...] = (("transliteration", transliteration),)
"""Evidence that a word renders *some* word of the term (which one, the Russian says)."""


def acronym_score(words: Sequence[str], term: TermEvidence) -> float:
    """1.0 when the span is an acronym of the term or the term's acronym spelt out."""
    if not (term.acronyms if len(words) == 1 else term.expansions):
        return 0.0  # most terms have none: the common answer without the string work
    if len(words) == 1:
        token = re.sub(r"[^\w]", "", words[0].removesuffix("'s").removesuffix("’s"))
        if not token.isupper() and sum(c.isupper() for c in token) >= 3:
            token = "".join(c for c in token if c.isupper())  # MoIA: "of" in lower case
        if len(token) >= 2 and token.isupper() and token in term.acronyms:
            return 1.0
        return 0.0
    spelled = initials(content_words(" ".join(words)))
    return 1.0 if len(spelled) >= 3 and spelled in term.expansions else 0.0
