"""Folder trees: mirrored under OUTDIR, skipped when up to date, resumed after a kill."""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

TEXTS = {
    "a.ru.txt": "Сотрудники органов внутренних дел задержали троих.\n",
    "sub/b.md": "# В рамках ШОС\n\nПроведена операция «Паутина».\n",
    "sub/deeper/c.txt": "Министры обсудили незаконную миграцию.\n",
}
OUTPUTS = (".en{ext}", ".report.json", ".review.po", ".review.html")


def tree(root: Path, texts: dict[str, str] = TEXTS) -> Path:
    for name, text in texts.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def outputs_of(out: Path, name: str) -> list[Path]:
    path = Path(name)
    stem = path.stem.removesuffix(".ru")
    return [out / path.parent / (stem + o.format(ext=path.suffix)) for o in OUTPUTS]


def test_subfolders_are_mirrored_and_outputs_and_other_files_left_out(
    rutrans, tmp_path, tiny_model
):
    src = tree(tmp_path / "src")
    (src / "sub" / "old.en.txt").write_text("An earlier output.\n", encoding="utf-8")
    (src / "notes.csv").write_text("a,b\n", encoding="utf-8")
    out = tmp_path / "out"
    run = rutrans("translate", src, "-o", out, "--model", tiny_model, "--no-glossary")
    assert run.code == 0, run.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    expected = sorted(
        p.relative_to(out).as_posix() for name in TEXTS for p in outputs_of(out, name)
    )
    assert written == expected
    assert run.stdout.splitlines()[-1] == "3 translated, 0 up to date, 0 failed of 3 documents"


def test_glob_chooses_the_files(rutrans, tmp_path, tiny_model):
    src = tree(tmp_path / "src")
    out = tmp_path / "out"
    run = rutrans("translate", src, "-o", out, "--model", tiny_model, "--glob", "*.md")
    assert run.code == 0, run.stderr
    assert sorted(p.name for p in out.rglob("*.en.*")) == ["b.en.md"]


def test_up_to_date_documents_are_skipped_until_something_changes(rutrans, tmp_path, tiny_model):
    src = tree(tmp_path / "src")
    out = tmp_path / "out"
    args = ("translate", src, "-o", out, "--model", tiny_model)
    assert rutrans(*args).code == 0
    report = outputs_of(out, "a.ru.txt")[1]
    before = report.stat().st_mtime_ns
    again = rutrans(*args)
    assert again.stdout.splitlines()[-1] == "0 translated, 3 up to date, 0 failed of 3 documents"
    assert report.stat().st_mtime_ns == before
    # Another beam, or an edited document, is not up to date.
    assert rutrans(*args, "--beam", "2").stdout.splitlines()[-1].startswith("3 translated")
    (src / "a.ru.txt").write_text("Операция «Канал» завершена.\n", encoding="utf-8")
    assert rutrans(*args, "--beam", "2").stdout.splitlines()[-1].startswith("1 translated")
    assert (
        rutrans(*args, "--beam", "2", "--force").stdout.splitlines()[-1].startswith("3 translated")
    )


