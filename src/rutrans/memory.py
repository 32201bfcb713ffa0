"""The translation memory: segments a reviewer approved, reused instead of MT.

``rutrans apply`` stores every reviewed segment of a review PO (every entry that is not
``fuzzy``); ``rutrans translate`` looks each segment's source up before anything goes to
the engine, and an exact hit is used as it is (``origin: tm`` in the report).

It is a SQLite file in the user's data directory (``$XDG_DATA_HOME/rutrans/tm.sqlite``,
or ``$RUTRANS_TM``, or ``--tm PATH``), not in a cache directory: unlike MT output, a
reviewer's work cannot be recomputed, so it must not live where caches are cleaned.
SQLite in WAL mode lets several rutrans processes read and write it at once.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from rutrans.errors import UserError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS segments (
    source TEXT PRIMARY KEY,   -- the Russian segment, whitespace runs as one space
    target TEXT NOT NULL,      -- the reviewed English
    document TEXT,             -- where it was reviewed (the review PO)
    updated REAL NOT NULL      -- seconds since the epoch
)
"""


def default_path() -> Path:
    if os.environ.get("RUTRANS_TM"):
        return Path(os.environ["RUTRANS_TM"])
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "rutrans" / "tm.sqlite"


def key(source: str) -> str:
    """Sources differing only in whitespace (a line break, two spaces) are one segment."""
    return " ".join(source.split())


class TranslationMemory:
    """Exact-match lookups and stores on one TM file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if not self.path.exists() and not create:
            return None
        if self.path.exists() and not self.path.is_file():
            raise UserError(f"{self.path}: the translation memory is not a file; remove it")
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)
        except (sqlite3.DatabaseError, OSError) as error:
            # A full disk or a permission (OperationalError) is no reason to move it aside.
            damaged = not isinstance(error, sqlite3.OperationalError | OSError)
            advice = "move the file aside" if damaged else "free some space or fix its permissions"
            raise UserError(
                f"{self.path}: cannot open the translation memory ({error}); "
                f"{advice}, or pass --no-tm"
            ) from None
        return connection

    def lookup(self, sources: Iterable[str]) -> Mapping[str, str]:
        """The reviewed English of each source that has one (keys as given)."""
        wanted = {key(s): s for s in sources if s.strip()}
        connection = self._connect(create=False)
        if connection is None or not wanted:
            return {}
        found: dict[str, str] = {}
        try:
            with connection:
                keys = list(wanted)
                for start in range(0, len(keys), 500):  # SQLite's variable limit
                    chunk = keys[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = connection.execute(
                        f"SELECT source, target FROM segments WHERE source IN ({marks})", chunk
                    )
                    found.update({wanted[source]: target for source, target in rows})
        except sqlite3.DatabaseError as error:
            raise UserError(
                f"{self.path}: cannot read the translation memory ({error}); "
                "move the file aside, or pass --no-tm"
            ) from None
        finally:
            connection.close()
        return found

    def store(self, pairs: Sequence[tuple[str, str]], document: str) -> int:
        """Store reviewed (source, English) pairs; a newer review of a source wins."""
        rows = [(key(s), t, document, time.time()) for s, t in pairs if s.strip() and t.strip()]
        connection = self._connect(create=True)
        assert connection is not None
        try:
            with connection:
                connection.executemany(
                    "INSERT INTO segments (source, target, document, updated) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT(source) DO UPDATE SET target = excluded.target,"
                    " document = excluded.document, updated = excluded.updated",
                    rows,
                )
        except sqlite3.DatabaseError as error:
            raise UserError(
                f"{self.path}: cannot write the translation memory ({error}); "
                "check the disk and the file's permissions"
            ) from None
        finally:
            connection.close()
        return len(rows)
