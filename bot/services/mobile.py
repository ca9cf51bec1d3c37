"""The mobile employment point (Mobil İstihdam Noktası): its visits to the districts, who is
told, and the counselling slots a visit may carry."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.config import Settings
from bot.domain import District, MobileVisit, Viewer, WindowPlan
from bot.errors import DomainError
from bot.i18n import N_, Asked
from bot.services import rules, slot_rules
from bot.services.appointments import AppointmentService, require_counsellor
from bot.services.places import pin_for
from bot.services.timer import Wakeup, no_wakeup
from bot.textsearch import fold
from storage.appointments import MobileVisitRepository
from storage.audit import AuditLog
from storage.courses import CourseRepository
from storage.database import Database
from storage.due_actions import DueActionRepository

# Subscribers of a district are told of a visit with this kind of due action.
MOBILE_VISIT_NEWS = "mobile_visit"


def match_district(text: str, districts: list[District]) -> District:
    """A district by name, insensitive to case and Turkish letters (`karsiyaka` is
    Karşıyaka); an unknown name is refused with the nearest spelling."""
    by_key = {fold(d.name): d for d in districts}
    wanted = fold(text)
    if wanted in by_key:
        return by_key[wanted]
    near = difflib.get_close_matches(wanted, list(by_key), n=1, cutoff=0.6)
    if near:
        raise DomainError(N_("There is no district called “{text}”. Did you mean {suggestion}?"),
                          text=text[:60], suggestion=Asked(by_key[near[0]].name))
    raise DomainError(N_("There is no district called “{text}”. Write one of the districts "
                         "where courses are held, for example {example}."), text=text[:60],
                      example=districts[0].name if districts else "Buca")


@dataclass(frozen=True)
class ScheduledVisit:
    visit: MobileVisit
    told: int
    slots: int


class MobilePointService:
    """Schedules the mobile point's visits and lists the coming ones."""

    def __init__(self, db: Database, clock: Clock, settings: Settings,
                 appointments: AppointmentService, wakeup: Wakeup = no_wakeup) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.appointments = appointments
        self.wakeup = wakeup

    async def schedule(self, viewer: Viewer, day_text: str, hours_text: str,
                       district_text: str, place_text: str,
                       minutes_text: str | None = None) -> ScheduledVisit:
        """A visit to a district; its subscribers are told; with a slot length, the visit's
        hours are also opened as counselling slots of this staff member."""
        require_counsellor(viewer)
        now = self.clock.now()
        tz = self.settings.timezone
        day = slot_rules.parse_day(day_text, now.astimezone(tz).date())
        start, end = slot_rules.parse_hours(hours_text)
        starts_at = datetime.combine(day, start, tzinfo=tz)
        ends_at = datetime.combine(day, end, tzinfo=tz)
        if starts_at <= now:
            raise DomainError(N_("{when} is in the past. Choose a future date and time."),
                              when=starts_at)
        place = rules.parse_place(place_text)
        plan = None
        if minutes_text:
            minutes = slot_rules.parse_minutes(minutes_text)
            plan = WindowPlan(slot_rules.cut_slots(day, start, end, minutes, tz, now), minutes,
                              place)
            await self.appointments.check_overlap(viewer, plan)
        async with self.db.reading() as conn:
            district = match_district(district_text,
                                      await MobileVisitRepository(conn).districts())
        async with self.db.transaction() as conn:
            repo = MobileVisitRepository(conn)
            location = pin_for(place, await CourseRepository(conn).centre_locations(district.id))
            visit_id = await repo.add(district.id, starts_at, ends_at, place, location,
                                      viewer.user_id, now)
            told = await repo.subscribers(district.id)
            actions = DueActionRepository(conn)
            for user_id in told:
                await actions.add(MOBILE_VISIT_NEWS, now, user_id=user_id, ref_id=visit_id,
                                  now=now, dedup_key=f"mv:{visit_id}:{user_id}")
            await AuditLog(conn).write(viewer.user_id, "mobile_visit",
                                       f"{district.name} {starts_at.isoformat()}", now)
            visit = await repo.get(visit_id)
        assert visit is not None
        slots = 0
        if plan is not None:
            slots = await self.appointments.open_window(
                viewer, WindowPlan(plan.starts, plan.slot_minutes, place, visit_id), location)
        if told:
            self.wakeup(now)
        return ScheduledVisit(visit, len(told), slots)

    async def coming(self) -> list[MobileVisit]:
        """Visits not over yet, soonest first (callers group them by district)."""
        async with self.db.reading() as conn:
            return await MobileVisitRepository(conn).coming(self.clock.now())

    async def next_in(self, district_id: int) -> MobileVisit | None:
        async with self.db.reading() as conn:
            found = await MobileVisitRepository(conn).coming(self.clock.now(), district_id)
        return found[0] if found else None

    async def get(self, visit_id: int) -> MobileVisit | None:
        async with self.db.reading() as conn:
            visit = await MobileVisitRepository(conn).get(visit_id)
        if visit is None or visit.ends_at <= self.clock.now() - timedelta(hours=1):
            return None
        return visit
