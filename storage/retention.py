"""Citizens whose data has outlived DATA_RETENTION: whom to warn, whom to forget."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.database import fetch_all, stamp

# No registration, waiting place or seat offer that is still running.
_IDLE = """NOT EXISTS (SELECT 1 FROM registrations r WHERE r.user_id = u.id
                        AND r.status IN ('registered', 'waiting', 'offered'))"""


class RetentionRepository:
    """Reads and marks users for the retention job, in small batches."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def to_warn(self, seen_before: datetime, limit: int) -> list[tuple[int, datetime]]:
        """Idle citizens with personal data, silent since `seen_before`, not yet warned
        since they last wrote; with their last message's time."""
        rows = await fetch_all(
            self.conn,
            f"""SELECT u.id, u.last_seen FROM users u JOIN profiles p ON p.user_id = u.id
                WHERE u.last_seen <= ? AND u.active = 1 AND {_IDLE}
                  AND (u.retention_warned_at IS NULL OR u.retention_warned_at < u.last_seen)
                LIMIT ?""", (stamp(seen_before), limit))
        return [(row[0], datetime.fromisoformat(row[1])) for row in rows]

    async def mark_warned(self, user_id: int, now: datetime) -> None:
        await self.conn.execute("UPDATE users SET retention_warned_at = ? WHERE id = ?",
                                (stamp(now), user_id))

    async def to_forget(self, seen_before: datetime, warned_before: datetime,
                        limit: int) -> list[int]:
        """Idle users silent since `seen_before`: warned (after their last message) at least a
        week ago, or with no personal data to warn about, or unreachable (blocked the bot)."""
        rows = await fetch_all(
            self.conn,
            f"""SELECT u.id FROM users u WHERE u.last_seen <= ? AND {_IDLE}
                AND ((u.retention_warned_at >= u.last_seen AND u.retention_warned_at <= ?)
                     OR u.active = 0
                     OR NOT EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = u.id))
                LIMIT ?""", (stamp(seen_before), stamp(warned_before), limit))
        return [row[0] for row in rows]
