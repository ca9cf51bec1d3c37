"""Staff actions on one course: closing registration, and its registration list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain import Course, CourseStatus, Role
from bot.errors import DomainError, NotFound
from bot.i18n import N_
from bot.services.roles import authorize
from bot.services.roster import roster_csv
from storage.audit import AuditLog
from storage.courses import CourseRepository
from storage.database import Database
from storage.registrations import RegistrationRepository


@dataclass(frozen=True)
class CourseFigures:
    course: Course
    registered: int  # seats taken: registered or offered
    waiting: int


@dataclass(frozen=True)
class RosterFile:
    figures: CourseFigures
    csv: str


def _check_open(course: Course) -> None:
    if course.status is CourseStatus.CLOSED:
        raise DomainError(N_("Registration for {code} is already closed."), code=course.code)
    if course.status is not CourseStatus.OPEN:
        raise DomainError(N_("{code} has ended; there is nothing to close."), code=course.code)


def _unknown(code: str) -> NotFound:
    return NotFound(N_("There is no course with the code {code}."), code=code[:40])


class StaffCourseService:
    """Closing a course's registration and exporting its list, for admins."""

    def __init__(self, db: Database, clock: Clock, timezone: ZoneInfo,
                 admin_ids: frozenset[int],
                 catalogue_changed: Callable[[], None] = lambda: None) -> None:
        self.db = db
        self.clock = clock
        self.timezone = timezone
        self.admin_ids = admin_ids
        self.catalogue_changed = catalogue_changed

    async def figures(self, actor_id: int, code: str, action: str) -> CourseFigures:
        """The course and its counts (for the confirmation before closing)."""
        async with self.db.reading() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, action)
            course = await CourseRepository(conn).by_code(code)
            if course is None:
                raise _unknown(code)
            waiting = await RegistrationRepository(conn).waiting_count(course.id)
        return CourseFigures(course, course.seats_taken, waiting)

    async def close_preview(self, actor_id: int, code: str) -> CourseFigures:
        """/kurs_kapat: what closing would mean, or why it cannot be done."""
        figures = await self.figures(actor_id, code, "close_course")
        _check_open(figures.course)
        return figures

    async def close_registration(self, actor_id: int, course_id: int) -> Course:
        """/kurs_kapat, confirmed: no more registrations; the card says so."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, "close_course")
            repo = CourseRepository(conn)
            course = await repo.by_id(course_id)
            if course is None:
                raise NotFound(N_("We could not find that course. It may have been removed."))
            _check_open(course)
            await repo.set_status(course.id, CourseStatus.CLOSED, now)
            await AuditLog(conn).write(actor_id, "course_closed", course.code, now,
                                       before=course.status.value,
                                       after=CourseStatus.CLOSED.value)
            closed = await repo.by_id(course.id)
        assert closed is not None
        self.catalogue_changed()
        return closed

    async def roster(self, actor_id: int, code: str) -> RosterFile:
        """/kayitlar: the course's registrations and waiting list as CSV (personal data:
        every download is in the audit log)."""
        figures = await self.figures(actor_id, code, "registrations_export")
        text = await roster_csv(self.db, self.timezone, figures.course.code,
                                course_column=False)
        async with self.db.transaction() as conn:
            await AuditLog(conn).write(actor_id, "registrations_exported", figures.course.code,
                                       self.clock.now())
        return RosterFile(figures, text)
