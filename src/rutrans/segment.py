"""Russian sentence splitting: razdel, repaired where it is wrong for our news texts.

Two kinds of rules, in the spirit of razdel's own (small named functions, each saying what it
fixes):

* cut rules propose where a sentence may end: razdel's ``sentenize`` boundaries, plus
  :func:`after_closing_quote` where razdel never cuts;
* join rules (:data:`JOIN_RULES`) veto a proposed cut.  They only ever remove cuts, so ordinary
  sentences still split as razdel splits them.

razdel already keeps initials (``Е. Тургумбаев``, ``Е.Ж.``), list markers at the start of a
paragraph (``1.``, ``2.1.``, ``3)``) and dash-led direct speech right; the tests pin that down
rather than duplicating it here.

Offsets always refer to the string given to :func:`split_sentences`.  Soft line breaks (``\\n``
from Markdown) are read as spaces, but stay in :attr:`Sentence.text` as they were.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from razdel import sentenize

from rutrans.results import Document, Segment

__all__ = ["JOIN_RULES", "Cut", "Sentence", "segments_of", "split_sentences"]


@dataclass(frozen=True)
class Sentence:
    """One sentence of a paragraph: ``text == paragraph[start:end]``, never padded with space."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Cut:
    """A proposed boundary as the join rules see it.

    ``left`` is the sentence so far, ``right`` the rest of the paragraph; both stripped.
    """

    left: str
    right: str


JoinRule = Callable[[Cut], bool]

# Whitespace razdel might read as more than a space; all replaced one for one, so offsets hold.
_SOFT_BREAKS = str.maketrans(dict.fromkeys("\n\r\t\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029", " "))

# A word of its own: no letter right before it (a digit is fine: "5тыс.").
_ABBREVIATION = re.compile(
    r"(?<![^\W\d_])(?:тыс|млн|млрд|руб|гг|г|ст|п|ч|см|др|им|ул|обл|пр|р-н|т\.\s?[едпк])\.$",
    re.IGNORECASE,
)
_ABBREVIATION_WINDOW = 12  # the longest abbreviation is 6 characters, plus the one before it

# Quotes: the closer each opener waits for.  "“" closes "„" (Russian inner quotes) but opens
# English-style "“…”"; '"' closes itself.
_QUOTE_CHAR = re.compile(r"[«»„“”\"]")
_CLOSER_OF = {"«": "»", "„": "“", "“": "”", '"': '"'}

# End of sentence, closing quote, space, then a letter (maybe behind an opening quote or dash).
_CLOSING_QUOTE_THEN_WORD = re.compile(r"[.!?…][»“”\"](?=\s+[«„\"–—-]?\s*([^\W\d_]))")


def _open_quotes(text: str) -> list[str]:
    """Closers still awaited at the end of ``text``, innermost last.

    >>> _open_quotes("Он сказал: «Операция „Паутина")
    ['»', '“']
    >>> _open_quotes("Операция «Паутина»")
    []
    """
    awaited: list[str] = []
    for match in _QUOTE_CHAR.finditer(text):
        quote = match.group()
        if quote in awaited:  # closes it, and any inner quote left open by mistake
            del awaited[len(awaited) - 1 - awaited[::-1].index(quote) :]
        elif quote in _CLOSER_OF:
            awaited.append(_CLOSER_OF[quote])
        # a stray "»" or "”" with nothing open is ignored
    return awaited


########
#
#   CUT RULES: where a sentence may end
#
########


def razdel_cuts(flat: str) -> Iterator[int]:
    """Where razdel ends a sentence (the end of each sentence it finds)."""
    return (sentence.stop for sentence in sentenize(flat))


def after_closing_quote(flat: str) -> Iterator[int]:
    """Cut after a closing quote that ends a sentence and is followed by a capitalised one.

    razdel never cuts after ``“``: ``"Он сказал: „Мы работаем.“ Затем ушёл."`` is one sentence
    to it; here it is ``["Он сказал: „Мы работаем.“", "Затем ушёл."]``.  Whether the quote really
    closes is left to :func:`inside_quotes`.
    """
    for match in _CLOSING_QUOTE_THEN_WORD.finditer(flat):
        if match.group(1).isupper():
            yield match.end()


