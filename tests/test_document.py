"""Reading documents, splicing translations in, and writing them back unchanged elsewhere."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from rutrans.errors import UserError
from rutrans.formats import read_document, registry, write_document
from rutrans.formats.textfile import render
from rutrans.results import Document

PRESS = Path(__file__).resolve().parents[1] / "translations/ru/kz-mvd-central-asia-meeting.ru.txt"

# Lines of the real press release, with inflected forms the glossary cares about.
L1 = "На встрече были рассмотрены актуальные вопросы сотрудничества органов внутренних дел."
L2 = "А в рамках Шанхайской организации сотрудничества проведена операция «Паутина»."
L3 = "Реализуем совместные программы на пространстве СНГ, в рамках ШОС."


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def translate_all(doc: Document, fn: object = str.upper) -> str:
    """Replace every span with fn(span): a stand-in MT that shows where spans are."""
    assert callable(fn)
    reps = {p.index: [(s, e, fn(p.text[s:e])) for s, e in p.spans] for p in doc.paragraphs}
    return render(doc, reps)


def span_texts(doc: Document) -> list[str]:
    return [p.text[s:e] for p in doc.paragraphs for s, e in p.spans]


# --- byte-identical round trips ------------------------------------------------------

ROUND_TRIPS = {
    "utf8-lf": f"{L1}\n\n{L2}\n".encode(),
    "utf8-bom": codecs.BOM_UTF8 + f"{L1}\r\n{L2}\r\n".encode(),
    "cp1251-crlf": f"{L1}\r\n\r\n   {L2}  \r\n{L3}\r\n".encode("cp1251"),
    "koi8r": f"{L3}\n\t{L1}\n".replace("«", '"').replace("»", '"').encode("koi8-r"),
    "mixed-endings": f"{L1}\r\n{L2}\n\r{L3}\r".encode(),
    "no-final-newline": f"{L1}\n{L2}".encode(),
    "whole-press-release": PRESS.read_bytes(),
}


@pytest.mark.parametrize("suffix", [".txt", ".md"])
@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_round_trip_is_byte_identical(tmp_path: Path, name: str, suffix: str) -> None:
    data = ROUND_TRIPS[name]
    doc = read_document(write(tmp_path, f"in{suffix}", data))
    assert doc.paragraphs  # there was something to translate
    out = tmp_path / f"out{suffix}"
    write_document(doc, {}, out)
    assert out.read_bytes() == data


def test_round_trip_of_a_rich_markdown_file(tmp_path: Path) -> None:
    data = (
        "---\r\ntitle: Встреча\r\n---\r\n# Встреча министров\r\n\r\n"
        "| Страна | Столица |\r\n|---|---|\r\n| Казахстан | Астана |\r\n\r\n"
        "```\r\nкод\r\n```\r\n> цитата\r\n- пункт\r\n"
    ).encode("cp1251")
    doc = read_document(write(tmp_path, "doc.md", data))
    write_document(doc, {}, doc.path)  # in place
    assert doc.path.read_bytes() == data
    assert doc.encoding == "cp1251"


def test_encodings_are_reported_and_kept(tmp_path: Path) -> None:
    bom = read_document(write(tmp_path, "a.txt", ROUND_TRIPS["utf8-bom"]))
    assert bom.encoding == "utf-8-sig"
    assert not bom.text.startswith("\ufeff")
    assert read_document(write(tmp_path, "b.txt", ROUND_TRIPS["cp1251-crlf"])).encoding == "cp1251"
    assert read_document(write(tmp_path, "c.txt", ROUND_TRIPS["koi8r"])).encoding == "koi8-r"
    short = write(tmp_path, "d.txt", "в рамках ШОС\n".encode("koi8-r"))
    assert read_document(short).text == "в рамках ШОС\n"


# --- paragraphs ----------------------------------------------------------------------


def test_txt_paragraphs_are_lines_with_trimmed_spans(tmp_path: Path) -> None:
    text = f"{L1}\r\n\r\n   {L2}  \r\n2024\r\n{L3}"
    doc = read_document(write(tmp_path, "p.txt", text.encode()))
    assert doc.kind == "txt"
    assert [(p.index, p.line, p.text) for p in doc.paragraphs] == [
        (0, 1, L1),
        (1, 3, f"   {L2}  "),
        (2, 5, L3),  # "2024" has no letter: nothing for the MT to do
    ]
    assert doc.paragraphs[1].spans == ((3, 3 + len(L2)),)
    for p in doc.paragraphs:
        assert doc.text[p.start : p.end] == p.text


def test_md_paragraphs_come_from_markdown_blocks(tmp_path: Path) -> None:
    text = "# Встреча министров\n\n```\nкод МВД\n```\n\nАбзац про ОВД\nвторая строка.\n"
    doc = read_document(write(tmp_path, "p.markdown", text.encode()))
    assert doc.kind == "md"
    assert [(p.line, p.text) for p in doc.paragraphs] == [
        (1, "# Встреча министров"),
        (7, "Абзац про ОВД\nвторая строка."),
    ]
    assert "код МВД" not in " ".join(span_texts(doc))


def test_suffixes_are_case_insensitive(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "README.MD", "# Заголовок\n".encode())).kind == "md"
    suffixes = (".txt", ".text", ".md", ".markdown", ".TXT")
    assert {registry.for_path(Path(f"a{s}")).name for s in suffixes} == {"txt", "md"}


# --- replacements --------------------------------------------------------------------

MD = (
    "## Встреча министров\n"
    "\n"
    "- органов внутренних дел\n"
    "- сотрудники **ОВД** и [сайт МВД](https://example.kz/a_b)\n"
    "\n"
    "```python\n"
    "print('код не переводится')\n"
    "```\n"
)


def test_markdown_syntax_survives_translation(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "m.md", MD.encode()))
    english = {
        "Встреча министров": "Meeting",
        "органов внутренних дел": "internal affairs bodies",
        "сотрудники": "officers of",
        "ОВД": "the police",
        "и": "and",
        "сайт МВД": "MVD website",
    }
    assert sorted(span_texts(doc)) == sorted(english)
    out = translate_all(doc, english.__getitem__)
    assert out == (
        "## Meeting\n"
        "\n"
        "- internal affairs bodies\n"
        "- officers of **the police** and [MVD website](https://example.kz/a_b)\n"
        "\n"
        "```python\n"
        "print('код не переводится')\n"
        "```\n"
    )


def test_replacements_keep_crlf_and_indentation(tmp_path: Path) -> None:
    data = f"  {L1}\r\n\r\n\t{L2}\r\n".encode("cp1251")
    doc = read_document(write(tmp_path, "t.txt", data))
    reps = {0: [(2, 2 + len(L1), "Meeting.")], 1: [(1, 1 + len(L2), "Operation.")]}
    assert render(doc, reps) == "  Meeting.\r\n\r\n\tOperation.\r\n"
    write_document(doc, reps, tmp_path / "t.en.txt")
    assert (tmp_path / "t.en.txt").read_bytes() == b"  Meeting.\r\n\r\n\tOperation.\r\n"


def test_several_replacements_in_one_paragraph(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "s.txt", "органов внутренних дел\n".encode()))
    out = render(doc, {0: [(0, 7, "bodies"), (8, 18, "of internal"), (19, 22, "affairs")]})
    assert out == "bodies of internal affairs\n"


@pytest.mark.parametrize(
    "reps",
    [
        {0: [(0, 5, "a"), (3, 8, "b")]},  # overlap
        {0: [(5, 8, "a"), (0, 2, "b")]},  # out of order
        {0: [(0, 999, "a")]},  # past the paragraph
        {7: [(0, 1, "a")]},  # no such paragraph
    ],
)
def test_bad_replacements_are_programming_errors(
    tmp_path: Path, reps: dict[int, list[tuple[int, int, str]]]
) -> None:
    doc = read_document(write(tmp_path, "v.txt", f"{L1}\n".encode()))
    with pytest.raises(ValueError):
        render(doc, reps)


def test_output_encoding_override(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "k.txt", "в рамках ШОС\n".encode("koi8-r")))
    reps = {0: [(0, len("в рамках ШОС"), "в рамках «ШОС»")]}
    write_document(doc, reps, tmp_path / "k.utf8.txt", encoding="utf-8")
    assert (tmp_path / "k.utf8.txt").read_bytes() == "в рамках «ШОС»\n".encode()


def test_unwritable_character_names_file_line_and_fix_and_leaves_no_file(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "k.txt", "ШОС\nОВД\n".encode("koi8-r")))
    target = tmp_path / "k.en.txt"
    target.write_bytes(b"old translation\n")
    with pytest.raises(UserError) as err:
        write_document(doc, {0: [(0, 3, "SCO")], 1: [(0, 3, "Operation «Pautina»")]}, target)
    assert str(err.value) == (
        f"{target}:2: character '«' cannot be written in koi8-r; pass --output-encoding utf-8"
    )
    assert target.read_bytes() == b"old translation\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.en.txt", "k.txt"]


# --- errors --------------------------------------------------------------------------


def error_of(path: Path, encoding: str | None = None) -> str:
    with pytest.raises(UserError) as err:
        read_document(path, encoding)
    message = str(err.value)
    assert str(path) in message and "\n" not in message
    return message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "нет.txt"
    assert error_of(path) == f"{path}: no such file; check the path"


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "docs.md").mkdir()
    assert "is a directory" in error_of(tmp_path / "docs.md")


@pytest.mark.parametrize("name, shown", [("report.pdf", "'.pdf'"), ("README", "(no suffix)")])
def test_unsupported_format(tmp_path: Path, name: str, shown: str) -> None:
    path = write(tmp_path, name, b"text")
    assert (
        error_of(path)
        == f"{path}: unsupported format {shown}; rutrans reads .txt, .md, .docx, .odt and .html"
    )


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.txt", "ОВД".encode())

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    # Tests may run as root, where chmod 000 does not stop a read.
    monkeypatch.setattr(Path, "open", denied)
    assert error_of(path) == f"{path}: permission denied; make the document readable"


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n", codecs.BOM_UTF8])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "empty.md", data)
    assert error_of(path) == f"{path}: is empty; nothing to translate"


def test_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path, "scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert error_of(path).endswith(
        "is a binary file, not a text document; give rutrans a .txt or .md file"
    )


def test_undetectable_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "fr.txt", "Café crème, naïve façade".encode("latin-1"))
    assert error_of(path).endswith("pass --encoding ENCODING")


def test_wrong_forced_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "cp.txt", f"{L1}\n{L2}\n".encode("cp1251"))
    assert error_of(path, "utf-8") == (
        f"{path}:1: bytes that are not valid utf-8; check the file or pass the right --encoding"
    )
    assert read_document(path, "cp1251").paragraphs[1].text == L2
