"""``rutrans translate --ray``: the same outputs as a local run, skipped when up to date,
and only what is missing redone after outputs are lost."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

SUBJECTS = (
    "Сотрудники органов внутренних дел",
    "Пограничники Казахстана",
    "Министры стран Центральной Азии",
    "Следователи управления полиции",
    "Представители таможенной службы",
)
ACTIONS = (
    "задержали троих подозреваемых в незаконной миграции.",
    "обсудили борьбу с наркотрафиком на совещании в Бишкеке.",
    "провели совместную операцию «Паутина» в рамках ШОС.",
    "изъяли крупную партию героина у жителя Алматы.",
)


DOCUMENTS = 20


def archive(root: Path) -> list[Path]:
    """DOCUMENTS short Russian articles in subfolders, .txt and .md."""
    made = []
    for number in range(DOCUMENTS):
        subject = SUBJECTS[number % len(SUBJECTS)]
        action = ACTIONS[number % len(ACTIONS)]
        folder = root / f"{2020 + number % 3}" / ("весна" if number % 2 else "осень")
        folder.mkdir(parents=True, exist_ok=True)
        if number % 3 == 0:
            path = folder / f"статья-{number}.md"
            text = f"# Сводка номер {number}\n\n{subject} {action}\n\nПодробности уточняются.\n"
        else:
            path = folder / f"статья-{number}.ru.txt"
            text = f"{subject} {action} Об этом сообщила пресс-служба ведомства.\n"
        path.write_text(text, encoding="utf-8")
        made.append(path)
    return made


def summary(translated: int, up_to_date: int, failed: int) -> str:
    """The last line of a folder run over the archive."""
    return (
        f"{translated} translated, {up_to_date} up to date, {failed} failed "
        f"of {DOCUMENTS} documents"
    )


def contents(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def hooked(tmp_path: Path, sitecustomize: str, **extra: str) -> dict[str, str]:
    """An environment whose Python processes (the driver and Ray's workers, which inherit
    PYTHONPATH) first run *sitecustomize*, with their own empty segment cache."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(sitecustomize, encoding="utf-8")
    pythonpath = os.pathsep.join(p for p in (str(hook), os.environ.get("PYTHONPATH")) if p)
    return {"PYTHONPATH": pythonpath, "RUTRANS_CACHE_DIR": str(tmp_path / "ray-cache"), **extra}


@pytest.fixture
def with_ray() -> None:
    pytest.importorskip("ray")
    pytest.importorskip("ray.data")


def test_a_ray_run_writes_what_a_local_run_writes_and_resumes(
    with_ray, rutrans, tmp_path, tiny_model
):
    archive(tmp_path / "cwd" / "src")
    common = ("translate", "src", "-o", "out", "--model", tiny_model, "--no-glossary")
    local = rutrans(*common)
    assert local.code == 0, local.stderr
    expected = contents(tmp_path / "cwd" / "out")
    assert len(expected) == 4 * DOCUMENTS  # four outputs for each document
    assert not any(b'"seconds"' in data or b'"elapsed' in data for data in expected.values())
    shutil.rmtree(tmp_path / "cwd" / "out")

    # Its own empty segment cache: the workers translate, rather than read the local run's.
    ray_env = {"RUTRANS_CACHE_DIR": str(tmp_path / "ray-cache")}
    ray_args = (*common, "--ray", "local", "--workers", "2")
    distributed = rutrans(*ray_args, env=ray_env)
    assert distributed.code == 0, distributed.stderr
    assert summary(DOCUMENTS, 0, 0) in distributed.stdout
    assert f"{DOCUMENTS}/{DOCUMENTS} documents" in distributed.stderr
    assert "Traceback" not in distributed.stderr
    assert contents(tmp_path / "cwd" / "out") == expected

    # A bare --ray before the folder: the folder is a document, not Ray's address.
    again = rutrans("translate", "--ray", "src", *common[2:], "--workers", "2", env=ray_env)
    assert again.code == 0, again.stderr
    assert summary(0, DOCUMENTS, 0) in again.stdout

    # A killed job leaves some documents without outputs (or, between its renames, without
    # a report): a re-run redoes those, and only those.
    out = tmp_path / "cwd" / "out"
    (out / "2021" / "весна" / "статья-1.report.json").unlink()
    (out / "2022" / "осень" / "статья-2.en.txt").unlink()
    for path in (out / "2020" / "весна").glob("статья-3.*"):
        path.unlink()
    resumed = rutrans(*ray_args, env=ray_env)
    assert resumed.code == 0, resumed.stderr
    assert summary(3, DOCUMENTS - 3, 0) in resumed.stdout
    assert "3/3 documents" in resumed.stderr
    assert contents(out) == expected


