"""The durable timer's table: what is due when, and what became of it."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain import BULK, PERSONAL, DueAction
from storage.database import fetch_all, fetch_one, stamp


def _action(row: sqlite3.Row) -> DueAction:
    return DueAction(
        id=row["id"],
        kind=row["kind"],
        user_id=row["user_id"],
        ref_id=row["ref_id"],
        payload=json.loads(row["payload"]),
        due_at=datetime.fromisoformat(row["due_at"]),
        state=row["state"],
        attempts=row["attempts"],
        lane=row["lane"],
        rendered=row["rendered"],
        parts_sent=row["parts_sent"],
        reason=row["reason"],
    )


# States an action never leaves; its rendering is dropped when it gets there.
FINAL_STATES = ("done", "failed", "skipped", "in_doubt", "cancelled")


class DueActionRepository:
    """Reads and writes due actions on one connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add(self, kind: str, due_at: datetime, *, user_id: int | None = None,
                  ref_id: int | None = None, payload: dict[str, Any] | None = None,
                  dedup_key: str | None = None, now: datetime, lane: int = PERSONAL) -> bool:
        """Schedule an action; one with the same dedup_key is not added twice (False)."""
        cursor = await self.conn.execute(
            """INSERT INTO due_actions (kind, user_id, ref_id, payload, due_at, dedup_key,
                 updated_at, lane) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (dedup_key) DO NOTHING""",
            (kind, user_id, ref_id, json.dumps(payload or {}, ensure_ascii=False),
             stamp(due_at), dedup_key, stamp(now), lane),
        )
        return cursor.rowcount == 1

    async def add_for_registrations(self, kind: str, course_id: int, first_id: int,
                                    last_id: int, *, at: str, offset: int, first: bool,
                                    due_at: datetime, now: datetime) -> int:
        """Set-based: one reminder for each trainee of the course who wants class reminders,
        registrations `first_id`..`last_id`; those already planned (same key) are left."""
        cursor = await self.conn.execute(
            """INSERT INTO due_actions (kind, user_id, ref_id, payload, due_at, dedup_key,
                                        updated_at)
               SELECT :kind, r.user_id, r.id,
                      json_object('at', :at, 'offset', :offset, 'first', json(:first)),
                      :due, 'rc:' || r.id || ':' || :at || ':' || :offset, :now
                 FROM registrations r JOIN users u ON u.id = r.user_id
                WHERE r.course_id = :course AND r.id BETWEEN :lo AND :hi
                  AND r.status = 'registered' AND u.class_reminders = 1 AND u.active = 1
               ON CONFLICT (dedup_key) DO NOTHING""",
            {"kind": kind, "at": at, "offset": offset, "first": "true" if first else "false",
             "due": stamp(due_at), "now": stamp(now), "course": course_id, "lo": first_id,
             "hi": last_id})
        return cursor.rowcount

    async def next_due_at(self) -> datetime | None:
        row = await fetch_one(
            self.conn, "SELECT min(due_at) FROM due_actions WHERE state = 'pending'"
        )
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    async def next_due(self, now: datetime) -> DueAction | None:
        """The action to run next: the earliest due in the personal lane, else in the bulk
        lane (one indexed look-up per lane, however many are queued)."""
        row = await fetch_one(
            self.conn, """SELECT * FROM (SELECT * FROM due_actions WHERE state = 'pending'
                                  AND lane = :personal AND due_at <= :now
                                  ORDER BY due_at, id LIMIT 1)
                          UNION ALL
                          SELECT * FROM (SELECT * FROM due_actions WHERE state = 'pending'
                                  AND lane = :bulk AND due_at <= :now
                                  ORDER BY due_at, id LIMIT 1)
                          LIMIT 1""", {"personal": PERSONAL, "bulk": BULK, "now": stamp(now)})
        return _action(row) if row else None

    async def get(self, action_id: int) -> DueAction | None:
        row = await fetch_one(self.conn, "SELECT * FROM due_actions WHERE id = ?", (action_id,))
        return _action(row) if row else None

    async def due(self, now: datetime, limit: int) -> list[DueAction]:
        rows = await fetch_all(
            self.conn, "SELECT * FROM due_actions WHERE state = 'pending' AND due_at <= ? "
            "ORDER BY due_at, id LIMIT ?", (stamp(now), limit)
        )
        return [_action(row) for row in rows]

    async def set_state(self, action_id: int, state: str, now: datetime, *,
                        from_state: str | None = None, due_at: datetime | None = None,
                        attempts: int | None = None, parts_sent: int | None = None,
                        reason: str | None = None, rendered: str | None = None) -> bool:
        """Move an action to `state` (only from `from_state` when given); True if it moved.
        A final state drops the rendering (it may hold personal data)."""
        sql = "UPDATE due_actions SET state = ?, updated_at = ?"
        params: list[Any] = [state, stamp(now)]
        if state in FINAL_STATES:
            sql += ", rendered = NULL"
        elif rendered is not None:
            sql += ", rendered = ?"
            params.append(rendered)
        if parts_sent is not None:
            sql += ", parts_sent = ?"
            params.append(parts_sent)
        if reason is not None:
            sql += ", reason = ?"
            params.append(reason)
        if due_at is not None:
            sql += ", due_at = ?"
            params.append(stamp(due_at))
        if attempts is not None:
            sql += ", attempts = ?"
            params.append(attempts)
        sql += " WHERE id = ?"
        params.append(action_id)
        if from_state is not None:
            sql += " AND state = ?"
            params.append(from_state)
        cursor = await self.conn.execute(sql, params)
        return cursor.rowcount == 1

    async def cancel(self, kind: str, ref_id: int, now: datetime,
                     reason: str | None = None) -> int:
        """Cancel the pending actions of a cause; a message already partly sent is finished."""
        cursor = await self.conn.execute(
            "UPDATE due_actions SET state = 'cancelled', updated_at = ?, rendered = NULL, "
            "reason = ? WHERE kind = ? AND ref_id = ? AND state = 'pending' AND parts_sent = 0",
            (stamp(now), reason, kind, ref_id),
        )
        return cursor.rowcount

    async def notice_may_have_gone(self, message: str, registration_id: int) -> bool:
        """Whether a notice about a registration was sent, or may have been (a crash during
        the call); False when it was never attempted or was dropped before sending."""
        row = await fetch_one(
            self.conn, "SELECT 1 FROM due_actions WHERE kind = 'notify' "
            "AND json_extract(payload, '$.message') = ? "
            "AND json_extract(payload, '$.registration_id') = ? "
            "AND state IN ('done', 'sending', 'in_doubt') LIMIT 1", (message, registration_id))
        return row is not None

    async def release(self, key_prefix: str, now: datetime) -> None:
        """Actions whose cause changed (a moved ceremony, a course's new dates): the pending
        ones are cancelled, and none of them holds its de-duplication key any more, so the
        same cause can be planned again (moved A → B → A)."""
        await self.conn.execute(
            "UPDATE due_actions SET state = CASE state WHEN 'pending' THEN 'cancelled' "
            "ELSE state END, dedup_key = NULL, updated_at = ? "
            "WHERE dedup_key >= ? AND dedup_key < ?",
            (stamp(now), key_prefix, key_prefix + "\uffff"),
        )

    async def mark_in_doubt(self, now: datetime) -> list[DueAction]:
        """After a crash: actions caught while sending are in doubt and never sent again."""
        rows = await fetch_all(self.conn, "SELECT * FROM due_actions WHERE state = 'sending'")
        caught = [_action(row) for row in rows]
        await self.conn.execute(
            "UPDATE due_actions SET state = 'in_doubt', updated_at = ?, rendered = NULL, "
            "reason = 'crashed' WHERE state = 'sending'", (stamp(now),),
        )
        return caught

    async def skip_stale(self, kinds: tuple[str, ...], older_than: datetime,
                         now: datetime) -> list[DueAction]:
        """Mark pending actions of `kinds` due before `older_than` as skipped; return them."""
        marks = ",".join("?" * len(kinds))
        rows = await fetch_all(
            self.conn, f"SELECT * FROM due_actions WHERE state = 'pending' AND kind IN ({marks}) "
            "AND due_at < ?", (*kinds, stamp(older_than))
        )
        stale = [_action(row) for row in rows]
        await self.conn.execute(
            f"UPDATE due_actions SET state = 'skipped', reason = 'late', rendered = NULL, "
            f"updated_at = ? WHERE state = 'pending' AND kind IN ({marks}) AND due_at < ?",
            (stamp(now), *kinds, stamp(older_than)))
        return stale
