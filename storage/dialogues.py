"""Dialogue state, stored so that a restart in the middle of a dialogue loses nothing."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from bot.domain import Dialogue
from storage.database import fetch_all, fetch_one, stamp


class DialogueRepository:
    """Reads and writes the one dialogue a user may be in."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, user_id: int) -> Dialogue | None:
        row = await fetch_one(
            self.conn,
            "SELECT user_id, kind, step, data, updated_at FROM dialogues WHERE user_id = ?",
            (user_id,)
        )
        if row is None:
            return None
        return Dialogue(row["user_id"], row["kind"], row["step"], json.loads(row["data"]),
                        datetime.fromisoformat(row["updated_at"]))

    async def save(self, dialogue: Dialogue, now: datetime) -> None:
        await self.conn.execute(
            """INSERT INTO dialogues (user_id, kind, step, data, updated_at)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind, step = excluded.step,
                 data = excluded.data, updated_at = excluded.updated_at""",
            (dialogue.user_id, dialogue.kind, dialogue.step,
             json.dumps(dialogue.data, ensure_ascii=False), stamp(now)),
        )

    async def users(self) -> list[int]:
        """Everyone in the middle of a dialogue."""
        return [row[0] for row in await fetch_all(self.conn, "SELECT user_id FROM dialogues")]

    async def clear(self, user_id: int) -> None:
        await self.conn.execute("DELETE FROM dialogues WHERE user_id = ?", (user_id,))

    async def clear_older_than(self, cutoff: datetime, limit: int) -> list[int]:
        """Delete up to `limit` dialogues last answered at or before `cutoff`; their users."""
        rows = await fetch_all(
            self.conn, "SELECT user_id FROM dialogues WHERE updated_at <= ? LIMIT ?",
            (stamp(cutoff), limit))
        gone = [row[0] for row in rows]
        await self.conn.executemany("DELETE FROM dialogues WHERE user_id = ?",
                                    [(u,) for u in gone])
        return gone
