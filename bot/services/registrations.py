"""Pre-registration: seats, the waiting list, offers, and the citizen's own data.

Every change happens in one `db.transaction()` (one writer, BEGIN IMMEDIATE), so two
citizens can never take the same last seat; the database's triggers guard it as well.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import Clock
from bot.config import Settings
from bot.domain import Course, Enrolment, Profile, Registration, RegistrationStatus, Viewer
from bot.errors import DomainError, NotFound
from bot.i18n import N_
from bot.services import lifecycle, rules
from bot.services.reminders import ReminderService
from bot.services.timer import NOTIFY, Wakeup, no_wakeup
from storage.courses import CourseRepository
from storage.database import Database
from storage.due_actions import DueActionRepository
from storage.profiles import ProfileRepository
from storage.registrations import RegistrationRepository
from storage.users import UserRepository

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
OFFER_EXPIRY = "offer_expiry"
WITHOUT_CACHE = 50_000  # users remembered as holding no registration (bounded memory)


@dataclass(frozen=True)
class Applicant:
    """What the dialogue gathered: the citizen's details and their consent."""

    full_name: str
    phone: str
    birth_year: int | None
    consent_version: str
    consent_text: str


class RegistrationService:
    """Seats, waiting lists and offers."""

    def __init__(self, db: Database, clock: Clock, settings: Settings,
                 wakeup: Wakeup = no_wakeup, reminders: ReminderService | None = None,
                 seats_changed: Callable[[], None] = lambda: None) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.wakeup = wakeup
        self.reminders = reminders or ReminderService(db, clock, settings, wakeup)
        # Tells the browsing catalogue that seats left changed (it caches them).
        self.seats_changed = seats_changed
        self._without_registrations: OrderedDict[int, None] = OrderedDict()

    async def _enrolments(self, conn: aiosqlite.Connection, user_id: int) -> list[Enrolment]:
        """Registrations, waiting places and offers of courses that have not ended."""
        courses = CourseRepository(conn)
        now, timezone = self.clock.now(), self.settings.timezone
        found = []
        for registration in await RegistrationRepository(conn).active_for_user(user_id):
            course = await courses.by_id(registration.course_id)
            if course is not None and lifecycle.counts_as_active(registration, course, now,
                                                                 timezone):
                found.append(Enrolment(registration, course))
        return found

    async def enrolments(self, user_id: int) -> list[Enrolment]:
        """The citizen's active registrations, waiting places and offers."""
        async with self.db.reading() as conn:
            return await self._enrolments(conn, user_id)

    async def history(self, user_id: int) -> list[Enrolment]:
        """Courses the citizen completed (also those ended today, before the daily job)."""
        async with self.db.reading() as conn:
            courses = CourseRepository(conn)
            repo = RegistrationRepository(conn)
            now, timezone = self.clock.now(), self.settings.timezone
            found = []
            for registration in [*await repo.completed_for_user(user_id),
                                 *await repo.active_for_user(user_id)]:
                course = await courses.by_id(registration.course_id)
                if course is not None and lifecycle.registration_status(
                        registration, course, now, timezone) is RegistrationStatus.COMPLETED:
                    found.append(Enrolment(registration, course))
        found.sort(key=lambda e: (e.course.end_date, e.course.name), reverse=True)
        return found

    async def card_offer(self, viewer: Viewer, course: Course) -> lifecycle.CardOffer:
        """What the course card offers this citizen now (see `lifecycle.card_offer`)."""
        mine = None
        if viewer.user_id not in self._without_registrations:
            async with self.db.reading() as conn:
                mine = await RegistrationRepository(conn).current_for(viewer.user_id,
                                                                      course.id)
                if mine is None and not await RegistrationRepository(conn).for_user(
                        viewer.user_id):
                    self._remember_without(viewer.user_id)
        return lifecycle.card_offer(course, mine, course.waiting, self.clock.now(),
                                    self.settings.timezone)

    def _remember_without(self, user_id: int) -> None:
        """Browsing is most of the traffic, and most who browse hold no registration: their
        cards need no database trip. Only this process registers, so the set stays true."""
        self._without_registrations[user_id] = None
        if len(self._without_registrations) > WITHOUT_CACHE:
            self._without_registrations.popitem(last=False)

    async def _visible_course(self, conn: aiosqlite.Connection, viewer: Viewer,
                              course_id: int) -> Course:
        course = await CourseRepository(conn).by_id(course_id)
        if course is None or not lifecycle.visible_to(course, viewer):
            raise NotFound(N_("We could not find that course. It may have been removed."))
        return course

    async def check(self, viewer: Viewer, course_id: int) -> tuple[Course, int | None]:
        """Before the dialogue: may this citizen ask for a seat? Returns the course and, when
        it is full, the waiting-list position they would get."""
        async with self.db.reading() as conn:
            course = await self._visible_course(conn, viewer, course_id)
            rules.check_window(course, self.clock.now(), self.settings.timezone)
            rules.check_eligibility(course, await self._enrolments(conn, viewer.user_id),
                                    self.settings.max_active_registrations)
            waiting = await RegistrationRepository(conn).waiting_count(course.id)
            return course, None if lifecycle.takes_seat(course, waiting) else waiting + 1

    async def profile(self, user_id: int) -> Profile | None:
        async with self.db.reading() as conn:
            return await ProfileRepository(conn).get(user_id)

    async def register(self, viewer: Viewer, course_id: int, applicant: Applicant) -> Registration:
        """Take a seat, or a place on the waiting list when the course is full."""
        now = self.clock.now()
        self._without_registrations.pop(viewer.user_id, None)
        async with self.db.transaction() as conn:
            course = await self._visible_course(conn, viewer, course_id)
            rules.check_window(course, now, self.settings.timezone)
            rules.check_eligibility(course, await self._enrolments(conn, viewer.user_id),
                                    self.settings.max_active_registrations)
            if applicant.birth_year is not None:
                rules.check_age(course, applicant.birth_year)
            await ProfileRepository(conn).save(
                viewer.user_id, applicant.full_name, applicant.phone, applicant.birth_year,
                applicant.consent_version, applicant.consent_text, now)
            repo = RegistrationRepository(conn)
            waiting = await repo.waiting_count(course.id)
            status = (RegistrationStatus.REGISTERED if lifecycle.takes_seat(course, waiting)
                      else RegistrationStatus.WAITING)
            registration_id = await repo.add(await self._new_code(repo), course.id,
                                             viewer.user_id, status, now)
            if status is RegistrationStatus.REGISTERED:
                await self.reminders.plan_trainee(conn, registration_id, viewer.user_id,
                                                  course, now)
            else:
                await repo.set_position_told(registration_id, waiting + 1)
            registration = await repo.get(registration_id)
        self._without_registrations.pop(viewer.user_id, None)
        self.seats_changed()
        assert registration is not None
        return registration

    async def with_course(self, registration_id: int) -> tuple[Registration, Course] | None:
        """A registration and its course (any user's: for messages the bot sends itself)."""
        async with self.db.reading() as conn:
            registration = await RegistrationRepository(conn).get(registration_id)
            course = (await CourseRepository(conn).by_id(registration.course_id)
                      if registration else None)
        return (registration, course) if registration and course else None

    async def _new_code(self, repo: RegistrationRepository) -> str:
        while True:
            code = "MK-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
            if not await repo.code_exists(code):
                return code

    async def _own(self, conn: aiosqlite.Connection, user_id: int,
                   registration_id: int) -> Registration:
        registration = await RegistrationRepository(conn).get(registration_id)
        if registration is None or registration.user_id != user_id:
            raise NotFound(N_("We could not find that registration. /kayitlarim shows the ones "
                              "you have."))
        return registration

    async def cancel(self, user_id: int, registration_id: int) -> Course:
        """Give up a seat, an offer or a waiting place; a freed seat goes to the next."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            registration = await self._own(conn, user_id, registration_id)
            if registration.status is RegistrationStatus.CANCELLED:
                raise DomainError(N_("This registration is already cancelled."))
            ended = await CourseRepository(conn).by_id(registration.course_id)
            if ended is not None and lifecycle.has_ended(ended, now, self.settings.timezone):
                raise DomainError(N_("This course has ended; it stays in your history."))
            await RegistrationRepository(conn).set_status(
                registration.id, RegistrationStatus.CANCELLED, now, reason="cancelled")
            await DueActionRepository(conn).cancel(OFFER_EXPIRY, registration.id, now)
            await self.reminders.cancel_for_registration(conn, registration.id, now)
            if registration.status is RegistrationStatus.OFFERED:
                await self._close_offer(conn, registration, "withdrawn", now)
            await self.fill_seats(conn, registration.course_id, now)
            course = await CourseRepository(conn).by_id(registration.course_id)
        self.seats_changed()
        assert course is not None
        return course

    async def answer_offer(self, user_id: int, registration_id: int,
                           accept: bool) -> Registration:
        """Accept or decline an offered seat before its deadline."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            registration = await self._own(conn, user_id, registration_id)
            if (registration.status is not RegistrationStatus.OFFERED
                    or registration.offer_expires_at is None
                    or registration.offer_expires_at <= now):
                raise DomainError(N_("This offer is no longer open: it was answered or its time "
                                     "ran out. /kayitlarim shows where you stand."))
            repo = RegistrationRepository(conn)
            await DueActionRepository(conn).cancel(OFFER_EXPIRY, registration.id, now)
            if accept:
                await repo.set_status(registration.id, RegistrationStatus.REGISTERED, now)
                course = await CourseRepository(conn).by_id(registration.course_id)
                assert course is not None
                await self.reminders.plan_trainee(conn, registration.id, user_id, course, now)
                await self._close_offer(conn, registration, "accepted", now)
            else:
                await repo.set_status(registration.id, RegistrationStatus.CANCELLED, now,
                                      reason="declined")
                await self._close_offer(conn, registration, "declined", now)
                await self.fill_seats(conn, registration.course_id, now)
            answered = await repo.get(registration.id)
        self.seats_changed()
        assert answered is not None
        return answered

    async def expire_offer(self, conn: aiosqlite.Connection, registration_id: int,
                           now: datetime) -> None:
        """The durable timer's action: an unanswered offer lapses and passes on."""
        repo = RegistrationRepository(conn)
        registration = await repo.get(registration_id)
        if (registration is None or registration.status is not RegistrationStatus.OFFERED
                or registration.offer_expires_at is None or registration.offer_expires_at > now):
            return
        reached = await DueActionRepository(conn).notice_may_have_gone("seat_offer",
                                                                      registration.id)
        if not reached and registration.ended_reason != "offer_unsent":
            # The offer never reached them (the bot was down past its deadline): they keep
            # their place, and the seat is offered to them again with a fresh deadline (once).
            await repo.set_status(registration.id, RegistrationStatus.WAITING, now,
                                  reason="offer_unsent")
            await self.fill_seats(conn, registration.course_id, now)
            self.seats_changed()
            return
        await repo.set_status(registration.id, RegistrationStatus.CANCELLED, now,
                              reason="offer_expired")
        passed_on = await repo.waiting_count(registration.course_id) > 0
        if registration.user_id is not None:
            await self._notify(conn, registration.user_id, "offer_expired", now,
                               registration_id=registration.id, passed_on=passed_on)
        await self._close_offer(conn, registration, "expired", now)
        await self.fill_seats(conn, registration.course_id, now)
        self.seats_changed()

    async def fill_seats(self, conn: aiosqlite.Connection, course_id: int, now: datetime) -> None:
        """Offer every free seat to the first on the waiting list, with a deadline; then tell
        those still waiting whose position moved. Someone who blocked the bot cannot hold an
        offer: their place passes to the next at once."""
        repo = RegistrationRepository(conn)
        course = await CourseRepository(conn).by_id(course_id)
        if course is None:
            return
        users = UserRepository(conn)
        deadline = rules.offer_deadline(now, self.settings.seat_offer_ttl, course,
                                        self.settings.timezone)
        while deadline > now and await repo.seats_taken(course_id) < course.capacity:
            first = await repo.first_waiting(course_id)
            if first is None:
                break
            user = await users.get(first.user_id) if first.user_id is not None else None
            if user is None or not user.active:
                await repo.set_status(first.id, RegistrationStatus.CANCELLED, now,
                                      reason="unreachable")
                continue
            await repo.set_status(first.id, RegistrationStatus.OFFERED, now,
                                  offer_expires_at=deadline)
            await DueActionRepository(conn).add(OFFER_EXPIRY, deadline, ref_id=first.id, now=now)
            await self._notify(conn, user.id, "seat_offer", now, registration_id=first.id)
            self.wakeup(now)
        await self._tell_moves(conn, course_id, now)

    async def _tell_moves(self, conn: aiosqlite.Connection, course_id: int,
                          now: datetime) -> None:
        """Everyone still waiting who moved up hears it once, in one short message."""
        repo = RegistrationRepository(conn)
        for registration in await repo.waiting(course_id):
            position = registration.position or 0
            if registration.position_told is not None and position < registration.position_told \
                    and registration.user_id is not None:
                await self._notify(conn, registration.user_id, "waiting_moved", now,
                                   registration_id=registration.id, position=position)
            if registration.position_told != position:
                await repo.set_position_told(registration.id, position)

    async def _close_offer(self, conn: aiosqlite.Connection, registration: Registration,
                           outcome: str, now: datetime) -> None:
        """An answered, expired or withdrawn offer: its message is edited to say so."""
        if registration.user_id is not None and registration.offer_message_id is not None:
            await self._notify(conn, registration.user_id, "offer_closed", now,
                               registration_id=registration.id, outcome=outcome,
                               message_id=registration.offer_message_id)

    async def remember_offer_message(self, registration_id: int, message_id: int) -> None:
        """The seat offer went out as this message (so it can be edited when it closes)."""
        async with self.db.transaction() as conn:
            await RegistrationRepository(conn).set_offer_message(registration_id, message_id)

    async def user_unreachable(self, user_id: int) -> None:
        """The citizen blocked the bot: an offer they hold passes to the next at once."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = RegistrationRepository(conn)
            for registration in await repo.offered_to(user_id):
                await repo.set_status(registration.id, RegistrationStatus.CANCELLED, now,
                                      reason="unreachable")
                await DueActionRepository(conn).cancel(OFFER_EXPIRY, registration.id, now)
                await self.fill_seats(conn, registration.course_id, now)
        self.seats_changed()

    async def fill_all_seats(self) -> None:
        """After a change of capacity (an import): offer whatever seats came free."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            for course_id in await RegistrationRepository(conn).course_ids_with_waiting():
                await self.fill_seats(conn, course_id, now)
        self.seats_changed()

    async def _notify(self, conn: aiosqlite.Connection, user_id: int, message: str,
                      now: datetime, **payload: Any) -> None:
        await DueActionRepository(conn).add(NOTIFY, now, user_id=user_id,
                                            payload={"message": message, **payload}, now=now)
