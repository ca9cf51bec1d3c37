"""Counselling slots, bookings and the year's figures over a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain import AppointmentStatus, Outcome, Role, Topic, Viewer
from bot.errors import DomainError, SlotTaken
from bot.services import slot_rules
from bot.services.appointments import AppointmentService
from bot.services.courses import CourseService
from bot.services.mobile import MobilePointService, match_district
from bot.services.reminders import APPOINTMENT_REMINDER, ReminderService
from bot.services.users import UserService
from storage.database import Database
from tests.conftest import ISTANBUL

SETTINGS = replace(Settings(token="1:x"), timezone=ISTANBUL,
                   reminder_offsets=(timedelta(days=1), timedelta(hours=2)))
COUNSELLOR = Viewer(900001, role=Role.COUNSELLOR)
DAY = "2026-11-23"  # the clock stands at 2026-11-21 12:00 in İstanbul


@pytest.fixture
async def service(db: Database, clock: FixedClock,
                  courses: CourseService) -> AppointmentService:
    users = UserService(db, clock)
    for n in range(1, 61):
        await users.seen(n, "tr")
    return AppointmentService(db, clock, SETTINGS, ReminderService(db, clock, SETTINGS))


async def morning(service: AppointmentService, hours: str = "09:00-12:00") -> None:
    plan = await service.plan_window(COUNSELLOR, DAY, hours, "30", "Konak Meslek Fabrikası")
    await service.open_window(COUNSELLOR, plan)


async def slot_at(service: AppointmentService, hour: int, minute: int = 0) -> int:
    times = await service.free_times(date(2026, 11, 23))
    return next(s.id for s in times
                if s.starts_at.astimezone(ISTANBUL).hour == hour
                and s.starts_at.astimezone(ISTANBUL).minute == minute)


def test_staff_input_is_read_or_refused_with_a_reason() -> None:
    today = date(2026, 11, 21)
    assert slot_rules.parse_day("23.11.2026", today) == date(2026, 11, 23)
    for bad in ("2026-11-20", "2026-02-30", "yarın"):
        with pytest.raises(DomainError):
            slot_rules.parse_day(bad, today)
    assert slot_rules.parse_hours("09:00-12:00")[1].hour == 12
    for bad in ("25:00-26:00", "09:00-09:00", "9-12", "12:00-09:00"):
        with pytest.raises(DomainError):
            slot_rules.parse_hours(bad)
    for bad in ("0", "600", "-5", "otuz"):
        with pytest.raises(DomainError):
            slot_rules.parse_minutes(bad)


async def test_a_morning_of_half_hours_is_previewed_then_opened_and_overlaps_refused(
        service: AppointmentService) -> None:
    plan = await service.plan_window(COUNSELLOR, DAY, "09:00-12:00", "30", None)
    assert [s.astimezone(ISTANBUL).strftime("%H:%M") for s in plan.starts] == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    assert await service.free_days() == []  # nothing is saved by a preview
    await service.open_window(COUNSELLOR, plan)
    assert await service.free_days() == [date(2026, 11, 23)]
    with pytest.raises(DomainError, match="overlap"):
        await service.plan_window(COUNSELLOR, DAY, "11:30-13:00", "30", None)
    with pytest.raises(DomainError, match="shorter than one slot"):
        await service.plan_window(COUNSELLOR, DAY, "13:00-13:20", "30", None)
    with pytest.raises(DomainError):
        await service.plan_window(Viewer(5), DAY, "13:00-14:00", "30", None)


async def test_one_booking_per_slot_and_one_active_appointment_per_citizen(
        service: AppointmentService, db: Database) -> None:
    await morning(service)
    ten = await slot_at(service, 10)
    booked = await service.book(1, ten, Topic.CV, "Ayşe Yılmaz")
    assert booked.slot.starts_at.astimezone(ISTANBUL).hour == 10
    with pytest.raises(SlotTaken):
        await service.book(2, ten, Topic.CV, "Burak Demir")
    with pytest.raises(DomainError, match="already have"):
        await service.book(1, await slot_at(service, 11), Topic.CV, None)
    async with db.reading() as conn:
        reminders = await conn.execute_fetchall(
            "SELECT count(*) FROM due_actions WHERE kind = ? AND state = 'pending'",
            (APPOINTMENT_REMINDER,))
    assert next(iter(reminders))[0] == 2
    # The database refuses a second holder even if the service were bypassed.
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO appointments (slot_id, user_id, topic, created_at, "
                               "updated_at) VALUES (?, 3, 'cv', 'x', 'x')", (ten,))
    # Cancelling frees the time and drops its reminders.
    await service.cancel(1, booked.id)
    assert ten in [s.id for s in await service.free_times(date(2026, 11, 23))]
    async with db.reading() as conn:
        reminders = await conn.execute_fetchall(
            "SELECT count(*) FROM due_actions WHERE kind = ? AND state = 'pending'",
            (APPOINTMENT_REMINDER,))
    assert next(iter(reminders))[0] == 0
    assert (await service.book(2, ten, Topic.JOB_SEARCH, None)).user_id == 2


async def test_fifty_citizens_racing_for_the_last_slot_make_one_booking(
        service: AppointmentService) -> None:
    await morning(service, "09:00-09:30")
    last = await slot_at(service, 9)
    results = await asyncio.gather(
        *(service.book(n, last, Topic.JOB_SEARCH, None) for n in range(1, 51)),
        return_exceptions=True)
    assert sum(1 for r in results if not isinstance(r, BaseException)) == 1
    assert all(isinstance(r, SlotTaken) for r in results if isinstance(r, BaseException))
    assert await service.free_days() == []


async def test_closing_a_booked_slot_tells_its_citizen(service: AppointmentService,
                                                       db: Database) -> None:
    await morning(service)
    booked = await service.book(1, await slot_at(service, 10), Topic.CV, None)
    closed = await service.close(COUNSELLOR, DAY, "10:00")
    assert (closed.slots, closed.told) == (1, 1)
    assert await service.current(1) is None
    async with db.reading() as conn:
        rows = list(await conn.execute_fetchall(
            "SELECT kind, ref_id FROM due_actions WHERE state = 'pending'"))
    assert [tuple(r) for r in rows] == [("appointment_notice", booked.id)]
    whole = await service.close(COUNSELLOR, DAY, None)
    assert whole.slots == 5 and await service.free_days() == []


async def test_the_counsellor_marks_the_meeting_and_the_year_counts_it(
        service: AppointmentService, clock: FixedClock) -> None:
    await morning(service)
    first = await service.book(1, await slot_at(service, 10), Topic.CV, "Ayşe Yılmaz")
    second = await service.book(2, await slot_at(service, 11), Topic.CV, None)
    with pytest.raises(DomainError, match="day has not come"):
        await service.mark(COUNSELLOR, first.id, AppointmentStatus.ATTENDED)
    clock.at = datetime(2026, 11, 23, 9, 0, tzinfo=ISTANBUL).astimezone(clock.at.tzinfo) \
        + timedelta(hours=3)
    listed, _ = await service.days_list(COUNSELLOR)
    assert [a.contact_name for a in listed] == ["Ayşe Yılmaz", None]
    await service.mark(COUNSELLOR, first.id, AppointmentStatus.ATTENDED)
    await service.record_outcome(COUNSELLOR, first.id, Outcome.PLACED)
    await service.mark(COUNSELLOR, second.id, AppointmentStatus.NO_SHOW)
    with pytest.raises(DomainError):
        await service.record_outcome(COUNSELLOR, second.id, Outcome.PLACED)
    assert await service.year_figures(2026) == (1, 1)
    assert await service.year_figures(2025) == (0, 0)


async def test_mobile_visit_districts_match_turkish_letters(
        service: AppointmentService, db: Database, clock: FixedClock) -> None:
    mobile = MobilePointService(db, clock, SETTINGS, service)
    visit = await mobile.schedule(COUNSELLOR, DAY, "10:00-16:00", "karsiyaka",
                                  "Karşıyaka Meslek Fabrikası", "30")
    assert visit.visit.district.name == "Karşıyaka" and visit.slots == 12
    assert visit.visit.has_location  # the place names a known centre
    assert await service.free_days(visit.visit.id) == [date(2026, 11, 23)]
    districts = [v.district for v in await mobile.coming()]
    with pytest.raises(DomainError, match="Did you mean"):
        match_district("Karsiyak", districts)
