"""Read a file a user named, and only a file: never a FIFO, a device or a folder.

Opening a FIFO blocks until someone writes to it, and ``/dev/zero`` (or a symlink to it)
never ends; both are refused by their type before anything is opened.  A regular file is
read up to a size cap, so a file that is far too large (or grows while it is read) ends in
one line, not in a machine out of memory.  A name that is not UTF-8 is refused too: the
names of inputs go into reports and review files, which are UTF-8.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from rutrans.errors import UserError

MAX_INPUT_BYTES = 512 * 1024**2
"""The largest document, glossary, report or import file rutrans reads (512 MiB)."""


def printable(path: Path) -> str:
    """*path* as text that can be printed and written anywhere: the bytes of a name that
    is not UTF-8 (an old cp1251 archive unpacked as is) shown as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def check_name(path: Path, what: str = "file") -> None:
    """Refuse a file name that is not UTF-8: rutrans writes the names of its inputs into
    reports, review files and POT comments, which are UTF-8 text."""
    if printable(path) != str(path):
        raise UserError(
            f"{printable(path)}: the {what}'s name is not valid UTF-8; rename it "
            "(convmv -f cp1251 -t utf-8 --notest renames an old cp1251 name)"
        )


def check_regular(path: Path, what: str = "file") -> os.stat_result:
    """*path*'s stat if it is a regular file (symlinks followed) with a UTF-8 name, else
    a one-line error."""
    try:
        found = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise UserError(f"{path}: no such {what}; check the path") from None
    except PermissionError:
        raise UserError(f"{path}: permission denied; make the {what} readable") from None
    except OSError as error:
        raise UserError(f"{path}: cannot be read ({error.strerror}); check the path") from None
    if stat.S_ISDIR(found.st_mode):
        raise UserError(f"{path}: is a directory; give rutrans a {what}")
    if not stat.S_ISREG(found.st_mode):
        raise UserError(
            f"{path}: not a regular file (a pipe, a device or a socket); give a {what} on disk"
        )
    check_name(path, what)
    return found


def read_bytes(path: Path, what: str = "file", limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the regular file *path*, at most *limit* of them."""
    found = check_regular(path, what)
    too_big = UserError(
        f"{path}: over {limit // 1024**2} MiB, more than a {what} rutrans reads; "
        "split it, or check that this is the right file"
    )
    if found.st_size > limit:
        raise too_big
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except PermissionError:
        raise UserError(f"{path}: permission denied; make the {what} readable") from None
    except OSError as error:
        raise UserError(f"{path}: cannot be read ({error.strerror}); check the {what}") from None
    if len(data) > limit:  # it grew while we read it
        raise too_big
    return data
