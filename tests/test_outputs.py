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


def test_a_killed_writers_temporary_is_cleaned_by_the_next_write(tmp_path):
    from rutrans import atomic

    target = tmp_path / "brief.en.txt"
    dead = tmp_path / ".brief.en.txt.rutrans-999999999-abc123.part"  # no such process
    alive = tmp_path / f".brief.en.txt.rutrans-{os.getpid()}-def456.part"  # a writer at work
    other = tmp_path / ".other.txt.rutrans-999999999-abc123.part"  # another file's
    for path in (dead, alive, other):
        path.write_text("half", encoding="utf-8")
    atomic.write_text(target, "The meeting.\n")
    assert target.read_text(encoding="utf-8") == "The meeting.\n"
    assert not dead.exists() and alive.exists() and other.exists()


def test_an_output_that_is_a_folder_is_one_line(tmp_path):
    from rutrans import atomic
    from rutrans.errors import UserError

    (tmp_path / "out.txt").mkdir()
    with pytest.raises(UserError, match=r"out\.txt: is a folder"):
        atomic.write_text(tmp_path / "out.txt", "x")


def test_a_full_disk_is_one_line_and_leaves_no_partial_file(
    rutrans, isolated_env, tmp_path, tiny_model
):
    """A file-size limit stands in for a full disk: the write fails with EFBIG."""
    import resource
    import signal
    import subprocess
    import sys

    source = tmp_path / "long.ru.txt"
    source.write_text(
        "Сотрудники органов внутренних дел задержали троих.\n" * 400, encoding="utf-8"
    )
    out = tmp_path / "out"
    out.mkdir()
    assert rutrans("model", "which", "--model", tiny_model).code == 0  # unpacked, unlimited

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run(
        [sys.executable, "-m", "rutrans", "translate", str(source), "-o", str(out),
         "--model", str(tiny_model), "--no-glossary", "--no-cache", "--no-tm"],
        env=isolated_env, cwd=tmp_path, capture_output=True, text=True, preexec_fn=limited,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("rutrans:")]
    assert len(errors) == 1 and "cannot be written" in errors[0] and "space" in errors[0]
    assert list(out.iterdir()) == []  # nothing, not even a temporary


def test_a_report_written_a_segment_at_a_time_is_the_json_of_the_whole(tmp_path):
    """The report, review PO and page are written in pieces (a long document's are never
    whole strings); the files are what writing each whole would give."""
    import polib
    from conftest import GLOSSARY

    from rutrans.report import translation_report
    from rutrans.review.html import review_html

    sentences = {
        "Сотрудники органов внутренних дел задержали «курьера».": "Police detained a courier.",
        "Операция «Канал» прошла в странах ОДКБ.": 'Operation "Channel" took place in the CSTO.',
        "Итоги подвели в Бишкеке в пятницу.": "The results were summed up in Bishkek.",
    }
    source = tmp_path / "brief.ru.txt"
    source.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    result = pipeline.translate(
        read_document(source), ScriptedEngine(dict(sentences)), Terminology.load([GLOSSARY])
    )
    paths = outputs.paths_for(source, tmp_path / "out")
    outputs.write_translation(result, paths)

    whole = translation_report(result)
    whole["segments"] = list(whole["segments"])
    assert len(whole["segments"]) == 3 and whole["notes"] and whole["summary"]["occurrences"]
    written = paths.report.read_text(encoding="utf-8")
    assert written == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    assert paths.review_html.read_text(encoding="utf-8") == review_html(whole)
    po_text = paths.review_po.read_text(encoding="utf-8")
    assert str(polib.pofile(po_text, wrapwidth=0)) + "\n" == po_text
    assert [e.msgctxt for e in polib.pofile(po_text)] == ["1", "2", "3"]
