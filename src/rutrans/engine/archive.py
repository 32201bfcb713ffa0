"""Reading ``.argosmodel`` files safely: what the user names, and what the zip declares.

* A path the user names is opened only if it is a regular file (never a FIFO, which
  would block, nor a device such as ``/dev/zero``, which never ends); small reads are
  size-capped.
* Before anything is unpacked, a member name must stay inside the package (no absolute
  names, no ``..``), and the archive may hold at most :data:`MAX_MEMBERS` members and
  unpack to at most :data:`MAX_UNPACKED_BYTES` by its declared sizes (the real ru→en
  package holds 6 members, about 110 MB).
* While unpacking, a member that yields more bytes than it declared is stopped, zip's
  CRC check runs on every member, and each file's SHA-256 goes into the package's
  manifest (:mod:`rutrans.engine.store`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from rutrans import files
from rutrans.engine import store
from rutrans.errors import UserError, first_line

MAX_UNPACKED_BYTES = 4 * 1024**3
"""Cap on the sum of an archive's declared member sizes (4 GiB)."""
MAX_MEMBERS = 10_000
"""Cap on the number of members in an archive."""
MAX_METADATA_BYTES = 1024**2
"""Cap on ``metadata.json`` (a real one is under 1 KB)."""
_CHUNK = 1024**2
_AGAIN = "download the .argosmodel again"
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)

# ---------------------------------------------------------------------------------------
# Reading what the user names


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something other than a file"


def _unreadable(label: str, error: OSError) -> UserError:
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return UserError(f"{label}: no such file; check the path")
    if isinstance(error, PermissionError):
        return UserError(f"{label}: cannot be read (permission denied); check its permissions")
    return UserError(f"{label}: cannot be read ({error.strerror or error}); check the path")


def open_regular(path: Path, label: str) -> io.BufferedReader:
    """*path* opened for reading, if it is a regular file (symlinks followed)."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise _unreadable(label, error) from None
    if stat.S_ISDIR(mode):
        raise UserError(f"{label}: is a directory, not an .argosmodel file; pass it as --model")
    if not stat.S_ISREG(mode):
        raise UserError(f"{label}: is {_kind(mode)}, not a regular file; pass an .argosmodel file")
    files.check_name(path, ".argosmodel file")
    try:  # O_NONBLOCK: should the path have become a FIFO since, opening it cannot block
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise _unreadable(label, error) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UserError(f"{label}: is {_kind(mode)}, not a regular file; pass an .argosmodel file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_capped(path: Path, label: str, limit: int = MAX_METADATA_BYTES) -> bytes:
    """A small regular file's bytes, refusing one over *limit*."""
    with open_regular(path, label) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UserError(f"{label}: {path.name} is over {limit} bytes; the package is damaged")
    return data


def file_sha256(handle: io.BufferedReader) -> str:
    handle.seek(0)
    return hashlib.file_digest(handle, "sha256").hexdigest()


# ---------------------------------------------------------------------------------------
# Zip archives


@dataclass(frozen=True)
class Contents:
    """What an archive declares, checked: its one top folder and its members."""

    root: str
    metadata: Any
    sizes: dict[str, int]  # path inside the root folder → declared size, files only
    members: tuple[zipfile.ZipInfo, ...]


def _unsafe(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        path.is_absolute()
        or "\\" in name
        or "\0" in name
        or ".." in path.parts
        or (len(name) > 1 and name[1] == ":")  # a Windows drive
    )


def damaged(label: str, error: BaseException) -> UserError:
    return UserError(f"{label}: damaged zip archive ({first_line(error)}); {_AGAIN}")


