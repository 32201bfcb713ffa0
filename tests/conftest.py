"""Shared fixtures: an isolated argostranslate home and a tiny stand-in model.

argostranslate reads its directories from the environment once, at import, and creates
them under $HOME; point everything at a temporary folder before anything imports it, so
tests never touch (or depend on) a developer's installed models.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

_HOME = Path(tempfile.mkdtemp(prefix="rutrans-test-home-"))
for _name, _sub in {
    "HOME": "",
    "XDG_DATA_HOME": "data",
    "XDG_CONFIG_HOME": "config",
    "XDG_CACHE_HOME": "cache",
    "ARGOS_PACKAGES_DIR": "argos-packages",
    "RUTRANS_CACHE_DIR": "rutrans-cache",
}.items():
    os.environ[_name] = str(_HOME / _sub)
os.environ.pop("RUTRANS_MODEL", None)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "translations" / "ru" / "kz-mvd-central-asia-meeting.ru.txt"
GLOSSARY = ROOT / "glossary"


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny stand-in .argosmodel (random weights), built once per test session."""
    from rutrans.testing import standin

    return standin.build(tmp_path_factory.mktemp("standin") / "tiny.argosmodel", "tiny", seed=1)


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def isolated_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a CLI subprocess with its own empty argostranslate home."""
    return env_in(tmp_path / "home")


def env_in(home: Path) -> dict[str, str]:
    """An environment that keeps a rutrans run's caches, models and memory in *home*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "RUTRANS_"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        ARGOS_PACKAGES_DIR=str(home / "argos-packages"),
        RUTRANS_CACHE_DIR=str(home / "rutrans-cache"),
    )
    return env


@pytest.fixture
def rutrans(isolated_env: dict[str, str], tmp_path: Path) -> Iterator[object]:
    """Run the real ``rutrans`` command in a subprocess, as a user would.

    It runs in an empty folder, so nothing depends on the project's own ``glossary/``
    unless a test passes ``--glossary``.
    """
    workdir = tmp_path / "cwd"
    workdir.mkdir()

    def run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", "rutrans", *map(str, args)],
            capture_output=True,
            text=True,
            env={**isolated_env, **(env or {})},
            cwd=cwd or workdir,
            timeout=300,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    yield run


def opens_in_libreoffice(document: Path) -> None:
    """Convert *document* to PDF with LibreOffice (headless), as a reader would open it;
    skips the test where LibreOffice is not installed (.ci/run installs it)."""
    import shutil

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed here")
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(document.parent),
            str(document),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    assert document.with_suffix(".pdf").stat().st_size > 0
