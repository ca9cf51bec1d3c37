"""Districts, centres and courses: the course catalogue."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

import aiosqlite

from bot.domain import (
    Audience,
    Centre,
    Course,
    CourseDraft,
    CourseFormat,
    CourseStatus,
    District,
)
from bot.textsearch import fold
from storage.database import fetch_all, stamp

_COURSE_SELECT = """
SELECT c.*, ce.name AS centre_name, ce.neighbourhood, ce.address, ce.latitude, ce.longitude,
       ce.district_id, d.name AS district_name,
       (SELECT count(*) FROM registrations r
         WHERE r.course_id = c.id AND r.status IN ('registered', 'offered')) AS seats_taken,
       (SELECT count(*) FROM registrations r
         WHERE r.course_id = c.id AND r.status = 'waiting') AS waiting
FROM courses c
LEFT JOIN centres ce ON ce.id = c.centre_id
LEFT JOIN districts d ON d.id = ce.district_id
"""
# Open and not over (staff-only courses are filtered for each viewer by the catalogue).
_OPEN = "c.status = 'open' AND c.end_date >= :today"


def weekdays_to_mask(days: Iterable[int]) -> int:
    return sum(1 << d for d in set(days))


def mask_to_weekdays(mask: int) -> frozenset[int]:
    return frozenset(d for d in range(7) if mask & (1 << d))


def _course(row: sqlite3.Row) -> Course:
    centre = None
    if row["centre_id"] is not None:
        centre = Centre(
            id=row["centre_id"],
            district=District(row["district_id"], row["district_name"]),
            name=row["centre_name"],
            neighbourhood=row["neighbourhood"],
            address=row["address"],
            latitude=row["latitude"],
            longitude=row["longitude"],
        )
    opens = row["registration_opens_at"]
    return Course(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        branch=row["branch"],
        centre=centre,
        start_date=date.fromisoformat(row["start_date"]),
        end_date=date.fromisoformat(row["end_date"]),
        weekdays=mask_to_weekdays(row["weekdays"]),
        start_time=time.fromisoformat(row["start_time"]),
        end_time=time.fromisoformat(row["end_time"]),
        capacity=row["capacity"],
        instructor=row["instructor"],
        description=row["description"],
        min_age=row["min_age"],
        registration_opens_at=datetime.fromisoformat(opens) if opens else None,
        audience=Audience(row["audience"]),
        format=CourseFormat(row["format"]),
        link=row["link"],
        status=CourseStatus(row["status"]),
        seats_taken=row["seats_taken"],
        waiting=row["waiting"],
    )


class CourseRepository:
    """Reads and writes the course catalogue on one connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any]) -> list[sqlite3.Row]:
        rows = await fetch_all(self.conn, sql, params)
        return list(rows)

    async def _courses(self, where: str, params: dict[str, Any], tail: str = "") -> list[Course]:
        rows = await self._rows(f"{_COURSE_SELECT} WHERE {where} {tail}", params)
        return [_course(r) for r in rows]

    async def by_id(self, course_id: int) -> Course | None:
        found = await self._courses("c.id = :id", {"id": course_id})
        return found[0] if found else None

    async def by_code(self, code: str) -> Course | None:
        found = await self._courses("c.code = :code", {"code": code.upper()})
        return found[0] if found else None

    async def districts(self) -> list[District]:
        rows = await self._rows("SELECT id, name FROM districts ORDER BY search_key", ())
        return [District(r["id"], r["name"]) for r in rows]

    async def district(self, district_id: int) -> District | None:
        rows = await self._rows("SELECT id, name FROM districts WHERE id = ?", (district_id,))
        return District(rows[0]["id"], rows[0]["name"]) if rows else None

    async def running_between(self, first: date, last: date) -> list[Course]:
        """Courses (open or closed to registration) with class days between the two dates."""
        return await self._courses("c.start_date <= :last AND c.end_date >= :first",
                                   {"first": first.isoformat(), "last": last.isoformat()},
                                   "ORDER BY c.id")

    async def open_courses(self, today: date) -> list[Course]:
        """Every open course that has not ended (staff-only ones too), soonest first."""
        return await self._courses(_OPEN, {"today": today.isoformat()},
                                   "ORDER BY c.start_date, c.name, c.id")

    async def centre_locations(self, district_id: int | None = None
                               ) -> list[tuple[str, float, float]]:
        """Course centres with coordinates (in one district when given): the buildings a
        place typed by staff may name."""
        sql = "SELECT name, latitude, longitude FROM centres WHERE latitude IS NOT NULL"
        params: tuple[object, ...] = ()
        if district_id is not None:
            sql += " AND district_id = ?"
            params = (district_id,)
        rows = await self._rows(sql, params)
        return [(row["name"], float(row["latitude"]), float(row["longitude"])) for row in rows]

    async def ended_unfinished(self, today: date, limit: int) -> list[Course]:
        """Courses past their end date not yet marked finished, a few at a time."""
        return await self._courses("c.status != 'finished' AND c.end_date < :today",
                                   {"today": today.isoformat()},
                                   f"ORDER BY c.end_date, c.id LIMIT {int(limit)}")

    async def unannounced(self, limit: int) -> list[Course]:
        """Published courses whose publication has not been announced yet."""
        return await self._courses(
            "c.id NOT IN (SELECT course_id FROM course_announcements)", {},
            f"ORDER BY c.id LIMIT {int(limit)}")

    async def mark_announced(self, course_id: int, now: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO course_announcements (course_id, announced_at) VALUES (?, ?) "
            "ON CONFLICT DO NOTHING", (course_id, stamp(now)))

    async def upsert_district(self, name: str) -> int:
        await self.conn.execute(
            "INSERT INTO districts (name, search_key) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            (name, fold(name)),
        )
        rows = await self._rows("SELECT id FROM districts WHERE name = ?", (name,))
        return int(rows[0]["id"])

    async def upsert_centre(self, draft: CourseDraft) -> int | None:
        if draft.district is None or draft.centre is None:
            return None
        district_id = await self.upsert_district(draft.district)
        await self.conn.execute(
            """INSERT INTO centres (district_id, name, neighbourhood, address, latitude, longitude)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (district_id, name) DO UPDATE SET
                 neighbourhood = coalesce(excluded.neighbourhood, neighbourhood),
                 address = coalesce(excluded.address, address),
                 latitude = coalesce(excluded.latitude, latitude),
                 longitude = coalesce(excluded.longitude, longitude)""",
            (district_id, draft.centre, draft.neighbourhood, draft.address,
             draft.latitude, draft.longitude),
        )
        rows = await self._rows(
            "SELECT id FROM centres WHERE district_id = ? AND name = ?", (district_id, draft.centre)
        )
        return int(rows[0]["id"])

    async def existing_codes(self, codes: Iterable[str]) -> set[str]:
        wanted = list(codes)
        if not wanted:
            return set()
        marks = ",".join("?" * len(wanted))
        rows = await self._rows(f"SELECT code FROM courses WHERE code IN ({marks})", wanted)
        return {r["code"] for r in rows}

    async def upsert_course(self, draft: CourseDraft, now: datetime) -> None:
        """Insert the course, or update the one with the same code."""
        centre_id = await self.upsert_centre(draft)
        await self.conn.execute(
            "INSERT INTO branches (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
            (draft.branch,))
        district = draft.district or ""
        centre = draft.centre or ""
        key = fold(" ".join([draft.code, draft.name, draft.branch, district, centre]))
        opens = stamp(draft.registration_opens_at) if draft.registration_opens_at else None
        await self.conn.execute(
            """INSERT INTO courses (code, name, branch, centre_id, start_date, end_date, weekdays,
                 start_time, end_time, capacity, instructor, description, min_age,
                 registration_opens_at, audience, format, link, search_key, created_at, updated_at)
               VALUES (:code, :name, :branch, :centre, :start, :end, :days, :t0, :t1, :cap,
                 :instructor, :description, :min_age, :opens, :audience, :format, :link, :key,
                 :now, :now)
               ON CONFLICT (code) DO UPDATE SET
                 name = excluded.name, branch = excluded.branch, centre_id = excluded.centre_id,
                 start_date = excluded.start_date, end_date = excluded.end_date,
                 weekdays = excluded.weekdays, start_time = excluded.start_time,
                 end_time = excluded.end_time, capacity = excluded.capacity,
                 instructor = excluded.instructor, description = excluded.description,
                 min_age = excluded.min_age, registration_opens_at = excluded.registration_opens_at,
                 audience = excluded.audience, format = excluded.format, link = excluded.link,
                 search_key = excluded.search_key, updated_at = excluded.updated_at""",
            {
                "code": draft.code, "name": draft.name, "branch": draft.branch,
                "centre": centre_id, "start": draft.start_date.isoformat(),
                "end": draft.end_date.isoformat(), "days": weekdays_to_mask(draft.weekdays),
                "t0": draft.start_time.strftime("%H:%M"), "t1": draft.end_time.strftime("%H:%M"),
                "cap": draft.capacity, "instructor": draft.instructor,
                "description": draft.description, "min_age": draft.min_age, "opens": opens,
                "audience": draft.audience.value, "format": draft.format.value,
                "link": draft.link, "key": key, "now": stamp(now),
            },
        )

    async def set_status(self, course_id: int, status: CourseStatus, now: datetime) -> None:
        await self.conn.execute("UPDATE courses SET status = ?, updated_at = ? WHERE id = ?",
                                (status.value, stamp(now), course_id))

    async def known_districts(self) -> list[tuple[int, str]]:
        """Every district a course was ever held in, by name (staff pick one by button)."""
        rows = await self._rows("SELECT id, name FROM districts ORDER BY search_key", ())
        return [(row[0], row[1]) for row in rows]

    async def known_branches(self) -> list[tuple[int, str]]:
        """Every branch a course was ever given in, by name."""
        rows = await self._rows("SELECT id, name FROM branches ORDER BY name", ())
        return [(row[0], row[1]) for row in rows]
