"""Unpacked packages on disk: staged, locked, swapped in whole, and checked at each use.

* **Unpacking** goes into a staging folder next to the target, named
  ``.rutrans-staging-<pid>-…``; it is checked, then renamed into place.  A target that
  exists is first moved aside (``.rutrans-old-<pid>-…``) and removed only once the new one
  is in place.  A lock file (``.<target>.rutrans-lock``, ``flock``) makes processes working
  on the same target take turns; it is removed on release.
* **Leftovers** of a killed process (its pid gone, or older than :data:`STALE_AFTER_S`)
  are removed by the next run, and a moved-aside version whose replacement never arrived
  is put back.
* **Damage**: each unpacked package gets a manifest (:data:`MANIFEST`) of every file's
  size, mtime and SHA-256; a file that is missing or has another size is damage, and one
  whose mtime changed is hashed again.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from rutrans.errors import UserError

STALE_AFTER_S = 3600
"""A staging folder this old is stale even if a process with its pid is running."""
STAGING_PREFIX = ".rutrans-staging-"
ASIDE_PREFIX = ".rutrans-old-"
LOCK_SUFFIX = ".rutrans-lock"
MANIFEST = ".rutrans-manifest.json"

# ---------------------------------------------------------------------------------------
# Manifests


def write_manifest(package: Path, hashes: dict[str, str]) -> None:
    files = {}
    for inner, sha256 in sorted(hashes.items()):
        info = (package / inner).stat()
        files[inner] = {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "sha256": sha256}
    (package / MANIFEST).write_text(json.dumps({"files": files}, indent=1), encoding="utf-8")


NO_MANIFEST = "no manifest"


def damage(package: Path) -> str | None:
    """What is wrong with an unpacked package against its manifest; None if nothing is.

    A package without a manifest (unpacked by an older rutrans, or installed by
    argostranslate itself) reads :data:`NO_MANIFEST`.
    """
    try:
        files = json.loads((package / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return NO_MANIFEST
    for inner, want in files.items():
        path = package / inner
        try:
            info = path.stat()
        except OSError:
            return f"{inner} is missing"
        if info.st_size != want["size"]:
            return f"{inner} has {info.st_size} bytes, not {want['size']}"
        if info.st_mtime_ns != want["mtime_ns"]:
            with path.open("rb") as handle:
                if hashlib.file_digest(handle, "sha256").hexdigest() != want["sha256"]:
                    return f"{inner} has changed since it was unpacked"
    return None


# ---------------------------------------------------------------------------------------
# Folders, locks, staging


def not_a_file(path: Path, hint: str) -> None:
    """Refuse a folder path that is, or lies under, something other than a folder."""
    ancestor = path
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if ancestor.exists() and not ancestor.is_dir():
        raise UserError(f"{ancestor}: is a file, not a folder; {hint}")


def writable_folder(path: Path, hint: str) -> Path:
    """*path* as a folder this process can write to (created if need be), or a one-line
    error ending in *hint* (which variable to point elsewhere)."""
    not_a_file(path, hint)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"{path}: cannot create this folder ({error.strerror}); {hint}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise UserError(f"{path}: folder is not writable; {hint}")
    return path


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}{LOCK_SUFFIX}"


def _take(path: Path, blocking: bool) -> int | None:
    """An fd holding an exclusive flock on the file now at *path*; None if busy."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)
            held, now = os.fstat(fd), os.stat(path)
            if (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino):
                return fd
        except BlockingIOError:
            os.close(fd)
            return None
        except FileNotFoundError:
            pass  # the holder removed it as we waited: lock the new one
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


@contextlib.contextmanager
def locked(target: Path, hint: str, blocking: bool = True) -> Iterator[bool]:
    """Hold the lock of *target*; yields False, without waiting, if busy and not *blocking*.

    The lock file is removed on release (safe: a waiter checks that the file it locked is
    still the one at the path), so nothing is left next to the target.
    """
    path = lock_path(target)
    try:
        fd = _take(path, blocking)
    except OSError as error:
        raise UserError(f"{path.parent}: cannot write here ({error.strerror}); {hint}") from None
    try:
        yield fd is not None
    finally:
        if fd is not None:
            with contextlib.suppress(OSError):
                path.unlink()
            os.close(fd)


def staging_folder(parent: Path, hint: str) -> Path:
    try:
        return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=parent))
    except OSError as error:
        raise UserError(f"{parent}: cannot write here ({error.strerror}); {hint}") from None


def swap_in(new: Path, target: Path) -> None:
    """Rename *new* onto *target*; an existing *target* is moved aside first and removed
    only once *new* is in place (killed in between, :func:`clean` puts it back)."""
    if not target.exists():
        os.rename(new, target)
        return
    aside = Path(tempfile.mkdtemp(prefix=f"{ASIDE_PREFIX}{os.getpid()}-", dir=target.parent))
    os.rename(target, aside / target.name)
    os.rename(new, target)
    shutil.rmtree(aside, ignore_errors=True)


def _stale(entry: Path, prefix: str) -> bool:
    pid_text = entry.name[len(prefix) :].split("-", 1)[0]
    try:
        if time.time() - entry.lstat().st_mtime > STALE_AFTER_S:
            return True
        pid = int(pid_text)
    except (OSError, ValueError):
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError as error:
        return error.errno != errno.EPERM  # EPERM: alive, another user's
    return False


def clean(parent: Path) -> None:
    """Remove what killed runs left in *parent*: staging folders, lock files nobody holds,
    and moved-aside versions (put back first if nothing replaced them).  Best effort."""
    try:
        entries = list(parent.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(STAGING_PREFIX) and _stale(entry, STAGING_PREFIX):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(ASIDE_PREFIX) and _stale(entry, ASIDE_PREFIX):
            with contextlib.suppress(OSError, UserError):
                if all(_restore(old, parent / old.name) for old in list(entry.iterdir())):
                    shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(".") and entry.name.endswith(LOCK_SUFFIX):
            with contextlib.suppress(OSError):
                fd = _take(entry, blocking=False)
                if fd is not None:
                    try:
                        entry.unlink()
                    finally:
                        os.close(fd)


def _restore(old: Path, target: Path) -> bool:
    """Put a moved-aside version back if its place is empty; whether it is handled."""
    with locked(target, "", blocking=False) as mine:
        if not mine:
            return False
        if not target.exists():
            os.rename(old, target)
        return True
