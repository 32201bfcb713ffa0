"""Model packages on disk: hostile archives, odd paths, folders that cannot be written,
concurrent and interrupted unpacking and installing, and damaged cache entries.

Every failure ends as one ``rutrans: error:`` line with nothing left behind; every
interruption leaves something the next run cleans up or repairs.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import SEED, Run

ROOT = "translate-ru_en-standin_tiny"
DROP_OVERRIDE = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
]


def cli(
    env: dict[str, str],
    *args: str | Path,
    timeout: float = 120,
    prefix: Sequence[str] = (),
    **extra: str,
) -> Run:
    """The real CLI with a timeout short enough to catch a hang (a FIFO read)."""
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "rutrans", *map(str, args)],
        capture_output=True,
        text=True,
        env={**env, **extra},
        cwd=Path(env["HOME"]).parent,  # a folder without glossary/, as the rutrans fixture
        timeout=timeout,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def assert_one_line_error(run: Run, *fragments: str) -> str:
    assert run.code == 1, (run.code, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rutrans: error: "), run.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if not p.is_dir()) if folder.exists() else []


def leftovers(folder: Path) -> list[str]:
    """Staging folders, moved-aside old versions and lock files rutrans left in *folder*."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or "rutrans" in p.name)


def dirs(env: dict[str, str]) -> tuple[Path, Path]:
    """(the rutrans cache's model folder, argostranslate's package folder)."""
    return Path(env["RUTRANS_CACHE_DIR"]) / "models", Path(env["ARGOS_PACKAGES_DIR"])


def patch_central(path: Path, member_suffix: str, offset: int, fmt: str, value: int) -> None:
    """Overwrite a field of *member_suffix*'s central directory entry (CRC at 16, sizes at
    20/24) without touching its data: what a corrupted or crafted archive declares."""
    data = bytearray(path.read_bytes())
    start = data.find(b"PK\x01\x02")
    while start != -1:
        name_len = struct.unpack_from("<H", data, start + 28)[0]
        name = bytes(data[start + 46 : start + 46 + name_len]).decode()
        if name.endswith(member_suffix):
            struct.pack_into(fmt, data, start + offset, value)
            path.write_bytes(bytes(data))
            return
        start = data.find(b"PK\x01\x02", start + 46)
    raise AssertionError(f"no member {member_suffix}")


