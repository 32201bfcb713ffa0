"""Decode input documents and encode translations back in the same encoding.

Russian documents still arrive in three encodings: UTF-8 (with or without a BOM),
Windows-1251 and KOI8-R.  The two 8-bit encodings both decode *any* byte string, so
"it decoded without an error" proves nothing; a wrong guess silently turns the text
into mojibake that the MT then translates into nonsense.  Hence two opinions:

* charset-normalizer's, which is good on long texts (letter statistics and a mess
  detector) but has no evidence on a sentence or two and then just returns the first
  candidate it was given;
* our own, built on what a wrong guess between these two code pages looks like: they
  put the Cyrillic alphabet in the same byte range with the cases swapped and the
  letters permuted, so KOI8-R read as cp1251 (or the reverse) comes out mostly in
  UPPERCASE, with words like ``пРИВЕТ``, with rare letters where Russian has
  frequent ones and few of the common letter pairs; cp1251 punctuation («» – — №)
  read as KOI8-R becomes box drawing.

The encoding the text was read in is the one it is written back in, so a user who
gave us a cp1251 file gets a cp1251 file.
"""

from __future__ import annotations

import codecs
import math
import re
from pathlib import Path
from typing import Any

import charset_normalizer

from rutrans.errors import UserError
from rutrans.lines import line_of

#: The 8-bit code pages we try, in charset-normalizer's spelling.
_EIGHT_BIT = ("cp1251", "koi8_r")

#: C0 characters a text file does not contain (all but \t \n \r \f, and 0x1A, the
#: Ctrl-Z that old DOS/Windows editors put at the end): a sign of binary data.
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")

#: Enough decoded text to judge an encoding by; scoring a whole large file is slow.
_SAMPLE_CHARS = 100_000

#: Letter frequencies of Russian prose (per cent, the usual corpus figures).  Only the
#: order of magnitude matters: a mis-decoded text swaps о, е, а for ъ, щ, ф and friends.
_RUSSIAN_FREQ = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47,
    "р": 4.73, "в": 4.54, "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81,
    "у": 2.62, "я": 2.01, "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 1.65, "б": 1.59,
    "ч": 1.44, "й": 1.21, "х": 0.97, "ж": 0.94, "ш": 0.73, "ю": 0.64, "ц": 0.48,
    "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04, "ё": 0.04,
}  # fmt: skip
_LOG_FREQ = {letter: math.log(freq / 100) for letter, freq in _RUSSIAN_FREQ.items()}

#: Frequent Russian letter pairs; a mis-decoded text has few of them.
_COMMON_BIGRAM_LIST = (
    "ст но то на ен ов ни ра во ко ро ет ре пр ос ал по ли го ор он ка ть не ол ва ан "
    "ла ер ом ел ле ат ти ны ль та де ог от ин ск ве ем ит ри ие ий ся ак ой ые ых ей "
    "ма ми ес тв од за ме ую ая ое"
)
_COMMON_BIGRAMS = frozenset(_COMMON_BIGRAM_LIST.split())

#: Non-ASCII characters other than Russian letters that real Russian text uses.
_TYPOGRAPHY = frozenset("«»„“”‘’‚–—…№•·§°±×€‰™©®\u00a0\u00ad")

_RUSSIAN_WORD = re.compile(r"[А-Яа-яЁё]+")
_BAD_CASE = re.compile(r"[а-яё][А-ЯЁ]")  # "пРИВЕТ": a lowercase letter before an uppercase one
_MIXED_WORD = re.compile(r"[A-Za-z][А-Яа-яЁё]|[А-Яа-яЁё][A-Za-z]")

#: How much better (in our score) one code page must be before we overrule
#: charset-normalizer; below this we defer to its statistics.
_OVERRULE_MARGIN = 1.0


