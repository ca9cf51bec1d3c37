"""Users: the people who have written to the bot, their language and reminder choices."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import aiosqlite

from bot.domain import User
from storage.database import fetch_one, stamp


def _user(row: sqlite3.Row) -> User:
    return User(
        id=row["id"],
        locale=row["locale"],
        telegram_language=row["telegram_language"],
        first_seen=datetime.fromisoformat(row["first_seen"]),
        last_seen=datetime.fromisoformat(row["last_seen"]),
        active=bool(row["active"]),
        class_reminders=bool(row["class_reminders"]),
        event_reminders=bool(row["event_reminders"]),
    )


class UserRepository:
    """Reads and writes users on one connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, user_id: int) -> User | None:
        row = await fetch_one(self.conn, "SELECT * FROM users WHERE id = ?", (user_id,))
        return _user(row) if row else None

    async def touch(self, user_id: int, telegram_language: str | None, now: datetime) -> None:
        """Record that the user wrote now (creating them on first contact)."""
        await self.conn.execute(
            """INSERT INTO users (id, telegram_language, first_seen, last_seen)
               VALUES (?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET telegram_language = excluded.telegram_language,
                 last_seen = excluded.last_seen, active = 1""",
            (user_id, telegram_language, stamp(now), stamp(now)),
        )

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self.conn.execute("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))

    async def set_active(self, user_id: int, active: bool) -> None:
        await self.conn.execute("UPDATE users SET active = ? WHERE id = ?", (int(active), user_id))

    async def set_preferences(self, user_id: int, *, class_reminders: bool | None = None,
                              event_reminders: bool | None = None) -> None:
        await self.conn.execute(
            "UPDATE users SET class_reminders = coalesce(?, class_reminders), "
            "event_reminders = coalesce(?, event_reminders) WHERE id = ?",
            (None if class_reminders is None else int(class_reminders),
             None if event_reminders is None else int(event_reminders), user_id),
        )

