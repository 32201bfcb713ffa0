"""Write files so that a failure never leaves a partial output behind."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from rutrans.errors import OutOfSpace, UserError

_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    # Python cannot read the umask without setting it; set it back at once, under a lock
    # so that no other thread creates a file in between.
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    """An existing file keeps its mode; a new one gets what ``open`` would give it.

    mkstemp creates its file 0600, which would make every output private to its owner.
    """
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


_PART = re.compile(r"^\.(?P<name>.+)\.rutrans-(?P<pid>\d+)-[^.]+\.part$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: leave its file alone
    return True


def clean_stale(folder: Path, name: str) -> None:
    """Remove temporaries of *name* that a killed rutrans left (their process is gone)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = _PART.match(entry.name)
        if match and match.group("name") == name and not _alive(int(match.group("pid"))):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _cannot_write(path: Path, error: OSError) -> UserError:
    reason = error.strerror or type(error).__name__
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        advice = "free some space (or raise the file-size limit) and run again"
        return OutOfSpace(f"{path}: cannot be written ({reason}); {advice}")
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        advice = "choose a folder you can write to"
    else:
        advice = "check the path"
    return UserError(f"{path}: cannot be written ({reason}); {advice}")


@contextlib.contextmanager
def staged(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside *path*; rename it onto *path* only on success.

    The temporary file lives in the same directory so that the final ``os.replace`` is
    atomic (same file system).  On any exception — Ctrl-C included — the temporary file
    is removed and the destination is left exactly as it was; a ``kill -9`` leaves it
    behind under a name with the process id, which the next write of *path* removes.
    A UserError raised while writing names *path*, the file the user asked for, not the
    temporary one; so does an OSError (a full disk, a read-only folder).
    """
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a file name for this output")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(path.parent, path.name)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{path.name}.rutrans-{os.getpid()}-", suffix=".part", dir=path.parent
        )
    except OSError as error:
        raise _cannot_write(path.parent if not path.parent.is_dir() else path, error) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            yield tmp
        except UserError as error:
            # The same kind of error (a full disk stays OutOfSpace), naming *path*.
            raise type(error)(error.message.replace(str(tmp), str(path))) from None
        except OSError as error:
            if error.filename not in (None, str(tmp), tmp_name):
                raise  # not our write: whoever reads that file says what went wrong
            raise _cannot_write(path, error) from None
        try:
            os.chmod(tmp, _mode_for(path))
            os.replace(tmp, path)
        except OSError as error:
            raise _cannot_write(path, error) from None
    finally:
        with contextlib.suppress(OSError):
            if tmp.exists():
                tmp.unlink()


def fill(tmp: Path, data: bytes) -> None:
    """Write *data* into the temporary *tmp* that :func:`staged` gave.

    A failed ``write`` (a full disk) carries no file name, so among several outputs staged
    at once the one staged last would take the blame; the name added here lets the
    ``staged`` of *tmp* itself report its own output.
    """
    try:
        tmp.write_bytes(data)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(tmp)) from None


def fill_text(tmp: Path, parts: Iterable[str]) -> None:
    """Write the UTF-8 of *parts* into the temporary *tmp*, one part at a time (a long
    document's report is never one string), naming *tmp* on failure as :func:`fill` does."""
    try:
        with tmp.open("w", encoding="utf-8", newline="") as file:
            for part in parts:
                file.write(part)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(tmp)) from None


def write_bytes(path: Path, data: bytes) -> None:
    """Write *data* to *path* atomically."""
    with staged(path) as tmp:
        fill(tmp, data)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 *text* to *path* atomically (reports, JSON)."""
    write_bytes(path, text.encode("utf-8"))
