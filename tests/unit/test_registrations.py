"""Seats, waiting lists and offers over a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain import RegistrationStatus, Viewer
from bot.errors import DomainError
from bot.services.courses import CourseService
from bot.services.dialogues import DialogueService
from bot.services.privacy import PrivacyService
from bot.services.registrations import Applicant, RegistrationService
from bot.services.timer import TimerService
from bot.services.users import UserService
from storage.database import Database
from tests.conftest import ISTANBUL

SETTINGS = replace(Settings(token="1:x"), timezone=ISTANBUL)


def applicant(n: int) -> Applicant:
    return Applicant(f"Kursiyer Numara{n}", f"+90532{n:07d}", None, "2026-11", "KVKK metni")


@pytest.fixture
async def service(db: Database, clock: FixedClock, courses: CourseService) -> RegistrationService:
    return RegistrationService(db, clock, SETTINGS)


async def course_with_capacity(courses: CourseService, db: Database, capacity: int) -> int:
    course = await courses.course(Viewer(0), code="BUC-MUH-01")
    async with db.transaction() as conn:
        await conn.execute("UPDATE courses SET capacity = ? WHERE id = ?", (capacity, course.id))
    return course.id


async def citizens(db: Database, clock: FixedClock, count: int) -> list[Viewer]:
    users = UserService(db, clock)
    for n in range(1, count + 1):
        await users.seen(n, "tr")
    return [Viewer(n) for n in range(1, count + 1)]


async def test_the_last_seat_then_the_waiting_list(
    service: RegistrationService, courses: CourseService, db: Database, clock: FixedClock
) -> None:
    course_id = await course_with_capacity(courses, db, 2)
    first, second, third = await citizens(db, clock, 3)
    assert (await service.register(first, course_id, applicant(1))).status == "registered"
    assert (await service.check(second, course_id))[1] is None
    assert (await service.register(second, course_id, applicant(2))).status == "registered"
    course, would_be = await service.check(third, course_id)
    assert course.seats_left == 0 and would_be == 1
    waiting = await service.register(third, course_id, applicant(3))
    assert (waiting.status, waiting.position) == (RegistrationStatus.WAITING, 1)
    with pytest.raises(DomainError, match="already registered"):
        await service.register(first, course_id, applicant(1))


async def test_a_freed_seat_is_offered_accepted_and_passed_on_when_it_expires(
    service: RegistrationService, courses: CourseService, db: Database, clock: FixedClock
) -> None:
    course_id = await course_with_capacity(courses, db, 1)
    a, b, c = await citizens(db, clock, 3)
    seat = await service.register(a, course_id, applicant(1))
    await service.register(b, course_id, applicant(2))
    await service.register(c, course_id, applicant(3))
    await service.cancel(a.user_id, seat.id)
    [offer] = [e.registration for e in await service.enrolments(b.user_id)]
    assert offer.status is RegistrationStatus.OFFERED
    assert offer.offer_expires_at == clock.now() + timedelta(hours=24)
    [still_waiting] = [e.registration for e in await service.enrolments(c.user_id)]
    assert still_waiting.position == 1
    # b lets the offer lapse: the durable timer expires it and c gets the seat.
    async with db.transaction() as conn:  # the offer reached b (the sender sent it)
        await conn.execute("UPDATE due_actions SET state = 'done' WHERE kind = 'notify'")
    clock.advance(timedelta(hours=24, seconds=1))
    timer = TimerService(db, clock)
    expiries = [a for a in await timer.due() if a.kind == "offer_expiry"]
    assert len(expiries) == 1

    async def expire(conn, action, now):  # type: ignore[no-untyped-def]
        await service.expire_offer(conn, action.ref_id, now)

    assert await timer.run_in_database(expiries[0], expire)
    assert not await timer.run_in_database(expiries[0], expire)  # exactly once
    assert await service.enrolments(b.user_id) == []
    [offer_c] = [e.registration for e in await service.enrolments(c.user_id)]
    assert offer_c.status is RegistrationStatus.OFFERED
    accepted = await service.answer_offer(c.user_id, offer_c.id, accept=True)
    assert accepted.status is RegistrationStatus.REGISTERED
    with pytest.raises(DomainError, match="no longer open"):
        await service.answer_offer(c.user_id, offer_c.id, accept=True)


async def test_two_hundred_citizens_race_for_twenty_seats(
    service: RegistrationService, courses: CourseService, db: Database, clock: FixedClock
) -> None:
    course_id = await course_with_capacity(courses, db, 20)
    viewers = await citizens(db, clock, 200)
    results = await asyncio.gather(
        *(service.register(v, course_id, applicant(v.user_id)) for v in viewers))
    registered = [r for r in results if r.status is RegistrationStatus.REGISTERED]
    waiting = sorted(r.position or 0 for r in results if r.status is RegistrationStatus.WAITING)
    assert len(registered) == 20
    assert waiting == list(range(1, 181))


async def test_the_database_itself_refuses_overbooking(
    courses: CourseService, db: Database, clock: FixedClock
) -> None:
    course_id = await course_with_capacity(courses, db, 1)
    await citizens(db, clock, 2)
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO registrations (code, course_id, user_id, status, "
                           "created_at, updated_at) VALUES ('A', ?, 1, 'registered', '', '')",
                           (course_id,))
    with pytest.raises(sqlite3.IntegrityError, match="full"):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO registrations (code, course_id, user_id, status, "
                               "created_at, updated_at) VALUES ('B', ?, 2, 'registered', '', '')",
                               (course_id,))


async def test_deleting_data_cancels_seats_moves_the_list_and_leaves_no_trace(
    service: RegistrationService, courses: CourseService, db: Database, clock: FixedClock
) -> None:
    course_id = await course_with_capacity(courses, db, 1)
    a, b = await citizens(db, clock, 2)
    await service.register(a, course_id, Applicant("Zeliha Gizlisoy", "+905551112233", 1985,
                                                   "2026-11", "KVKK"))
    await service.register(b, course_id, applicant(2))
    privacy = PrivacyService(db, clock, service, UserService(db, clock),
                             DialogueService(db, clock))
    exported = await privacy.export(a.user_id)
    assert exported["full_name"] == "Zeliha Gizlisoy" and exported["phone"] == "+905551112233"
    assert await privacy.forget(a.user_id) == 1
    assert (await service.enrolments(b.user_id))[0].registration.status == "offered"
    assert (await privacy.export(a.user_id))["full_name"] is None
    raw = b"".join(p.read_bytes() for p in db.path.parent.iterdir())
    assert b"Zeliha" not in raw and b"5551112233" not in raw
