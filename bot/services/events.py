"""Certificate ceremonies, exhibitions and panels: scheduling, moving, who is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.clock import Clock
from bot.config import Settings
from bot.domain import Course, Event, EventKind, Role
from bot.errors import DomainError, NotFound
from bot.i18n import N_
from bot.services.places import pin_for
from bot.services.reminders import ReminderService
from bot.services.roles import authorize
from bot.services.timer import NOTIFY, Wakeup, no_wakeup
from storage.audit import AuditLog
from storage.courses import CourseRepository
from storage.database import Database
from storage.due_actions import DueActionRepository
from storage.events import EventRepository


@dataclass(frozen=True)
class Scheduled:
    event: Event
    course: Course | None
    moved: bool
    told: int
    unchanged: bool = False


class EventService:
    """Creates, moves and cancels events; tells and reminds those concerned."""

    def __init__(self, db: Database, clock: Clock, settings: Settings,
                 reminders: ReminderService, wakeup: Wakeup = no_wakeup) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.reminders = reminders
        self.wakeup = wakeup

    async def _course(self, conn: aiosqlite.Connection, code: str) -> Course:
        course = await CourseRepository(conn).by_code(code)
        if course is None:
            raise NotFound(N_("There is no course with the code {code}."), code=code[:40])
        return course

    async def _tell(self, conn: aiosqlite.Connection, event: Event, users: set[int],
                    message: str, now: datetime, at: datetime | None = None,
                    **payload: Any) -> None:
        repo = DueActionRepository(conn)
        for user_id in users:
            await repo.add(NOTIFY, at or now, user_id=user_id, ref_id=event.id, now=now,
                           payload={"message": message, "event_id": event.id,
                                    "at": event.starts_at.isoformat(), **payload})
        self.wakeup(at or now)

    async def _ceremony_course(self, conn: aiosqlite.Connection, code: str,
                               starts_at: datetime) -> Course:
        course = await self._course(conn, code)
        if starts_at.astimezone(self.settings.timezone).date() < course.end_date:
            raise DomainError(N_("A certificate ceremony comes after the course: {course} "
                                 "ends on {end}. Choose that day or a later one."),
                              course=course.name, end=course.end_date)
        return course

    async def check_ceremony(self, code: str, starts_at: datetime) -> Course:
        """Refuse, before asking anything more, a ceremony that cannot be scheduled."""
        async with self.db.reading() as conn:
            return await self._ceremony_course(conn, code, starts_at)

    async def ceremony_pin(self, place: str) -> tuple[float, float] | None:
        """The map pin of a known course centre that the place names, if any."""
        async with self.db.reading() as conn:
            return pin_for(place, await CourseRepository(conn).centre_locations())

    async def schedule_ceremony(self, staff_id: int, code: str, starts_at: datetime,
                                place: str, pin: tuple[float, float] | None) -> Scheduled:
        """Schedule a course's ceremony, or move the one it has; trainees are told. The
        ceremony is on or after the course's last day; the same time, place and pin again
        change nothing and tell no one."""
        now = self.clock.now()
        starts_at = starts_at.astimezone(UTC)
        async with self.db.transaction() as conn:
            await authorize(conn, self.settings.admin_ids, staff_id, Role.ADMIN, "ceremony")
            course = await self._ceremony_course(conn, code, starts_at)
            events = EventRepository(conn)
            existing = await events.ceremony_of(course.id)
            if existing is not None:
                same_pin = (existing.latitude, existing.longitude) == (pin or (None, None))
                if existing.starts_at == starts_at and existing.place == place and same_pin:
                    trainees = await events.audience(existing)
                    return Scheduled(existing, course, False, len(trainees), unchanged=True)
                await events.move(existing.id, starts_at, place, pin, now)
                event_id = existing.id
            else:
                event_id = await events.add(EventKind.CEREMONY, course.name, starts_at, place,
                                            course.id, staff_id, now, pin=pin)
            event = await events.get(event_id)
            assert event is not None
            trainees = await events.audience(event)
            message = "ceremony_moved" if existing else "ceremony_scheduled"
            await self._tell(conn, event, trainees, message, now)
            await self.reminders.replan_event(conn, event, trainees, now)
            await AuditLog(conn).write(staff_id, "ceremony_moved" if existing else "ceremony",
                                       f"{course.code} {starts_at.isoformat()} {place}", now)
        return Scheduled(event, course, existing is not None, len(trainees))

    async def cancel_ceremony(self, staff_id: int, code: str) -> Scheduled:
        now = self.clock.now()
        async with self.db.transaction() as conn:
            await authorize(conn, self.settings.admin_ids, staff_id, Role.ADMIN,
                            "cancel_ceremony")
            course = await self._course(conn, code)
            events = EventRepository(conn)
            event = await events.ceremony_of(course.id)
            if event is None:
                raise DomainError(N_("{code} has no ceremony scheduled."), code=course.code)
            trainees = await events.audience(event)
            await events.cancel(event.id, now)
            await self.reminders.cancel_for_event(conn, event.id, now)
            await self._tell(conn, event, trainees, "ceremony_cancelled", now)
            await AuditLog(conn).write(staff_id, "ceremony_cancelled", course.code, now)
        return Scheduled(event, course, False, len(trainees))

    async def create(self, staff_id: int, kind: EventKind, title: str, starts_at: datetime,
                     place: str, district_ids: set[int], course_ids: set[int]) -> Scheduled:
        """An exhibition or panel; subscribers of its districts and its trainees are told."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            await authorize(conn, self.settings.admin_ids, staff_id, Role.ADMIN, "add_event")
            events = EventRepository(conn)
            pin = pin_for(place, await CourseRepository(conn).centre_locations())
            event_id = await events.add(kind, title, starts_at.astimezone(UTC), place, None,
                                        staff_id, now, district_ids, course_ids, pin)
            event = await events.get(event_id)
            assert event is not None
            audience = await events.audience(event)
            await self._tell(conn, event, audience, "event_announced", now)
            await self.reminders.plan_event(conn, event, audience, now)
            await AuditLog(conn).write(staff_id, f"event_{kind.value}", title, now)
        return Scheduled(event, None, False, len(audience))

    async def upcoming_for(self, user_id: int) -> list[tuple[Event, Course | None]]:
        """Coming events that concern the user, soonest first."""
        async with self.db.reading() as conn:
            events = EventRepository(conn)
            courses = CourseRepository(conn)
            found = []
            for event in await events.upcoming(self.clock.now()):
                if event.city_wide or user_id in await events.audience(event):
                    course = await courses.by_id(event.course_id) if event.course_id else None
                    found.append((event, course))
        return found

    async def concerns(self, event_id: int, user_id: int) -> bool:
        """Whether the event still concerns the user (messages about it are sent only then)."""
        async with self.db.reading() as conn:
            events = EventRepository(conn)
            event = await events.get(event_id)
            return event is not None and user_id in await events.audience(event)

    async def get(self, event_id: int) -> tuple[Event, Course | None] | None:
        async with self.db.reading() as conn:
            event = await EventRepository(conn).get(event_id)
            if event is None:
                return None
            course = await CourseRepository(conn).by_id(event.course_id) \
                if event.course_id else None
        return event, course
