"""Broadcasts: the staff's message, and its recipients as due actions in the bulk lane."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain import BULK, AudienceKind, Broadcast, BroadcastAudience
from storage.database import fetch_all, fetch_one, stamp

BROADCAST = "broadcast"
# Registrations that make someone a trainee of a course (or about to be one).
_TRAINEE = "r.status IN ('registered', 'offered')"
_ACTIVE = "r.status IN ('registered', 'waiting', 'offered')"


def _recipients(audience: BroadcastAudience) -> tuple[str, dict[str, Any]]:
    """SQL selecting the ids of the audience's active users, and its parameters."""
    value = audience.value
    if audience.kind is AudienceKind.EVERYONE:
        chosen = "SELECT id FROM users"
    elif audience.kind is AudienceKind.DISTRICT:
        chosen = (f"""SELECT user_id FROM subscriptions WHERE district_id = :value
                      UNION SELECT r.user_id FROM registrations r
                        JOIN courses c ON c.id = r.course_id
                        JOIN centres ce ON ce.id = c.centre_id
                       WHERE ce.district_id = :value AND {_ACTIVE}""")
    elif audience.kind is AudienceKind.BRANCH:
        chosen = (f"""SELECT user_id FROM subscriptions WHERE branch = :value
                      UNION SELECT r.user_id FROM registrations r
                        JOIN courses c ON c.id = r.course_id
                       WHERE c.branch = :value AND {_ACTIVE}""")
    elif audience.kind is AudienceKind.WAITING:
        chosen = ("SELECT r.user_id FROM registrations r WHERE r.course_id = :value "
                  "AND r.status = 'waiting'")
    elif audience.kind is AudienceKind.STAFF:
        chosen = "SELECT user_id FROM staff_roles"
    else:
        chosen = f"SELECT r.user_id FROM registrations r WHERE r.course_id = :value AND {_TRAINEE}"
    return (f"SELECT u.id FROM users u WHERE u.active = 1 AND u.id IN ({chosen})",
            {"value": value})


def _broadcast(row: sqlite3.Row) -> Broadcast:
    return Broadcast(
        id=row["id"], text=row["text"], audience=row["audience"],
        created_by=row["created_by"], created_at=datetime.fromisoformat(row["created_at"]),
        total=row["total"], stopped=row["status"] == "stopped",
        report_chat_id=row["report_chat_id"], report_message_id=row["report_message_id"])


class BroadcastRepository:
    """Reads and writes broadcasts and their recipients' rows on one connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def audience_size(self, audience: BroadcastAudience) -> int:
        sql, params = _recipients(audience)
        row = await fetch_one(self.conn, f"SELECT count(*) FROM ({sql})", params)
        return int(row[0]) if row else 0

    async def create(self, text: str, audience: BroadcastAudience, created_by: int,
                     now: datetime) -> int:
        """The broadcast and every recipient's row, set-based: one statement for all."""
        cursor = await self.conn.execute(
            "INSERT INTO broadcasts (text, audience, created_by, created_at) "
            "VALUES (?, ?, ?, ?)", (text, audience.key, created_by, stamp(now)))
        broadcast_id = cursor.lastrowid
        assert broadcast_id is not None
        sql, params = _recipients(audience)
        cursor = await self.conn.execute(
            f"""INSERT INTO due_actions (kind, user_id, ref_id, due_at, updated_at, lane)
                SELECT :kind, id, :broadcast, :now, :now, :lane FROM ({sql}) ORDER BY id""",
            {**params, "kind": BROADCAST, "broadcast": broadcast_id, "now": stamp(now),
             "lane": BULK})
        await self.conn.execute("UPDATE broadcasts SET total = ? WHERE id = ?",
                                (cursor.rowcount, broadcast_id))
        return broadcast_id

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await fetch_one(self.conn, "SELECT * FROM broadcasts WHERE id = ?",
                              (broadcast_id,))
        return _broadcast(row) if row else None

    async def outcomes(self, broadcast_id: int) -> list[tuple[str, str | None, int]]:
        """(state, reason, count) of the broadcast's rows."""
        rows = await fetch_all(
            self.conn, "SELECT state, reason, count(*) FROM due_actions "
            "WHERE kind = ? AND ref_id = ? GROUP BY state, reason", (BROADCAST, broadcast_id))
        return [(row[0], row[1], int(row[2])) for row in rows]

    async def stop(self, broadcast_id: int, now: datetime) -> int:
        """No more messages of this broadcast; returns how many were still waiting."""
        await self.conn.execute("UPDATE broadcasts SET status = 'stopped' WHERE id = ?",
                                (broadcast_id,))
        cursor = await self.conn.execute(
            "UPDATE due_actions SET state = 'cancelled', reason = 'stopped', rendered = NULL, "
            "updated_at = ? WHERE kind = ? AND ref_id = ? AND state = 'pending'",
            (stamp(now), BROADCAST, broadcast_id))
        return cursor.rowcount

    async def set_report_message(self, broadcast_id: int, chat_id: int,
                                 message_id: int) -> None:
        await self.conn.execute(
            "UPDATE broadcasts SET report_chat_id = ?, report_message_id = ? WHERE id = ?",
            (chat_id, message_id, broadcast_id))

    async def unfinished(self) -> list[Broadcast]:
        """Broadcasts with messages still to send (after a restart, they carry on)."""
        rows = await fetch_all(
            self.conn, "SELECT * FROM broadcasts b WHERE status = 'sending' AND EXISTS ("
            "SELECT 1 FROM due_actions d WHERE d.kind = ? AND d.ref_id = b.id "
            "AND d.state IN ('pending', 'sending')) ORDER BY id", (BROADCAST,))
        return [_broadcast(row) for row in rows]
