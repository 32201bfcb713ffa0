"""Faults a user's machine has: ``kill -9`` at chosen points, and a full disk.

**Kill points.**  A random delay alone mostly lands in Python's start-up, far from the
few milliseconds in which a command writes its files.  So a kill point is anchored: the
command runs under an audit hook (:data:`HOOK`) that counts the file-system steps it
takes under the watched folders — opening a file for writing, renaming, removing,
creating a folder, opening an SQLite file — and, at the *step*-th one, sends itself
SIGKILL after a random *delay* (0: before the step happens; so a kill lands inside a
write or an SQLite transaction too), or as it exits should it finish sooner, so that
every kill kills.  Counting the steps of an uninterrupted run (:func:`count_steps`) gives
the range; :func:`kill_points` draws the points from a seeded random, one per equal slice
of the run, so the kills cover the run from start to end at the same steps in every run
of the tests.

**A full disk.**  A small tmpfs where the test may mount one (root, ``mount`` present),
else a file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so that a write fails with
EFBIG instead of killing the process).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Run

HOOK = r"""
import atexit, os, signal, sys, threading
step, delay, count_file = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
roots = [os.path.abspath(r) for r in sys.argv[4].split(os.pathsep)]
sys.argv = ["rutrans", *sys.argv[5:]]
PATH_EVENTS = {"os.rename", "os.remove", "os.mkdir", "os.rmdir", "shutil.rmtree",
               "os.chmod", "os.truncate", "sqlite3.connect"}
seen = 0

def watched(path):
    try:
        path = os.path.abspath(os.fsdecode(path))
    except TypeError:  # a file descriptor
        return False
    return any(path == root or path.startswith(root + os.sep) for root in roots)

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def hook(event, args):
    global seen
    if event == "open":
        if not (args[2] & (os.O_WRONLY | os.O_RDWR) and watched(args[0])):
            return
    elif event not in PATH_EVENTS or not any(watched(a) for a in args[:2] if a is not None):
        return
    seen += 1
    if seen == step:
        if delay <= 0:
            die()
        timer = threading.Timer(delay, die)
        timer.daemon = True
        timer.start()
        atexit.register(die)  # finished within the delay: killed on the way out

def save_count():
    with open(count_file, "w") as handle:
        handle.write(str(seen))

if step == 0:
    atexit.register(save_count)
sys.addaudithook(hook)
from rutrans.cli import main
main()
"""


def rutrans(
    env: dict[str, str],
    cwd: Path,
    *args: str | Path,
    preexec_fn: Callable[[], None] | None = None,
) -> Run:
    """The real CLI in a subprocess."""
    done = subprocess.run(
        [sys.executable, "-m", "rutrans", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        preexec_fn=preexec_fn,
        timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class KillPoint:
    step: int  # SIGKILL at the step-th file-system step under the watched folders…
    delay: float  # …this many seconds after it begins (0: before it happens)

    def __str__(self) -> str:
        return f"kill -9 at step {self.step} + {self.delay * 1000:.1f} ms"


def kill_points(seed: str, steps: int, kills: int, max_delay: float) -> list[KillPoint]:
    """*kills* points drawn from a random seeded with *seed*, one in each equal slice of
    the *steps* steps, each with a delay up to *max_delay* seconds."""
    assert steps >= kills, f"only {steps} steps to kill at"
    rng = random.Random(seed)
    bounds = [i * steps // kills for i in range(kills + 1)]
    return [
        KillPoint(rng.randint(low + 1, high), round(rng.uniform(0, max_delay), 4))
        for low, high in itertools.pairwise(bounds)
    ]


def _hooked(
    env: dict[str, str],
    cwd: Path,
    watched: Sequence[Path],
    point: KillPoint,
    count_file: Path,
    args: Sequence[str | Path],
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *(sys.executable, "-c", HOOK, str(point.step), str(point.delay), str(count_file)),
            *(os.pathsep.join(map(str, watched)), *map(str, args)),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def count_steps(env: dict[str, str], cwd: Path, watched: Sequence[Path], *args: str | Path) -> int:
    """Run the command to the end and count its file-system steps under *watched*."""
    count_file = cwd / ".fault-steps"
    done = _hooked(env, cwd, watched, KillPoint(0, 0.0), count_file, args)
    assert done.returncode == 0, done.stderr
    steps = int(count_file.read_text())
    count_file.unlink()
    return steps


def kill_at(
    env: dict[str, str], cwd: Path, watched: Sequence[Path], point: KillPoint, *args: str | Path
) -> None:
    """Run the command and kill it at *point* (or as it exits, should it finish sooner)."""
    done = _hooked(env, cwd, watched, point, cwd / ".fault-steps", args)
    assert done.returncode == -signal.SIGKILL, (str(point), done.returncode, done.stderr)


# ---------------------------------------------------------------------------------------
# Files as bytes


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under *folder*, hidden ones included: relative path → bytes."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def restore(folder: Path, files: dict[str, bytes]) -> None:
    """Make *folder* hold exactly *files*."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def temporaries(folder: Path) -> list[str]:
    """What a killed writer may leave: ``.<name>.rutrans-<pid>-….part`` files, staging
    and moved-aside folders, lock files."""
    if not folder.exists():
        return []
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob(".*")
        if p.name.endswith((".part", ".rutrans-lock"))
        or p.name.startswith((".rutrans-staging-", ".rutrans-old-"))
    )


# ---------------------------------------------------------------------------------------
# A full disk


def file_size_limit(limit: int) -> Callable[[], None]:
    """A ``preexec_fn``: no file of the child may grow past *limit* bytes (EFBIG)."""

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


@contextlib.contextmanager
def tmpfs(mount_point: Path, size: int = 8 * 1024**2) -> Iterator[Path]:
    """A small tmpfs at *mount_point*, unmounted afterwards; skips the test where no
    tmpfs can be mounted (not root, no ``mount``, no permission in this container)."""
    if os.geteuid() != 0 or not shutil.which("mount") or not shutil.which("umount"):
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    mount_point.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path, leave: int) -> Path:
    """A filler file on *folder*'s file system that leaves *leave* bytes (rounded down to
    whole blocks) free; delete it to free the space again."""
    filler = folder / "filler"
    info = os.statvfs(folder)
    block = info.f_frsize
    size = info.f_bavail * block - (leave // block) * block
    with filler.open("wb") as handle:
        handle.truncate(0)
        chunk = b"\0" * (1024 * 1024)
        while size > 0:
            size -= handle.write(chunk[: min(size, len(chunk))])
    assert os.statvfs(folder).f_bavail * block == (leave // block) * block
    return filler
