"""The persistent segment cache: an engine wrapper, as argostranslate's ``CachedTranslation``.

A reviewer re-runs a document after every glossary edit; only post-editing changes, so the
MT of every segment comes from here and the model is not even loaded.  An entry is keyed
by everything that decides the engine's output — the model's content hash, the decoding
options that change it, the exact source, the target prefix and the suppressed sequences
— so another beam, model or prefix never hits.  It holds the MT result with what
post-editing needs (tokens, attention, offsets); a hit without attention where attention
is asked for is a miss, and the entry is replaced.

The cache is one SQLite file (WAL, so several rutrans processes can read and write at
once) in the user's cache directory (``$RUTRANS_CACHE_DIR``, else
``$XDG_CACHE_HOME/rutrans``).  A file SQLite cannot read is moved aside with a warning
and rebuilt: a cache can always be recomputed.  Past its size cap the least recently
used entries go.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rutrans.engine import DecodingOptions, Engine, Progress
from rutrans.errors import UserError
from rutrans.results import MTResult
from rutrans.signature import EngineSignature

CACHE_FILE = "segments.sqlite"
MAX_ENV = "RUTRANS_CACHE_MAX_MB"
DEFAULT_MAX_BYTES = 2 * 1024**3
_SCHEMA = """
CREATE TABLE IF NOT EXISTS segments (
    key TEXT PRIMARY KEY,       -- sha256 of the model, options and engine input
    value BLOB NOT NULL,        -- zlib-compressed JSON of the MT result
    attention INTEGER NOT NULL, -- 1 when the result holds attention
    size INTEGER NOT NULL,      -- bytes of value, for the size cap
    used REAL NOT NULL          -- last hit or store, for least-recently-used eviction
);
CREATE INDEX IF NOT EXISTS segments_used ON segments (used);
"""
# Decoding options that change the output (threads and batch size only change speed).
_OUTPUT_OPTIONS = ("beam_size", "length_penalty", "compute_type", "device", "max_decoding_length")


def default_cache() -> SegmentCache:
    """The user's cache: ``segments.sqlite`` in rutrans's cache directory, capped at
    ``$RUTRANS_CACHE_MAX_MB`` (default 2048)."""
    from rutrans.engine.package import cache_dir

    given = os.environ.get(MAX_ENV, "")
    try:
        max_bytes = int(float(given) * 1024**2) if given else DEFAULT_MAX_BYTES
    except ValueError:
        raise UserError(f"{MAX_ENV}={given}: not a number of megabytes; e.g. 2048") from None
    return SegmentCache(cache_dir() / CACHE_FILE, max_bytes)


def identity(model_sha256: str, options: DecodingOptions) -> str:
    """What, besides the input, decides an engine's output."""
    chosen = {name: getattr(options, name) for name in _OUTPUT_OPTIONS}
    return json.dumps([model_sha256, chosen], sort_keys=True)


