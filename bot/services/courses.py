"""The course catalogue as citizens see it: districts, pages, cards, import (search and
nearby: bot/services/search.py)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import aiosqlite

from bot.clock import Clock
from bot.domain import (
    Course,
    CourseDraft,
    CoursePage,
    District,
    DistrictCount,
    RegistrationStatus,
    Viewer,
)
from bot.errors import NotFound
from bot.i18n import N_
from bot.services import lifecycle
from bot.services.catalogue import Catalogue, Snapshot
from bot.services.course_file import CourseFileError, Problem
from bot.services.reminders import ReminderService
from bot.services.timer import NOTIFY
from storage.courses import CourseRepository
from storage.database import Database
from storage.due_actions import DueActionRepository
from storage.registrations import RegistrationRepository

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
                 catalogue: Catalogue | None = None,
                 reminders: ReminderService | None = None) -> None:
        self.db = db
        self.clock = clock
        self.timezone = timezone
        self.catalogue = catalogue or Catalogue(db, clock, timezone)
        self.reminders = reminders

    def _listed(self, snapshot: Snapshot, viewer: Viewer) -> Iterator[Course]:
        return snapshot.listed(viewer, self.clock.now())

    def today(self) -> date:
        return self.clock.now().astimezone(self.timezone).date()

    async def districts(self, viewer: Viewer) -> list[DistrictCount]:
        """Districts with open courses for this viewer, with counts, in alphabetical order."""
        snapshot = await self.catalogue.snapshot()
        counts: dict[int, int] = {}
        for course in self._listed(snapshot, viewer):
            if course.centre:
                counts[course.centre.district.id] = counts.get(course.centre.district.id, 0) + 1
        return [DistrictCount(district, counts[district_id])
                for district_id, district in snapshot.districts.items() if district_id in counts]

    async def online_count(self, viewer: Viewer) -> int:
        snapshot = await self.catalogue.snapshot()
        return sum(1 for c in self._listed(snapshot, viewer) if c.is_online)

    async def all_districts(self) -> list[District]:
        """Every district the programme has had a course in (for staff naming an audience)."""
        async with self.db.reading() as conn:
            return await CourseRepository(conn).districts()

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
        matching = [c for c in self._listed(snapshot, viewer)
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
        if found is None or not lifecycle.visible_to(found, viewer):
            raise NotFound(N_("We could not find that course. It may have been removed."))
        return found

    async def listed_course(self, course_id: int) -> Course | None:
        """The course, while the catalogue offers it (registration open or to open)."""
        async with self.db.reading() as conn:
            course = await CourseRepository(conn).by_id(course_id)
        if course is None or not lifecycle.is_listed(course, self.clock.now(), self.timezone):
            return None
        return course

    async def import_drafts(self, drafts: list[CourseDraft]) -> ImportResult:
        """Store validated courses in one transaction; an existing code is updated.

        All or nothing: a capacity below the seats already taken refuses the whole file, with
        the numbers. A course whose dates or hours change has its trainees' reminders moved
        and its trainees and waiting list told."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = CourseRepository(conn)
            before = {d.code: await repo.by_code(d.code) for d in drafts}
            problems = [
                Problem(d.row, "kontenjan", N_("The capacity {capacity} is below the {taken} "
                                               "seats already taken in {code}. Raise it, or "
                                               "cancel registrations first."),
                        {"capacity": d.capacity, "taken": old.seats_taken, "code": d.code})
                for d in drafts
                if (old := before[d.code]) is not None and d.capacity < old.seats_taken]
            if problems:
                raise CourseFileError(problems)
            for draft in drafts:
                await repo.upsert_course(draft, now)
                old = before[draft.code]
                if old is not None and _schedule(old) != _schedule(draft):
                    await self._schedule_changed(conn, draft.code, now)
        self.catalogue.invalidate()
        existing = sum(1 for old in before.values() if old is not None)
        return ImportResult(created=len(drafts) - existing, updated=existing)

    async def _schedule_changed(self, conn: aiosqlite.Connection, code: str,
                                now: datetime) -> None:
        course = await CourseRepository(conn).by_code(code)
        assert course is not None
        actions = DueActionRepository(conn)
        for registration in await RegistrationRepository(conn).of_course(course.id, -1):
            if registration.user_id is None:
                continue
            if registration.status is RegistrationStatus.REGISTERED and self.reminders:
                await self.reminders.replan_registration(conn, registration.id,
                                                         registration.user_id, course, now)
            await actions.add(NOTIFY, now, user_id=registration.user_id, now=now,
                              payload={"message": "course_changed",
                                       "registration_id": registration.id})
        if self.reminders:
            self.reminders.wakeup(now)


def _schedule(course: Course | CourseDraft) -> tuple[object, ...]:
    return (course.start_date, course.end_date, course.weekdays, course.start_time,
            course.end_time)
