"""The programme's figures (SPEC §5 /istatistik) as plain data: by district and branch, the
demand of /bildirimler wishes, and the year's totals shaped as an annual activity report.

Appointments belong to a district only when they were on the mobile employment point's visit
there; the total counts them all. Counselling contacts and people placed in jobs are counted
as the counsellors' own figures are (`AppointmentRepository.year_figures`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain import Role
from bot.services.roles import authorize
from bot.textsearch import fold
from storage.appointments import AppointmentRepository
from storage.audit import AuditLog
from storage.database import Database
from storage.statistics import StatisticsRepository


@dataclass(frozen=True)
class Figures:
    """One line of the report: a district (None: online courses), a branch, or the total."""

    name: str | None
    open_courses: int = 0
    registrations: int = 0  # seats taken (registered or offered) in courses not yet ended
    waiting: int = 0
    ceremonies: int = 0  # certificate ceremonies this year
    appointments: int = 0  # counselling appointments this year (not cancelled)
    demand: int = 0  # /bildirimler wishes naming it


@dataclass(frozen=True)
class Demand:
    district: str | None  # None: any district
    branch: str | None  # None: any branch
    wishes: int


@dataclass(frozen=True)
class AnnualReport:
    year: int
    courses_opened: int
    trainees: int
    certificates: int
    ceremonies: int
    counselling_contacts: int
    placements: int


@dataclass(frozen=True)
class Statistics:
    generated_at: datetime
    districts: tuple[Figures, ...]
    branches: tuple[Figures, ...]
    total: Figures
    demand: tuple[Demand, ...]  # most wished first
    annual: AnnualReport


class _Tally:
    def __init__(self) -> None:
        self.rows: dict[str | None, dict[str, int]] = {}

    def add(self, key: str | None, field: str, amount: int = 1) -> None:
        row = self.rows.setdefault(key, {})
        row[field] = row.get(field, 0) + amount

    def figures(self) -> tuple[Figures, ...]:
        ordered = sorted(self.rows.items(), key=lambda kv: (kv[0] is None, fold(kv[0] or "")))
        return tuple(Figures(name, **fields) for name, fields in ordered)


def _total(lines: Iterable[Figures], appointments: int, demand: int) -> Figures:
    lines = list(lines)
    return Figures(None, sum(f.open_courses for f in lines), sum(f.registrations for f in lines),
                   sum(f.waiting for f in lines), sum(f.ceremonies for f in lines),
                   appointments, demand)


class StatisticsService:
    """Computes the figures admins see with /istatistik."""

    def __init__(self, db: Database, clock: Clock, timezone: ZoneInfo,
                 admin_ids: frozenset[int]) -> None:
        self.db = db
        self.clock = clock
        self.timezone = timezone
        self.admin_ids = admin_ids

    async def statistics(self, actor_id: int) -> Statistics:
        now = self.clock.now()
        today = now.astimezone(self.timezone).date()
        first, last = date(today.year, 1, 1), date(today.year, 12, 31)
        year_start = datetime.combine(first, time(0), tzinfo=self.timezone)
        year_end = datetime.combine(date(today.year + 1, 1, 1), time(0), tzinfo=self.timezone)
        async with self.db.reading() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, "statistics")
            repo = StatisticsRepository(conn)
            courses = await repo.current_courses(today)
            ceremonies = await repo.ceremonies(year_start, year_end)
            wishes = await repo.demand()
            appointments = await repo.appointments(year_start, year_end)
            # The one definition the counsellors' own figures use too.
            contacts, placed = await AppointmentRepository(conn).year_figures(year_start,
                                                                              year_end)
            year = await repo.year(first, last, today)
        by_district, by_branch = _Tally(), _Tally()
        for tally, key in ((by_district, "district"), (by_branch, "branch")):
            for row in courses:
                tally.add(row[key], "open_courses", int(row["status"] == "open"))
                tally.add(row[key], "registrations", row["registered"])
                tally.add(row[key], "waiting", row["waiting"])
            for row in ceremonies:
                tally.add(row[key], "ceremonies")
            for row in wishes:
                if row[key] is not None:
                    tally.add(row[key], "demand", row["wishes"])
        for row in appointments:
            if row["district"] is not None:
                by_district.add(row["district"], "appointments")
        districts, branches = by_district.figures(), by_branch.figures()
        demand = tuple(sorted((Demand(r["district"], r["branch"], r["wishes"]) for r in wishes),
                              key=lambda d: (-d.wishes, d.district is None,
                                             fold(d.district or ""), d.branch is None,
                                             fold(d.branch or ""))))
        annual = AnnualReport(
            today.year, year["courses_opened"], year["trainees"], year["certificates"],
            len(ceremonies), contacts, placed)
        async with self.db.transaction() as conn:
            await AuditLog(conn).write(actor_id, "statistics_viewed", str(today.year), now)
        return Statistics(now, districts, branches,
                          _total(districts, len(appointments), sum(d.wishes for d in demand)),
                          demand, annual)
