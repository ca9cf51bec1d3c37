"""DATA_RETENTION: an idle citizen is told a week before, then their data is deleted."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FixedClock
from bot.domain import Viewer
from bot.services.courses import CourseService
from bot.services.dialogues import DialogueService
from bot.services.privacy import PrivacyService
from bot.services.registrations import RegistrationService
from bot.services.retention import RetentionService
from bot.services.users import UserService
from storage.database import Database
from tests.unit.test_registrations import SETTINGS, applicant

IDLE, BUSY = 5001, 5002


async def test_idle_citizens_are_warned_then_forgotten(
        db: Database, clock: FixedClock, courses: CourseService) -> None:
    users = UserService(db, clock)
    registrations = RegistrationService(db, clock, SETTINGS)
    privacy = PrivacyService(db, clock, registrations, users, DialogueService(db, clock))
    retention = RetentionService(db, clock, SETTINGS, privacy)
    course = await courses.course(Viewer(0), code="BUC-MUH-01")
    for user_id in (IDLE, BUSY):
        await users.seen(user_id, "tr")
        registration = await registrations.register(Viewer(user_id), course.id,
                                                    applicant(user_id))
    await registrations.cancel(IDLE, registration.id - 1)  # IDLE keeps only their data
    assert SETTINGS.data_retention == timedelta(days=730)

    clock.advance(timedelta(days=730 - 8))
    assert await retention.run() == (0, 0)
    clock.advance(timedelta(days=1))  # a week before: told once
    assert await retention.run() == (1, 0)
    assert await retention.run() == (0, 0)
    async with db.reading() as conn:
        rows = await (await conn.execute(
            "SELECT user_id, payload FROM due_actions WHERE kind = 'notify' "
            "AND payload LIKE '%retention_warning%'")).fetchall()
    assert [r[0] for r in rows] == [IDLE]
    clock.advance(timedelta(days=7))
    assert await retention.run() == (0, 1)
    assert await privacy.export(IDLE) == {**await privacy.export(IDLE), "full_name": None}
    assert (await privacy.export(BUSY))["full_name"] is not None  # a running registration


async def test_a_citizen_who_writes_again_is_kept(
        db: Database, clock: FixedClock, courses: CourseService) -> None:
    users = UserService(db, clock)
    registrations = RegistrationService(db, clock, SETTINGS)
    privacy = PrivacyService(db, clock, registrations, users, DialogueService(db, clock))
    retention = RetentionService(db, clock, SETTINGS, privacy)
    course = await courses.course(Viewer(0), code="BUC-MUH-01")
    await users.seen(IDLE, "tr")
    registration = await registrations.register(Viewer(IDLE), course.id, applicant(IDLE))
    await registrations.cancel(IDLE, registration.id)
    clock.advance(timedelta(days=725))
    assert await retention.run() == (1, 0)
    await users.seen(IDLE, "tr")  # they write to the bot
    clock.advance(timedelta(days=10))
    assert await retention.run() == (0, 0)
    assert (await privacy.export(IDLE))["full_name"] is not None
