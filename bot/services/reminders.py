"""Reminders: planned as due actions, checked again when they fall due.

Every reminder is a row in `due_actions` with a `dedup_key` naming its cause, its target time
and its offset, so planning twice never doubles it; when it falls due, `resolve` checks that
the cause still holds (the registration is active, the event still at that time, the user
still wants it) and otherwise the reminder is dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot.clock import Clock
from bot.config import Settings
from bot.domain import Course, DueAction, Event, EventKind, RegistrationStatus, User
from bot.services import rules
from bot.services.timer import NOTIFY, REMINDER_KINDS, Wakeup, no_wakeup
from storage.courses import CourseRepository
from storage.database import Database
from storage.due_actions import DueActionRepository
from storage.events import EventRepository
from storage.registrations import RegistrationRepository
from storage.users import UserRepository

log = logging.getLogger(__name__)

CLASS_REMINDER, EVENT_REMINDER, APPOINTMENT_REMINDER = REMINDER_KINDS
PLAN_EVERY = timedelta(hours=1)
# Trainees are offered the next step once a ceremony is over.
CEREMONY_LENGTH = timedelta(hours=2)
PLAN_SLICE = 25  # registrations per INSERT … SELECT of the periodic planning


@dataclass(frozen=True)
class ClassReminder:
    user: User
    course: Course
    starts_at: datetime
    first: bool


@dataclass(frozen=True)
class EventReminder:
    user: User
    event: Event
    course: Course | None


class ReminderService:
    """Plans reminders and decides, when one falls due, whether it still stands."""

    def __init__(self, db: Database, clock: Clock, settings: Settings,
                 wakeup: Wakeup = no_wakeup) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.wakeup = wakeup

    async def _add(self, conn: aiosqlite.Connection, kind: str, user_id: int, ref_id: int,
                   at: datetime, key: str, now: datetime, late_ok: timedelta = timedelta(0),
                   **payload: object) -> int:
        """Plan a reminder at each offset before `at` that is still ahead (or, with
        `late_ok`, at most that late: planned while the bot was down, sent at once)."""
        added = 0
        for offset in self.settings.reminder_offsets:
            due = at - offset
            if at <= now or due <= now - late_ok:
                continue
            if await DueActionRepository(conn).add(
                    kind, due, user_id=user_id, ref_id=ref_id, now=now,
                    payload={"at": at.isoformat(), "offset": int(offset.total_seconds()),
                             **payload},
                    dedup_key=f"{key}:{at.isoformat()}:{int(offset.total_seconds())}"):
                self.wakeup(due)
                added += 1
        return added

    async def plan_first_class(self, conn: aiosqlite.Connection, registration_id: int,
                               user_id: int, course: Course, now: datetime) -> None:
        """Every registered trainee is reminded before the first class."""
        start = rules.course_start(course, self.settings.timezone)
        await self._add(conn, CLASS_REMINDER, user_id, registration_id, start,
                        f"rc:{registration_id}", now, first=True)

    async def replan_registration(self, conn: aiosqlite.Connection, registration_id: int,
                                  user_id: int, course: Course, now: datetime) -> None:
        """The course's dates or hours changed: its reminders follow the new times."""
        await DueActionRepository(conn).release(f"rc:{registration_id}:", now)
        await self.plan_first_class(conn, registration_id, user_id, course, now)

    async def plan_trainee(self, conn: aiosqlite.Connection, registration_id: int,
                           user_id: int, course: Course, now: datetime) -> None:
        """A new trainee (a registration, an accepted offer): the first class, and the
        ceremonies and events already announced that concern them, news and reminders."""
        await self.plan_first_class(conn, registration_id, user_id, course, now)
        events = EventRepository(conn)
        for event in await events.concerning_course(course, now):
            if user_id not in await events.audience(event):
                continue
            news = "ceremony_scheduled" if event.kind is EventKind.CEREMONY \
                else "event_announced"
            await DueActionRepository(conn).add(
                NOTIFY, now, user_id=user_id, ref_id=event.id, now=now,
                payload={"message": news, "event_id": event.id,
                         "at": event.starts_at.isoformat()},
                dedup_key=f"nw:{event.id}:{user_id}:{event.starts_at.isoformat()}")
            self.wakeup(now)
            await self.plan_event(conn, event, {user_id}, now)

    async def plan_event(self, conn: aiosqlite.Connection, event: Event, user_ids: set[int],
                         now: datetime) -> None:
        """Reminders before the event and, after a ceremony, the next-step message: one of
        each per person and time, however often it is planned."""
        repo = DueActionRepository(conn)
        after = event.starts_at + CEREMONY_LENGTH
        for user_id in user_ids:
            await self._add(conn, EVENT_REMINDER, user_id, event.id, event.starts_at,
                            f"re:{event.id}:{user_id}", now)
            if event.kind is EventKind.CEREMONY and after > now and await repo.add(
                    NOTIFY, after, user_id=user_id, ref_id=event.id, now=now,
                    payload={"message": "after_ceremony", "event_id": event.id,
                             "at": event.starts_at.isoformat()},
                    dedup_key=f"ac:{event.id}:{user_id}"):
                self.wakeup(after)

    async def replan_event(self, conn: aiosqlite.Connection, event: Event, user_ids: set[int],
                           now: datetime) -> None:
        """A moved event: what was planned for the old time goes, the new time is planned."""
        await self.release_event(conn, event.id, now)
        await self.plan_event(conn, event, user_ids, now)

    async def release_event(self, conn: aiosqlite.Connection, event_id: int,
                            now: datetime) -> None:
        repo = DueActionRepository(conn)
        for prefix in ("re", "ac"):
            await repo.release(f"{prefix}:{event_id}:", now)

    async def plan_appointment(self, conn: aiosqlite.Connection, appointment_id: int,
                               user_id: int, at: datetime, now: datetime) -> None:
        """An appointment holder is reminded before the appointment."""
        await self._add(conn, APPOINTMENT_REMINDER, user_id, appointment_id, at,
                        f"ra:{appointment_id}", now)

    async def cancel_for_appointment(self, conn: aiosqlite.Connection, appointment_id: int,
                                     now: datetime) -> None:
        await DueActionRepository(conn).cancel(APPOINTMENT_REMINDER, appointment_id, now)

    def _horizon(self, now: datetime) -> datetime:
        return now + max(self.settings.reminder_offsets) + PLAN_EVERY * 2

    async def plan_class_reminders_for(self, user_id: int) -> int:
        """One citizen turned class reminders on: their classes within reach of the longest
        offset (the periodic job plans the ones further ahead as they come near)."""
        now = self.clock.now()
        added = 0
        async with self.db.transaction() as conn:
            user = await UserRepository(conn).get(user_id)
            if user is None or not user.class_reminders or not user.active:
                return 0
            courses = CourseRepository(conn)
            for registration in await RegistrationRepository(conn).active_for_user(user_id):
                if registration.status is not RegistrationStatus.REGISTERED:
                    continue
                course = await courses.by_id(registration.course_id)
                if course is None:
                    continue
                first = rules.course_start(course, self.settings.timezone)
                for start in rules.class_starts(course, self.settings.timezone, now,
                                                self._horizon(now)):
                    added += await self._add(conn, CLASS_REMINDER, user_id, registration.id,
                                             start, f"rc:{registration.id}", now,
                                             first=start == first)
        return added

    async def plan_class_reminders(self) -> int:
        """For trainees who turned class reminders on: the classes within reach of the
        longest offset. Idempotent; run at start and hourly.

        It never holds the writer long (SPEC §10: under 50 ms): the class times are worked out
        per course, the trainees are read on the read connection, and the reminders are
        written set-based: one INSERT … SELECT per class, offset and slice of at most
        PLAN_SLICE registrations, each its own transaction in one trip to the database
        thread; between two of them, any write waiting for the writer goes first.
        Reminders that would have been planned while the bot was down are still planned when
        at most REMINDER_GRACE late (sent at once), like those planned before.
        """
        now = self.clock.now()
        grace = self.settings.reminder_grace
        horizon = self._horizon(now)
        tz = self.settings.timezone
        async with self.db.reading() as conn:
            courses = await CourseRepository(conn).running_between(
                now.astimezone(tz).date(), horizon.astimezone(tz).date())
        work: list[tuple[int, int, int, str, int, bool, datetime]] = []
        for course in courses:
            starts = rules.class_starts(course, tz, now, horizon)
            if not starts:
                continue
            async with self.db.reading() as conn:
                ids = await RegistrationRepository(conn).with_class_reminders(course.id)
            first = rules.course_start(course, tz)
            for start in starts:
                for offset in self.settings.reminder_offsets:
                    due = start - offset
                    if due <= now - grace:
                        continue
                    for lo in range(0, len(ids), PLAN_SLICE):
                        chunk = ids[lo:lo + PLAN_SLICE]
                        work.append((course.id, chunk[0], chunk[-1], start.isoformat(),
                                     int(offset.total_seconds()), start == first, due))
        added = 0
        for course_id, lo_id, hi_id, at, seconds, first_class, due in work:
            async with self.db.single_statement() as conn:
                count = await DueActionRepository(conn).add_for_registrations(
                    CLASS_REMINDER, course_id, lo_id, hi_id, at=at, offset=seconds,
                    first=first_class, due_at=due, now=now)
            if count:
                self.wakeup(due)
                added += count
        return added

    async def cancel_for_registration(self, conn: aiosqlite.Connection, registration_id: int,
                                      now: datetime) -> None:
        await DueActionRepository(conn).cancel(CLASS_REMINDER, registration_id, now)

    async def cancel_for_event(self, conn: aiosqlite.Connection, event_id: int,
                               now: datetime) -> None:
        await self.release_event(conn, event_id, now)

    async def resolve(self, action: DueAction) -> ClassReminder | EventReminder | None:
        """What a due reminder is about, or None when its cause went away."""
        at = datetime.fromisoformat(str(action.payload.get("at")))
        if action.user_id is None or action.ref_id is None:
            return None
        async with self.db.reading() as conn:
            user = await UserRepository(conn).get(action.user_id)
            if user is None or not user.active:
                return None
            if action.kind == CLASS_REMINDER:
                registration = await RegistrationRepository(conn).get(action.ref_id)
                if (registration is None or registration.user_id != user.id
                        or registration.status is not RegistrationStatus.REGISTERED):
                    return None
                course = await CourseRepository(conn).by_id(registration.course_id)
                first = bool(action.payload.get("first"))
                if (course is None or not rules.is_class_start(course, self.settings.timezone, at)
                        or (not first and not user.class_reminders)):
                    return None
                return ClassReminder(user, course, at, first)
            events = EventRepository(conn)
            event = await events.get(action.ref_id)
            if (event is None or event.cancelled or event.starts_at != at
                    or not user.event_reminders or user.id not in await events.audience(event)):
                return None
            course = await CourseRepository(conn).by_id(event.course_id) \
                if event.course_id else None
            return EventReminder(user, event, course)
