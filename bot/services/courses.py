"""The course catalogue as citizens see it: districts, pages, search, nearby, import."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain import (
    Course,
    CourseDraft,
    CoursePage,
    District,
    DistrictCount,
    NearbyCourse,
    Viewer,
)
from bot.errors import NotFound
from bot.i18n import N_
from bot.textsearch import search_terms
from storage.courses import CourseFilter, CourseRepository
from storage.database import Database

PAGE_SIZE = 8
NEARBY_LIMIT = 8
SEARCH_LIMIT = 10
_EARTH_RADIUS_KM = 6371.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


class CourseService:
    """Browsing, searching and importing courses."""

    def __init__(self, db: Database, clock: Clock, timezone: ZoneInfo) -> None:
        self.db = db
        self.clock = clock
        self.timezone = timezone

    def today(self) -> date:
        return self.clock.now().astimezone(self.timezone).date()

    async def districts(self, viewer: Viewer) -> list[DistrictCount]:
        async with self.db.reading() as conn:
            return await CourseRepository(conn).district_counts(
                self.today(), viewer.sees_staff_courses
            )

    def _filter(self, viewer: Viewer, **narrowing: Any) -> CourseFilter:
        return CourseFilter(self.today(), viewer.sees_staff_courses, **narrowing)

    async def online_count(self, viewer: Viewer) -> int:
        async with self.db.reading() as conn:
            return await CourseRepository(conn).count(self._filter(viewer, online=True))

    async def district(self, district_id: int) -> District:
        async with self.db.reading() as conn:
            found = await CourseRepository(conn).district(district_id)
        if found is None:
            raise NotFound(N_("That district is no longer listed."))
        return found

    async def page(
        self, viewer: Viewer, page: int, *, district_id: int | None = None, online: bool = False
    ) -> CoursePage:
        """One page of a district's (or the online) courses; a page past the end shows the last."""
        where = self._filter(viewer, district_id=district_id, online=online)
        async with self.db.reading() as conn:
            repo = CourseRepository(conn)
            total = await repo.count(where)
            pages = max(math.ceil(total / PAGE_SIZE), 1)
            page = min(max(page, 0), pages - 1)
            courses = await repo.visible(where, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
        return CoursePage(tuple(courses), page, pages, total)

    async def course(self, viewer: Viewer, *, course_id: int | None = None,
                     code: str | None = None) -> Course:
        """A course this viewer may see, by id or code."""
        async with self.db.reading() as conn:
            repo = CourseRepository(conn)
            found = await (repo.by_id(course_id) if course_id is not None
                           else repo.by_code(code or ""))
        if found is None or (found.audience == "personel" and not viewer.sees_staff_courses):
            raise NotFound(N_("We could not find that course. It may have been removed."))
        return found

    async def search(self, viewer: Viewer, query: str) -> tuple[list[Course], int]:
        terms = search_terms(query)
        if not terms:
            return [], 0
        where = self._filter(viewer, terms=terms)
        async with self.db.reading() as conn:
            repo = CourseRepository(conn)
            found = await repo.visible(where, limit=SEARCH_LIMIT)
            total = len(found) if len(found) < SEARCH_LIMIT else await repo.count(where)
        return found, total

    async def nearby(self, viewer: Viewer, latitude: float, longitude: float) -> list[NearbyCourse]:
        """The courses nearest to a point, closest first."""
        async with self.db.reading() as conn:
            courses = await CourseRepository(conn).visible(self._filter(viewer, located=True),
                                                           limit=5000)
        ranked = [
            NearbyCourse(c, distance_km(latitude, longitude, c.centre.latitude, c.centre.longitude))
            for c in courses
            if c.centre and c.centre.latitude is not None and c.centre.longitude is not None
        ]
        ranked.sort(key=lambda n: (n.distance_km, n.course.start_date, n.course.name))
        return ranked[:NEARBY_LIMIT]

    async def import_drafts(self, drafts: list[CourseDraft]) -> ImportResult:
        """Store validated courses in one transaction; an existing code is updated."""
        async with self.db.transaction() as conn:
            repo = CourseRepository(conn)
            existing = await repo.existing_codes(d.code for d in drafts)
            now = self.clock.now()
            for draft in drafts:
                await repo.upsert_course(draft, now)
        return ImportResult(created=len(drafts) - len(existing), updated=len(existing))
