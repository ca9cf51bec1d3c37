"""Subscriptions to new courses by district and branch, and the branch list."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain import District, Subscription
from storage.database import fetch_all, fetch_one, stamp


class SubscriptionRepository:
    """Reads and writes subscriptions on one connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def for_user(self, user_id: int) -> list[Subscription]:
        rows = await fetch_all(
            self.conn, "SELECT s.id, s.branch, d.id AS district_id, d.name FROM subscriptions s "
            "LEFT JOIN districts d ON d.id = s.district_id WHERE s.user_id = ? ORDER BY s.id",
            (user_id,),
        )
        rows = rows
        return [Subscription(r["id"], District(r["district_id"], r["name"])
                             if r["district_id"] else None, r["branch"]) for r in rows]

    async def add(self, user_id: int, district_id: int | None, branch: str | None,
                  now: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO subscriptions (user_id, district_id, branch, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (user_id, district_id, branch, stamp(now)))

    async def remove(self, user_id: int, subscription_id: int) -> None:
        await self.conn.execute("DELETE FROM subscriptions WHERE id = ? AND user_id = ?",
                                (subscription_id, user_id))

    async def subscribers_of(self, district_id: int | None, branch: str) -> list[int]:
        """Active users whose wish a new course of this district and branch fulfils."""
        rows = await fetch_all(
            self.conn, "SELECT DISTINCT s.user_id FROM subscriptions s JOIN users u "
            "ON u.id = s.user_id WHERE u.active = 1 "
            "AND (s.district_id IS NULL OR s.district_id = ?) "
            "AND (s.branch IS NULL OR s.branch = ?) ORDER BY s.user_id",
            (district_id, branch))
        return [row[0] for row in rows]

    async def branches(self, *, staff: bool) -> list[tuple[int, str]]:
        """Branches to subscribe to: those of any course the viewer may see (a branch used
        only by staff-only courses is not offered to citizens)."""
        audience = "" if staff else "AND c.audience = 'halk'"
        rows = await fetch_all(
            self.conn, "SELECT b.id, b.name FROM branches b WHERE EXISTS (SELECT 1 FROM courses "
            f"c WHERE c.branch = b.name {audience})")
        return [(r[0], r[1]) for r in rows]

    async def branch(self, branch_id: int) -> str | None:
        row = await fetch_one(self.conn, "SELECT name FROM branches WHERE id = ?",
                                     (branch_id,))
        return row[0] if row else None
