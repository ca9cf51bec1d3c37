"""The programme's figures: plain rows for the statistics service to add up."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import aiosqlite

from storage.database import fetch_all, fetch_one, stamp

# A trainee is a registration that holds a seat to the end ('completed' once courses finish).
_TRAINEE = "r.status IN ('registered', 'completed')"


class StatisticsRepository:
    """Read-only queries over courses, registrations, events and subscriptions."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def current_courses(self, today: date) -> list[sqlite3.Row]:
        """Courses that have not ended, with their district (NULL: online), branch, status,
        seats taken and waiting list."""
        return await fetch_all(
            self.conn,
            """SELECT c.id, c.branch, c.status, d.name AS district,
                 (SELECT count(*) FROM registrations r WHERE r.course_id = c.id
                   AND r.status IN ('registered', 'offered')) AS registered,
                 (SELECT count(*) FROM registrations r WHERE r.course_id = c.id
                   AND r.status = 'waiting') AS waiting
               FROM courses c
               LEFT JOIN centres ce ON ce.id = c.centre_id
               LEFT JOIN districts d ON d.id = ce.district_id
               WHERE c.status != 'finished' AND c.end_date >= ?""",
            (today.isoformat(),))

    async def ceremonies(self, start: datetime, end: datetime) -> list[sqlite3.Row]:
        """Scheduled certificate ceremonies in [start, end), with their course's district and
        branch."""
        return await fetch_all(
            self.conn,
            """SELECT d.name AS district, c.branch FROM events e
               JOIN courses c ON c.id = e.course_id
               LEFT JOIN centres ce ON ce.id = c.centre_id
               LEFT JOIN districts d ON d.id = ce.district_id
               WHERE e.kind = 'ceremony' AND e.status = 'scheduled'
                 AND e.starts_at >= ? AND e.starts_at < ?""",
            (stamp(start), stamp(end)))

    async def appointments(self, start: datetime, end: datetime) -> list[sqlite3.Row]:
        """Counselling appointments (not cancelled) with slots in [start, end), with the
        district of the mobile point's visit they were on (NULL: elsewhere)."""
        return await fetch_all(
            self.conn,
            """SELECT d.name AS district FROM appointments a
               JOIN slots s ON s.id = a.slot_id
               JOIN counselling_windows w ON w.id = s.window_id
               LEFT JOIN mobile_visits v ON v.id = w.mobile_visit_id
               LEFT JOIN districts d ON d.id = v.district_id
               WHERE a.status != 'cancelled' AND s.starts_at >= ? AND s.starts_at < ?""",
            (stamp(start), stamp(end)))

    async def demand(self) -> list[sqlite3.Row]:
        """/bildirimler wishes: how many citizens asked for each district and branch."""
        return await fetch_all(
            self.conn,
            """SELECT d.name AS district, s.branch, count(*) AS wishes FROM subscriptions s
               LEFT JOIN districts d ON d.id = s.district_id
               GROUP BY s.district_id, s.branch""")

    async def year(self, first: date, last: date, today: date) -> sqlite3.Row:
        """Courses that started in [first, last], their trainees, and the trainees of those
        that have ended (who receive a certificate)."""
        row = await fetch_one(
            self.conn,
            f"""SELECT
                 (SELECT count(*) FROM courses WHERE start_date BETWEEN :first AND :last)
                   AS courses_opened,
                 (SELECT count(*) FROM registrations r JOIN courses c ON c.id = r.course_id
                   WHERE c.start_date BETWEEN :first AND :last AND {_TRAINEE}) AS trainees,
                 (SELECT count(*) FROM registrations r JOIN courses c ON c.id = r.course_id
                   WHERE c.start_date BETWEEN :first AND :last AND c.end_date < :today
                     AND {_TRAINEE}) AS certificates""",
            {"first": first.isoformat(), "last": last.isoformat(),
             "today": today.isoformat()})
        assert row is not None
        return row
