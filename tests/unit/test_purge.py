"""A deletion leaves nothing in the database file or its WAL, even while someone reads."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.database import Database
from storage.profiles import ProfileRepository
from storage.users import UserRepository

PHONE = b"+905321234567"
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def on_disk(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.iterdir()
                    if p.name.startswith(path.name))


def reader_holding_a_snapshot(path: Path) -> sqlite3.Connection:
    """Another connection in the middle of a read (a backup, an operator's shell)."""
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM profiles").fetchone() == (1,)
    return reader


async def test_the_purge_waits_for_a_reader_and_then_empties_the_wal(db: Database) -> None:
    async with db.transaction() as conn:
        await UserRepository(conn).touch(7, "tr", NOW)
        await ProfileRepository(conn).save(7, "Cemile Kaya", PHONE.decode(), None, "v1",
                                           "consent", NOW)
    reader = reader_holding_a_snapshot(db.path)
    async with db.transaction() as conn:
        await ProfileRepository(conn).forget_user(7)
    purge = asyncio.create_task(db.purge_deleted_bytes())
    await asyncio.sleep(0.6)
    assert not purge.done()  # busy: the reader still sees the old rows
    reader.execute("COMMIT")
    reader.close()
    assert await purge is True
    assert PHONE not in on_disk(db.path)
    assert Path(f"{db.path}-wal").stat().st_size == 0


async def test_a_purge_that_cannot_finish_is_logged(db: Database,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    async with db.transaction() as conn:
        await UserRepository(conn).touch(7, "tr", NOW)
        await ProfileRepository(conn).save(7, "Cemile Kaya", PHONE.decode(), None, "v1",
                                           "consent", NOW)
    reader = reader_holding_a_snapshot(db.path)
    try:
        async with db.transaction() as conn:
            await ProfileRepository(conn).forget_user(7)
        with caplog.at_level(logging.WARNING, logger="storage.database"):
            assert await db.purge_deleted_bytes(attempts=3, pause=0.01) is False
        assert "Deleted data may still be in the WAL" in caplog.text
        assert "busy=1" in caplog.text
    finally:
        reader.close()
    assert await db.purge_deleted_bytes() is True  # the next one finishes the job
    assert PHONE not in on_disk(db.path)