def inspect(archive: zipfile.ZipFile, label: str) -> Contents:
    """Check an open archive's member list (names, count, declared sizes) and read its
    ``metadata.json``, before anything is unpacked."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UserError(
            f"{label}: holds {len(members)} members, over the cap of {MAX_MEMBERS} members; "
            f"it is not an Argos package: {_AGAIN}"
        )
    for info in members:
        if _unsafe(info.filename):
            raise UserError(
                f"{label}: unsafe member name {info.filename!r} (absolute or with ..); "
                f"it is not a genuine Argos package: {_AGAIN}"
            )
    total = sum(info.file_size for info in members)
    if total > MAX_UNPACKED_BYTES:
        raise UserError(
            f"{label}: would unpack to {total / 1024**3:.1f} GiB, over the cap of "
            f"{MAX_UNPACKED_BYTES // 1024**3} GiB; it is not a genuine Argos package: {_AGAIN}"
        )
    if len({PurePosixPath(info.filename) for info in members}) != len(members):
        raise UserError(f"{label}: the same member name appears twice; {_AGAIN}")
    names = [PurePosixPath(info.filename) for info in members]
    roots = {n.parts[0] for n in names if n.parts}
    if len(roots) != 1:
        raise UserError(
            f"{label}: an Argos package holds exactly one top folder, this has "
            f"{len(roots)}; {_AGAIN}"
        )
    root = roots.pop()
    if any(len(n.parts) == 1 and not info.is_dir() for n, info in zip(names, members, strict=True)):
        raise UserError(f"{label}: holds a file beside its top folder, not in it; {_AGAIN}")
    sizes = {
        PurePosixPath(*n.parts[1:]).as_posix(): info.file_size
        for n, info in zip(names, members, strict=True)
        if len(n.parts) > 1 and not info.is_dir()
    }
    if "metadata.json" not in sizes:
        raise UserError(
            f"{label}: no metadata.json in the package, so it is not an Argos model; {_AGAIN}"
        )
    if sizes["metadata.json"] > MAX_METADATA_BYTES:
        raise UserError(f"{label}: metadata.json is over {MAX_METADATA_BYTES} bytes; {_AGAIN}")
    try:
        with archive.open(f"{root}/metadata.json") as handle:
            raw = handle.read(MAX_METADATA_BYTES + 1)
        metadata = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{label}: metadata.json is not valid JSON ({error}); {_AGAIN}") from None
    except _ZIP_ERRORS as e:
        raise damaged(label, e) from None
    return Contents(root, metadata, sizes, tuple(members))


def copy_member(source: IO[bytes], out: IO[bytes], info: zipfile.ZipInfo, label: str) -> str:
    """Copy one member, stopping as soon as it yields more than it declared; its SHA-256."""
    digest = hashlib.sha256()
    copied = 0
    while chunk := source.read(_CHUNK):
        copied += len(chunk)
        if copied > info.file_size:
            raise UserError(
                f"{label}: {info.filename} holds more than the {info.file_size} bytes it "
                f"declares; it is not a genuine Argos package: {_AGAIN}"
            )
        digest.update(chunk)
        out.write(chunk)
    if copied != info.file_size:
        raise UserError(f"{label}: {info.filename} is cut short; {_AGAIN}")
    return digest.hexdigest()


def extract(archive: zipfile.ZipFile, contents: Contents, into: Path, label: str) -> None:
    """Unpack every member under *into* (a fresh staging folder) and write the manifest."""
    hashes: dict[str, str] = {}
    try:
        for info in contents.members:
            target = into / info.filename
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, target.open("xb") as out:
                inner = PurePosixPath(*PurePosixPath(info.filename).parts[1:]).as_posix()
                hashes[inner] = copy_member(source, out, info, label)
    except _ZIP_ERRORS as e:
        raise damaged(label, e) from None
    except OSError as error:
        raise UserError(
            f"{into.parent}: cannot unpack {label} here ({error.strerror or error}); "
            "free some space or choose another folder"
        ) from None
    package = into / contents.root
    for inner, size in contents.sizes.items():
        if (package / inner).stat().st_size != size:
            raise UserError(f"{label}: {inner} did not unpack to its {size} bytes; {_AGAIN}")
    store.write_manifest(package, hashes)
