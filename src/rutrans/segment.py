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

Splitting is linear in the length of the paragraph, so that a 20 MB file on one line splits in
seconds: no rule copies the sentence so far or the rest of the paragraph (a :class:`Cut` reads
them through bounded or precomputed look-ups), the quotes open in the sentence are tracked as
the scan moves forward, and razdel's own loop is run without its ever-growing buffer
(:func:`razdel_cuts`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from razdel import sentenize
from razdel.segmenters.sentenize import BULLET_SIZE

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
    """A proposed boundary as the join rules see it, cheap to make at every candidate.

    The sentence so far is ``flat[start:end]`` (``start`` is its first non-space character),
    the rest of the paragraph ``flat[end:]``.  Rules read them through :meth:`left_tail`,
    :meth:`rest_contains` and :attr:`awaited`, each O(1) or bounded, so that trying every
    candidate stays linear in the paragraph; :attr:`left` and :attr:`right` copy, and are
    there for reading a cut, not for rules.

    >>> cut = _cuts_of("Он сказал: «Мы работаем. Мы сотрудничаем.» Затем ушёл.", 24)
    >>> cut.left, cut.left_tail(9), sorted(cut.awaited), cut.rest_contains("»")
    ('Он сказал: «Мы работаем.', 'работаем.', ['»'], True)
    """

    flat: str = field(repr=False)
    start: int
    end: int
    awaited: frozenset[str]
    """Closers of the quotes opened in this sentence and still open at the cut."""
    last_at: Callable[[str], int] = field(repr=False, compare=False)
    """Where a string last occurs in ``flat`` (-1 if nowhere): looked up once per paragraph."""

    def left_tail(self, size: int) -> str:
        """The last ``size`` characters of the sentence so far, stripped: ``left[-size:]``."""
        begin = max(self.start, self.end - size - _TAIL_SLACK)
        tail = self.flat[begin : self.end].rstrip()
        if len(tail) < size and begin > self.start:  # the cut follows a long run of spaces
            tail = self.flat[self.start : self.end].rstrip()
        return tail[-size:]

    def rest_contains(self, closer: str) -> bool:
        """Whether ``closer`` (no space at either end) occurs after the cut: ``closer in right``."""
        return self.last_at(closer) >= self.end

    @property
    def left(self) -> str:
        """The sentence so far, stripped (a copy)."""
        return self.flat[self.start : self.end].strip()

    @property
    def right(self) -> str:
        """The rest of the paragraph, stripped (a copy)."""
        return self.flat[self.end :].strip()


JoinRule = Callable[[Cut], bool]

# Whitespace razdel might read as more than a space; all replaced one for one, so offsets hold.
# (A regular expression: str.translate with a table is five times slower on a long text.)
_SOFT_BREAK = re.compile("[\n\r\t\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029]")
_NON_SPACE = re.compile(r"\S")
_TAIL_SLACK = 64  # how much more than asked :meth:`Cut.left_tail` reads, for trailing space

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
# No run of spaces can be shared out between two ``\s`` (``\s+[«]?\s*`` could), so a long run
# after a closing quote is read in linear time, not quadratic.
_CLOSING_QUOTE_THEN_WORD = re.compile(r"[.!?…][»“”\"](?=\s+(?:[«„\"–—-]\s*)?([^\W\d_]))")


class _OpenQuotes:
    """Closers awaited so far, innermost last; each quote character costs O(1) amortised."""

    def __init__(self) -> None:
        self._stack: list[str] = []
        self._count = dict.fromkeys(_CLOSER_OF.values(), 0)

    def feed(self, quote: str) -> None:
        if self._count.get(quote):  # closes it, and any inner quote left open by mistake
            while (closer := self._stack.pop()) != quote:
                self._count[closer] -= 1
            self._count[quote] -= 1
        elif quote in _CLOSER_OF:
            closer = _CLOSER_OF[quote]
            self._stack.append(closer)
            self._count[closer] += 1
        # a stray "»" or "”" with nothing open is ignored

    @property
    def awaited(self) -> list[str]:
        return list(self._stack)

    @property
    def distinct(self) -> frozenset[str]:
        return frozenset(closer for closer, count in self._count.items() if count)

    def clear(self) -> None:
        self._stack.clear()
        self._count = dict.fromkeys(self._count, 0)


def _open_quotes(text: str) -> list[str]:
    """Closers still awaited at the end of ``text``, innermost last.

    >>> _open_quotes("Он сказал: «Операция „Паутина")
    ['»', '“']
    >>> _open_quotes("Операция «Паутина»")
    []
    """
    quotes = _OpenQuotes()
    for match in _QUOTE_CHAR.finditer(text):
        quotes.feed(match.group())
    return quotes.awaited


class _Scan:
    """One pass over a paragraph, cut by cut, left to right: the state the cuts are built from.

    The quotes open in the sentence so far are fed as the scan moves forward and forgotten when
    a cut is taken; the last position of a closer is looked up once for the whole paragraph.
    """

    def __init__(self, flat: str) -> None:
        self.flat = flat
        self._last: dict[str, int] = {}
        self._quotes = _OpenQuotes()
        self._scanned = 0
        self._start = self._first_non_space(0)

    def _first_non_space(self, position: int) -> int:
        match = _NON_SPACE.search(self.flat, position)
        return match.start() if match else len(self.flat)

    def _last_at(self, closer: str) -> int:
        if closer not in self._last:
            self._last[closer] = self.flat.rfind(closer)
        return self._last[closer]

    def cut(self, end: int) -> Cut:
        """The cut at ``end``; cuts must come in increasing order."""
        for match in _QUOTE_CHAR.finditer(self.flat, self._scanned, end):
            self._quotes.feed(match.group())
        self._scanned = end
        start = min(self._start, end)
        return Cut(self.flat, start, end, self._quotes.distinct, self._last_at)

    def take(self, end: int) -> None:
        """Accept the cut at ``end``: a new sentence starts there, with no quote open."""
        self._quotes.clear()
        self._start = self._first_non_space(end)


def _flatten(text: str) -> str:
    """``text`` with soft line breaks read as spaces, one for one."""
    return _SOFT_BREAK.sub(" ", text)


def _cuts_of(text: str, end: int) -> Cut:
    """The cut at ``end`` of a one-sentence-so-far ``text`` (for examples and tests)."""
    return _Scan(_flatten(text)).cut(end)


########
#
#   CUT RULES: where a sentence may end
#
########


def razdel_cuts(flat: str) -> Iterator[int]:
    """Where razdel ends a sentence (the end of each sentence it finds but the last).

    Exactly razdel's ``sentenize`` decisions, made by its own splitter and rules, but in linear
    time: razdel's loop glues every joined piece onto a buffer (``buffer + delimiter + right``),
    copying the sentence so far at each join, which is quadratic in a long run of joins (a
    paragraph of ``5 тыс. доз, …``).  Here the buffer is a position; its only reader,
    razdel's ``list_item``, gives up past ``BULLET_SIZE`` characters, so a longer buffer is
    passed as its first ``BULLET_SIZE + 1``.  A sentence razdel ends always ends on its
    delimiter, so the delimiter's end is the cut.

    >>> list(razdel_cuts("Изъято 5 тыс. доз. В 2023 г. Казахстан принял закон. Дело закрыто."))
    [18, 52]
    """
    parts = sentenize.split(flat)  # text, split, text, split, …, text
    position = len(next(parts))
    sentence_start = 0
    for split in parts:
        right = next(parts)
        stop = position + len(split.delimiter)
        seen = min(position - sentence_start, BULLET_SIZE + 1)
        split.buffer = flat[sentence_start : sentence_start + seen]
        if not sentenize.join(split):
            yield stop
            sentence_start = stop
        position = stop + len(right)


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
    return _ABBREVIATION.search(cut.left_tail(_ABBREVIATION_WINDOW)) is not None


def inside_quotes(cut: Cut) -> bool:
    """Join while a quote opened in this sentence is still open and closes later on.

    razdel splits ``"Он сказал: «Мы работаем. Мы сотрудничаем.» Затем ушёл."`` inside the
    quote; joined, the quote is whole: ``["Он сказал: «Мы работаем. Мы сотрудничаем.»",
    "Затем ушёл."]``.  Nested ``«…„…“…»`` counts as one quote.  A quote that never closes does
    not swallow the rest of the paragraph.
    """
    return any(cut.rest_contains(closer) for closer in cut.awaited)


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

    Linear in the length of ``text``.

    >>> [s.text for s in split_sentences("Их доля превышает 65%. В основном это кражи.")]
    ['Их доля превышает 65%.', 'В основном это кражи.']
    >>> split_sentences("Изъято более 2 тыс. Доз.")
    (Sentence(start=0, end=24, text='Изъято более 2 тыс. Доз.'),)
    """
    if not text or text.isspace():
        return ()
    flat = _flatten(text)
    cuts = {*razdel_cuts(flat), *after_closing_quote(flat)}
    cuts.discard(len(flat))
    scan = _Scan(flat)
    pieces: list[Sentence] = []
    start = 0
    for end in sorted(cuts):
        cut = scan.cut(end)
        if any(rule(cut) for rule in JOIN_RULES):
            continue
        scan.take(end)
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
