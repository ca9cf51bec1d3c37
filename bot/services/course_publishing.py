"""Publishing courses: a course file (the shell's `import-courses` and a file sent in the
chat alike) and the staff's step-by-step /kurs_ekle end in the one call `publish`, so every
way of publishing stores, fills freed seats and announces in the same way.

Announcing: a published course is told to the subscribers of its district and branch once,
by the course life sweep (`announce`, wired in bot/app.py), which remembers what it told.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from bot.clock import Clock
from bot.domain import CourseDraft, Role
from bot.errors import DomainError
from bot.i18n import N_
from bot.services.course_file import (
    CourseFileError,
    InvalidCell,
    parse_course_table,
    read_table,
)
from bot.services.courses import CourseService, ImportResult
from bot.services.registrations import RegistrationService
from bot.services.roles import authorize
from storage.audit import AuditLog
from storage.courses import CourseRepository
from storage.database import Database


async def _nothing() -> None:
    """No announcer wired (the shell: the running bot's sweep announces)."""


@dataclass(frozen=True)
class Choices:
    """What /kurs_ekle offers as buttons: the districts and branches known so far."""

    districts: tuple[tuple[int, str], ...]
    branches: tuple[tuple[int, str], ...]


class CoursePublishing:
    """Stores validated courses and sets what follows in motion."""

    def __init__(self, db: Database, clock: Clock, courses: CourseService,
                 registrations: RegistrationService, admin_ids: frozenset[int],
                 announce: Callable[[], Awaitable[None]] = _nothing) -> None:
        self.db = db
        self.clock = clock
        self.courses = courses
        self.registrations = registrations
        self.admin_ids = admin_ids
        self.announce = announce

    async def publish(self, drafts: list[CourseDraft]) -> ImportResult:
        """All or nothing: store the courses, offer seats a raised capacity freed, announce."""
        result = await self.courses.import_drafts(drafts)
        await self.registrations.fill_all_seats()
        await self.announce()
        return result

    async def import_file(self, filename: str, content: bytes) -> ImportResult:
        """A course file (SPEC §8); `CourseFileError` lists every problem, nothing stored."""
        return await self.publish(
            parse_course_table(read_table(filename, content), self.courses.timezone))

    async def staff_import(self, actor_id: int, filename: str, content: bytes) -> ImportResult:
        """A file an admin sent in the chat: the same import, in the audit log."""
        await self._authorize(actor_id, "import_courses")
        try:
            result = await self.import_file(filename, content)
        except CourseFileError as problems:
            await self._audit(actor_id, "courses_import_refused",
                              f"{filename[:80]}: {len(problems.problems)} problem(s)")
            raise
        await self._audit(actor_id, "courses_imported", filename[:80],
                          after=f"{result.created} new, {result.updated} updated")
        return result

    async def choices(self, actor_id: int) -> Choices:
        async with self.db.reading() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, "add_course")
            repo = CourseRepository(conn)
            return Choices(tuple(await repo.known_districts()),
                           tuple(await repo.known_branches()))

    async def check_new_code(self, actor_id: int, code: str) -> None:
        """/kurs_ekle creates: a code already used is refused (a file updates courses)."""
        async with self.db.reading() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, "add_course")
            if await CourseRepository(conn).by_code(code) is not None:
                raise DomainError(N_("The code {code} is already used by another course. "
                                     "Choose another code, for example {code}-2."), code=code)

    def draft(self, cells: Mapping[str, str]) -> CourseDraft:
        """The course the dialogue's answers make, read as one row of a course file (the very
        same rules); the first problem is raised as `InvalidCell`, with the column it is in."""
        columns = sorted(cells)
        try:
            [draft] = parse_course_table([columns, [cells[c] for c in columns]],
                                         self.courses.timezone)
        except CourseFileError as problems:
            first = problems.problems[0]
            error = InvalidCell(first.message, **first.params)
            error.column = first.column
            raise error from None
        return draft

    async def create(self, actor_id: int, cells: Mapping[str, str]) -> CourseDraft:
        """/kurs_ekle confirmed: publish the one course, in the audit log."""
        draft = self.draft(cells)
        await self.check_new_code(actor_id, draft.code)
        await self.publish([draft])
        await self._audit(actor_id, "course_created", draft.code,
                          after=f"{draft.name} | {draft.branch} | {draft.district or '-'}")
        return draft

    async def _authorize(self, actor_id: int, action: str) -> None:
        async with self.db.reading() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, action)

    async def _audit(self, actor_id: int, action: str, detail: str, *,
                     after: str | None = None) -> None:
        async with self.db.transaction() as conn:
            await AuditLog(conn).write(actor_id, action, detail, self.clock.now(), after=after)