########
#
#   JOIN RULES: each returns True to veto the cut
#
########


def abbreviation_left(cut: Cut) -> bool:
    """Join after an abbreviation that in our texts goes on into the same sentence.

    razdel splits when a capital follows: ``"В 2020–2023 гг. Казахстан принял закон."`` gives
    ``["В 2020–2023 гг.", "Казахстан принял закон."]``, ``"Изъято 5 тыс. Доз героина."`` gives
    ``["Изъято 5 тыс.", "Доз героина."]``; here each is one sentence.  Covers ``тыс.``, ``млн.``,
    ``млрд.``, ``руб.``, ``т.е.``/``т.д.``/``т.п.``/``т.к.`` (also ``т. е.``), ``г.``, ``гг.``,
    ``ст.``, ``п.``, ``ч.``, ``см.``, ``др.``, ``им.``, ``ул.``, ``обл.``, ``р-н.``, ``пр.``.
    """
    return _ABBREVIATION.search(cut.left[-_ABBREVIATION_WINDOW:]) is not None


def inside_quotes(cut: Cut) -> bool:
    """Join while a quote opened in this sentence is still open and closes later on.

    razdel splits ``"Он сказал: «Мы работаем. Мы сотрудничаем.» Затем ушёл."`` inside the
    quote; joined, the quote is whole: ``["Он сказал: «Мы работаем. Мы сотрудничаем.»",
    "Затем ушёл."]``.  Nested ``«…„…“…»`` counts as one quote.  A quote that never closes does
    not swallow the rest of the paragraph.
    """
    return any(closer in cut.right for closer in _open_quotes(cut.left))


JOIN_RULES: tuple[JoinRule, ...] = (abbreviation_left, inside_quotes)


########
#
#   SPLITTING
#
########


def _sentence(text: str, start: int, end: int) -> Sentence | None:
    """``text[start:end]`` without its surrounding whitespace, or None if nothing is left."""
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return None
    begin = start + len(chunk) - len(chunk.lstrip())
    return Sentence(begin, begin + len(stripped), stripped)


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split one paragraph into sentences, in order; whitespace between them belongs to none.

    >>> [s.text for s in split_sentences("Их доля превышает 65%. В основном это кражи.")]
    ['Их доля превышает 65%.', 'В основном это кражи.']
    >>> split_sentences("Изъято более 2 тыс. Доз.")
    (Sentence(start=0, end=24, text='Изъято более 2 тыс. Доз.'),)
    """
    if not text or text.isspace():
        return ()
    flat = text.translate(_SOFT_BREAKS)
    cuts = {*razdel_cuts(flat), *after_closing_quote(flat)}
    cuts.discard(len(flat))
    pieces: list[Sentence] = []
    start = 0
    for end in sorted(cuts):
        cut = Cut(flat[start:end].strip(), flat[end:].strip())
        if any(rule(cut) for rule in JOIN_RULES):
            continue
        piece = _sentence(text, start, end)
        if piece is not None:
            pieces.append(piece)
        start = end
    last = _sentence(text, start, len(text))
    if last is not None:
        pieces.append(last)
    return tuple(pieces)


def segments_of(document: Document) -> tuple[Segment, ...]:
    """Split every translatable span of every paragraph into sentences, numbered from 1."""
    found: list[Segment] = []
    for paragraph in document.paragraphs:
        for span_start, span_end in paragraph.spans:
            for sentence in split_sentences(paragraph.text[span_start:span_end]):
                found.append(
                    Segment(
                        id=len(found) + 1,
                        paragraph=paragraph.index,
                        start=span_start + sentence.start,
                        end=span_start + sentence.end,
                        source=sentence.text,
                    )
                )
    return tuple(found)
