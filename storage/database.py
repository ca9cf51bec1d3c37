"""The SQLite database: connections, PRAGMAs, migrations and the single writer.

Reads go through a separate connection (WAL lets them run beside a write). Every write goes
through `transaction()`: one `asyncio.Lock` plus `BEGIN IMMEDIATE`, so writes are serialised
and no race can overbook a course. WAL checkpoints run on a third connection every
CHECKPOINT_EVERY seconds, never inside a write, so no write waits for a disk flush.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

CHECKPOINT_EVERY = 1.0  # seconds between two background WAL checkpoints

BUSY_TIMEOUT_MS = 5000
# A checkpoint waits this long for readers, then lets go of the writer and tries again later.
CHECKPOINT_BUSY_MS = 50
PURGE_ATTEMPTS = 60
PURGE_PAUSE = 0.2

_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA secure_delete = ON",
)


def stamp(moment: datetime) -> str:
    """An instant as stored: ISO-8601 in UTC, so that text order is time order in SQL."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return moment.astimezone(UTC).isoformat()


async def fetch_all(conn: aiosqlite.Connection, sql: str,
                    params: Sequence[Any] | Mapping[str, Any] = ()) -> list[sqlite3.Row]:
    """All rows of a query in one trip to the database thread (not three: execute, fetch,
    close)."""
    return list(await conn.execute_fetchall(sql, params))


async def fetch_one(conn: aiosqlite.Connection, sql: str,
                    params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Row | None:
    rows = await fetch_all(conn, sql, params)
    return rows[0] if rows else None


def migration_scripts() -> list[tuple[int, str]]:
    """The numbered migration scripts shipped in `storage/migrations`, in order."""
    folder = resources.files("storage") / "migrations"
    scripts = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number = int(entry.name.split("_", 1)[0])
            scripts.append((number, entry.read_text(encoding="utf-8")))
    return sorted(scripts)


class Database:
    """Owns the two connections to one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._checkpointer: aiosqlite.Connection | None = None
        self._checkpoints: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def _connect(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        for pragma in _PRAGMAS:
            await conn.execute(pragma)
        return conn

    async def open(self) -> None:
        """Create the folder and file if needed and open the connections."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = await self._connect()
        # A write never pays for a checkpoint (copying the WAL back into the file, fsync):
        # a connection of its own does that in the background, beside the writes.
        await self._writer.execute("PRAGMA wal_autocheckpoint = 0")
        self._reader = await self._connect()
        self._checkpointer = await self._connect()
        self._checkpoints = asyncio.create_task(self._checkpoint_regularly(),
                                                name="wal-checkpoints")

    async def _checkpoint_regularly(self) -> None:
        while self._checkpointer is not None:
            await asyncio.sleep(CHECKPOINT_EVERY)
            try:
                await self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as exc:
                log.warning("WAL checkpoint failed (tried again in %g s): %s",
                            CHECKPOINT_EVERY, exc)

    async def close(self) -> None:
        if self._checkpoints is not None:
            self._checkpoints.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpoints
            self._checkpoints = None
        for conn in (self._checkpointer, self._reader, self._writer):
            if conn is not None:
                await conn.close()
        self._writer = self._reader = self._checkpointer = None

    async def migrate(self) -> int:
        """Apply the migrations the file has not seen; return the schema version."""
        async with self._lock:
            conn = self._writer_conn()
            async with conn.execute("PRAGMA user_version") as cur:
                row = await cur.fetchone()
            version = int(row[0]) if row else 0
            for number, script in migration_scripts():
                if number <= version:
                    continue
                log.info("Applying schema migration %04d", number)
                await conn.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
                )
                version = number
            return version

    def _writer_conn(self) -> aiosqlite.Connection:
        if self._writer is None:
            raise RuntimeError("Database is not open")
        return self._writer

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One serialised write transaction; commits on success, rolls back on error."""
        async with self._lock:
            conn = self._writer_conn()
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            await conn.execute("COMMIT")

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """The read connection (sees only committed data)."""
        if self._reader is None:
            raise RuntimeError("Database is not open")
        yield self._reader

    @asynccontextmanager
    async def single_statement(self) -> AsyncIterator[aiosqlite.Connection]:
        """The writer for ONE statement, which SQLite runs as its own transaction (autocommit):
        one trip to the database thread instead of three (BEGIN, statement, COMMIT), for
        set-based batch work that must hold the writer as briefly as possible."""
        async with self._lock:
            yield self._writer_conn()

    @asynccontextmanager
    async def reading_committed(self) -> AsyncIterator[aiosqlite.Connection]:
        """The read connection, once every write transaction already begun has committed: a
        row whose transaction announced it (woke a job up) before committing is seen."""
        async with self._lock:
            pass
        async with self.reading() as conn:
            yield conn

    async def backup(self, target: Path) -> None:
        """A consistent online copy of the database to `target`."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with self._lock:
            dest = await aiosqlite.connect(target)
            try:
                await self._writer_conn().backup(dest)
            finally:
                await dest.close()

    async def purge_deleted_bytes(self, attempts: int = PURGE_ATTEMPTS,
                                  pause: float = PURGE_PAUSE) -> bool:
        """Make deleted rows unrecoverable on disk; False (and a warning) if it could not.

        `secure_delete` zeroes deleted content in the pages it rewrites, but the WAL still
        holds older copies of those pages until a checkpoint; TRUNCATE copies the zeroed pages
        into the database file and empties the WAL. It cannot finish while another connection
        (a backup, an operator's shell) still reads an older snapshot: SQLite then answers
        busy, and we try again a little later, holding the writer only a moment each time.
        """
        result: tuple[int, int, int] = (1, -1, -1)
        for _ in range(attempts):
            async with self._lock:
                conn = self._writer_conn()
                await conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_BUSY_MS}")
                try:
                    row = await fetch_one(conn, "PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            result = (int(row[0]), int(row[1]), int(row[2])) if row else (1, -1, -1)
            if result[0] == 0:
                return True
            await asyncio.sleep(pause)
        busy, frames, copied = result
        log.warning("Deleted data may still be in the WAL: another connection kept reading "
                    "through %d checkpoint attempts (busy=%d, %d frames in the WAL, %d copied); "
                    "the next deletion or a restart empties it", attempts, busy, frames, copied)
        return False
