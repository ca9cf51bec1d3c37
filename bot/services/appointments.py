"""Career counselling: counsellors open slots, citizens book one, counsellors record the
meeting and what came of it.

Every booking happens in one `db.transaction()` (one writer, BEGIN IMMEDIATE), so two
citizens pressing the same time get one booking; the database's unique indexes guard the
slot (one holder) and the citizen (one active appointment) as well.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import aiosqlite

from bot.clock import Clock
from bot.config import Settings
from bot.domain import (
    Appointment,
    AppointmentStatus,
    DueAction,
    Outcome,
    Role,
    Slot,
    Topic,
    Viewer,
    WindowPlan,
)
from bot.errors import DomainError, Forbidden, NotFound, SlotTaken
from bot.i18n import N_, At
from bot.services import slot_rules
from bot.services.places import pin_for
from bot.services.reminders import ReminderService
from bot.services.timer import Wakeup, no_wakeup
from storage.appointments import AppointmentRepository
from storage.audit import AuditLog
from storage.courses import CourseRepository
from storage.database import Database
from storage.due_actions import DueActionRepository

TOPICS = (Topic.JOB_SEARCH, Topic.CV, Topic.INTERVIEW, Topic.CAREER)
BOOKING_HORIZON = timedelta(days=60)
# A booked citizen whose slot is closed is told with this kind of due action.
APPOINTMENT_NOTICE = "appointment_notice"

log = logging.getLogger(__name__)


def can_counsel(viewer: Viewer) -> bool:
    """Who may open slots and see and mark appointments: admins and counsellors (danışman)."""
    return viewer.can(Role.COUNSELLOR)


def require_counsellor(viewer: Viewer) -> None:
    if not can_counsel(viewer):
        log.warning("User %s tried a counsellor action without the role", viewer.user_id)
        raise Forbidden()




@dataclass(frozen=True)
class Closed:
    slots: int
    told: int


class AppointmentService:
    """Slots, bookings, cancellations, the counsellor's day and the year's figures."""

    def __init__(self, db: Database, clock: Clock, settings: Settings,
                 reminders: ReminderService, wakeup: Wakeup = no_wakeup) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.reminders = reminders
        self.wakeup = wakeup

    def _today(self) -> date:
        return self.clock.now().astimezone(self.settings.timezone).date()

    def _day_bounds(self, day: date) -> tuple[datetime, datetime]:
        start = datetime.combine(day, time(0), tzinfo=self.settings.timezone)
        return start, datetime.combine(day + timedelta(days=1), time(0),
                                       tzinfo=self.settings.timezone)

    # -- counsellors open and close slots ------------------------------------------------------

    async def plan_window(self, viewer: Viewer, day_text: str, hours_text: str,
                          minutes_text: str, place: str | None,
                          mobile_visit_id: int | None = None) -> WindowPlan:
        """Check a working window and cut it into slots, without saving anything."""
        require_counsellor(viewer)
        day = slot_rules.parse_day(day_text, self._today())
        start, end = slot_rules.parse_hours(hours_text)
        minutes = slot_rules.parse_minutes(minutes_text)
        starts = slot_rules.cut_slots(day, start, end, minutes, self.settings.timezone,
                                      self.clock.now())
        plan = WindowPlan(starts, minutes, place, mobile_visit_id)
        await self.check_overlap(viewer, plan)
        return plan

    async def check_overlap(self, viewer: Viewer, plan: WindowPlan) -> None:
        """Refuse, with the reason, a window that overlaps one the counsellor opened."""
        async with self.db.reading() as conn:
            await self._check_overlap(conn, viewer.user_id, plan)

    def _day_of(self, plan: WindowPlan) -> date:
        return plan.starts[0].astimezone(self.settings.timezone).date()

    async def _check_overlap(self, conn: aiosqlite.Connection, counsellor_id: int,
                             plan: WindowPlan) -> None:
        end = plan.starts[-1] + timedelta(minutes=plan.slot_minutes)
        for other_start, other_end in await AppointmentRepository(conn).open_windows(
                counsellor_id, self._day_of(plan)):
            if slot_rules.overlaps(plan.starts[0], end, other_start, other_end):
                raise DomainError(N_("These hours overlap the slots you already opened on "
                                     "{day}, {start}–{end}. Choose other hours, or close that "
                                     "day first with /randevu_kapat."),
                                  day=self._day_of(plan),
                                  start=other_start.astimezone(self.settings.timezone)
                                  .strftime("%H:%M"),
                                  end=other_end.astimezone(self.settings.timezone)
                                  .strftime("%H:%M"))

    async def open_window(self, viewer: Viewer, plan: WindowPlan,
                          location: tuple[float, float] | None = None) -> int:
        """Save the previewed slots; returns how many were opened."""
        require_counsellor(viewer)
        now = self.clock.now()
        if plan.starts[0] <= now:
            raise DomainError(N_("{when} is in the past. Choose a future date and time."),
                              when=plan.starts[0])
        async with self.db.transaction() as conn:
            await self._check_overlap(conn, viewer.user_id, plan)
            if location is None and plan.place:
                location = pin_for(plan.place,
                                   await CourseRepository(conn).centre_locations())
            await AppointmentRepository(conn).add_window(
                viewer.user_id, self._day_of(plan), plan.starts, plan.slot_minutes, plan.place,
                location, plan.mobile_visit_id, now)
            await AuditLog(conn).write(viewer.user_id, "slots_opened",
                                       f"{plan.starts[0].isoformat()} x{len(plan.starts)}", now)
        return len(plan.starts)

    async def close(self, viewer: Viewer, day_text: str, hour_text: str | None) -> Closed:
        """Close one slot (at `hour_text`) or the whole day; booked citizens are told."""
        require_counsellor(viewer)
        day = slot_rules.parse_day(day_text, self._today())
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = AppointmentRepository(conn)
            slots = await repo.counsellor_slots(viewer.user_id, day)
            if hour_text is not None:
                wanted = hour_text.strip().replace(".", ":")
                slots = [s for s in slots if s.starts_at.astimezone(
                    self.settings.timezone).strftime("%H:%M") == wanted.zfill(5)]
            if not slots:
                raise DomainError(N_("You have no open slot there to close. /randevularim "
                                     "shows your appointments."))
            told = 0
            for slot in slots:
                holder = await repo.holder_of(slot.id)
                if holder is None or holder.status is not AppointmentStatus.BOOKED:
                    continue
                await repo.cancel(holder.id, "slot_closed", now)
                await self.reminders.cancel_for_appointment(conn, holder.id, now)
                if holder.user_id is not None:
                    await DueActionRepository(conn).add(
                        APPOINTMENT_NOTICE, now, user_id=holder.user_id, ref_id=holder.id,
                        payload={"message": "slot_closed"}, now=now)
                    told += 1
            await repo.close_slots([s.id for s in slots])
            if hour_text is None:
                await repo.close_windows(viewer.user_id, day)
            await AuditLog(conn).write(viewer.user_id, "slots_closed",
                                       f"{day.isoformat()} {hour_text or 'day'}", now)
        if told:
            self.wakeup(now)
        return Closed(len(slots), told)

    # -- citizens book --------------------------------------------------------------------------

    async def free_days(self, mobile_visit_id: int | None = None) -> list[date]:
        """Local days that still have a free slot, soonest first."""
        return sorted({s.starts_at.astimezone(self.settings.timezone).date()
                       for s in await self._free(mobile_visit_id=mobile_visit_id)})

    async def free_times(self, day: date, mobile_visit_id: int | None = None) -> list[Slot]:
        first, last = self._day_bounds(day)
        return await self._free(first, last, mobile_visit_id)

    async def first_free(self) -> Slot | None:
        found = await self._free()
        return found[0] if found else None

    async def _free(self, first: datetime | None = None, last: datetime | None = None,
                    mobile_visit_id: int | None = None) -> list[Slot]:
        now = self.clock.now()
        async with self.db.reading() as conn:
            return await AppointmentRepository(conn).free_slots(
                max(first or now, now), last or now + BOOKING_HORIZON, mobile_visit_id)

    async def slot(self, slot_id: int) -> Slot:
        async with self.db.reading() as conn:
            slot = await AppointmentRepository(conn).slot(slot_id)
        if slot is None:
            raise NotFound(N_("That time is no longer offered. /randevu shows the free times."))
        return slot

    async def current(self, user_id: int) -> Appointment | None:
        """The citizen's one coming appointment, if any."""
        async with self.db.reading() as conn:
            held = await AppointmentRepository(conn).held_by(user_id)
        return held if held and held.slot.ends_at > self.clock.now() else None

    async def book(self, user_id: int, slot_id: int, topic: Topic,
                   contact_name: str | None) -> Appointment:
        """Book a free slot; SlotTaken when someone was quicker (or it was closed)."""
        now = self.clock.now()
        try:
            async with self.db.transaction() as conn:
                repo = AppointmentRepository(conn)
                slot = await repo.slot(slot_id)
                if slot is None:
                    raise NotFound(N_("That time is no longer offered. /randevu shows the "
                                      "free times."))
                await repo.release_past(user_id, now)
                held = await repo.held_by(user_id)
                if held is not None:
                    raise DomainError(N_("You already have an appointment on {when}. Cancel "
                                         "it in /kayitlarim first if you want another time."),
                                      when=At(held.slot.starts_at))
                if (not slot.is_open or slot.starts_at <= now
                        or await repo.holder_of(slot_id) is not None):
                    raise self._taken(slot)
                appointment_id = await repo.add(slot_id, user_id, topic, contact_name, now)
                await self.reminders.plan_appointment(conn, appointment_id, user_id,
                                                      slot.starts_at, now)
                booked = await repo.get(appointment_id)
        except sqlite3.IntegrityError:  # the database's own guard, should a race slip by
            raise self._taken(None) from None
        assert booked is not None
        return booked

    def _taken(self, slot: Slot | None) -> SlotTaken:
        day = slot.starts_at.astimezone(self.settings.timezone).date() if slot else None
        return SlotTaken(N_("Sorry, someone has just booked that time. Here are the times "
                            "still free:"), slot_day=day)

    async def cancel(self, user_id: int, appointment_id: int) -> tuple[Appointment, bool]:
        """Cancel the citizen's appointment; returns it and whether this call cancelled it
        (False: it was cancelled already, by a first tap of the same button)."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = AppointmentRepository(conn)
            found = await repo.get(appointment_id)
            if found is not None and found.user_id == user_id \
                    and found.status is AppointmentStatus.CANCELLED:
                return found, False
            if (found is None or found.user_id != user_id
                    or found.status is not AppointmentStatus.BOOKED):
                raise NotFound(N_("We could not find that appointment. /kayitlarim shows the "
                                  "ones you have."))
            await repo.cancel(appointment_id, "cancelled_by_citizen", now)
            await self.reminders.cancel_for_appointment(conn, appointment_id, now)
        return found, True

    async def still_booked(self, action: DueAction) -> Appointment | None:
        """A due reminder or notice's appointment, or None when its cause went away."""
        async with self.db.reading() as conn:
            found = await AppointmentRepository(conn).get(action.ref_id or 0)
        if found is None or found.user_id != action.user_id:
            return None
        if action.kind == APPOINTMENT_NOTICE:
            return found if found.status is AppointmentStatus.CANCELLED else None
        at = action.payload.get("at")
        if (found.status is not AppointmentStatus.BOOKED
                or (at is not None and found.slot.starts_at != datetime.fromisoformat(str(at)))):
            return None
        return found

    # -- the counsellor's day ---------------------------------------------------------------

    async def days_list(self, viewer: Viewer, day: date | None = None
                        ) -> tuple[list[Appointment], int]:
        """The appointments of `day`, or of today and tomorrow when no day is given (all of
        them for an admin), and how many certified trainees have not yet met a counsellor."""
        require_counsellor(viewer)
        first, _ = self._day_bounds(day or self._today())
        async with self.db.reading() as conn:
            repo = AppointmentRepository(conn)
            found = await repo.booked_between(first, first + timedelta(days=1 if day else 2),
                                              None)
            waiting = await repo.certified_not_met(self.clock.now())
        return found, waiting

    def today(self) -> date:
        """Today in the bot's zone (the counsellor's day starts from it)."""
        return self._today()

    async def mark(self, viewer: Viewer, appointment_id: int,
                   status: AppointmentStatus) -> Appointment:
        require_counsellor(viewer)
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = AppointmentRepository(conn)
            found = await repo.get(appointment_id)
            if found is None or found.status is AppointmentStatus.CANCELLED:
                raise NotFound(N_("That appointment was cancelled or does not exist."))
            if found.slot.starts_at.astimezone(self.settings.timezone).date() > \
                    now.astimezone(self.settings.timezone).date():
                raise DomainError(N_("This appointment's day has not come yet; mark it on the "
                                     "day of the meeting."))
            await repo.mark(appointment_id, status, now)
            await self.reminders.cancel_for_appointment(conn, appointment_id, now)
            await AuditLog(conn).write(viewer.user_id, f"appointment_{status.value}",
                                       str(appointment_id), now)
            marked = await repo.get(appointment_id)
        assert marked is not None
        return marked

    async def record_outcome(self, viewer: Viewer, appointment_id: int,
                             outcome: Outcome) -> Appointment:
        require_counsellor(viewer)
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = AppointmentRepository(conn)
            found = await repo.get(appointment_id)
            if found is None or found.status is not AppointmentStatus.ATTENDED:
                raise DomainError(N_("Mark the meeting as held first; an outcome belongs to a "
                                     "meeting that took place."))
            await repo.set_outcome(appointment_id, outcome, now)
            await AuditLog(conn).write(viewer.user_id, f"outcome_{outcome.value}",
                                       str(appointment_id), now)
            recorded = await repo.get(appointment_id)
        assert recorded is not None
        return recorded

    # -- figures for /istatistik -------------------------------------------------------------

    async def year_figures(self, year: int) -> tuple[int, int]:
        """(counselling contacts, people placed in jobs) in a calendar year of BOT_TIMEZONE:
        meetings marked as held, and the distinct people whose outcome was a job."""
        first, _ = self._day_bounds(date(year, 1, 1))
        last, _ = self._day_bounds(date(year + 1, 1, 1))
        async with self.db.reading() as conn:
            return await AppointmentRepository(conn).year_figures(first, last)

    async def certified_not_met(self) -> int:
        """Trainees whose certificate ceremony is over and who have not met a counsellor."""
        async with self.db.reading() as conn:
            return await AppointmentRepository(conn).certified_not_met(self.clock.now())
