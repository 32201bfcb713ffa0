"""Encoding detection and re-encoding, on real Russian press-release text."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from rutrans.encoding import decode, encode
from rutrans.errors import UserError

PATH = Path("press/kz-mvd.txt")

# From a real press release of the Kazakh MVD; short enough that charset-normalizer
# has no statistics to go on.
SHORT = [
    "Встреча министров.",
    "органов внутренних дел",
    "в рамках ШОС",
    "Шанхайской организации сотрудничества",
    "Да",
    "ОВД",
    "ВСТРЕЧА МИНИСТРОВ ВНУТРЕННИХ ДЕЛ",
    "Глава МВД РК Ерлан Тургумбаев",
]
LONG = (
    "На встрече были рассмотрены актуальные вопросы сотрудничества органов внутренних "
    "дел в сфере противодействия незаконной миграции, розыска преступников, а также "
    "взаимодействия ОВД приграничных регионов в противодействии кражам чужого "
    "имущества.\r\nА в рамках Шанхайской организации сотрудничества недавно проведена "
    'первая антинаркотическая операция "Паутина", направленная на пресечение каналов '
    "поставки и распространения синтетических наркотиков.\r\n"
)


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
@pytest.mark.parametrize("text", [*SHORT, LONG])
def test_cp1251_and_koi8r_are_told_apart(text: str, codec: str) -> None:
    assert decode(text.encode(codec), PATH) == (text, codec)


def test_cp1251_typography_is_read_as_cp1251() -> None:
    # «», – and № exist in cp1251 but not in KOI8-R, where the bytes are box drawing.
    text = "– Операция «Паутина» № 2"
    assert decode(text.encode("cp1251"), PATH) == (text, "cp1251")


def test_utf8_and_bom() -> None:
    text = "операция «Паутина»\n"
    assert decode(text.encode("utf-8"), PATH) == (text, "utf-8")
    decoded, codec = decode(codecs.BOM_UTF8 + text.encode("utf-8"), PATH)
    assert (decoded, codec) == (text, "utf-8-sig")
    assert encode(decoded, codec, PATH) == codecs.BOM_UTF8 + text.encode("utf-8")


def test_ascii_is_utf8() -> None:
    assert decode(b"MVD of Kazakhstan\n", PATH) == ("MVD of Kazakhstan\n", "utf-8")


def test_forced_encoding_is_normalised_and_used() -> None:
    data = "в рамках ШОС".encode("koi8-r")
    assert decode(data, PATH, forced="KOI8_R") == ("в рамках ШОС", "koi8-r")
    assert decode(data, PATH, forced="windows-1251")[1] == "cp1251"


def test_forced_utf8_keeps_a_bom_out_of_the_text() -> None:
    data = codecs.BOM_UTF8 + "ОВД".encode()
    assert decode(data, PATH, forced="utf8") == ("ОВД", "utf-8-sig")


def test_forced_encoding_reports_the_line_of_the_bad_byte() -> None:
    data = "строка один\r\nстрока два\r\n".encode() + "органов".encode("cp1251")
    with pytest.raises(UserError) as err:
        decode(data, PATH, forced="utf-8")
    assert str(err.value) == (
        f"{PATH}:3: bytes that are not valid utf-8; check the file or pass the right --encoding"
    )


@pytest.mark.parametrize("name", ["klingon-8", "base64"])
def test_unknown_forced_encoding(name: str) -> None:
    with pytest.raises(UserError, match=name) as err:
        decode(b"text", PATH, forced=name)
    assert str(PATH) in str(err.value)


def test_bom_followed_by_invalid_utf8() -> None:
    data = codecs.BOM_UTF8 + b"ok\n\xff\xfe\n"
    with pytest.raises(UserError, match=r"kz-mvd\.txt:2: bytes that are not valid utf-8-sig"):
        decode(data, PATH)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "ОВД".encode("cp1251") + b"\x00",
        bytes(range(1, 9)) * 4 + "текст".encode("cp1251"),
    ],
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(UserError) as err:
        decode(data, PATH)
    assert str(err.value) == (
        f"{PATH}: is a binary file, not a text document; give rutrans a .txt or .md file"
    )


def test_text_with_a_dos_end_of_file_mark_is_text() -> None:
    assert decode("ОВД\r\n\x1a".encode("cp1251"), PATH) == ("ОВД\r\n\x1a", "cp1251")


@pytest.mark.parametrize("text", ["Café crème, naïve façade", "Grüße aus München"])
def test_western_8bit_text_is_not_taken_for_russian(text: str) -> None:
    with pytest.raises(UserError) as err:
        decode(text.encode("latin-1"), PATH)
    assert str(err.value) == (
        f"{PATH}: cannot tell the encoding (not UTF-8, cp1251 or koi8-r); pass --encoding ENCODING"
    )


def test_utf16_says_what_it_is_and_can_be_forced() -> None:
    data = "Встреча министров".encode("utf-16")
    with pytest.raises(UserError, match=r"UTF-16.*--encoding utf-16"):
        decode(data, PATH)
    assert decode(data, PATH, forced="utf-16") == ("Встреча министров", "utf-16")


@pytest.mark.parametrize("codec", ["utf-8", "cp1251", "koi8-r"])
def test_encode_round_trips(codec: str) -> None:
    text = "органов внутренних дел\r\nв рамках ШОС\n"
    assert encode(text, codec, PATH) == text.encode(codec)


def test_encode_names_the_character_and_its_line() -> None:
    text = "Meeting of ministers\nOperation «Pautina»\n"
    with pytest.raises(UserError) as err:
        encode(text, "koi8-r", PATH)
    assert str(err.value) == (
        f"{PATH}:2: character '«' cannot be written in koi8-r; pass --output-encoding utf-8"
    )


def test_encode_with_an_unknown_codec() -> None:
    with pytest.raises(UserError, match="no-such-codec"):
        encode("ОВД", "no-such-codec", PATH)


def test_a_file_mixing_utf8_and_cp1251_lines_is_refused_with_the_line(tmp_path):
    """Read as cp1251, the UTF-8 line would reach the MT as mojibake."""
    from rutrans.encoding import decode
    from rutrans.errors import UserError

    data = (
        "Сотрудники органов внутренних дел задержали троих.\n".encode("cp1251")
        + "Встреча министров прошла в Бишкеке.\n".encode()
        + "Операция «Канал» завершена.\n".encode("cp1251")
    )
    path = tmp_path / "mixed.txt"
    with pytest.raises(UserError, match=r"mixed\.txt:2: this line is UTF-8 but line 1 is not"):
        decode(data, path)
    # A cp1251 file is still read as cp1251.
    text, codec = decode("".join(["Встреча министров.\n"] * 3).encode("cp1251"), path)
    assert codec == "cp1251" and text.startswith("Встреча")
