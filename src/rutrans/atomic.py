"""Write files so that a failure never leaves a partial output behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def staged(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside *path*; rename it onto *path* only on success.

    The temporary file lives in the same directory so that the final ``os.replace`` is
    atomic (same file system).  On any exception the temporary file is removed and the
    destination is left exactly as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
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