def test_without_ray_the_option_says_how_to_install_it(rutrans, tmp_path, tiny_model):
    blocker = tmp_path / "no-ray"
    (blocker / "ray").mkdir(parents=True)
    (blocker / "ray" / "__init__.py").write_text("raise ImportError('not installed')\n")
    archive(tmp_path / "cwd" / "src")
    pythonpath = os.pathsep.join(p for p in (str(blocker), os.environ.get("PYTHONPATH")) if p)
    run = rutrans(
        "translate", "src", "-o", "out", "--model", tiny_model, "--no-glossary", "--ray",
        env={"PYTHONPATH": pythonpath},
    )  # fmt: skip
    assert run.code == 1
    assert run.stderr == "rutrans: error: --ray needs Ray: pip install 'rutrans[ray]'\n"
    assert not (tmp_path / "cwd" / "out").exists()


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("headnode", "--ray headnode: not a Ray address; give HOST:PORT"),
        ("127.0.0.1:1", "--ray 127.0.0.1:1: no Ray cluster answers there"),
    ],
)
def test_a_wrong_cluster_address_is_one_line_at_once(
    with_ray, rutrans, tmp_path, tiny_model, address, said
):
    archive(tmp_path / "cwd" / "src")
    run = rutrans(
        "translate", "src", "-o", "out", "--model", tiny_model, "--no-glossary",
        "--ray", address,
    )  # fmt: skip
    assert run.code == 1
    errors = [line for line in run.stderr.splitlines() if "warning:" not in line]
    assert len(errors) == 1
    assert errors[0].startswith(f"rutrans: error: {said}")
    assert "ray start --head" in errors[0] or "ray://HOST:10001" in errors[0]  # what to do
    assert not (tmp_path / "cwd" / "out").exists()


def test_gpu_workers_on_the_cpu_device_are_refused(rutrans, tmp_path, tiny_model):
    archive(tmp_path / "cwd" / "src")
    run = rutrans(
        "translate", "src", "-o", "out", "--model", tiny_model, "--ray", "local",
        "--gpus-per-worker", "1",
    )  # fmt: skip
    assert run.code == 1
    assert run.stderr.startswith("rutrans: error: --gpus-per-worker gives each worker a GPU")
    assert "--device cuda" in run.stderr
    assert not (tmp_path / "cwd" / "out").exists()


def test_workers_without_ray_is_refused(rutrans, tmp_path, tiny_model):
    archive(tmp_path / "cwd" / "src")
    run = rutrans("translate", "src", "-o", "out", "--model", tiny_model, "--workers", "2")
    assert run.code == 1
    assert run.stderr.startswith("rutrans: error: --workers and --gpus-per-worker go with --ray")
    assert not (tmp_path / "cwd" / "out").exists()


# Loaded by every Python process of the run (driver and Ray workers inherit PYTHONPATH):
# the first document any worker starts kills that worker's process, once in the whole run.
KILL_ONCE = """
import os
import re
import signal

marker = os.environ.get("RUTRANS_TEST_KILL_MARKER")
if marker:
    from rutrans.distributed.actor import Translator

    translate_one = Translator._one

    def _one(self, source, paths):
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return translate_one(self, source, paths)
        os.kill(os.getpid(), signal.SIGKILL)

    Translator._one = _one
"""


def test_a_worker_killed_mid_run_is_replaced_and_the_outputs_are_complete(
    with_ray, rutrans, tmp_path, tiny_model
):
    archive(tmp_path / "cwd" / "src")
    common = ("translate", "src", "-o", "out", "--model", tiny_model, "--no-glossary")
    local = rutrans(*common)
    assert local.code == 0, local.stderr
    expected = contents(tmp_path / "cwd" / "out")
    assert len(expected) == 4 * DOCUMENTS
    shutil.rmtree(tmp_path / "cwd" / "out")

    marker = tmp_path / "killed-once"
    env = hooked(tmp_path, KILL_ONCE, RUTRANS_TEST_KILL_MARKER=str(marker))
    killed = rutrans(*common, "--ray", "local", "--workers", "1", env=env)
    assert marker.exists()  # a worker did die
    assert killed.code == 0, killed.stderr
    assert summary(DOCUMENTS, 0, 0) in killed.stdout
    assert "Traceback" not in killed.stderr
    # Every document's outputs, byte for byte, and nothing else (no temporaries).
    assert contents(tmp_path / "cwd" / "out") == expected


