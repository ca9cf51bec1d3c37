"""Ceremonies, exhibitions and panels, and whom they concern."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

import aiosqlite

from bot.domain import Course, Event, EventKind
from storage.database import fetch_all, fetch_one, stamp


class EventRepository:
    """Reads and writes events on one connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def _event(self, row: sqlite3.Row) -> Event:
        rows = await fetch_all(
            self.conn, "SELECT district_id FROM event_districts WHERE event_id = ?", (row["id"],)
        )
        districts = frozenset(r[0] for r in rows)
        rows = await fetch_all(
            self.conn, "SELECT course_id FROM event_courses WHERE event_id = ?", (row["id"],)
        )
        courses = frozenset(r[0] for r in rows)
        return Event(
            id=row["id"], kind=EventKind(row["kind"]), title=row["title"],
            starts_at=datetime.fromisoformat(row["starts_at"]), place=row["place"],
            course_id=row["course_id"], cancelled=row["status"] == "cancelled",
            district_ids=districts, course_ids=courses,
            latitude=row["latitude"], longitude=row["longitude"],
        )

    async def get(self, event_id: int) -> Event | None:
        row = await fetch_one(self.conn, "SELECT * FROM events WHERE id = ?", (event_id,))
        return await self._event(row) if row else None

    async def ceremony_of(self, course_id: int) -> Event | None:
        row = await fetch_one(
            self.conn, "SELECT * FROM events WHERE kind = 'ceremony' AND status = 'scheduled' "
            "AND course_id = ?", (course_id,)
        )
        return await self._event(row) if row else None

    async def add(self, kind: EventKind, title: str, starts_at: datetime, place: str,
                  course_id: int | None, staff_id: int, now: datetime,
                  district_ids: Iterable[int] = (), course_ids: Iterable[int] = (),
                  pin: tuple[float, float] | None = None) -> int:
        cursor = await self.conn.execute(
            "INSERT INTO events (kind, title, starts_at, place, course_id, created_by, "
            "created_at, updated_at, latitude, longitude) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (kind.value, title, stamp(starts_at), place, course_id, staff_id,
             stamp(now), stamp(now), pin[0] if pin else None, pin[1] if pin else None),
        )
        assert cursor.lastrowid is not None
        event_id = cursor.lastrowid
        await self.conn.executemany(
            "INSERT INTO event_districts (event_id, district_id) VALUES (?, ?)",
            [(event_id, d) for d in set(district_ids)])
        await self.conn.executemany(
            "INSERT INTO event_courses (event_id, course_id) VALUES (?, ?)",
            [(event_id, c) for c in set(course_ids)])
        return event_id

    async def move(self, event_id: int, starts_at: datetime, place: str,
                   pin: tuple[float, float] | None, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE events SET starts_at = ?, place = ?, latitude = ?, longitude = ?, "
            "updated_at = ? WHERE id = ?",
            (stamp(starts_at), place, pin[0] if pin else None, pin[1] if pin else None,
             stamp(now), event_id))

    async def cancel(self, event_id: int, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE events SET status = 'cancelled', updated_at = ? WHERE id = ?",
            (stamp(now), event_id))

    async def upcoming(self, after: datetime) -> list[Event]:
        rows = await fetch_all(
            self.conn, "SELECT * FROM events WHERE status = 'scheduled' AND starts_at > ? "
            "ORDER BY starts_at, id", (stamp(after),)
        )
        rows = list(rows)
        return [await self._event(row) for row in rows]

    async def audience(self, event: Event) -> set[int]:
        """The users an event concerns (SPEC §5): a ceremony's trainees (also once the course
        has ended); an exhibition's or panel's subscribers of its districts, trainees of
        courses in those districts and trainees of its courses; a city-wide one's every
        subscriber and every current trainee."""
        trainee = "r.status IN ('registered', 'completed') AND r.user_id IS NOT NULL"
        current = "r.status = 'registered' AND r.user_id IS NOT NULL"
        if event.kind is EventKind.CEREMONY:
            sql = f"SELECT r.user_id FROM registrations r WHERE r.course_id = ? AND {trainee}"
            params: tuple[object, ...] = (event.course_id,)
        elif event.city_wide:
            sql = (f"SELECT user_id FROM subscriptions UNION SELECT r.user_id FROM "
                   f"registrations r WHERE {current}")
            params = ()
        else:
            districts = ",".join(str(int(d)) for d in event.district_ids) or "NULL"
            courses = ",".join(str(int(c)) for c in event.course_ids) or "NULL"
            sql = (f"SELECT user_id FROM subscriptions WHERE district_id IN ({districts}) "
                   f"UNION SELECT r.user_id FROM registrations r JOIN courses c "
                   f"ON c.id = r.course_id LEFT JOIN centres ce ON ce.id = c.centre_id "
                   f"WHERE {current} AND (c.id IN ({courses}) "
                   f"OR ce.district_id IN ({districts}))")
            params = ()
        rows = await fetch_all(self.conn, sql, params)
        return {row[0] for row in rows}

    async def concerning_course(self, course: Course, now: datetime) -> list[Event]:
        """Coming events a trainee of `course` is in the audience of: its ceremony, events
        naming it or its district, and city-wide events."""
        district = course.centre.district.id if course.centre else None
        rows = await fetch_all(
            self.conn, "SELECT * FROM events e WHERE e.status = 'scheduled' AND e.starts_at > :now "
            "AND (e.course_id = :course OR EXISTS (SELECT 1 FROM event_courses ec "
            "WHERE ec.event_id = e.id AND ec.course_id = :course) "
            "OR EXISTS (SELECT 1 FROM event_districts ed WHERE ed.event_id = e.id "
            "AND ed.district_id = :district) "
            "OR (e.kind != 'ceremony' AND NOT EXISTS (SELECT 1 FROM event_courses ec "
            "WHERE ec.event_id = e.id) AND NOT EXISTS (SELECT 1 FROM event_districts ed "
            "WHERE ed.event_id = e.id))) ORDER BY e.starts_at, e.id",
            {"course": course.id, "district": district, "now": stamp(now)},
        )
        rows = list(rows)
        return [await self._event(row) for row in rows]
