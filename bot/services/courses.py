"""The course catalogue as citizens see it: districts, pages, cards, import (search and
nearby: bot/services/search.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain import (
    Audience,
    Course,
    CourseDraft,
    CoursePage,
    District,
    DistrictCount,
    Viewer,
)
from bot.errors import NotFound
from bot.i18n import N_
from bot.services.catalogue import Catalogue
from storage.courses import CourseRepository
from storage.database import Database

PAGE_SIZE = 8
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

    def __init__(self, db: Database, clock: Clock, timezone: ZoneInfo,
                 catalogue: Catalogue | None = None) -> None:
        self.db = db
        self.clock = clock
        self.timezone = timezone
        self.catalogue = catalogue or Catalogue(db, clock, timezone)

    def today(self) -> date:
        return self.clock.now().astimezone(self.timezone).date()

    async def districts(self, viewer: Viewer) -> list[DistrictCount]:
        """Districts with open courses for this viewer, with counts, in alphabetical order."""
        snapshot = await self.catalogue.snapshot()
        counts: dict[int, int] = {}
        for course in snapshot.visible(viewer):
            if course.centre:
                counts[course.centre.district.id] = counts.get(course.centre.district.id, 0) + 1
        return [DistrictCount(district, counts[district_id])
                for district_id, district in snapshot.districts.items() if district_id in counts]

    async def online_count(self, viewer: Viewer) -> int:
        snapshot = await self.catalogue.snapshot()
        return sum(1 for c in snapshot.visible(viewer) if c.is_online)

    async def district(self, district_id: int) -> District:
        found = (await self.catalogue.snapshot()).districts.get(district_id)
        if found is None:
            raise NotFound(N_("That district is no longer listed."))
        return found

    async def page(
        self, viewer: Viewer, page: int, *, district_id: int | None = None, online: bool = False
    ) -> CoursePage:
        """One page of a district's (or the online) courses; a page past the end shows the last."""
        snapshot = await self.catalogue.snapshot()
        matching = [c for c in snapshot.visible(viewer)
                    if (c.is_online if online else
                        c.centre is not None and c.centre.district.id == district_id)]
        pages = max(math.ceil(len(matching) / PAGE_SIZE), 1)
        page = min(max(page, 0), pages - 1)
        shown = matching[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
        return CoursePage(tuple(shown), page, pages, len(matching))

    async def course(self, viewer: Viewer, *, course_id: int | None = None,
                     code: str | None = None) -> Course:
        """A course this viewer may see, by id or code (closed ones too, for old links)."""
        snapshot = await self.catalogue.snapshot()
        found = (snapshot.by_id.get(course_id) if course_id is not None
                 else snapshot.by_code.get((code or "").upper()))
        if found is None:
            async with self.db.reading() as conn:
                repo = CourseRepository(conn)
                found = await (repo.by_id(course_id) if course_id is not None
                               else repo.by_code(code or ""))
        if found is None or (found.audience is Audience.STAFF and not viewer.sees_staff_courses):
            raise NotFound(N_("We could not find that course. It may have been removed."))
        return found

    async def import_drafts(self, drafts: list[CourseDraft]) -> ImportResult:
        """Store validated courses in one transaction; an existing code is updated."""
        async with self.db.transaction() as conn:
            repo = CourseRepository(conn)
            existing = await repo.existing_codes(d.code for d in drafts)
            now = self.clock.now()
            for draft in drafts:
                await repo.upsert_course(draft, now)
        self.catalogue.invalidate()
        return ImportResult(created=len(drafts) - len(existing), updated=len(existing))