def entry_key(model: str, source: str, prefix: str | None, suppress: Sequence[str]) -> str:
    data = json.dumps([model, source, prefix, sorted(suppress)], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _encode(result: MTResult) -> bytes:
    data = {
        "text": result.text,
        "source_tokens": result.source_tokens,
        "target_tokens": result.target_tokens,
        "score": result.score,
        "attention": result.attention,
        "source_offsets": result.source_offsets,
        "target_offsets": result.target_offsets,
    }
    return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _decode(blob: bytes) -> MTResult:
    data = json.loads(zlib.decompress(blob))
    attention = data["attention"]
    return MTResult(
        text=data["text"],
        source_tokens=tuple(data["source_tokens"]),
        target_tokens=tuple(data["target_tokens"]),
        score=data["score"],
        attention=tuple(tuple(row) for row in attention) if attention is not None else None,
        source_offsets=tuple(tuple(span) for span in data["source_offsets"]),
        target_offsets=tuple(tuple(span) for span in data["target_offsets"]),
    )


@dataclass(frozen=True)
class CacheStats:
    path: Path
    entries: int
    bytes: int
    max_bytes: int


class SegmentCache:
    """The SQLite file; every method opens and closes its own connection."""

    def __init__(self, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self._warned = False

    def _connect(self) -> sqlite3.Connection:
        if self.path.exists() and not self.path.is_file():
            raise UserError(f"{self.path}: the segment cache is not a file; remove it")
        try:
            return self._open()
        except sqlite3.DatabaseError as error:
            return self._rebuilt(error)

    def _open(self) -> sqlite3.Connection:
        """A connection, or a UserError where the file cannot be opened or written for
        want of space or permission; :class:`sqlite3.DatabaseError` where it is damaged."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30)
        except (OSError, sqlite3.OperationalError) as error:
            raise self._cannot_open(error) from None
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)
            connection.execute("SELECT count(*) FROM segments").fetchone()
        except sqlite3.DatabaseError as error:
            connection.close()
            # A full disk, a read-only file, a lock held too long (OperationalErrors): the
            # file may be sound, so it is not moved aside.  Damage ("malformed", "not a
            # database") comes as a plain DatabaseError.
            if isinstance(error, sqlite3.OperationalError):
                raise self._cannot_open(error) from None
            raise
        return connection

    def _cannot_open(self, error: Exception) -> UserError:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        return UserError(
            f"{self.path}: cannot open the segment cache ({reason}); free some space or fix "
            "its folder's permissions, set RUTRANS_CACHE_DIR, or pass --no-cache"
        )

    def check(self) -> None:
        """Open (creating) the cache now, so that a run stops before any work if it cannot."""
        self._connect().close()

    def _rebuilt(self, error: Exception) -> sqlite3.Connection:
        """A damaged file is moved aside (never deleted: someone may want to look)."""
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
        try:
            for suffix in ("", "-wal", "-shm"):
                damaged = Path(f"{self.path}{suffix}")
                if damaged.exists():
                    damaged.replace(Path(f"{aside}{suffix}"))
        except OSError as move_error:
            raise self._cannot_open(move_error) from None
        print(
            f"rutrans: warning: {self.path}: the segment cache was damaged ({error}); "
            f"moved it to {aside.name} and started a new one",
            file=sys.stderr,
        )
        return self._open()

    def _not_cached(self, error: sqlite3.OperationalError) -> None:
        """A full disk or a lock held too long while the run goes on: said once a run."""
        if not self._warned:
            self._warned = True
            print(f"rutrans: warning: {self.path}: not cached ({error})", file=sys.stderr)

    def get(self, keys: Sequence[str], attention: bool) -> dict[str, MTResult]:
        """Cached results of *keys* (with attention when asked for), marked as used."""
        connection = self._connect()
        found: dict[str, MTResult] = {}
        try:
            with connection:
                for start in range(0, len(keys), 500):
                    chunk = list(keys[start : start + 500])
                    marks = ",".join("?" * len(chunk))
                    rows = connection.execute(
                        f"SELECT key, value FROM segments WHERE key IN ({marks})"
                        + (" AND attention = 1" if attention else ""),
                        chunk,
                    ).fetchall()
                    found.update({key: _decode(value) for key, value in rows})
                connection.executemany(
                    "UPDATE segments SET used = ? WHERE key = ?",
                    [(time.time(), key) for key in found],
                )
        except sqlite3.OperationalError as error:  # a full disk: the hits read stand
            self._not_cached(error)
        except (sqlite3.DatabaseError, zlib.error, ValueError) as error:
            connection.close()
            self._rebuilt(error).close()
            return {}
        finally:
            connection.close()
        return found

    def put(self, results: Mapping[str, MTResult]) -> None:
        rows = []
        for key, result in results.items():
            blob = _encode(result)
            rows.append((key, blob, int(result.attention is not None), len(blob), time.time()))
        connection = self._connect()
        try:
            with connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO segments (key, value, attention, size, used)"
                    " VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
                self._evict(connection)
        except sqlite3.OperationalError as error:  # a full disk, a locked file: skip caching
            self._not_cached(error)
        finally:
            connection.close()

    def _evict(self, connection: sqlite3.Connection) -> None:
        total = connection.execute("SELECT coalesce(sum(size), 0) FROM segments").fetchone()[0]
        if total <= self.max_bytes:
            return
        over = total - int(self.max_bytes * 0.9)  # evict down to 90 %, not one row per put
        rows = connection.execute("SELECT key, size FROM segments ORDER BY used").fetchall()
        doomed = []
        for key, size in rows:
            if over <= 0:
                break
            doomed.append((key,))
            over -= size
        connection.executemany("DELETE FROM segments WHERE key = ?", doomed)

    def stats(self) -> CacheStats:
        if not self.path.exists():
            return CacheStats(self.path, 0, 0, self.max_bytes)
        connection = self._connect()
        try:
            count, size = connection.execute(
                "SELECT count(*), coalesce(sum(size), 0) FROM segments"
            ).fetchone()
        finally:
            connection.close()
        return CacheStats(self.path, count, size, self.max_bytes)

    def clear(self) -> int:
        before = self.stats().entries
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        return before


class CachedEngine:
    """An engine whose results come from the cache where they can; the wrapped engine is
    built only when a segment misses (so a fully cached document never loads the model)."""

    def __init__(
        self,
        build: Callable[[], Engine],
        model_sha256: str,
        options: DecodingOptions,
        engine_signature: EngineSignature,
        cache: SegmentCache,
    ) -> None:
        self._build = build
        self._engine: Engine | None = None
        self._model_sha256 = model_sha256
        self._options = options
        self._signature = engine_signature
        self.cache = cache
        self.hits = 0
        self.misses = 0

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._build()
        return self._engine

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    def translate(
        self,
        sources: Sequence[str],
        progress: Progress | None = None,
        *,
        return_attention: bool = False,
        target_prefixes: Sequence[str | None] | None = None,
        suppress: Sequence[str] = (),
        beam_size: int | None = None,
    ) -> list[MTResult]:
        prefixes = list(target_prefixes) if target_prefixes is not None else [None] * len(sources)
        options = replace(self._options, beam_size=beam_size) if beam_size else self._options
        model = identity(self._model_sha256, options)
        keys = [
            entry_key(model, source, prefix, suppress)
            for source, prefix in zip(sources, prefixes, strict=True)
        ]
        found = self.cache.get(keys, attention=return_attention)
        missing = [i for i, key in enumerate(keys) if key not in found]
        self.hits += len(sources) - len(missing)
        self.misses += len(missing)
        if progress is not None and len(missing) < len(sources):
            progress(len(sources) - len(missing))
        if missing:
            fresh = self.engine.translate(
                [sources[i] for i in missing],
                progress,
                return_attention=return_attention,
                target_prefixes=[prefixes[i] for i in missing]
                if target_prefixes is not None
                else None,
                suppress=suppress,
                beam_size=beam_size,
            )
            new = {keys[i]: result for i, result in zip(missing, fresh, strict=True)}
            self.cache.put(new)
            found.update(new)
        return [found[key] for key in keys]

    def signature(self) -> EngineSignature:
        return self._signature

    def __getattr__(self, name: str) -> Any:
        # tokenize, detokenize, batch_calls…: whatever the wrapped engine offers.
        return getattr(self.engine, name)
