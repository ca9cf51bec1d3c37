"""Certificate ceremonies, exhibitions and panels: scheduling, moving, who is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiosqlite

from bot.clock import Clock
from bot.config import Settings
from bot.domain import Course, Event, EventKind, Role
from bot.errors import DomainError, NotFound
from bot.i18n import N_
from bot.services.reminders import ReminderService
from bot.services.roles import authorize
from bot.services.timer import NOTIFY, Wakeup, no_wakeup
from storage.audit import AuditLog
from storage.courses import CourseRepository
from storage.database import Database
from storage.due_actions import DueActionRepository
from storage.events import EventRepository

# Trainees are offered the next step once a ceremony is over.
CEREMONY_LENGTH = timedelta(hours=2)


@dataclass(frozen=True)
class Scheduled:
    event: Event
    course: Course | None
    moved: bool
    told: int


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

    async def schedule_ceremony(self, staff_id: int, code: str, starts_at: datetime,
                                place: str) -> Scheduled:
        """Schedule a course's ceremony, or move the one it has; trainees are told."""
        now = self.clock.now()
        starts_at = starts_at.astimezone(UTC)
        async with self.db.transaction() as conn:
            await authorize(conn, self.settings.admin_ids, staff_id, Role.ADMIN, "ceremony")
            course = await self._course(conn, code)
            events = EventRepository(conn)
            existing = await events.ceremony_of(course.id)
            if existing is not None:
                await events.move(existing.id, starts_at, place, now)
                await self.reminders.cancel_for_event(conn, existing.id, now)
                event_id = existing.id
            else:
                event_id = await events.add(EventKind.CEREMONY, course.name, starts_at, place,
                                            course.id, staff_id, now)
            event = await events.get(event_id)
            assert event is not None
            trainees = await events.audience(event)
            message = "ceremony_moved" if existing else "ceremony_scheduled"
            await self._tell(conn, event, trainees, message, now)
            await self._tell(conn, event, trainees, "after_ceremony", now,
                             at=starts_at + CEREMONY_LENGTH)
            await self.reminders.plan_event(conn, event, trainees, now)
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
            event_id = await events.add(kind, title, starts_at.astimezone(UTC), place, None,
                                        staff_id, now, district_ids, course_ids)
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
                city_wide = (event.kind is not EventKind.CEREMONY and not event.district_ids
                             and not event.course_ids)
                if city_wide or user_id in await events.audience(event):
                    course = await courses.by_id(event.course_id) if event.course_id else None
                    found.append((event, course))
        return found

    async def get(self, event_id: int) -> tuple[Event, Course | None] | None:
        async with self.db.reading() as conn:
            event = await EventRepository(conn).get(event_id)
            if event is None:
                return None
            course = await CourseRepository(conn).by_id(event.course_id) \
                if event.course_id else None
        return event, course
