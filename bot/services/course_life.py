"""The programme's year going by: courses finish, new ones are announced.

`sweep` runs at start, then regularly (and when a test's clock jumps). Each step is a short
transaction over a small batch, so a citizen's write never waits long behind it:
- a course past its end date is finished: its seats become completed registrations (the
  trainees' history), its waiting list is closed with a kind word to those still on it;
- a published course is announced, once, to subscribers of its district and branch
  (`course_announcements` remembers it, so a restart or a second import never repeats it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.clock import Clock
from bot.config import Settings
from bot.domain import Audience, Course, CourseStatus, RegistrationStatus
from bot.services import lifecycle
from bot.services.registrations import OFFER_EXPIRY
from bot.services.timer import NOTIFY, Wakeup, no_wakeup
from storage.courses import CourseRepository
from storage.database import Database
from storage.due_actions import DueActionRepository
from storage.registrations import RegistrationRepository
from storage.subscriptions import SubscriptionRepository

log = logging.getLogger(__name__)

BATCH = 200  # registrations or subscribers per transaction


@dataclass(frozen=True)
class SweepResult:
    finished: int
    announced: int


class CourseLifeService:
    """Finishes ended courses and announces new ones, a small batch at a time."""

    def __init__(self, db: Database, clock: Clock, settings: Settings,
                 wakeup: Wakeup = no_wakeup,
                 courses_changed: Callable[[], None] = lambda: None) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.wakeup = wakeup
        self.courses_changed = courses_changed

    async def sweep(self) -> SweepResult:
        finished = 0
        while await self._finish_some():
            finished += 1
        announced = 0
        while await self._announce_one():
            announced += 1
        if finished or announced:
            self.courses_changed()
            log.info("Course life: %d course step(s) finished, %d course(s) announced",
                     finished, announced)
        return SweepResult(finished, announced)

    async def announce_new(self) -> None:
        """Announce the courses just published (what `sweep` does after finishing)."""
        announced = 0
        while await self._announce_one():
            announced += 1
        if announced:
            self.courses_changed()

    async def _finish_some(self) -> bool:
        """One batch of one ended course; False when no course is left to finish."""
        now = self.clock.now()
        today = now.astimezone(self.settings.timezone).date()
        async with self.db.transaction() as conn:
            found = await CourseRepository(conn).ended_unfinished(today, 1)
            if not found:
                return False
            course = found[0]
            repo = RegistrationRepository(conn)
            batch = await repo.of_course(course.id, BATCH)
            for registration in batch:
                if registration.status is RegistrationStatus.REGISTERED:
                    await repo.set_status(registration.id, RegistrationStatus.COMPLETED, now)
                    continue
                await self._close_waiting(conn, registration.id, registration.user_id, now)
            if len(batch) < BATCH:
                await CourseRepository(conn).set_status(course.id, CourseStatus.FINISHED, now)
        return True

    async def _close_waiting(self, conn: aiosqlite.Connection, registration_id: int,
                             user_id: int | None, now: datetime) -> None:
        await RegistrationRepository(conn).set_status(
            registration_id, RegistrationStatus.CANCELLED, now, reason="course_finished")
        actions = DueActionRepository(conn)
        await actions.cancel(OFFER_EXPIRY, registration_id, now)
        if user_id is not None:
            await actions.add(NOTIFY, now, user_id=user_id, now=now,
                              payload={"message": "waitlist_closed",
                                       "registration_id": registration_id})
            self.wakeup(now)

    async def _announce_one(self) -> bool:
        """Announce one newly published course; False when every course was announced."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            courses = CourseRepository(conn)
            found = await courses.unannounced(1)
            if not found:
                return False
            course = found[0]
            await courses.mark_announced(course.id, now)
            if not self.worth_announcing(course, now):
                return True
            district = course.centre.district.id if course.centre else None
            subscribers = await SubscriptionRepository(conn).subscribers_of(district,
                                                                          course.branch)
            actions = DueActionRepository(conn)
            for user_id in subscribers:
                await actions.add(NOTIFY, now, user_id=user_id, now=now,
                                  payload={"message": "course_news", "course_id": course.id},
                                  dedup_key=f"cn:{course.id}:{user_id}")
            if subscribers:
                self.wakeup(now)
        return True

    def worth_announcing(self, course: Course, now: datetime) -> bool:
        """Only a public course that citizens can still register for is news."""
        return course.audience is Audience.PUBLIC and lifecycle.is_listed(
            course, now, self.settings.timezone)
