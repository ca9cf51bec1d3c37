"""The newest update the bot finished (one row), read at start and saved now and then."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.database import fetch_one, stamp


class UpdateMarkRepository:
    """Reads and writes the single `update_mark` row."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self) -> tuple[int, datetime] | None:
        row = await fetch_one(self.conn, "SELECT update_id, saved_at FROM update_mark")
        if row is None:
            return None
        return int(row["update_id"]), datetime.fromisoformat(row["saved_at"])

    async def save(self, update_id: int, now: datetime) -> None:
        await self.conn.execute(
            """INSERT INTO update_mark (id, update_id, saved_at) VALUES (1, ?, ?)
               ON CONFLICT (id) DO UPDATE SET update_id = excluded.update_id,
                 saved_at = excluded.saved_at""",
            (update_id, stamp(now)),
        )
