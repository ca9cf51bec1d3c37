"""A course's life and a registration's, as plain functions of the clock (SPEC §3).

registration not yet open → open → closed (at the first class, or by staff) → running →
finished (after the end date). The card, the registration rules, the catalogue and the jobs
all ask these functions, so they can never disagree about where a course stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain import Audience, Course, CourseStatus, Registration, RegistrationStatus, Viewer


class CoursePhase(StrEnum):
    NOT_YET_OPEN = "not_yet_open"  # registration opens at `registration_opens_at`
    OPEN = "open"
    CLOSED = "closed"  # registration closed by staff before the first class
    RUNNING = "running"  # registration closed since the first class
    FINISHED = "finished"  # after the end date


def course_start(course: Course, timezone: ZoneInfo) -> datetime:
    """The moment the first class starts."""
    return datetime.combine(course.start_date, course.start_time, tzinfo=timezone)


def course_phase(course: Course, now: datetime, timezone: ZoneInfo) -> CoursePhase:
    """Where the course stands at `now`."""
    if course.status is CourseStatus.FINISHED or now.astimezone(timezone).date() > course.end_date:
        return CoursePhase.FINISHED
    if now >= course_start(course, timezone):
        return CoursePhase.RUNNING
    if course.status is CourseStatus.CLOSED:
        return CoursePhase.CLOSED
    if course.registration_opens_at is not None and now < course.registration_opens_at:
        return CoursePhase.NOT_YET_OPEN
    return CoursePhase.OPEN


def listed_until(course: Course, timezone: ZoneInfo) -> datetime | None:
    """Until when the catalogue lists the course (district counts, lists, search, nearby):
    while registration is open or still to open, that is until its first class; None when
    staff closed it or it has finished."""
    if course.status is not CourseStatus.OPEN:
        return None
    return course_start(course, timezone)


def is_listed(course: Course, now: datetime, timezone: ZoneInfo) -> bool:
    """A course whose registration closed has left the catalogue."""
    until = listed_until(course, timezone)
    return until is not None and now < until


def has_ended(course: Course, now: datetime, timezone: ZoneInfo) -> bool:
    return course_phase(course, now, timezone) is CoursePhase.FINISHED


def visible_to(course: Course, viewer: Viewer) -> bool:
    """Staff-only courses are seen only by staff: the one visibility rule."""
    return course.audience is Audience.PUBLIC or viewer.sees_staff_courses


def registration_status(registration: Registration, course: Course, now: datetime,
                        timezone: ZoneInfo) -> RegistrationStatus:
    """What a registration is now: a seat on a finished course is completed, a waiting place
    or an offer on it is over, whether or not the daily job has written it down yet."""
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.COMPLETED):
        return registration.status
    if has_ended(course, now, timezone):
        return (RegistrationStatus.COMPLETED
                if registration.status is RegistrationStatus.REGISTERED
                else RegistrationStatus.CANCELLED)
    return registration.status


def counts_as_active(registration: Registration, course: Course, now: datetime,
                     timezone: ZoneInfo) -> bool:
    """Counted against MAX_ACTIVE_REGISTRATIONS: only courses that have not ended."""
    return registration_status(registration, course, now, timezone) in (
        RegistrationStatus.REGISTERED, RegistrationStatus.WAITING, RegistrationStatus.OFFERED)


class CardAction(StrEnum):
    """What a course card offers this citizen now, or why it offers nothing."""

    REGISTER = "register"
    WAITLIST = "waitlist"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    RUNNING = "running"
    FINISHED = "finished"
    REGISTERED = "registered"
    WAITING = "waiting"
    OFFERED = "offered"
    COMPLETED = "completed"


@dataclass(frozen=True)
class CardOffer:
    action: CardAction
    position: int | None = None  # on the waiting list (now, or the one they would get)
    opens_at: datetime | None = None
    registration: Registration | None = None

    @property
    def can_ask(self) -> bool:
        """The card carries "Ön kayıt" or "Yedek listeye gir"."""
        return self.action in (CardAction.REGISTER, CardAction.WAITLIST)

    @property
    def seats_matter(self) -> bool:
        """Seats left mean something only while registration is open or about to open."""
        return self.action in (CardAction.REGISTER, CardAction.WAITLIST,
                               CardAction.NOT_YET_OPEN)


def takes_seat(course: Course, waiting: int) -> bool:
    """A new request gets a seat when one is free and nobody is waiting before it."""
    return course.seats_left > 0 and waiting == 0


def card_offer(course: Course, mine: Registration | None, waiting: int, now: datetime,
               timezone: ZoneInfo) -> CardOffer:
    """The one place that decides which actions a course card offers this citizen now."""
    if mine is not None:
        status = registration_status(mine, course, now, timezone)
        if status is RegistrationStatus.REGISTERED:
            return CardOffer(CardAction.REGISTERED, registration=mine)
        if status is RegistrationStatus.WAITING:
            return CardOffer(CardAction.WAITING, position=mine.position, registration=mine)
        if status is RegistrationStatus.OFFERED:
            return CardOffer(CardAction.OFFERED, registration=mine)
        if status is RegistrationStatus.COMPLETED:
            return CardOffer(CardAction.COMPLETED, registration=mine)
    phase = course_phase(course, now, timezone)
    if phase is CoursePhase.OPEN:
        if takes_seat(course, waiting):
            return CardOffer(CardAction.REGISTER)
        return CardOffer(CardAction.WAITLIST, position=waiting + 1)
    if phase is CoursePhase.NOT_YET_OPEN:
        return CardOffer(CardAction.NOT_YET_OPEN, opens_at=course.registration_opens_at)
    return CardOffer(CardAction(phase.value))
