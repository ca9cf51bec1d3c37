"""Registrations: seats, the waiting list and offers."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import aiosqlite

from bot.domain import ACTIVE_STATUSES, Registration, RegistrationStatus
from storage.database import fetch_all, fetch_one, stamp

_POSITION = """
CASE WHEN r.status = 'waiting' THEN
  (SELECT count(*) FROM registrations w
    WHERE w.course_id = r.course_id AND w.status = 'waiting' AND w.id <= r.id)
END AS position
"""
_SELECT = f"SELECT r.*, {_POSITION} FROM registrations r"
_ACTIVE = "r.status IN ({})".format(", ".join(f"'{s.value}'" for s in ACTIVE_STATUSES))


def _registration(row: sqlite3.Row) -> Registration:
    expires = row["offer_expires_at"]
    return Registration(
        id=row["id"],
        code=row["code"],
        course_id=row["course_id"],
        user_id=row["user_id"],
        status=RegistrationStatus(row["status"]),
        offer_expires_at=datetime.fromisoformat(expires) if expires else None,
        created_at=datetime.fromisoformat(row["created_at"]),
        position=row["position"],
        offer_message_id=row["offer_message_id"],
        position_told=row["position_told"],
        ended_reason=row["ended_reason"],
    )


class RegistrationRepository:
    """Reads and writes registrations on one connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def _many(self, where: str, params: tuple[object, ...],
                    limit: int = -1) -> list[Registration]:
        sql = f"{_SELECT} WHERE {where} ORDER BY r.id LIMIT {int(limit)}"
        rows = await fetch_all(self.conn, sql, params)
        return [_registration(row) for row in rows]

    async def get(self, registration_id: int) -> Registration | None:
        found = await self._many("r.id = ?", (registration_id,))
        return found[0] if found else None

    async def active_for_user(self, user_id: int) -> list[Registration]:
        return await self._many(f"r.user_id = ? AND {_ACTIVE}", (user_id,))

    async def for_user(self, user_id: int) -> list[Registration]:
        return await self._many("r.user_id = ?", (user_id,))

    async def current_for(self, user_id: int, course_id: int) -> Registration | None:
        """The citizen's registration for a course that is not cancelled, if any."""
        found = await self._many("r.user_id = ? AND r.course_id = ? AND r.status != 'cancelled'",
                                 (user_id, course_id))
        return found[-1] if found else None

    async def completed_for_user(self, user_id: int) -> list[Registration]:
        return await self._many("r.user_id = ? AND r.status = 'completed'", (user_id,))

    async def waiting(self, course_id: int) -> list[Registration]:
        return await self._many("r.course_id = ? AND r.status = 'waiting'", (course_id,))

    async def offered_to(self, user_id: int) -> list[Registration]:
        return await self._many("r.user_id = ? AND r.status = 'offered'", (user_id,))

    async def set_position_told(self, registration_id: int, position: int) -> None:
        await self.conn.execute("UPDATE registrations SET position_told = ? WHERE id = ?",
                                (position, registration_id))

    async def set_offer_message(self, registration_id: int, message_id: int) -> None:
        await self.conn.execute("UPDATE registrations SET offer_message_id = ? WHERE id = ?",
                                (message_id, registration_id))

    async def of_course(self, course_id: int, limit: int) -> list[Registration]:
        """Registrations of a course still registered, waiting or offered, a batch at a time."""
        return await self._many(f"r.course_id = ? AND {_ACTIVE}", (course_id,), limit)

    async def seats_taken(self, course_id: int) -> int:
        row = await fetch_one(
            self.conn, "SELECT count(*) FROM registrations WHERE course_id = ? "
            "AND status IN ('registered', 'offered')", (course_id,)
        )
        return int(row[0]) if row else 0

    async def waiting_count(self, course_id: int) -> int:
        row = await fetch_one(
            self.conn,
            "SELECT count(*) FROM registrations WHERE course_id = ? AND status = 'waiting'",
            (course_id,),
        )
        return int(row[0]) if row else 0

    async def first_waiting(self, course_id: int) -> Registration | None:
        found = await self._many("r.course_id = ? AND r.status = 'waiting'", (course_id,), 1)
        return found[0] if found else None

    async def code_exists(self, code: str) -> bool:
        found = await fetch_one(self.conn, "SELECT 1 FROM registrations WHERE code = ?", (code,))
        return found is not None

    async def add(self, code: str, course_id: int, user_id: int, status: RegistrationStatus,
                  now: datetime) -> int:
        cursor = await self.conn.execute(
            "INSERT INTO registrations (code, course_id, user_id, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (code, course_id, user_id, status.value, stamp(now), stamp(now)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def set_status(self, registration_id: int, status: RegistrationStatus, now: datetime,
                         *, offer_expires_at: datetime | None = None,
                         reason: str | None = None) -> None:
        await self.conn.execute(
            "UPDATE registrations SET status = ?, offer_expires_at = ?, updated_at = ?, "
            "ended_reason = coalesce(?, ended_reason) WHERE id = ?",
            (status.value, stamp(offer_expires_at) if offer_expires_at else None,
             stamp(now), reason, registration_id),
        )

    async def with_class_reminders(self, course_id: int) -> list[int]:
        """Ids, in order, of the course's registered trainees who want class reminders."""
        rows = await fetch_all(
            self.conn, "SELECT r.id FROM registrations r JOIN users u ON u.id = r.user_id "
            "WHERE r.course_id = ? AND r.status = 'registered' AND u.class_reminders = 1 "
            "AND u.active = 1 ORDER BY r.id", (course_id,))
        return [row[0] for row in rows]

    async def course_ids_with_waiting(self) -> list[int]:
        rows = await fetch_all(
            self.conn, "SELECT DISTINCT course_id FROM registrations WHERE status = 'waiting'"
        )
        return [row[0] for row in rows]

    async def roster(self, course_code: str | None) -> list[sqlite3.Row]:
        """Active registrations with the citizen's name and phone, course by course."""
        where = "r.status != 'cancelled'" + (" AND c.code = ?" if course_code else "")
        sql = (f"SELECT c.code AS course_code, r.code, p.full_name, p.phone, r.status, "
               f"r.created_at, {_POSITION} FROM registrations r "
               "JOIN courses c ON c.id = r.course_id "
               "LEFT JOIN profiles p ON p.user_id = r.user_id "
               f"WHERE {where} ORDER BY c.code, r.status != 'registered', r.id")
        params = (course_code.upper(),) if course_code else ()
        rows = await fetch_all(self.conn, sql, params)
        return list(rows)
