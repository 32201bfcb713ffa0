"""Writing a result's files: the umask's mode, an existing file's mode, both files or none."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from scripted import ScriptedEngine

from rutrans import outputs, pipeline
from rutrans.formats import read_document
from rutrans.terminology import Terminology

SENTENCE = "Встреча прошла в рамках ШОС."


@pytest.fixture
def umask() -> Iterator[object]:
    previous = os.umask(0o022)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(previous)


def translate(tmp_path: Path, outdir: Path) -> outputs.OutputPaths:
    source = tmp_path / "brief.ru.txt"
    source.write_text(f"{SENTENCE}\n", encoding="utf-8")
    result = pipeline.translate(
        read_document(source), ScriptedEngine({SENTENCE: "The meeting."}), Terminology.empty()
    )
    paths = outputs.paths_for(source, outdir)
    outputs.write_translation(result, paths)
    return paths


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_outputs_get_the_umasks_mode(tmp_path, umask, mask, expected):
    umask(mask)
    paths = translate(tmp_path, tmp_path / "out")
    assert (mode(paths.translation), mode(paths.report)) == (expected, expected)


def test_an_existing_output_keeps_its_mode(tmp_path, umask):
    out = tmp_path / "out"
    out.mkdir()
    (out / "brief.en.txt").write_text("old\n")
    os.chmod(out / "brief.en.txt", 0o640)
    paths = translate(tmp_path, out)
    assert paths.translation.read_text() == "The meeting.\n"
    assert mode(paths.translation) == 0o640 and mode(paths.report) == 0o644


def test_no_temporary_files_are_left(tmp_path, umask):
    paths = translate(tmp_path, tmp_path / "out")
    assert sorted(p.name for p in paths.translation.parent.iterdir()) == [
        "brief.en.txt",
        "brief.report.json",
        "brief.review.html",
        "brief.review.po",
    ]
    assert json.loads(paths.report.read_text())["segments"][0]["final"] == "The meeting."


def test_output_names_drop_the_russian_language_tag(tmp_path):
    paths = outputs.paths_for(tmp_path / "brief.ru.md", tmp_path / "out")
    assert paths == outputs.OutputPaths(
        tmp_path / "out" / "brief.en.md",
        tmp_path / "out" / "brief.report.json",
        tmp_path / "out" / "brief.review.po",
        tmp_path / "out" / "brief.review.html",
    )
    assert outputs.is_translation(paths.translation)