def test_a_killed_run_leaves_whole_documents_and_the_rerun_finishes_it(
    rutrans, isolated_env, tmp_path, tiny_model
):
    texts = {
        # 200 segments each: too many to share MT batches, so documents finish one by one.
        f"d{i}.txt": f"Сотрудники ОВД задержали {i} человек в ходе операции «Канал».\n" * 200
        for i in range(8)
    }
    src = tree(tmp_path / "src", texts)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "rutrans", "translate", str(src), "-o", str(out)]
    command += ["--model", str(tiny_model), "--no-cache"]
    process = subprocess.Popen(  # where the rutrans fixture runs: no glossary/ there
        command,
        env=isolated_env,
        cwd=tmp_path / "cwd",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("*.report.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    finished = [name for name in texts if outputs_of(out, name)[1].exists()]
    assert finished, "the run was killed before any document finished"
    for name in texts:  # all of a document's outputs, or none
        present = [p.exists() for p in outputs_of(out, name)]
        assert all(present) or not any(present), (name, present)
    rerun = rutrans("translate", src, "-o", out, "--model", tiny_model, "--no-cache")
    assert rerun.code == 0, rerun.stderr
    last = rerun.stdout.splitlines()[-1]
    assert last.startswith(f"{len(texts) - len(finished)} translated, {len(finished)} up to date")
    assert all(p.exists() for name in texts for p in outputs_of(out, name))


@pytest.mark.parametrize(
    "names, clash",
    [(("x.txt", "x.md"), "x.report.json"), (("x.txt", "x.ru.txt"), "x.en.txt")],
)
def test_two_documents_writing_one_file_is_refused_before_any_work(
    rutrans, tmp_path, tiny_model, names, clash
):
    src = tree(tmp_path / "src", {name: "Встреча состоялась.\n" for name in names})
    out = tmp_path / "out"
    run = rutrans("translate", src, "-o", out, "--model", tiny_model)
    assert run.code == 1
    [line] = [x for x in run.stderr.splitlines() if x.startswith("rutrans:")]
    assert clash in line and "also" in line
    assert not out.exists()


@pytest.mark.parametrize(
    "names, outdir, clash",
    [
        (("a.txt", "a.en.txt"), False, "would overwrite the input"),
        (("d1/same.txt", "d2/same.txt"), True, "same.en.txt is also"),
    ],
)
def test_named_documents_whose_outputs_meet_are_refused_and_left_as_they_were(
    rutrans, tmp_path, tiny_model, names, outdir, clash
):
    src = tree(tmp_path / "src", {name: "Встреча министров состоялась.\n" for name in names})
    before = {name: (src / name).read_bytes() for name in names}
    out = ["-o", tmp_path / "out"] if outdir else []
    run = rutrans("translate", *(src / n for n in names), *out, "--model", tiny_model)
    assert run.code == 1
    [line] = [x for x in run.stderr.splitlines() if x.startswith("rutrans:")]
    assert clash in line
    assert {name: (src / name).read_bytes() for name in names} == before
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in src.rglob("*") if p.is_file()) == sorted(
        n.split("/")[-1] for n in names
    )


def test_a_symlink_out_of_the_folder_is_not_followed(rutrans, tmp_path, tiny_model):
    outside = tree(tmp_path / "outside", {"secret.txt": "Секретный документ.\n"})
    src = tree(tmp_path / "src", {"a.txt": "Встреча состоялась.\n"})
    (src / "link.txt").symlink_to(outside / "secret.txt")
    (src / "linked-folder").symlink_to(outside, target_is_directory=True)
    out = tmp_path / "out"
    run = rutrans("translate", src, "-o", out, "--model", tiny_model)
    assert run.code == 0, run.stderr
    assert sorted(p.name for p in out.rglob("*.en.txt")) == ["a.en.txt"]


def test_a_bad_document_is_reported_and_the_others_are_translated(rutrans, tmp_path, tiny_model):
    src = tree(tmp_path / "src", {"a.txt": "Встреча состоялась.\n", "b.txt": "Задержаны трое.\n"})
    (src / "bad.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    out = tmp_path / "out"
    run = rutrans("translate", src, "-o", out, "--model", tiny_model)
    assert run.code == 1
    errors = [x for x in run.stderr.splitlines() if x.startswith("rutrans: error:")]
    assert len(errors) == 1 and "bad.txt" in errors[0]
    assert sorted(p.name for p in out.rglob("*.en.txt")) == ["a.en.txt", "b.en.txt"]
    assert run.stdout.splitlines()[-1] == "2 translated, 0 up to date, 1 failed of 3 documents"


def test_ctrl_c_exits_130_and_leaves_nothing_half_written(
    rutrans, isolated_env, tmp_path, tiny_model
):
    texts = {
        f"d{i}.txt": "Министры обсудили незаконную миграцию и торговлю людьми.\n" * 200
        for i in range(8)
    }
    src = tree(tmp_path / "src", texts)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "rutrans", "translate", str(src), "-o", str(out)]
    command += ["--model", str(tiny_model), "--no-cache"]
    process = subprocess.Popen(
        command,
        env=isolated_env,
        cwd=tmp_path / "cwd",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("*.report.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.splitlines()[-1] == "rutrans: interrupted; outputs already finished are kept"
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]
    for name in texts:
        present = [p.exists() for p in outputs_of(out, name)]
        assert all(present) or not any(present), (name, present)


def test_on_a_terminal_one_bar_counts_documents_to_the_end(isolated_env, tmp_path, tiny_model):
    # Four small documents translated together, then one over a chunk on its own.
    texts = {f"d{i}.txt": f"Сотрудники ОВД задержали {i} человек.\n" * 3 for i in range(4)}
    texts["e.txt"] = "".join(f"Министры обсудили вопрос № {i}.\n" for i in range(300))
    src = tree(tmp_path / "src", texts)
    out = tmp_path / "out"
    (tmp_path / "cwd").mkdir()
    parent, child = pty.openpty()
    os.set_inheritable(child, True)
    command = [sys.executable, "-m", "rutrans", "translate", str(src), "-o", str(out)]
    process = subprocess.Popen(
        [*command, "--model", str(tiny_model), "--no-cache"],
        env=isolated_env,
        cwd=tmp_path / "cwd",
        stdout=subprocess.DEVNULL,
        stderr=child,
    )
    os.close(child)
    seen = b""
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # the terminal closed: the run is over
            break
        if not chunk:
            break
        seen += chunk
    os.close(parent)
    assert process.wait(timeout=120) == 0
    shown = seen.decode("utf-8", "replace")
    labels = re.findall(r"(\d)/5 documents", shown)
    assert labels[-1] == "5" and labels == sorted(labels)  # counts up, to all five
    assert "100%" in shown
    assert len(set(re.findall(r"(\d+)%", shown))) > 2  # it moved, not just 0 and 100
