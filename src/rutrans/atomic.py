"""Write files so that a failure never leaves a partial output behind."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from rutrans.errors import UserError

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


@contextlib.contextmanager
def staged(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside *path*; rename it onto *path* only on success.

    The temporary file lives in the same directory so that the final ``os.replace`` is
    atomic (same file system).  On any exception the temporary file is removed and the
    destination is left exactly as it was.  A UserError raised while writing names *path*,
    the file the user asked for, not the temporary one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            yield tmp
        except UserError as error:
            raise UserError(error.message.replace(str(tmp), str(path))) from None
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_bytes(path: Path, data: bytes) -> None:
    """Write *data* to *path* atomically."""
    with staged(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 *text* to *path* atomically (reports, JSON)."""
    write_bytes(path, text.encode("utf-8"))