def decode(data: bytes, path: Path, forced: str | None = None) -> tuple[str, str]:
    """Return ``(text, codec)`` for the bytes of *path*.

    *codec* is a name :func:`encode` accepts and that reproduces the original bytes:
    ``"utf-8-sig"`` for a file with a BOM (the BOM is not part of *text*), ``"utf-8"``,
    ``"cp1251"`` or ``"koi8-r"`` (names as :func:`codecs.lookup` spells them); a forced
    UTF-16 or UTF-32 also names its byte order and BOM (:func:`_as_written`).
    """
    if forced is not None:
        codec = _as_written(_lookup(forced, path), data)
        text = _strict_decode(data, codec, path)
        if _looks_binary(text):
            raise _binary(path)
        return text, codec

    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Without this check UTF-16 (Notepad's "Unicode") is reported as binary.
        raise UserError(f"{path}: is UTF-16 text; save it as UTF-8 or pass --encoding utf-16")
    # The C0 range is the same in UTF-8, cp1251 and KOI8-R, so test the raw bytes.
    if _looks_binary(data.decode("latin-1")):
        raise _binary(path)
    if data.startswith(codecs.BOM_UTF8):
        return _strict_decode(data, "utf-8-sig", path), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_mixed(data, path)
    return _decode_russian_8bit(data, path)


def _as_written(codec: str, data: bytes) -> str:
    """The codec that reads *data* as the forced Unicode *codec* does and writes its bytes
    back: a BOM is file structure, not text to translate, and comes back as it was.

    Python's ``utf-8-sig`` writes a BOM whether the file had one or not, and ``utf-16``
    and ``utf-32`` read either byte order but write the machine's, with a BOM; so a file
    with a BOM is ``utf-8-sig``, ``utf-16`` (the machine's order) or ``utf-16-be-sig``
    (the other, see :func:`_signed_codec`), and one without the byte order it was read in.
    """
    width = re.match(r"utf-(8|16|32)", codec)
    if width is None:
        return codec
    if width[1] == "8":
        return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    orders = (codec[-2:],) if codec.endswith(("-le", "-be")) else ("le", "be")
    for order in orders:
        if data.startswith(_BOMS[f"utf-{width[1]}-{order}"]):
            return f"utf-{width[1]}" if order == _NATIVE else f"utf-{width[1]}-{order}-sig"
    return f"utf-{width[1]}-{orders[0] if len(orders) == 1 else _NATIVE}"


_BOMS = {
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}
_NATIVE = "le" if codecs.BOM_UTF16 == codecs.BOM_UTF16_LE else "be"


def _signed_codec(name: str) -> codecs.CodecInfo | None:
    """``utf-16-be-sig`` and its kin: one byte order with its BOM, read past and written
    first, as ``utf-8-sig`` is for UTF-8 (registered with :mod:`codecs`, so that the name
    in a report or review PO can be given back as ``--encoding``)."""
    match = re.fullmatch(r"utf_(16|32)_(le|be)_sig", name)
    if match is None:
        return None
    plain = f"utf-{match[1]}-{match[2]}"
    bom = _BOMS[plain]

    def encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
        return bom + codecs.encode(text, plain, errors), len(text)

    def decode(data: Any, errors: str = "strict") -> tuple[str, int]:  # any bytes-like
        raw = bytes(data)
        body = raw[len(bom) :] if raw.startswith(bom) else raw
        return codecs.decode(body, plain, errors), len(raw)

    return codecs.CodecInfo(encode, decode, name=f"{plain}-sig")


codecs.register(_signed_codec)


def _refuse_mixed(data: bytes, path: Path) -> None:
    """Some lines UTF-8, others not (a UTF-8 paste into a cp1251 file): decoding it all
    as cp1251 would send the UTF-8 lines to the MT as mojibake, so name the first line
    of each kind and let the user save the file in one encoding."""
    utf8_line = eight_bit_line = 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            eight_bit_line = eight_bit_line or number
        else:
            # Two or more multi-byte characters: a cp1251 line is valid UTF-8 by chance
            # only for a letter or two.
            if sum(not char.isascii() for char in text) >= 2:
                utf8_line = utf8_line or number
        if utf8_line and eight_bit_line:
            raise UserError(
                f"{path}:{utf8_line}: this line is UTF-8 but line {eight_bit_line} is not "
                "(the file mixes encodings); save the whole file in one encoding"
            )


def encode(text: str, codec: str, path: Path) -> bytes:
    """Encode *text* for writing to *path*; a character *codec* lacks is a UserError."""
    codec = _lookup(codec, path)
    try:
        return text.encode(codec)
    except UnicodeEncodeError as err:
        line = line_of(text, err.start)
        ch = text[err.start]
        raise UserError(
            f"{path}:{line}: character {ch!r} cannot be written in {codec}; "
            "pass --output-encoding utf-8"
        ) from None


def _lookup(name: str, path: Path) -> str:
    """Normalise a codec name, refusing unknown names and bytes-to-bytes codecs."""
    try:
        codec = codecs.lookup(name).name
        "".encode(codec)  # raises LookupError for base64, rot13 and the like
    except LookupError:
        raise UserError(
            f"{path}: unknown encoding {name!r}; use a name such as utf-8, cp1251 or koi8-r"
        ) from None
    return codec


def _strict_decode(data: bytes, codec: str, path: Path) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        # err.object, not data: utf-8-sig reports offsets after the BOM it skipped.
        line = line_of(err.object[: err.start].decode(codec, errors="replace"), None)
        raise UserError(
            f"{path}:{line}: bytes that are not valid {codec}; "
            "check the file or pass the right --encoding"
        ) from None


def _looks_binary(text: str) -> bool:
    """NUL anywhere, or more than 1 % other control characters, means not a text file."""
    if "\x00" in text:
        return True
    controls = len(_BINARY_CONTROLS.findall(text))
    return controls > 0 and controls * 100 > len(text)


def _binary(path: Path) -> UserError:
    return UserError(
        f"{path}: is a binary file, not a text document; give rutrans a .txt or .md file"
    )


def _decode_russian_8bit(data: bytes, path: Path) -> tuple[str, str]:
    """Choose between cp1251 and KOI8-R, or refuse when neither reads as Russian."""
    texts: dict[str, str] = {}
    for name in _EIGHT_BIT:
        try:
            texts[codecs.lookup(name).name] = data.decode(name)
        except UnicodeDecodeError:  # cp1251 leaves 0x98 undefined
            continue
    scores = {
        codec: score
        for codec, text in texts.items()
        if (score := _score(text[:_SAMPLE_CHARS])) is not None
    }
    if not scores:
        raise UserError(
            f"{path}: cannot tell the encoding (not UTF-8, cp1251 or koi8-r); "
            "pass --encoding ENCODING"
        )
    ours = max(scores, key=lambda codec: scores[codec])
    theirs = _charset_normalizer_choice(data)
    if theirs in scores and scores[ours] - scores[theirs] < _OVERRULE_MARGIN:
        return texts[theirs], theirs
    return texts[ours], ours


def _charset_normalizer_choice(data: bytes) -> str | None:
    """charset-normalizer's pick, or None when it has no evidence either way.

    On short texts it rates both code pages identically (no chaos, no coherence) and
    returns whichever was listed first; that is not an opinion, so it is dropped.
    """
    matches = charset_normalizer.from_bytes(data, cp_isolation=list(_EIGHT_BIT))
    best = matches.best()
    if best is None:
        return None
    for other in matches:
        if other.encoding != best.encoding and (other.chaos, other.coherence) == (
            best.chaos,
            best.coherence,
        ):
            return None
    return codecs.lookup(best.encoding).name


def _score(text: str) -> float | None:
    """How much *text* looks like correctly decoded Russian; None if it does not at all.

    Higher is better.  The parts, weighted by trying them on words, headings and
    sentences of a real press release in both code pages: the mean log frequency of
    its letters (Russian uses о, е, а; mojibake uses ъ, щ, ф), the share of letter
    pairs that are common Russian bigrams, a penalty for words with a lowercase letter
    before an uppercase one (``пРИВЕТ``: a capitalised word in the wrong code page),
    and a penalty for characters Russian text does not use (box drawing, Ђ, ї).  The
    share of lowercase letters is deliberately *not* used: it would call an all-caps
    heading in one code page a lowercase sentence in the other.
    """
    non_ascii = [ch for ch in text if ch >= "\x80"]
    if not non_ascii:
        return 0.0
    odd = sum(1 for ch in non_ascii if not _RUSSIAN_WORD.match(ch) and ch not in _TYPOGRAPHY)
    odd_share = odd / len(non_ascii)
    words = _RUSSIAN_WORD.findall(text)
    mixed = len(_MIXED_WORD.findall(text))
    # Latin-1 French or German read as Cyrillic gives "cafй": not Russian at all.
    if odd_share > 0.2 or (words and mixed * 2 > len(words)):
        return None
    if not words:
        return -5.0 * odd_share
    letters = "".join(words).lower()
    log_freq = sum(_LOG_FREQ[ch] for ch in letters) / len(letters)
    pairs = [word[i : i + 2].lower() for word in words for i in range(len(word) - 1)]
    common = sum(1 for pair in pairs if pair in _COMMON_BIGRAMS) / len(pairs) if pairs else 0.0
    bad_case = sum(1 for word in words if _BAD_CASE.search(word)) / len(words)
    return 2.0 * log_freq + 3.0 * common - 3.0 * bad_case - 5.0 * odd_share
