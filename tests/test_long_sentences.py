"""Sentences longer than the decoder's limit: split at clause boundaries, decoded in the same
batch as everything else, rejoined into one result — never cut.

The stand-in's output is noise: these tests look at lengths and structure only.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from rutrans.engine import DecodingOptions, align, factory, long
from rutrans.engine.argos import ArgosEngine
from rutrans.engine.long import MAX_SOURCE_TOKENS, split_for_decoder
from rutrans.engine.package import open_path
from rutrans.results import MTResult

OPERATION = (
    "В ходе совместной операции сотрудники органов внутренних дел Казахстана, Кыргызстана "
    "и Таджикистана задержали 27 наркокурьеров, которые пытались переправить через границу "
    "более 1,2 тонны героина, а также изъяли 14 единиц огнестрельного оружия, "
    "принадлежавшего членам организованной преступной группы"
)
MEETING = (
    "на встрече министров, где обсуждались вопросы взаимодействия в рамках СНГ и ОДКБ, "
    "стороны договорились о создании совместной рабочей группы по противодействию "
    "незаконному обороту наркотиков"
)
SHORT = [
    "Глава МВД РК провел встречу с коллегами из Узбекистана.",
    "Операция «Паутина» завершена.",
    "Задержаны 2 тыс. человек.",
]


def word_count(text: str) -> int:
    """A stand-in for a tokenizer: words, numbers and punctuation marks."""
    return len(re.findall(r"\w+|[^\w\s]", text))


def long_sentence(count: Callable[[str], int], tokens: int, joiner: str = ", ") -> str:
    """Real Russian clauses, joined until the sentence has at least *tokens* tokens."""
    clauses, k = [], 0
    while count(joiner.join(clauses) + ".") < tokens:
        clauses.append(OPERATION if k % 2 == 0 else MEETING)
        k += 1
    return joiner.join(clauses) + "."


def pieces_of(text: str, count: Callable[[str], int], limit: int = MAX_SOURCE_TOKENS) -> list[str]:
    spans = split_for_decoder(text, count, limit)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end < start and not text[end:start].strip(), "only whitespace between pieces"
    return [text[a:b] for a, b in spans]


@pytest.fixture(scope="module")
def engine(tiny_model: Path) -> ArgosEngine:
    built = factory.create(open_path(tiny_model, "--model"), DecodingOptions())
    assert isinstance(built, ArgosEngine)
    return built


@pytest.fixture(scope="module")
def subwords(engine: ArgosEngine) -> Callable[[str], int]:
    return lambda text: len(engine.tokenize(text))


# --- the splitter, a pure function ----------------------------------------------------------


def test_a_sentence_that_fits_is_one_piece_exactly():
    for sentence in [*SHORT, OPERATION, "", "  "]:
        assert split_for_decoder(sentence, word_count) == [(0, len(sentence))]


@pytest.mark.parametrize("tokens", [300, 600, 1000])
@pytest.mark.parametrize("counter", ["words", "subwords"])
def test_pieces_fit_and_cover_the_sentence_in_order(tokens, counter, request):
    count = word_count if counter == "words" else request.getfixturevalue("subwords")
    sentence = long_sentence(count, tokens)
    pieces = pieces_of(sentence, count)
    assert len(pieces) >= 2
    assert all(count(piece) <= MAX_SOURCE_TOKENS for piece in pieces)
    assert " ".join(pieces) == sentence
    assert not any(re.search(r"\d,$", piece) for piece in pieces), "1,2 is one number"


def test_semicolons_are_cut_before_any_comma():
    sentence = long_sentence(word_count, 700, joiner="; ")
    pieces = pieces_of(sentence, word_count)
    assert all(piece.endswith(";") for piece in pieces[:-1])
    # Whole clauses are packed together while they fit: no two neighbours would.
    for left, right in itertools.pairwise(pieces):
        assert word_count(f"{left} {right}") > MAX_SOURCE_TOKENS


def test_a_colon_comes_before_commas():
    half = long_sentence(word_count, 150)[:-1]
    sentence = f"{half}: {half}."
    assert pieces_of(sentence, word_count) == [f"{half}:", f"{half}."]


def test_commas_before_conjunctions_and_relative_words_come_before_other_commas():
    sentence = long_sentence(word_count, 800)
    pieces = pieces_of(sentence, word_count)
    relative = re.compile(r"(и|а|но|что|котор\w*|где|когда|если|чтобы)\b", re.IGNORECASE)
    assert all(piece.endswith(",") for piece in pieces[:-1])
    assert all(relative.match(piece) for piece in pieces[1:]), pieces


def test_plain_commas_then_dashes_then_spaces():
    listing = ", ".join(f"сотрудник отдела номер {n}" for n in range(120)) + "."
    assert all(p.endswith(",") for p in pieces_of(listing, word_count)[:-1])
    dashed = " — ".join(["органы внутренних дел провели операцию"] * 80) + "."
    assert all(p.endswith("—") for p in pieces_of(dashed, word_count)[:-1])
    bare = " ".join(["слово"] * 450)
    pieces = pieces_of(bare, word_count)
    assert len(pieces) == 3, "the last resort cuts into equal shares, not halves of halves"
    assert all(140 <= word_count(p) <= MAX_SOURCE_TOKENS for p in pieces)


def test_a_comma_inside_quotes_or_brackets_only_when_none_is_outside():
    quoted = "«" + ", ".join(["органы внутренних дел провели операцию"] * 15) + "»"
    sentence = f"{quoted} {quoted}, {quoted} {quoted}."
    assert pieces_of(sentence, word_count) == [f"{quoted} {quoted},", f"{quoted} {quoted}."]
    bracketed = f"({quoted} {quoted} {quoted} {quoted})."
    pieces = pieces_of(bracketed, word_count)
    assert len(pieces) == 2 and all(word_count(p) <= MAX_SOURCE_TOKENS for p in pieces)


def test_text_without_spaces_is_left_whole():
    blob = "а" * 5000
    assert split_for_decoder(blob, lambda t: len(t) // 4) == [(0, len(blob))]


# --- planning and rejoining -----------------------------------------------------------------


def _tokenize(text: str) -> list[str]:
    return re.findall(r"\w+|[^\w\s]", text)


def test_a_prefix_goes_to_the_first_piece_only_when_it_fits_there():
    sentence = long_sentence(word_count, 600)
    tokens = [_tokenize(sentence)]
    fits = long.plan([sentence], tokens, [["<ru>", "In", "the", "course"]], ["<ru>"], _tokenize)
    assert len(fits.texts) > 1 and fits.prefixes is not None
    assert fits.prefixes[0] == ["<ru>", "In", "the", "course"]
    assert all(p == ["<ru>"] for p in fits.prefixes[1:])
    whole = ["<ru>"] + ["word"] * 400
    unsplit = long.plan([sentence], tokens, [whole], ["<ru>"], _tokenize)
    assert unsplit.texts == (sentence,) and unsplit.prefixes == [whole]
    assert unsplit.decoding_length(256) >= len(whole) + len(tokens[0])


def test_a_plan_keeps_every_source_in_order():
    sentence = long_sentence(word_count, 600)
    sources = [SHORT[0], sentence, SHORT[1], sentence, SHORT[2]]
    planned = long.plan(sources, [_tokenize(s) for s in sources], None, [], _tokenize)
    for i, source in enumerate(sources):
        mine = [k for k, owner in enumerate(planned.owners) if owner == i]
        assert mine == list(range(mine[0], mine[-1] + 1)), "a source's pieces are adjacent"
        assert [planned.texts[k] for k in mine] == [
            source[a:b] for a, b in (planned.spans[k] for k in mine)
        ]
        assert (len(mine) == 1) == (source in SHORT)
        assert " ".join(planned.texts[k] for k in mine) == source
    assert [planned.tokens[k] for k in (0, len(planned.texts) - 1)] == [
        _tokenize(SHORT[0]), _tokenize(SHORT[2]),
    ]  # fmt: skip
    assert planned.spans[0] == (0, len(SHORT[0]))


def test_decoding_length_stays_at_the_floor_for_short_sentences_and_covers_long_pieces():
    short = long.plan(SHORT, [_tokenize(s) for s in SHORT], None, [], _tokenize)
    assert short.texts == tuple(SHORT) and short.prefixes is None
    assert short.decoding_length(256) == 256
    sentence = long_sentence(word_count, 1000)
    split = long.plan([sentence], [_tokenize(sentence)], None, [], _tokenize)
    longest = max(len(t) for t in split.tokens)
    assert split.decoding_length(256) >= max(256, 2 * longest + 10)


def test_rejoined_offsets_and_attention_point_into_the_whole_sentence():
    source = "Первая часть; вторая часть."
    spans = [(0, 13), (14, 27)]
    first = MTResult(
        "First part;", ("▁Первая", "▁часть", ";"), ("▁First", "▁part", ";"), -0.5,
        ((0.9, 0.1, 0.0), (0.1, 0.8, 0.1), (0.0, 0.1, 0.9)),
        ((0, 6), (6, 12), (12, 13)), ((0, 5), (5, 10), (10, 11)),
    )  # fmt: skip
    second = MTResult(
        "second part.", ("▁вторая", "▁часть", "."), ("▁second", "▁part", "."), -1.0,
        ((0.9, 0.1, 0.0), (0.1, 0.8, 0.1), (0.0, 0.1, 0.9)),
        ((0, 6), (6, 12), (12, 13)), ((0, 6), (6, 11), (11, 12)),
    )  # fmt: skip
    joined = long.rejoin(source, spans, [first, second])
    assert joined.text == "First part; second part."
    assert joined.score == pytest.approx(-0.75)
    assert [source[a:b].strip() for a, b in joined.source_offsets] == [
        "Первая", "часть", ";", "вторая", "часть", ".",
    ]  # fmt: skip
    assert [joined.text[a:b].strip() for a, b in joined.target_offsets] == [
        "First", "part", ";", "second", "part", ".",
    ]  # fmt: skip
    assert joined.attention is not None
    assert all(len(row) == 6 for row in joined.attention)
    assert [max(range(6), key=row.__getitem__) for row in joined.attention] == [0, 1, 2, 3, 4, 5]
    plain = long.rejoin(source, spans, [MTResult(r.text, (), (), None) for r in (first, second)])
    assert plain.attention is None and plain.score is None


# --- end to end on the tiny stand-in --------------------------------------------------------


def test_a_long_sentence_is_not_cut_at_the_decoding_limit(engine, subwords):
    sentence = long_sentence(subwords, 600)
    source_tokens = len(engine.tokenize(sentence))
    assert source_tokens >= 600
    calls = engine.batch_calls
    [result] = engine.translate([sentence])
    assert engine.batch_calls == calls + 1
    pieces = pieces_of(sentence, subwords)
    alone = engine.translate(pieces)
    assert len(result.target_tokens) > DecodingOptions().max_decoding_length
    assert len(result.target_tokens) >= sum(len(r.target_tokens) for r in alone)
    assert len(result.target_tokens) >= source_tokens  # the stand-in's ratio is 1.2
    rejoined = result.text == " ".join(r.text for r in alone if r.text)
    assert rejoined  # never print the stand-in's noise


def test_short_sentences_decode_exactly_as_before(engine, subwords):
    """Beside a split sentence, short ones get the same translation as alone.  (Their
    attention weights, not compared here, already moved by ~0.03 with any longer sentence
    in the batch: CTranslate2 pads a batch to its longest input.)"""
    sentence = long_sentence(subwords, 600)
    alone = engine.translate(SHORT)
    mixed = engine.translate([SHORT[0], sentence, *SHORT[1:]])
    same = [a == b for a, b in zip(alone, [mixed[0], *mixed[2:]], strict=True)]
    assert all(same), same  # whole results compared; never print the stand-in's noise
    alone = engine.translate(SHORT, return_attention=True)
    mixed = engine.translate([SHORT[0], sentence, *SHORT[1:]], return_attention=True)
    same = [
        replace(a, attention=None) == replace(b, attention=None)
        and [len(row) for row in a.attention or ()] == [len(row) for row in b.attention or ()]
        for a, b in zip(alone, [mixed[0], *mixed[2:]], strict=True)
    ]
    assert all(same), same


def test_attention_of_a_rejoined_sentence_spans_the_whole_sentence(engine, subwords):
    sentence = long_sentence(subwords, 500)
    seen: list[int] = []
    [result, short] = engine.translate(
        [sentence, SHORT[1]], progress=seen.append, return_attention=True
    )
    assert sum(seen) == 2
    assert result.attention is not None and short.attention is not None
    assert len(result.attention) == len(result.target_tokens) == len(result.target_offsets)
    assert all(len(row) == len(result.source_tokens) for row in result.attention)
    assert len(result.source_offsets) == len(result.source_tokens)
    assert all(0 <= a <= b <= len(sentence) for a, b in result.source_offsets)
    assert all(0 <= a <= b <= len(result.text) for a, b in result.target_offsets)
    assert [a for a, _ in result.source_offsets] == sorted(a for a, _ in result.source_offsets)
    assert result.target_offsets[-1][1] == len(result.text)


def test_target_prefixes_on_a_long_sentence(engine, subwords):
    sentence = long_sentence(subwords, 600)
    [plain] = engine.translate([sentence])
    opening = engine.detokenize(list(plain.target_tokens[:5]))
    [continued] = engine.translate([sentence], target_prefixes=[opening])
    assert continued.text.startswith(opening), "the prefix is kept"
    assert len(continued.target_tokens) > DecodingOptions().max_decoding_length
    # A prefix longer than the first piece: decoded whole, and still not cut.
    [forced] = align(engine, [sentence], [plain.text])
    assert forced.text == plain.text, "align keeps the given translation"
    assert forced.attention is not None and len(forced.attention) >= len(plain.target_tokens) - 2
