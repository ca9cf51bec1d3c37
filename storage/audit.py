"""The audit log: who did what, when, and what changed."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain import AuditEntry
from storage.database import fetch_all, fetch_one, stamp


class AuditLog:
    """Writes and reads audit entries on one connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def write(self, user_id: int, action: str, detail: str, now: datetime, *,
                    before: str | None = None, after: str | None = None) -> None:
        await self.conn.execute(
            "INSERT INTO audit_log (user_id, action, detail, before, after, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, action, detail, before, after, stamp(now)))

    async def latest(self, offset: int, limit: int) -> list[AuditEntry]:
        rows = await fetch_all(
            self.conn, "SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?",
            (limit, offset))
        return [AuditEntry(id=r["id"], user_id=r["user_id"], action=r["action"],
                           detail=r["detail"], before=r["before"], after=r["after"],
                           at=datetime.fromisoformat(r["at"])) for r in rows]

    async def count(self) -> int:
        row = await fetch_one(self.conn, "SELECT count(*) FROM audit_log")
        return int(row[0]) if row else 0
