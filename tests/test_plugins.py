"""Formats and engines are plug-ins: a new format is one class and one registry line, and
the pipeline, outputs and CLI take it without a change."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GLOSSARY
from scripted import ScriptedEngine

from rutrans import folders, formats, outputs, pipeline
from rutrans.cli import main
from rutrans.formats import read_document
from rutrans.results import Document, Paragraph, Replacements
from rutrans.terminology import Terminology


class TabSeparated:
    """A toy format: ``id<TAB>text`` rows, the text of each row one paragraph."""

    name = "tsv"
    suffixes: tuple[str, ...] = (".tsv",)

    def read(self, path: Path, encoding: str | None = None) -> Document:
        text = path.read_text(encoding=encoding or "utf-8")
        paragraphs, offset = [], 0
        for number, row in enumerate(text.splitlines(keepends=True), start=1):
            key, _, cell = row.rstrip("\n").partition("\t")
            start = offset + len(key) + 1
            paragraphs.append(
                Paragraph(
                    len(paragraphs), start, start + len(cell), number, cell, ((0, len(cell)),)
                )
            )
            offset += len(row)
        return Document(path, self.name, encoding or "utf-8", text, tuple(paragraphs))

    def write(
        self, document: Document, pieces: Replacements, path: Path, encoding: str | None = None
    ) -> None:
        rows = []
        for paragraph in document.paragraphs:
            key = document.text[: paragraph.start].rsplit("\n", 1)[-1].rstrip("\t")
            cell = paragraph.text
            for start, end, new in reversed(pieces.get(paragraph.index, [])):
                cell = cell[:start] + new + cell[end:]
            rows.append(f"{key}\t{cell}\n")
        path.write_text("".join(rows), encoding=encoding or document.encoding)


@pytest.fixture
def tsv() -> Iterator[TabSeparated]:
    fmt = TabSeparated()
    formats.register(fmt)
    yield fmt
    formats.unregister(fmt.name)


ROWS = (
    "r1\tСотрудники органов внутренних дел провели операцию «Паутина».\n"
    "r2\tВстреча прошла в рамках ШОС.\n"
)


def test_a_registered_format_translates_end_to_end(tsv, tmp_path):
    source = tmp_path / "brief.ru.tsv"
    source.write_text(ROWS, encoding="utf-8")
    engine = ScriptedEngine(
        {
            "Сотрудники органов внутренних дел провели операцию «Паутина».": (
                "Officers of the internal affairs agencies conducted Operation Web."
            ),
            "Встреча прошла в рамках ШОС.": "The meeting took place within the SCO.",
        }
    )
    [planned] = folders.plan([tmp_path], None)  # found in a folder by its suffix
    document = read_document(planned.source)
    result = pipeline.translate(document, engine, Terminology.load([GLOSSARY]))
    paths = outputs.paths_for(document.path, tmp_path / "out")
    outputs.write_translation(result, paths)
    assert paths.translation == tmp_path / "out" / "brief.en.tsv"
    assert paths.translation.read_text(encoding="utf-8") == (
        "r1\tOfficers of the internal affairs bodies conducted Operation Spider Web.\n"
        "r2\tThe meeting took place within the SCO.\n"
    )
    report = json.loads(paths.report.read_text(encoding="utf-8"))
    assert report["signature"]["input"]["format"] == "tsv"
    assert [s["line"] for s in report["segments"]] == [1, 2]
    assert report["summary"]["fixed"] == 2


def test_the_cli_takes_a_registered_format(tsv, tiny_model, tmp_path, monkeypatch):
    source = tmp_path / "brief.tsv"
    source.write_text(ROWS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(
        main, ["translate", str(source), "-o", "out", "--model", str(tiny_model), "--no-glossary"]
    )
    assert run.exit_code == 0, run.output
    translated = (tmp_path / "out" / "brief.en.tsv").read_text(encoding="utf-8").splitlines()
    assert [row.split("\t")[0] for row in translated] == ["r1", "r2"]


def test_an_unregistered_suffix_is_refused_naming_what_is_read(tmp_path):
    source = tmp_path / "brief.tsv"
    source.write_text(ROWS, encoding="utf-8")
    run = CliRunner().invoke(main, ["translate", str(source)])
    assert run.exit_code == 1
    assert (
        f"{source}: unsupported format '.tsv'; rutrans reads .txt, .md, .docx, .odt and .html"
        in run.output
    )


def test_registered_formats_are_named_in_messages(tsv):
    assert formats.registry.described("or") == ".txt, .md, .docx, .odt, .html or .tsv"
