"""Counselling windows, their slots and appointments; the mobile employment point's visits."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import aiosqlite

from bot.domain import (
    Appointment,
    AppointmentStatus,
    District,
    MobileVisit,
    Outcome,
    Slot,
    Topic,
)
from storage.database import fetch_all, fetch_one, stamp

_SLOT = """
SELECT s.id, s.window_id, s.starts_at, s.ends_at, s.status, w.counsellor_id, w.place,
       w.latitude, w.longitude, w.mobile_visit_id, w.status AS window_status
FROM slots s JOIN counselling_windows w ON w.id = s.window_id
"""
_APPOINTMENT = """
SELECT a.id AS appointment_id, a.user_id, a.topic, a.status AS appointment_status, a.outcome,
       coalesce(p.full_name, a.contact_name) AS contact_name, p.phone, s.id, s.window_id,
       s.starts_at, s.ends_at, s.status,
       w.counsellor_id, w.place, w.latitude, w.longitude, w.mobile_visit_id,
       w.status AS window_status
FROM appointments a
JOIN slots s ON s.id = a.slot_id
JOIN counselling_windows w ON w.id = s.window_id
LEFT JOIN profiles p ON p.user_id = a.user_id
"""


def _slot(row: sqlite3.Row) -> Slot:
    return Slot(
        id=row["id"], window_id=row["window_id"], counsellor_id=row["counsellor_id"],
        starts_at=datetime.fromisoformat(row["starts_at"]),
        ends_at=datetime.fromisoformat(row["ends_at"]),
        is_open=row["status"] == "open" and row["window_status"] == "open",
        place=row["place"], latitude=row["latitude"], longitude=row["longitude"],
        mobile_visit_id=row["mobile_visit_id"],
    )


def _appointment(row: sqlite3.Row) -> Appointment:
    return Appointment(
        id=row["appointment_id"], slot=_slot(row), user_id=row["user_id"],
        topic=Topic(row["topic"]), status=AppointmentStatus(row["appointment_status"]),
        outcome=Outcome(row["outcome"]) if row["outcome"] else None,
        contact_name=row["contact_name"], phone=row["phone"],
    )


class AppointmentRepository:
    """Reads and writes windows, slots and appointments on one connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    # -- windows and slots ---------------------------------------------------------------------

    async def open_windows(self, counsellor_id: int, day: date) -> list[tuple[datetime, datetime]]:
        rows = await fetch_all(
            self.conn, "SELECT starts_at, ends_at FROM counselling_windows "
            "WHERE counsellor_id = ? AND day = ? AND status = 'open'",
            (counsellor_id, day.isoformat()))
        return [(datetime.fromisoformat(r[0]), datetime.fromisoformat(r[1])) for r in rows]

    async def add_window(self, counsellor_id: int, day: date, starts: tuple[datetime, ...],
                         minutes: int, place: str | None,
                         location: tuple[float, float] | None, mobile_visit_id: int | None,
                         now: datetime) -> int:
        length = timedelta(minutes=minutes)
        cursor = await self.conn.execute(
            "INSERT INTO counselling_windows (counsellor_id, day, starts_at, ends_at, "
            "slot_minutes, place, latitude, longitude, mobile_visit_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (counsellor_id, day.isoformat(), stamp(starts[0]), stamp(starts[-1] + length),
             minutes, place, location[0] if location else None,
             location[1] if location else None, mobile_visit_id, stamp(now)))
        assert cursor.lastrowid is not None
        window_id = cursor.lastrowid
        await self.conn.executemany(
            "INSERT INTO slots (window_id, starts_at, ends_at) VALUES (?, ?, ?)",
            [(window_id, stamp(s), stamp(s + length)) for s in starts])
        return window_id

    async def slot(self, slot_id: int) -> Slot | None:
        row = await fetch_one(self.conn, _SLOT + " WHERE s.id = ?", (slot_id,))
        return _slot(row) if row else None

    async def free_slots(self, after: datetime, until: datetime,
                         mobile_visit_id: int | None = None) -> list[Slot]:
        """Open slots nobody holds, soonest first."""
        sql = (_SLOT + " WHERE s.status = 'open' AND w.status = 'open' AND s.starts_at > ? "
               "AND s.starts_at < ? AND NOT EXISTS (SELECT 1 FROM appointments a "
               "WHERE a.slot_id = s.id AND a.status != 'cancelled')")
        params: list[object] = [stamp(after), stamp(until)]
        if mobile_visit_id is not None:
            sql += " AND w.mobile_visit_id = ?"
            params.append(mobile_visit_id)
        rows = await fetch_all(self.conn, sql + " ORDER BY s.starts_at, s.id", params)
        return [_slot(r) for r in rows]

    async def counsellor_slots(self, counsellor_id: int, day: date) -> list[Slot]:
        rows = await fetch_all(
            self.conn, _SLOT + " WHERE w.counsellor_id = ? AND w.day = ? AND s.status = 'open' "
            "AND w.status = 'open' ORDER BY s.starts_at", (counsellor_id, day.isoformat()))
        return [_slot(r) for r in rows]

    async def close_slots(self, slot_ids: list[int]) -> None:
        await self.conn.executemany("UPDATE slots SET status = 'closed' WHERE id = ?",
                                    [(i,) for i in slot_ids])

    async def close_windows(self, counsellor_id: int, day: date) -> None:
        await self.conn.execute(
            "UPDATE counselling_windows SET status = 'closed' WHERE counsellor_id = ? "
            "AND day = ?", (counsellor_id, day.isoformat()))

    # -- appointments --------------------------------------------------------------------------

    async def get(self, appointment_id: int) -> Appointment | None:
        row = await fetch_one(self.conn, _APPOINTMENT + " WHERE a.id = ?", (appointment_id,))
        return _appointment(row) if row else None

    async def holder_of(self, slot_id: int) -> Appointment | None:
        row = await fetch_one(self.conn, _APPOINTMENT + " WHERE a.slot_id = ? "
                              "AND a.status != 'cancelled'", (slot_id,))
        return _appointment(row) if row else None

    async def held_by(self, user_id: int) -> Appointment | None:
        row = await fetch_one(self.conn, _APPOINTMENT + " WHERE a.user_id = ? AND a.holds = 1",
                              (user_id,))
        return _appointment(row) if row else None

    async def release_past(self, user_id: int, now: datetime) -> None:
        """An appointment whose time is over no longer stops the citizen booking again."""
        await self.conn.execute(
            "UPDATE appointments SET holds = 0, updated_at = ? WHERE user_id = ? AND holds = 1 "
            "AND (SELECT ends_at FROM slots WHERE id = slot_id) <= ?",
            (stamp(now), user_id, stamp(now)))

    async def add(self, slot_id: int, user_id: int, topic: Topic, contact_name: str | None,
                  now: datetime) -> int:
        cursor = await self.conn.execute(
            "INSERT INTO appointments (slot_id, user_id, topic, contact_name, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (slot_id, user_id, topic.value, contact_name, stamp(now), stamp(now)))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def cancel(self, appointment_id: int, reason: str, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE appointments SET status = 'cancelled', holds = 0, ended_reason = ?, "
            "updated_at = ? WHERE id = ?", (reason, stamp(now), appointment_id))

    async def mark(self, appointment_id: int, status: AppointmentStatus, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE appointments SET status = ?, holds = 0, "
            "outcome = CASE WHEN ? = 'attended' THEN outcome END, updated_at = ? WHERE id = ?",
            (status.value, status.value, stamp(now), appointment_id))

    async def set_outcome(self, appointment_id: int, outcome: Outcome, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE appointments SET outcome = ?, updated_at = ? WHERE id = ?",
            (outcome.value, stamp(now), appointment_id))

    async def booked_between(self, after: datetime, until: datetime,
                             counsellor_id: int | None) -> list[Appointment]:
        sql = _APPOINTMENT + (" WHERE a.status != 'cancelled' AND s.starts_at >= ? "
                              "AND s.starts_at < ?")
        params: list[object] = [stamp(after), stamp(until)]
        if counsellor_id is not None:
            sql += " AND w.counsellor_id = ?"
            params.append(counsellor_id)
        rows = await fetch_all(self.conn, sql + " ORDER BY s.starts_at", params)
        return [_appointment(r) for r in rows]

    async def for_user(self, user_id: int) -> list[Appointment]:
        rows = await fetch_all(self.conn, _APPOINTMENT + " WHERE a.user_id = ? "
                               "ORDER BY s.starts_at", (user_id,))
        return [_appointment(r) for r in rows]

    async def forget_user(self, user_id: int, now: datetime) -> list[int]:
        """Before a citizen's data goes: their coming appointments are cancelled and every
        appointment loses the name; the rows stay as anonymous counts."""
        rows = await fetch_all(self.conn, "SELECT id FROM appointments WHERE user_id = ? "
                               "AND holds = 1", (user_id,))
        for row in rows:
            await self.cancel(row[0], "data_deleted", now)
        await self.conn.execute("UPDATE appointments SET contact_name = NULL WHERE user_id = ?",
                                (user_id,))
        return [row[0] for row in rows]

    async def year_figures(self, first: datetime, last: datetime) -> tuple[int, int]:
        """Counselling contacts (meetings held) and people placed in jobs in [first, last)."""
        row = await fetch_one(
            self.conn, "SELECT count(*), count(DISTINCT CASE WHEN a.outcome = 'placed' "
            "THEN coalesce(a.user_id, -a.id) END) FROM appointments a "
            "JOIN slots s ON s.id = a.slot_id WHERE a.status = 'attended' "
            "AND s.starts_at >= ? AND s.starts_at < ?", (stamp(first), stamp(last)))
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def certified_not_met(self, now: datetime) -> int:
        """Trainees whose certificate ceremony is over and who have not met a counsellor."""
        row = await fetch_one(
            self.conn, "SELECT count(DISTINCT r.user_id) FROM registrations r "
            "JOIN events e ON e.course_id = r.course_id AND e.kind = 'ceremony' "
            "AND e.status = 'scheduled' AND e.starts_at <= ? "
            "WHERE r.status IN ('registered', 'completed') AND r.user_id IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.user_id = r.user_id "
            "AND a.status = 'attended')", (stamp(now),))
        return int(row[0]) if row else 0


