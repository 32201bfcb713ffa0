"""The errors MT really makes, each a small named check over one segment.

A check reads the Russian source and the final English of one segment and yields
:class:`~rutrans.results.QAFinding` s a reviewer can act on; :data:`SEGMENT_CHECKS` lists
them in the order a report shows them (razdel's style: rules in a list, each with its own
tests).  Checks that need the whole document (the same sentence translated twice) or the
term checks live in :mod:`rutrans.qa`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from rutrans.qa.numbers import english_quantities, russian_quantities
from rutrans.results import QAFinding

SegmentCheck = Callable[[str, str], Iterator[QAFinding]]

_CYRILLIC_WORD = re.compile(r"[^\W\d_]*[а-яёА-ЯЁ][^\W\d_]*")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_END = re.compile(r"[.!?…]+[\"'»”’)\]]*\s*$")
_PAIRS = (("(", ")"), ("[", "]"), ("«", "»"), ("“", "”"))
# Doubled words that are good English ("had had", "that that").
_GOOD_DOUBLES = frozenset({"had", "that", "is", "do"})
# Below this, a length ratio says little: a headline of three words can halve or double.
_MIN_RATIO_CHARS = 25
RATIO_RANGE = (0.5, 2.2)  # target/source characters; ru→en news runs about 0.8-1.3


def numbers(source: str, target: str) -> Iterator[QAFinding]:
    """A number or date of the source that the target does not state (after reading
    «1,5 тыс.» as 1.5 thousand = 1,500, month names as months, small numbers as words)."""
    found = list(english_quantities(target))
    for quantity in russian_quantities(source):
        if not any(quantity.same_as(other) for other in found):
            yield QAFinding("numbers", f"«{quantity.text}» from the source is not in the English")


def cyrillic(source: str, target: str) -> Iterator[QAFinding]:
    """Russian letters left in the English: an untranslated word, or Cyrillic
    look-alike letters (a Cyrillic «а» in "Kаzakhstan")."""
    del source
    words = list(_CYRILLIC_WORD.finditer(target))
    if words:
        shown = ", ".join(f"'{m.group()}'" for m in words[:5])
        more = f" and {len(words) - 5} more" if len(words) > 5 else ""
        yield QAFinding(
            "cyrillic",
            f"Cyrillic left in the English: {shown}{more}",
            (words[0].start(), words[-1].end()),
        )


def repetition(source: str, target: str) -> Iterator[QAFinding]:
    """A word doubled ("the the") or a run of words repeated straight after itself,
    the loop a decoder falls into ("of the security of the security")."""
    del source
    words = [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(target)]
    tokens = [w for w, _, _ in words]
    i = 0
    while i < len(tokens):
        for size in range(1, min(8, (len(tokens) - i) // 2) + 1):
            copies = 1
            while tokens[i : i + size] == tokens[i + copies * size : i + (copies + 1) * size]:
                copies += 1
            if copies == 1 or (size == 1 and copies == 2 and _good_double(target, words, i)):
                continue
            start, end = words[i][1], words[i + copies * size - 1][2]
            yield QAFinding("repetition", f"repeated: '{target[start:end]}'", (start, end))
            i += copies * size - 1
            break
        i += 1


def _good_double(target: str, words: list[tuple[str, int, int]], i: int) -> bool:
    """ "had had", "that that", or emphasis set off by a comma ("very, very")."""
    between = target[words[i][2] : words[i + 1][1]]
    return words[i][0] in _GOOD_DOUBLES or "," in between


def length_ratio(source: str, target: str) -> Iterator[QAFinding]:
    """An English much shorter or longer than the Russian: a dropped clause, a cut
    sentence or an invented one."""
    if len(source.strip()) < _MIN_RATIO_CHARS:
        return
    ratio = len(target.strip()) / len(source.strip())
    low, high = RATIO_RANGE
    if not low <= ratio <= high:
        yield QAFinding("length_ratio", f"the English is {ratio:.2f}× the source's length")


def cut_short(source: str, target: str) -> Iterator[QAFinding]:
    """A source sentence that ends with . ! ? … and an English one that does not: the
    decoder stopped early (it hit its length limit, or lost its way)."""
    if _END.search(source) and target.strip() and not _END.search(target):
        tail = target.rstrip()[-30:]
        yield QAFinding("cut_short", f"the English stops without ending the sentence: '…{tail}'")


def brackets(source: str, target: str) -> Iterator[QAFinding]:
    """Brackets and quotes the source balances and the English does not."""
    for opening, closing in _PAIRS:
        if source.count(opening) == source.count(closing) and target.count(opening) != target.count(
            closing
        ):
            yield QAFinding("brackets", f"unbalanced {opening}{closing} in the English")
    if source.count('"') % 2 == 0 and target.count('"') % 2:
        yield QAFinding("brackets", 'an unclosed " in the English')


SEGMENT_CHECKS: tuple[SegmentCheck, ...] = (
    numbers,
    cyrillic,
    repetition,
    length_ratio,
    cut_short,
    brackets,
)
