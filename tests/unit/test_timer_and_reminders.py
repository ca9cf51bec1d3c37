"""The durable timer and reminders, over a real SQLite file with a fixed clock."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain import Viewer
from bot.services import rules
from bot.services.courses import CourseService
from bot.services.events import EventService
from bot.services.preferences import PreferenceService
from bot.services.registrations import Applicant, RegistrationService
from bot.services.reminders import CLASS_REMINDER, EVENT_REMINDER, ReminderService
from bot.services.timer import TimerService
from bot.services.users import UserService
from storage.database import Database
from storage.due_actions import DueActionRepository
from tests.conftest import ISTANBUL

SETTINGS = replace(Settings(token="1:x"), timezone=ISTANBUL,
                   reminder_offsets=(timedelta(hours=2), timedelta(days=1)),
                   admin_ids=frozenset({99}))
PERSON = Applicant("Kursiyer Deneme", "+905320000001", None, "2026-11", "KVKK")


async def schedule(db: Database, clock: FixedClock, kind: str, due_at: datetime,
                   dedup_key: str | None = None) -> None:
    async with db.transaction() as conn:
        await DueActionRepository(conn).add(kind, due_at, dedup_key=dedup_key, now=clock.now())


@pytest.fixture
async def world(db: Database, clock: FixedClock, courses: CourseService):  # type: ignore[no-untyped-def]
    reminders = ReminderService(db, clock, SETTINGS)
    registrations = RegistrationService(db, clock, SETTINGS, reminders=reminders)
    events = EventService(db, clock, SETTINGS, reminders)
    await UserService(db, clock).seen(1, "tr")
    course = await courses.course(Viewer(1), code="BUC-MUH-01")
    return reminders, registrations, events, TimerService(db, clock), course


async def test_an_instant_in_any_zone_falls_due_at_its_utc_moment(db: Database,
                                                                  clock: FixedClock) -> None:
    timer = TimerService(db, clock)
    local = (clock.now() + timedelta(minutes=30)).astimezone(ISTANBUL)  # "+03:00" text
    await schedule(db, clock, "notify", local)
    clock.advance(timedelta(minutes=29))
    assert await timer.due() == []
    clock.advance(timedelta(minutes=1))
    assert len(await timer.due()) == 1


async def test_a_registration_plans_first_class_reminders_and_a_cancel_drops_them(
        world, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    reminders, registrations, _, timer, course = world
    seat = await registrations.register(Viewer(1), course.id, PERSON)
    clock.at = rules.course_start(course, ISTANBUL) - timedelta(hours=23)
    due = [a for a in await timer.due() if a.kind == CLASS_REMINDER]
    assert len(due) == 1  # the one-day reminder; the two-hour one is not due yet
    assert (await reminders.resolve(due[0])) is not None
    await registrations.cancel(1, seat.id)
    assert await reminders.resolve(due[0]) is None


async def test_class_reminders_are_planned_once_however_often_planning_runs(
        world, db: Database, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    reminders, registrations, _, _, course = world
    await registrations.register(Viewer(1), course.id, PERSON)  # plans the first class (2)
    clock.at = rules.course_start(course, ISTANBUL) + timedelta(hours=22, minutes=30)  # Tue 17:00
    assert await reminders.plan_class_reminders() == 0  # not turned on
    async with db.transaction() as conn:
        await conn.execute("UPDATE users SET class_reminders = 1")
    # The next class (Wednesday 18:30) is within a day and two hours: both offsets.
    assert await reminders.plan_class_reminders() == 2
    assert await reminders.plan_class_reminders() == 0  # nothing doubled
    timer = TimerService(db, clock)
    clock.at = rules.course_start(course, ISTANBUL) + timedelta(days=1, hours=22)
    [planned] = [a for a in await timer.due() if a.kind == CLASS_REMINDER
                 and a.payload["first"] is False and a.payload["offset"] == 7200]
    assert await reminders.resolve(planned) is not None  # the set-based row reads as planned


async def test_turning_class_reminders_on_plans_that_citizen_alone(
        world, db: Database, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    reminders, registrations, _, _, course = world
    users = UserService(db, clock)
    await users.seen(2, "tr")
    await registrations.register(Viewer(1), course.id, PERSON)
    await registrations.register(Viewer(2), course.id, replace(PERSON, phone="+905320000002"))
    clock.at = rules.course_start(course, ISTANBUL) + timedelta(hours=22, minutes=30)
    async with db.transaction() as conn:
        before = (await (await conn.execute("SELECT count(*) FROM due_actions")).fetchone())[0]
    await PreferenceService(db, clock, reminders, users).set_reminders(2, classes=True)
    async with db.transaction() as conn:
        rows = await (await conn.execute(
            "SELECT user_id, count(*) FROM due_actions GROUP BY user_id "
            "HAVING user_id IS NOT NULL")).fetchall()
        after = (await (await conn.execute("SELECT count(*) FROM due_actions")).fetchone())[0]
    assert after - before == 2 and dict(rows)[2] == 4  # first class (2) + next class (2)
    assert await reminders.plan_class_reminders() == 0  # the periodic job finds them planned


async def test_a_moved_ceremony_is_reminded_only_at_its_new_time(
        world, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    reminders, registrations, events, timer, course = world
    await registrations.register(Viewer(1), course.id, PERSON)
    first = datetime(2027, 3, 1, 14, 0, tzinfo=ISTANBUL)
    await events.schedule_ceremony(99, course.code, first, "Buca Konağı", None)
    moved = await events.schedule_ceremony(99, course.code, first + timedelta(days=2), "Salon",
                                         None)
    assert moved.moved and moved.told == 1
    clock.at = first - timedelta(hours=1)
    old = [a for a in await timer.due() if a.kind == EVENT_REMINDER]
    assert old == []  # the old reminders were cancelled
    clock.at = first + timedelta(days=2) - timedelta(hours=1)
    [new] = [a for a in await timer.due() if a.kind == EVENT_REMINDER and a.payload["offset"]
             == 7200]
    assert await reminders.resolve(new) is not None
    await events.cancel_ceremony(99, course.code)
    assert await reminders.resolve(new) is None


async def test_after_a_crash_sends_are_in_doubt_and_stale_reminders_skipped(
        db: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture) -> None:
    timer = TimerService(db, clock)
    await schedule(db, clock, CLASS_REMINDER, clock.now() - timedelta(hours=7), dedup_key="old")
    await schedule(db, clock, CLASS_REMINDER, clock.now() - timedelta(hours=5), dedup_key="late")
    await schedule(db, clock, "notify", clock.now() - timedelta(days=2), dedup_key="sent")
    [sending] = [a for a in await timer.due() if a.kind == "notify"]
    assert await timer.claim_for_sending(sending)
    with caplog.at_level(logging.WARNING):
        in_doubt, skipped = await timer.recover(timedelta(hours=6))
    assert [a.id for a in in_doubt] == [sending.id]
    assert len(skipped) == 1 and "grace" in caplog.text and "in doubt" in caplog.text
    assert [a.due_at for a in await timer.due()] == [clock.now() - timedelta(hours=5)]