def _visit(row: sqlite3.Row) -> MobileVisit:
    return MobileVisit(
        id=row["id"], district=District(row["district_id"], row["district_name"]),
        starts_at=datetime.fromisoformat(row["starts_at"]),
        ends_at=datetime.fromisoformat(row["ends_at"]), place=row["place"],
        latitude=row["latitude"], longitude=row["longitude"],
    )


_VISIT = ("SELECT v.*, d.name AS district_name FROM mobile_visits v "
          "JOIN districts d ON d.id = v.district_id")


class MobileVisitRepository:
    """The mobile employment point's visits."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add(self, district_id: int, starts_at: datetime, ends_at: datetime, place: str,
                  location: tuple[float, float] | None, staff_id: int, now: datetime) -> int:
        cursor = await self.conn.execute(
            "INSERT INTO mobile_visits (district_id, starts_at, ends_at, place, latitude, "
            "longitude, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (district_id, stamp(starts_at), stamp(ends_at), place,
             location[0] if location else None, location[1] if location else None, staff_id,
             stamp(now)))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def get(self, visit_id: int) -> MobileVisit | None:
        row = await fetch_one(self.conn, _VISIT + " WHERE v.id = ?", (visit_id,))
        return _visit(row) if row else None

    async def coming(self, after: datetime, district_id: int | None = None) -> list[MobileVisit]:
        sql = _VISIT + " WHERE v.status = 'scheduled' AND v.ends_at > ?"
        params: list[object] = [stamp(after)]
        if district_id is not None:
            sql += " AND v.district_id = ?"
            params.append(district_id)
        rows = await fetch_all(self.conn, sql + " ORDER BY v.starts_at, v.id", params)
        return [_visit(r) for r in rows]

    async def subscribers(self, district_id: int) -> set[int]:
        rows = await fetch_all(
            self.conn, "SELECT DISTINCT s.user_id FROM subscriptions s JOIN users u "
            "ON u.id = s.user_id WHERE s.district_id = ? AND u.active = 1", (district_id,))
        return {r[0] for r in rows}

    async def districts(self) -> list[District]:
        rows = await fetch_all(self.conn, "SELECT id, name FROM districts ORDER BY name")
        return [District(r[0], r[1]) for r in rows]
