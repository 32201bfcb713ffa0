"""`rutrans model …`: install from a file or the index, list, and which model is used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import SEED


def test_install_from_file_then_translate_without_model_option(
    tiny_model, rutrans, tmp_path, isolated_env
):
    run = rutrans("model", "install", "--from-file", tiny_model)
    assert run.code == 0, run.stderr
    packages = Path(isolated_env["ARGOS_PACKAGES_DIR"])
    installed = packages / "translate-ru_en-standin_tiny"
    assert (installed / "metadata.json").is_file()
    assert (installed / "model" / "model.bin").is_file()
    assert str(installed) in run.stdout

    listed = rutrans("model", "list")
    assert listed.code == 0
    assert "translate-ru_en\t0.0.0+standin.tiny\t" + str(installed) in listed.stdout
    assert "stand-in" in listed.stdout

    which = rutrans("model", "which")
    assert "[installed]" in which.stdout

    out = tmp_path / "out"
    translated = rutrans("translate", SEED, "-o", out)
    assert translated.code == 0, translated.stderr
    report = json.loads((out / "kz-mvd-central-asia-meeting.report.json").read_text())
    assert report["signature"]["model"]["origin"] == "installed"


def test_model_option_beats_environment_beats_installed(tiny_model, rutrans, tmp_path):
    missing = tmp_path / "missing.argosmodel"
    from_env = rutrans("model", "which", env={"RUTRANS_MODEL": str(tiny_model)})
    assert from_env.code == 0 and "[RUTRANS_MODEL]" in from_env.stdout

    # --model wins even when RUTRANS_MODEL names a file that does not exist.
    chosen = rutrans("model", "which", "--model", tiny_model, env={"RUTRANS_MODEL": str(missing)})
    assert chosen.code == 0 and "[--model]" in chosen.stdout

    broken_env = rutrans("model", "which", env={"RUTRANS_MODEL": str(missing)})
    assert broken_env.code == 1 and "missing.argosmodel: no such file" in broken_env.stderr


def test_unpacked_package_directory_works_as_model(tiny_model, rutrans, tmp_path):
    import zipfile

    with zipfile.ZipFile(tiny_model) as archive:
        archive.extractall(tmp_path / "unpacked")
    directory = tmp_path / "unpacked" / "translate-ru_en-standin_tiny"
    run = rutrans("translate", SEED, "-o", tmp_path / "out", "--model", directory)
    assert run.code == 0, run.stderr


def test_install_without_network_says_how_to_install_from_a_file(rutrans):
    # The build machines cannot reach the Argos index: this is the real offline failure.
    run = rutrans("model", "install")
    assert run.code == 1
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert "cannot reach the Argos package index" in run.stderr
    assert "rutrans model install --from-file PATH" in run.stderr


def test_standin_installs_and_translates_through_argostranslate_itself(tiny_model, isolated_env):
    """The stand-in is a real Argos package: argostranslate's own install and translate
    accept it (with the documented offline sentencizer patch)."""
    script = f"""
import argostranslate.package as package
from rutrans.testing import offline_argos
package.install_from_path({str(tiny_model)!r})
translate = offline_argos.patch()
text = "Глава МВД РК провел встречу.\\nОперация «Паутина» завершена. Задержано 2 тыс. человек."
out = translate.translate(text, "ru", "en")
print(len(out.split("\\n")), len(out))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=isolated_env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    paragraphs, length = map(int, done.stdout.split())
    assert paragraphs == 2 and length > 0
    assert os.listdir(Path(isolated_env["ARGOS_PACKAGES_DIR"])) == ["translate-ru_en-standin_tiny"]


def test_list_ignores_folders_that_are_not_packages(tiny_model, rutrans, isolated_env):
    """argostranslate's own listing fails on a folder without metadata.json (an install
    being staged, a stray folder); rutrans's does not."""
    assert rutrans("model", "install", "--from-file", tiny_model).code == 0
    packages = Path(isolated_env["ARGOS_PACKAGES_DIR"])
    (packages / "not-a-package").mkdir()
    (packages / "stray-file.txt").write_text("x")
    listed = rutrans("model", "list")
    assert listed.code == 0, listed.stderr
    assert "translate-ru_en-standin_tiny" in listed.stdout
    assert "[installed]" in rutrans("model", "which").stdout