# A document whose translation kills its worker every time (as one that runs the node out
# of memory would): Ray retries it a bounded number of times, then the run reports it and
# finishes the others.
KILL_ON_POISON = """
import os
import re
import signal

poison = os.environ.get("RUTRANS_TEST_POISON")
if poison:
    from rutrans.distributed.actor import Translator

    translate_one = Translator._one

    def _one(self, source, paths):
        if poison in str(source):
            with open(os.environ["RUTRANS_TEST_POISON_LOG"], "a") as log:
                log.write("killed\\n")
            os.kill(os.getpid(), signal.SIGKILL)
        return translate_one(self, source, paths)

    Translator._one = _one
"""


def test_a_document_that_kills_its_worker_every_time_fails_alone_after_bounded_retries(
    with_ray, rutrans, tmp_path, tiny_model
):
    from rutrans.distributed.session import RETRIES

    archive(tmp_path / "cwd" / "src")
    log = tmp_path / "kills"
    env = hooked(
        tmp_path, KILL_ON_POISON, RUTRANS_TEST_POISON="статья-4", RUTRANS_TEST_POISON_LOG=str(log)
    )
    run = rutrans(
        "translate", "src", "-o", "out", "--model", tiny_model, "--no-glossary",
        "--ray", "local", "--workers", "2", env=env,
    )  # fmt: skip
    assert run.code == 1
    assert "Traceback" not in run.stderr
    assert log.read_text().count("killed") == RETRIES + 1
    assert "(raylet)" not in run.stdout + run.stderr  # Ray's own reports are kept aside
    assert f"rutrans: warning: Ray workers died {RETRIES + 1} times" in run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("rutrans: error:")]
    assert len(errors) == 1
    assert "статья-4" in errors[0] and "run again" in errors[0]
    assert summary(DOCUMENTS - 1, 0, 1) in run.stdout
    written = contents(tmp_path / "cwd" / "out")
    assert len(written) == 4 * (DOCUMENTS - 1)
    assert not any("статья-4" in name for name in written)


def test_a_ray_rerun_after_a_glossary_edit_takes_all_mt_from_the_nodes_cache(
    with_ray, rutrans, tmp_path, tiny_model
):
    from conftest import GLOSSARY

    archive(tmp_path / "cwd" / "src")
    glossary = tmp_path / "cwd" / "glossary"
    shutil.copytree(GLOSSARY, glossary)
    ray_env = {"RUTRANS_CACHE_DIR": str(tmp_path / "ray-cache")}
    args = ("translate", "src", "-o", "out", "--model", tiny_model, "--glossary", glossary,
            "--ray", "local", "--workers", "2")  # fmt: skip
    first = rutrans(*args, env=ray_env)
    assert first.code == 0, first.stderr
    filled = re.findall(r"  cache: (\d+) of (\d+) MT inputs from the cache", first.stdout)
    assert len(filled) == DOCUMENTS
    assert any(hits == "0" for hits, _ in filled)  # the first documents needed the MT

    # A reviewer edits a note: every document is out of date (the glossary is signed in
    # its report), and every MT input comes from the cache the first run filled.
    po = sorted(glossary.rglob("*.po"))[0]
    text = po.read_text(encoding="utf-8")
    assert "\n#. " in text
    po.write_text(text.replace("\n#. ", "\n#. Reviewed. ", 1), encoding="utf-8")
    again = rutrans(*args, env=ray_env)
    assert again.code == 0, again.stderr
    assert summary(DOCUMENTS, 0, 0) in again.stdout
    cached = re.findall(r"  cache: (\d+) of (\d+) MT inputs from the cache", again.stdout)
    assert len(cached) == DOCUMENTS
    assert all(hits == total and int(total) > 0 for hits, total in cached)
