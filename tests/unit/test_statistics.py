"""/istatistik's figures add up, and the XLSX and chart carry the same figures."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain import AppointmentStatus, Outcome, Role, Topic, Viewer
from bot.errors import Forbidden
from bot.i18n import Translator, load_catalogues
from bot.services.appointments import AppointmentService
from bot.services.courses import CourseService
from bot.services.mobile import MobilePointService
from bot.services.registrations import Applicant, RegistrationService
from bot.services.reminders import ReminderService
from bot.services.statistics import Statistics, StatisticsService
from bot.services.users import UserService
from handlers import report_files
from storage.database import Database
from tests.conftest import ISTANBUL

ADMIN = 900001
SETTINGS = replace(Settings(token="1:x"), timezone=ISTANBUL, admin_ids=frozenset({ADMIN}))


def person(n: int) -> Applicant:
    return Applicant(f"Kursiyer Numara{n}", f"+90532{n:07d}", None, "2026-11", "KVKK")


@pytest.fixture
async def stats(db: Database, clock: FixedClock, courses: CourseService) -> Statistics:
    """Buca's accounting course: 2 seats, 3 registered → 2 registered, 1 waiting; one in
    Konak; wishes for Buca (twice, once for accounting) and for a branch anywhere."""
    users = UserService(db, clock)
    registrations = RegistrationService(db, clock, SETTINGS)
    buca = await courses.course(Viewer(0), code="BUC-MUH-01")
    konak = await courses.course(Viewer(0), code="KON-DPZ-01")
    async with db.transaction() as conn:
        await conn.execute("UPDATE courses SET capacity = 2 WHERE id = ?", (buca.id,))
    for n in range(1, 5):
        await users.seen(n, "tr")
    for n in (1, 2, 3):
        await registrations.register(Viewer(n), buca.id, person(n))
    await registrations.register(Viewer(4), konak.id, person(4))
    assert buca.centre and konak.centre
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO subscriptions (user_id, district_id, branch, created_at) "
            "VALUES (?, ?, ?, '2026-11-20T00:00:00+00:00')",
            [(1, buca.centre.district.id, None), (2, buca.centre.district.id, buca.branch),
             (3, None, "Tarım")])
    return await StatisticsService(db, clock, ISTANBUL, SETTINGS.admin_ids).statistics(ADMIN)


def translator(locale: str = "tr") -> Translator:
    return Translator(load_catalogues()[locale], locale, ISTANBUL)


async def test_figures_by_district_and_branch_and_the_wishes(stats: Statistics) -> None:
    buca = next(f for f in stats.districts if f.name == "Buca")
    assert (buca.registrations, buca.waiting, buca.demand) == (2, 1, 2)
    assert buca.open_courses >= 1 and buca.appointments == 0
    assert stats.total.registrations == 3 and stats.total.waiting == 1
    assert stats.total.open_courses == 53  # every demo course (staff-only ones too)
    assert sum(f.registrations for f in stats.branches) == 3
    assert next(f for f in stats.branches if f.name == "Tarım").demand == 1
    assert [(d.district, d.branch, d.wishes) for d in stats.demand] == [
        ("Buca", "Muhasebe ve Finans", 1), ("Buca", None, 1), (None, "Tarım", 1)]
    assert stats.annual.year == 2026
    assert stats.annual.counselling_contacts == stats.annual.placements == 0


async def test_only_admins_see_the_figures(db: Database, clock: FixedClock,
                                           courses: CourseService) -> None:
    with pytest.raises(Forbidden):
        await StatisticsService(db, clock, ISTANBUL, frozenset({ADMIN})).statistics(4001)


async def test_the_workbook_reads_back_with_the_same_figures(stats: Statistics) -> None:
    t = translator()
    book = load_workbook(io.BytesIO(report_files.statistics_workbook(t, stats)),
                         read_only=True)
    annual, districts, branches, wishes = (list(sheet.values) for sheet in book.worksheets)
    assert book.sheetnames == ["Yıllık rapor", "İlçeler", "Branşlar", "Talepler"]
    assert dict(row for row in annual[1:7]) == dict(report_files.annual_rows(t, stats))
    assert list(districts[0][1:]) == report_files.figure_columns(t)
    by_name = {row[0]: list(row[1:]) for row in districts[1:]}
    for figures in stats.districts:
        assert by_name[figures.name or "Çevrimiçi"] == report_files.figure_values(figures)
    assert by_name["Toplam"] == report_files.figure_values(stats.total)
    assert len(branches) == len(stats.branches) + 2
    assert [tuple(row) for row in wishes[1:]] == [
        (d.district or "tüm ilçeler", d.branch or "tüm branşlar", d.wishes) for d in stats.demand]


async def test_the_chart_is_a_png(stats: Statistics) -> None:
    png = report_files.registrations_chart(translator("en"), stats)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


async def test_appointments_and_the_years_counselling_figures(
        db: Database, clock: FixedClock, courses: CourseService) -> None:
    counsellor = Viewer(ADMIN, role=Role.COUNSELLOR)
    settings = replace(SETTINGS, reminder_offsets=())
    appointments = AppointmentService(db, clock, settings, ReminderService(db, clock, settings))
    users = UserService(db, clock)
    for n in (1, 2, 3):
        await users.seen(n, "tr")
    visit = await MobilePointService(db, clock, settings, appointments).schedule(
        counsellor, "2026-11-23", "10:00-12:00", "Buca", "Buca Meydanı", "30")
    plan = await appointments.plan_window(counsellor, "2026-11-23", "14:00-15:00", "30", None)
    await appointments.open_window(counsellor, plan)
    bus = await appointments.free_times(date(2026, 11, 23), visit.visit.id)
    office = [s for s in await appointments.free_times(date(2026, 11, 23))
              if s.starts_at.astimezone(ISTANBUL).hour == 14]
    first = await appointments.book(1, bus[0].id, Topic.CV, None)
    await appointments.book(2, bus[1].id, Topic.CV, None)
    await appointments.book(3, office[0].id, Topic.CV, None)
    clock.at = datetime(2026, 11, 23, 13, 0, tzinfo=ISTANBUL).astimezone(UTC)
    await appointments.mark(counsellor, first.id, AppointmentStatus.ATTENDED)
    await appointments.record_outcome(counsellor, first.id, Outcome.PLACED)
    stats = await StatisticsService(db, clock, ISTANBUL, SETTINGS.admin_ids).statistics(ADMIN)
    assert next(f for f in stats.districts if f.name == "Buca").appointments == 2
    assert stats.total.appointments == 3
    assert (stats.annual.counselling_contacts, stats.annual.placements) == (1, 1)
