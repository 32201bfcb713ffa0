"""Terminology post-editing with an engine that returns given MT hypotheses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scripted import ScriptedEngine, word_offsets

from rutrans.results import MTResult, summary
from rutrans.terminology import Terminology

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)
TERMS = """
#. Police and other bodies of an interior ministry.
# variant: internal affairs agency
# variant: law enforcement agency
msgid "орган внутренних дел"
msgid_plural "органы внутренних дел"
msgstr[0] "internal affairs body"
msgstr[1] "internal affairs bodies"

#. Abbreviation.
# variant: police
msgid "ОВД"
msgstr "internal affairs bodies"

#. Wrong calque.
#, forbidden
msgctxt "forbidden"
msgid "ОВД"
msgstr "ATS"

#. The SCO.
# variant: Shanghai Organization
msgid "ШОС"
msgstr "SCO"

#. SCO anti-drug operation.
# variant: Web
# variant: Cobweb
msgid "операция «Паутина»"
msgstr "Operation Pautina"

#. CIS search operation.
msgid "«Розыск»"
msgstr "Rozysk"

#. Border regions.
# variant: frontier region
msgid "приграничный регион"
msgid_plural "приграничные регионы"
msgstr[0] "border region"
msgstr[1] "border regions"

#. A proposal.
#, fuzzy
msgid "наркопреступность"
msgstr "drug crime"

#. Kazakhstan's ministry.
msgid "МВД РК"
msgstr "Ministry of Internal Affairs of Kazakhstan"

