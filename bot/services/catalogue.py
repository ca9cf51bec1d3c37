"""The course catalogue in memory: what citizens browse, without a database trip per tap.

Browsing is most of the traffic and the catalogue is small (bounded by courses, not users),
so a snapshot of the open courses, with their seats taken, serves every list, card, search and
distance. It is rebuilt when this process changes seats or courses (`invalidate`), on a new
day, and at most `TTL` after another process (an `import-courses` run) changed the file.
Seat decisions never use it: registration rules read the database inside their transaction.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain import Course, District, Viewer
from bot.services import lifecycle
from bot.textsearch import fold
from storage.courses import CourseRepository
from storage.database import Database

TTL_SECONDS = 2.0


@dataclass(frozen=True)
class Snapshot:
    """Open courses that have not ended, both audiences, soonest first."""

    day: date
    courses: tuple[Course, ...]
    timezone: ZoneInfo
    listed_until: tuple[datetime | None, ...] = field(init=False)
    by_id: dict[int, Course] = field(init=False)
    by_code: dict[str, Course] = field(init=False)
    keys: dict[int, str] = field(init=False)
    districts: dict[int, District] = field(init=False)  # alphabetical, Turkish letters folded

    def __post_init__(self) -> None:
        object.__setattr__(self, "listed_until", tuple(
            lifecycle.listed_until(c, self.timezone) for c in self.courses))
        object.__setattr__(self, "by_id", {c.id: c for c in self.courses})
        object.__setattr__(self, "by_code", {c.code: c for c in self.courses})
        object.__setattr__(self, "keys", {c.id: _search_key(c) for c in self.courses})
        found = {c.centre.district.id: c.centre.district for c in self.courses if c.centre}
        ordered = sorted(found.values(), key=lambda d: fold(d.name))
        object.__setattr__(self, "districts", {d.id: d for d in ordered})

    def listed(self, viewer: Viewer, now: datetime) -> Iterator[Course]:
        """What the catalogue offers this viewer now: visible to them, registration open or
        still to open (`lifecycle.listed_until`: a course whose registration closed leaves
        the lists and counts)."""
        return (c for c, until in zip(self.courses, self.listed_until, strict=True)
                if until is not None and now < until and lifecycle.visible_to(c, viewer))


def _search_key(course: Course) -> str:
    centre = course.centre
    parts = [course.code, course.name, course.branch]
    if centre:
        parts += [centre.district.name, centre.name, centre.neighbourhood or ""]
    return fold(" ".join(parts))


class Catalogue:
    """Holds the current snapshot and rebuilds it when it is stale."""

    def __init__(self, db: Database, clock: Clock, timezone: ZoneInfo) -> None:
        self.db = db
        self.clock = clock
        self.timezone = timezone
        self._snapshot: Snapshot | None = None
        self._loaded = 0.0
        self._lock = asyncio.Lock()

    def invalidate(self) -> None:
        """Seats or courses changed in this process: the next read rebuilds."""
        self._snapshot = None

    async def snapshot(self) -> Snapshot:
        today = self.clock.now().astimezone(self.timezone).date()
        current = self._snapshot
        if current and current.day == today and time.monotonic() - self._loaded < TTL_SECONDS:
            return current
        async with self._lock:
            current = self._snapshot
            if current and current.day == today and time.monotonic() - self._loaded < TTL_SECONDS:
                return current
            async with self.db.reading() as conn:
                courses = await CourseRepository(conn).open_courses(today)
            self._snapshot = Snapshot(today, tuple(courses), self.timezone)
            self._loaded = time.monotonic()
            return self._snapshot