def copy_with(tiny_model: Path, target: Path, extra: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(tiny_model) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        for name, data in extra.items():
            dst.writestr(name, data)
    return target


# --- 1. hostile or damaged archives ------------------------------------------------------


def _bad_crc(tiny_model: Path, target: Path) -> Path:
    target.write_bytes(tiny_model.read_bytes())
    patch_central(target, "model/model.bin", 16, "<I", 0x12345678)
    return target


def _declared_bomb(tiny_model: Path, target: Path) -> Path:
    """Two members that declare ~3.75 GiB each: 7.5 GiB in all, from a 1 MB file."""
    target.write_bytes(tiny_model.read_bytes())
    patch_central(target, "model/model.bin", 24, "<I", 0xF0000000)
    patch_central(target, "sentencepiece.model", 24, "<I", 0xF0000000)
    return target


def _too_many_members(tiny_model: Path, target: Path) -> Path:
    return copy_with(tiny_model, target, {f"{ROOT}/junk/{i}": b"" for i in range(10_001)})


def _dotdot(tiny_model: Path, target: Path) -> Path:
    return copy_with(tiny_model, target, {f"{ROOT}/../../escaped.txt": b"gotcha"})


def _absolute(tiny_model: Path, target: Path) -> Path:
    return copy_with(tiny_model, target, {f"/tmp/{ROOT}/absolute.txt": b"gotcha"})


HOSTILE = {
    "bad-crc": (_bad_crc, "CRC"),
    "declared-bomb": (_declared_bomb, "4 GiB"),
    "too-many-members": (_too_many_members, "10000 members"),
    "dotdot-member": (_dotdot, "unsafe member name"),
    "absolute-member": (_absolute, "unsafe member name"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
@pytest.mark.parametrize("command", ["model", "install"])
def test_hostile_archive_is_one_line_and_leaves_nothing(
    kind, command, tiny_model, isolated_env, tmp_path
):
    make, fragment = HOSTILE[kind]
    bad = make(tiny_model, tmp_path / f"{kind}.argosmodel")
    if command == "model":
        run = cli(isolated_env, "model", "which", "--model", bad)
    else:
        run = cli(isolated_env, "model", "install", "--from-file", bad)
    assert_one_line_error(run, f"{kind}.argosmodel", fragment)
    models, packages = dirs(isolated_env)
    assert files_under(models) == [] and leftovers(models) == []
    assert files_under(packages) == [] and leftovers(packages) == []
    assert not (tmp_path / "escaped.txt").exists()
    assert "no ru→en package installed" in cli(isolated_env, "model", "list").stdout


def test_copying_stops_when_a_member_holds_more_than_it_declares(tmp_path):
    """The declared sizes are checked before unpacking; the bytes while unpacking."""
    from rutrans.engine import archive
    from rutrans.errors import UserError

    class Endless:
        def read(self, size: int = -1) -> bytes:
            return b"\0" * 65536

    info = zipfile.ZipInfo("root/model/model.bin")
    info.file_size = 100_000
    with (
        pytest.raises(UserError, match="more than the 100000 bytes it declares"),
        (tmp_path / "out").open("wb") as out,
    ):
        archive.copy_member(Endless(), out, info, "bomb.argosmodel")  # type: ignore[arg-type]


# --- 2. folders that are files or cannot be written --------------------------------------


def test_packages_dir_that_is_a_file(tiny_model, isolated_env, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    env = {**isolated_env, "ARGOS_PACKAGES_DIR": str(blocker)}
    for args in (
        ("model", "list"),
        ("model", "which"),
        ("model", "install", "--from-file", tiny_model),
    ):
        assert_one_line_error(cli(env, *args), str(blocker), "ARGOS_PACKAGES_DIR")
    assert blocker.read_text() == "x"


def test_cache_dir_that_is_a_file(tiny_model, isolated_env, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    run = cli(isolated_env, "model", "which", "--model", tiny_model, RUTRANS_CACHE_DIR=str(blocker))
    assert_one_line_error(run, str(blocker), "RUTRANS_CACHE_DIR")
    assert blocker.read_text() == "x"


@pytest.fixture(scope="session")
def unprivileged(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A command prefix under which file permissions bind: none for a normal user; for
    root, setpriv without the capabilities that let root ignore permissions."""
    if os.geteuid() != 0:
        return []
    probe = tmp_path_factory.mktemp("probe")
    probe.chmod(0o500)
    try:
        works = shutil.which("setpriv") and subprocess.run([*DROP_OVERRIDE, "true"]).returncode == 0
        binds = works and subprocess.run([*DROP_OVERRIDE, "mkdir", probe / "x"]).returncode != 0
    finally:
        probe.chmod(0o700)
    if not binds:
        pytest.skip("running as root, and setpriv cannot drop root's permission override")
    return DROP_OVERRIDE


def test_unwritable_packages_and_cache_dirs(tiny_model, isolated_env, unprivileged):
    models, packages = dirs(isolated_env)
    for folder in (models.parent, packages):
        folder.mkdir(parents=True)
        folder.chmod(0o500)
    try:
        run = cli(isolated_env, "model", "install", "--from-file", tiny_model, prefix=unprivileged)
        assert_one_line_error(run, str(packages), "not writable", "ARGOS_PACKAGES_DIR")
        run = cli(isolated_env, "model", "which", "--model", tiny_model, prefix=unprivileged)
        assert_one_line_error(run, str(models), "Permission denied", "RUTRANS_CACHE_DIR")
    finally:
        for folder in (models.parent, packages):
            folder.chmod(0o700)
    assert files_under(models.parent) == [] and files_under(packages) == []


def test_folder_that_cannot_be_written_is_one_line(tiny_model, monkeypatch, tmp_path):
    """The same refusal in-process, so that it is tested when running as root too."""
    from rutrans.engine import package
    from rutrans.errors import UserError

    monkeypatch.setenv("RUTRANS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    with pytest.raises(UserError, match=r"not writable.*RUTRANS_CACHE_DIR"):
        package.unpack(tiny_model, "--model")
    assert files_under(tmp_path / "cache") == []


# --- 3. paths that are not regular files -------------------------------------------------


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.argosmodel"
    os.mkfifo(path)
    return path


def _zero_link(tmp_path: Path) -> Path:
    path = tmp_path / "zero.argosmodel"
    path.symlink_to("/dev/zero")
    return path


def _folder(tmp_path: Path) -> Path:
    path = tmp_path / "folder.argosmodel"
    path.mkdir()
    return path


ODD_PATHS = {
    "fifo": (_fifo, "named pipe"),
    "dev-zero": (lambda _: Path("/dev/zero"), "device"),
    "link-to-dev-zero": (_zero_link, "device"),
}


@pytest.mark.parametrize("kind", sorted(ODD_PATHS))
@pytest.mark.parametrize("option", ["--model", "--from-file"])
def test_odd_path_is_refused_without_reading_it(kind, option, isolated_env, tmp_path):
    make, fragment = ODD_PATHS[kind]
    path = make(tmp_path)
    if option == "--model":
        run = cli(isolated_env, "model", "which", "--model", path, timeout=60)
    else:
        run = cli(isolated_env, "model", "install", "--from-file", path, timeout=60)
    assert_one_line_error(run, str(path), fragment, "not a regular file")


def test_directory_given_to_install_from_file(isolated_env, tmp_path):
    folder = _folder(tmp_path)
    run = cli(isolated_env, "model", "install", "--from-file", folder)
    assert_one_line_error(run, str(folder), "is a directory")


OPEN = """
import sys
from pathlib import Path
from rutrans.engine import package
from rutrans.errors import UserError
try:
    if sys.argv[1] == "--model":
        package.open_path(Path(sys.argv[2]), "--model")
    else:
        package.install_from_file(Path(sys.argv[2]), verify=lambda found: None)
except UserError as error:
    sys.exit("rutrans: error: " + error.message)
"""


@pytest.mark.parametrize("option", ["--model", "--from-file"])
def test_unreadable_model_file(option, tiny_model, isolated_env, tmp_path, unprivileged):
    """Called below the CLI: click's own check of --model and --from-file (readable=True)
    answers first there, in its usage-error format."""
    locked = tmp_path / "locked.argosmodel"
    locked.write_bytes(tiny_model.read_bytes())
    locked.chmod(0)
    done = subprocess.run(
        [*unprivileged, sys.executable, "-c", OPEN, option, str(locked)],
        capture_output=True,
        text=True,
        env=isolated_env,
        timeout=120,
    )
    assert_one_line_error(Run(done.returncode, done.stdout, done.stderr), str(locked), "denied")
    models, packages = dirs(isolated_env)
    assert files_under(models) == [] and files_under(packages) == []


# --- 4. atomic, locked, interrupted --------------------------------------------------------


CONCURRENT = """
import sys, time
from pathlib import Path
from rutrans.engine import package
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
print(package.open_path(Path(sys.argv[2]), "--model").path)
"""


def test_processes_unpacking_the_same_model_at_once_all_succeed(tiny_model, isolated_env, tmp_path):
    for round_ in range(3):
        env = {**isolated_env, "RUTRANS_CACHE_DIR": str(tmp_path / f"cache{round_}")}
        start = str(time.time() + 1.5)  # after every interpreter has started
        children = [
            subprocess.Popen(
                [sys.executable, "-c", CONCURRENT, start, str(tiny_model)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        results = [(c.communicate(timeout=120), c.returncode) for c in children]
        assert all(code == 0 for _, code in results), results
        assert len({out for (out, _), _ in results}) == 1, results
        models = tmp_path / f"cache{round_}" / "models"
        assert leftovers(models) == []


# Make argostranslate's and rutrans's zip reads hang at model.bin, after saying so.
HANG = """
import sys, time, zipfile
from pathlib import Path
signal_file = Path(sys.argv[1])
read = zipfile.ZipExtFile.read
def slow(self, n=-1):
    if self.name.endswith("model/model.bin"):
        signal_file.write_text("reading")
        time.sleep(3600)
    return read(self, n)
zipfile.ZipExtFile.read = slow
sys.argv = ["rutrans", *sys.argv[2:]]
from rutrans.cli import main
main()
"""


def kill_while_unpacking(env: dict[str, str], tmp_path: Path, *args: str | Path) -> None:
    signal_file = tmp_path / "reading-model-bin"
    child = subprocess.Popen(
        [sys.executable, "-c", HANG, str(signal_file), *map(str, args)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 120
    while not signal_file.exists():
        assert child.poll() is None, child.stderr.read() if child.stderr else ""
        assert time.time() < deadline, "the child never reached model.bin"
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    signal_file.unlink()


def test_kill_during_unpacking_leaves_staging_the_next_run_removes(
    tiny_model, isolated_env, tmp_path
):
    models, _ = dirs(isolated_env)
    kill_while_unpacking(isolated_env, tmp_path, "model", "which", "--model", tiny_model)
    left = leftovers(models)
    assert any(name.startswith(".rutrans-staging-") for name in left), left

    run = cli(isolated_env, "model", "which", "--model", tiny_model)
    assert run.code == 0, run.stderr
    assert leftovers(models) == []
    assert (Path(run.stdout.split("\t")[2]) / "model" / "model.bin").stat().st_size > 0


def test_kill_during_reinstall_keeps_the_installed_model(tiny_model, isolated_env, tmp_path):
    assert cli(isolated_env, "model", "install", "--from-file", tiny_model).code == 0
    _, packages = dirs(isolated_env)
    model_bin = packages / ROOT / "model" / "model.bin"
    before = model_bin.read_bytes()

    kill_while_unpacking(isolated_env, tmp_path, "model", "install", "--from-file", tiny_model)

    listed = cli(isolated_env, "model", "list")
    assert listed.code == 0 and str(packages / ROOT) in listed.stdout, listed
    assert model_bin.read_bytes() == before
    out = tmp_path / "out"
    translated = cli(isolated_env, "translate", SEED, "-o", out)
    assert translated.code == 0, translated.stderr
    assert leftovers(packages) == []  # the later runs removed the killed one's staging
    assert sorted(p.name for p in packages.iterdir()) == [ROOT]


def test_install_survives_a_kill_between_its_two_renames(tiny_model, isolated_env, tmp_path):
    """A swap moves the old version aside, then the new one in: killed in between, the
    next run puts the old one back."""
    assert cli(isolated_env, "model", "install", "--from-file", tiny_model).code == 0
    _, packages = dirs(isolated_env)
    aside = packages / ".rutrans-old-999999999-abc"
    aside.mkdir()
    (packages / ROOT).rename(aside / ROOT)
    listed = cli(isolated_env, "model", "list")
    assert listed.code == 0 and str(packages / ROOT) in listed.stdout, listed
    assert sorted(p.name for p in packages.iterdir()) == [ROOT]


def test_reinstall_replaces_the_old_version_whole(tiny_model, isolated_env):
    _, packages = dirs(isolated_env)
    assert cli(isolated_env, "model", "install", "--from-file", tiny_model).code == 0
    (packages / ROOT / "stale-extra-file").write_text("from the old version")
    assert cli(isolated_env, "model", "install", "--from-file", tiny_model).code == 0
    assert not (packages / ROOT / "stale-extra-file").exists()
    assert leftovers(packages) == []


# --- 5. damaged cache entries and installs -----------------------------------------------


@pytest.mark.parametrize("damage", ["truncate", "delete", "overwrite"])
def test_damaged_cache_entry_is_unpacked_again(damage, tiny_model, isolated_env, tmp_path):
    first = cli(isolated_env, "model", "which", "--model", tiny_model)
    assert first.code == 0, first.stderr
    model_bin = Path(first.stdout.split("\t")[2]) / "model" / "model.bin"
    good = model_bin.read_bytes()
    if damage == "truncate":
        with model_bin.open("r+b") as handle:
            handle.truncate(len(good) // 2)
    elif damage == "delete":
        model_bin.unlink()
    else:  # same size, other bytes, a later mtime
        model_bin.write_bytes(bytes(len(good)))
        os.utime(model_bin, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))

    run = cli(isolated_env, "translate", SEED, "-o", tmp_path / "out", "--model", tiny_model)
    assert run.code == 0, run.stderr
    assert model_bin.read_bytes() == good


def test_damaged_install_is_refused_with_reinstall_advice(tiny_model, isolated_env):
    assert cli(isolated_env, "model", "install", "--from-file", tiny_model).code == 0
    _, packages = dirs(isolated_env)
    with (packages / ROOT / "model" / "model.bin").open("r+b") as handle:
        handle.truncate(1000)
    run = cli(isolated_env, "model", "which")
    assert_one_line_error(run, str(packages / ROOT), "damaged", "model/model.bin", "install")