#. Kept as written.
#, read-only
msgid "Интерпол"
msgstr "Интерпол"
"""


@pytest.fixture(scope="module")
def terms(tmp_path_factory: pytest.TempPathFactory) -> Terminology:
    path = tmp_path_factory.mktemp("glossary") / "terms.po"
    path.write_text(HEADER + TERMS, encoding="utf-8")
    return Terminology.load([path])


def edit(terms: Terminology, source: str, mt: str, probes=None, **kwargs: object):
    result = MTResult(mt, (), (), None, **kwargs)  # type: ignore[arg-type]
    return terms.postedit(result, terms.matcher.find(source), probes)


def statuses(result) -> list[tuple[str, str, str | None]]:
    return [(t.source_text, t.status, t.method) for t in result.terms]


# --- locating ---------------------------------------------------------------------------


def test_already_approved_is_ok_and_untouched(terms):
    mt = "Cooperation of internal affairs bodies within the SCO."
    result = edit(terms, "Сотрудничество органов внутренних дел в рамках ШОС.", mt)
    assert result.final == mt
    assert statuses(result) == [
        ("органов внутренних дел", "ok", "already"),
        ("ШОС", "ok", "already"),
    ]


def test_listed_variants_are_replaced_in_any_inflection(terms):
    result = edit(
        terms,
        "Сотрудничество органов внутренних дел в рамках ШОС.",
        "Cooperation of law enforcement agencies within the Shanghai Organization's framework.",
    )
    assert result.final == "Cooperation of internal affairs bodies within the SCO's framework."
    assert [s for _, s, _ in statuses(result)] == ["fixed", "fixed"]
    assert {m for *_, m in statuses(result)} == {"variant"}


def test_typographic_hyphens_apostrophes_and_quotes_do_not_hide_a_rendering(terms):
    result = edit(
        terms,
        "Сотрудничество органов внутренних дел в рамках ШОС.",
        "Cooperation of law\u2011enforcement agencies within the Shanghai "
        "Organization\u2019s framework.",
    )
    # The typographic apostrophe of the possessive is kept as the MT wrote it.
    assert result.final == (
        "Cooperation of internal affairs bodies within the SCO\u2019s framework."
    )
    assert [s for _, s, _ in statuses(result)] == ["fixed", "fixed"]
    quoted = edit(
        terms,
        "Завершилась операция «Паутина».",
        "The \u201cWeb\u201d operation has ended.",
    )
    assert statuses(quoted) == [("операция «Паутина»", "fixed", "variant")]
    assert "Operation Pautina" in quoted.final and "Web" not in quoted.final


def test_forbidden_rendering_is_replaced(terms):
    fixed = edit(terms, "Задержаны сотрудниками ОВД.", "Detained by ATS officers.")
    assert fixed.final == "Detained by internal affairs bodies officers."
    assert statuses(fixed) == [("ОВД", "fixed", "variant")]


def test_a_forbidden_rendering_left_over_is_reported_and_flagged(terms):
    # One ОВД in the source, "ATS" twice in the MT: the first is fixed; the second has no
    # source occurrence to take its number from, so it is reported, not guessed.
    result = edit(terms, "Сотрудники ОВД.", "ATS officers and ATS staff.")
    assert result.final == "Internal affairs bodies officers and ATS staff."
    assert [(t.source_text, t.status) for t in result.terms] == [
        ("ОВД", "fixed"),
        ("", "forbidden"),
    ]
    assert result.flagged
    counts = summary(result.terms)
    assert (counts["occurrences"], counts["fixed"], counts["forbidden"]) == (1, 1, 1)


def test_missing_is_reported_and_flagged_and_text_untouched(terms):
    mt = "Cooperation of the authorities."
    result = edit(terms, "Сотрудничество органов внутренних дел.", mt)
    assert result.final == mt
    assert statuses(result) == [("органов внутренних дел", "missing", None)]
    assert result.flagged


def test_probe_finds_the_engines_own_rendering(terms):
    probes = {
        "операции «Паутина»": 'operations of "Spider"',
        "операция «Паутина»": "Spider Network operation",
    }
    result = edit(
        terms,
        "Проведена операция «Паутина».",
        "A Spider Network operation was carried out.",
        probes,
    )
    assert result.final == "An Operation Pautina was carried out."
    assert statuses(result) == [("операция «Паутина»", "fixed", "probe")]


def test_attention_finds_a_rendering_nobody_listed(terms):
    source = "Совещание приграничных регионов началось."
    mt = "Meeting of the frontline districts began."
    # target words "frontline districts" (3, 4) attend to «приграничных регионов» (1, 2)
    from scripted import aligned_attention

    attention = aligned_attention(source, mt, {0: 0, 1: 0, 2: 0, 3: 1, 4: 2, 5: 3})
    result = edit(
        terms,
        source,
        mt,
        attention=attention,
        source_offsets=word_offsets(source),
        target_offsets=word_offsets(mt),
    )
    assert result.final == "Meeting of the border regions began."
    assert statuses(result) == [("приграничных регионов", "fixed", "attention")]


def test_prefix_redecoding_with_fluent(tmp_path):
    path = tmp_path / "terms.po"
    path.write_text(HEADER + TERMS, encoding="utf-8")
    terms = Terminology.load([path], fluent=True)
    source = "ОВД задержали подозреваемых."
    engine = ScriptedEngine(
        {source: "Police has detained suspects."},
        continuations={"Internal affairs bodies": " have detained the suspects."},
    )
    matches = terms.find([source])
    first = [terms.postedit(r, m) for r, m in zip(engine.translate([source]), matches, strict=True)]
    assert first[0].final == "Internal affairs bodies has detained suspects."
    prefixes = terms.fluent_prefixes(first)
    redecoded = engine.translate([source], target_prefixes=list(prefixes.values()))
    [fluent] = terms.with_fluent(first, prefixes, redecoded, matches)
    assert fluent.final == "Internal affairs bodies have detained the suspects."
    assert statuses(fluent) == [("ОВД", "fixed", "prefix")]
    assert engine.calls[-1] == [source]


# --- replacing --------------------------------------------------------------------------


def test_number_follows_the_russian_occurrence(terms):
    singular = edit(
        terms, "Орган внутренних дел района.", "The law enforcement agency of the district."
    )
    assert singular.final == "The internal affairs body of the district."
    plural = edit(
        terms, "Органы внутренних дел района.", "The law enforcement agency of the district."
    )
    assert plural.final == "The internal affairs bodies of the district."


def test_two_entries_sharing_an_english_term_each_keep_their_number(terms):
    # «орган внутренних дел» (singular here) and «ОВД» (always plural) are both
    # "internal affairs bod(y|ies)": the MT has each right, and nothing must change.
    mt = "The internal affairs body of the district and the internal affairs bodies of the region."
    result = edit(terms, "Орган внутренних дел района и ОВД области.", mt)
    assert result.final == mt
    assert statuses(result) == [
        ("Орган внутренних дел", "ok", "already"),
        ("ОВД", "ok", "already"),
    ]
    assert [mt[slice(*t.mt_span)] for t in result.terms] == [
        "internal affairs body",
        "internal affairs bodies",
    ]


def test_casing_at_sentence_start_and_in_headlines(terms):
    start = edit(terms, "Органы внутренних дел сообщили.", "Law enforcement agencies reported.")
    assert start.final == "Internal affairs bodies reported."
    headline = edit(terms, "ОРГАНЫ ВНУТРЕННИХ ДЕЛ СООБЩИЛИ", "LAW ENFORCEMENT AGENCIES REPORTED")
    assert headline.final == "INTERNAL AFFAIRS BODIES REPORTED"


def test_indefinite_article_agrees(terms):
    result = edit(terms, "Это приграничный регион.", "This is an frontier region.")
    assert result.final == "This is a border region."
    result = edit(terms, "Это операция «Паутина».", "This is a Cobweb.")
    assert result.final == "This is an Operation Pautina."
    plural = edit(terms, "Это приграничные регионы.", "These are a frontier region.")
    assert plural.final == "These are border regions."


def test_read_only_keeps_the_source_form_and_fuzzy_is_never_applied(terms):
    result = edit(terms, "Интерпол и наркопреступность.", "Interpol and drug-related crime.")
    assert result.final == "Interpol and drug-related crime."
    assert [(t.source_text, t.status) for t in result.terms] == [
        ("Интерпол", "missing"),
        ("наркопреступность", "proposed"),
    ]
    assert summary(result.terms)["occurrences"] == 1


def test_each_occurrence_counts(terms):
    source = "ОВД Казахстана и ОВД Кыргызстана."
    result = edit(terms, source, "The police of Kazakhstan and the ATS of Kyrgyzstan.")
    assert result.final == (
        "The internal affairs bodies of Kazakhstan and the internal affairs bodies of Kyrgyzstan."
    )
    counts = summary(result.terms)
    assert (counts["occurrences"], counts["fixed"], counts["term_accuracy"]) == (2, 2, 1.0)
    only_one = edit(terms, source, "The police of Kazakhstan and Kyrgyzstan.")
    counts = summary(only_one.terms)
    assert (counts["fixed"], counts["missing"], counts["term_accuracy"]) == (1, 1, 0.5)


def test_two_terms_never_share_a_span(terms):
    # Both «МВД РК» and «ОВД» could claim "police"; only one gets it.
    result = edit(terms, "МВД РК и ОВД.", "The police.")
    spans = [t.mt_span for t in result.terms if t.mt_span]
    assert len(spans) == len(set(spans)) <= 1


# --- properties -------------------------------------------------------------------------

RENDERINGS = ["police", "ATS", "law enforcement agencies", "Shanghai Organization", "Cobweb", "SCO"]
FILLER = ["The", "of", "and", "in", "Kazakhstan", "met", "a", "an", "officers", ",", "."]
SOURCES = [
    "ОВД и ШОС.",
    "Органы внутренних дел и ОВД.",
    "Операция «Паутина» в рамках ШОС.",
    "Приграничные регионы и органы внутренних дел.",
]


@settings(max_examples=200, deadline=None)
@given(
    source=st.sampled_from(SOURCES),
    words=st.lists(st.sampled_from(RENDERINGS + FILLER), min_size=1, max_size=14),
)
def test_property_never_edits_outside_spans_and_twice_is_once(terms, source, words):
    mt = " ".join(words)
    once = edit(terms, source, mt)
    # The final text is the MT with exactly the reported edits applied ...
    rebuilt, cursor = [], 0
    for start, end, new in once.edits:
        assert start >= cursor
        rebuilt += [mt[cursor:start], new]
        cursor = end
    rebuilt.append(mt[cursor:])
    assert "".join(rebuilt) == once.final
    # ... and every edit is a located span of a fixed occurrence, or that span with the
    # «a»/«an» in front of it.
    fixed_spans = {t.mt_span for t in once.terms if t.status == "fixed"}
    for start, end, _ in once.edits:
        spans = [s for s in fixed_spans if s and s[1] == end]
        assert len(spans) == 1
        article = mt[start : spans[0][0]]
        assert start == spans[0][0] or article.strip().lower() in ("a", "an")
    # Twice is once.
    assert edit(terms, source, once.final).final == once.final


def test_article_dropped_before_an_inherently_plural_term(terms):
    # ОВД has one English form, "internal affairs bodies": "an" cannot stay before it.
    result = edit(
        terms, "Его направили в ОВД по месту жительства.", "He was sent to an ATS office."
    )
    assert result.final == "He was sent to internal affairs bodies office."
