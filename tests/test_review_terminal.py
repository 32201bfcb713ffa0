"""`rutrans review REPORT.json`: a coloured table in a terminal, plain text when piped."""

from __future__ import annotations

import io
import json

import pytest
from conftest import GLOSSARY

from rutrans.review import terminal

SOURCE = (
    "Сотрудники ОВД задержали 27 наркокурьеров.\n"
    "Операция «Паутина» прошла в рамках ШОС.\n"
    "Совещание министров прошло в Бишкеке.\n"
)
MT = (
    "ATS officers detained drug couriers.\n"
    "Operation Spider Web took place within the SCO.\n"
    "The meeting of ministers took place in Bishkek.\n"
)


@pytest.fixture
def report(rutrans, tmp_path):
    (tmp_path / "s.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "m.txt").write_text(MT, encoding="utf-8")
    run = rutrans(
        "postedit", "--source", tmp_path / "s.txt", "--mt", tmp_path / "m.txt",
        "--glossary", GLOSSARY, "--report", tmp_path / "r.json",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    return tmp_path / "r.json"


def test_piped_it_is_plain_text_one_block_per_segment(report, rutrans):
    run = rutrans("review", report)
    assert run.code == 0, run.stderr
    assert "\x1b[" not in run.stdout  # no colour codes in a pipe
    blocks = run.stdout.split("\n\n")
    assert blocks[0].splitlines()[-1] == "QA: 1 of 3 segments flagged (1 numbers); showing 3"
    first = blocks[1].splitlines()
    assert first[0] == "#1  [flagged]"
    assert first[1] == "  ru: Сотрудники ОВД задержали 27 наркокурьеров."
    assert first[2] == "  mt: ATS officers detained drug couriers."
    assert first[3].startswith("  en: Internal affairs bodies officers detained")
    assert "  ! numbers: «27» from the source is not in the English" in first
    assert blocks[2].splitlines()[0] == "#2"
    assert "  mt: " not in blocks[2]  # unchanged by post-editing: shown once


def test_flagged_shows_only_what_needs_a_human(report, rutrans):
    run = rutrans("review", report, "--flagged")
    assert run.code == 0, run.stderr
    assert [line for line in run.stdout.splitlines() if line.startswith("#")] == ["#1  [flagged]"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_in_a_terminal_it_is_a_coloured_table(report):
    data = json.loads(report.read_text(encoding="utf-8"))
    out = Terminal()
    terminal.show(data, flagged_only=False, out=out)
    text = out.getvalue()
    assert "\x1b[" in text  # colours
    assert "⚑" in text and "numbers: «27»" in text
    plain = terminal_text(text)
    for segment in data["segments"]:
        assert segment["source"].split()[0] in plain
    assert "Spider Web" in plain and "Bishkek" in plain


def terminal_text(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_a_file_that_is_not_a_report_is_one_line(rutrans, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"segments": []}', encoding="utf-8")
    run = rutrans("review", bad)
    assert run.code == 1
    [line] = run.stderr.splitlines()
    assert line.startswith(f"rutrans: error: {bad}: not a rutrans report")
    bad.write_text("{", encoding="utf-8")
    run = rutrans("review", bad)
    assert run.code == 1 and run.stderr.startswith(f"rutrans: error: {bad}:1: not JSON")
