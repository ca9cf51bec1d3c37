"""Domain objects: plain frozen dataclasses, no Telegram, no SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum


class Audience(StrEnum):
    PUBLIC = "halk"
    STAFF = "personel"


class CourseFormat(StrEnum):
    IN_PERSON = "yuz_yuze"
    ONLINE = "cevrimici"


class CourseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    FINISHED = "finished"


@dataclass(frozen=True)
class District:
    id: int
    name: str


@dataclass(frozen=True)
class DistrictCount:
    district: District
    open_courses: int


@dataclass(frozen=True)
class Centre:
    id: int
    district: District
    name: str
    neighbourhood: str | None
    address: str | None
    latitude: float | None
    longitude: float | None

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Course:
    id: int
    code: str
    name: str
    branch: str
    centre: Centre | None
    start_date: date
    end_date: date
    weekdays: frozenset[int]
    start_time: time
    end_time: time
    capacity: int
    instructor: str | None
    description: str | None
    min_age: int | None
    registration_opens_at: datetime | None
    audience: Audience
    format: CourseFormat
    link: str | None
    status: CourseStatus
    seats_taken: int = 0
    waiting: int = 0  # on the waiting list

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_online(self) -> bool:
        return self.format is CourseFormat.ONLINE


@dataclass(frozen=True)
class CoursePage:
    courses: tuple[Course, ...]
    page: int
    pages: int
    total: int
    suggestions: tuple[Course, ...] = ()  # nothing matched: the closest courses instead


@dataclass(frozen=True)
class NearbyCourse:
    course: Course
    distance_km: float


@dataclass(frozen=True)
class User:
    id: int
    locale: str | None
    telegram_language: str | None
    first_seen: datetime
    last_seen: datetime
    active: bool
    class_reminders: bool = False
    event_reminders: bool = True


class Role(StrEnum):
    """Staff roles; each includes what the roles below it may do (an admin does everything,
    and a counsellor is a municipal employee too, so sees staff-only courses)."""

    STAFF = "personel"
    COUNSELLOR = "danisman"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _ROLE_RANK[self]


_ROLE_RANK = {Role.STAFF: 1, Role.COUNSELLOR: 2, Role.ADMIN: 3}


def role_allows(held: Role | None, needed: Role) -> bool:
    """Whether someone holding `held` may do what needs `needed`."""
    return held is not None and held.rank >= needed.rank


@dataclass(frozen=True)
class Viewer:
    """Who is looking: their role (from ADMIN_IDS or the database) decides what they see."""

    user_id: int
    role: Role | None = None

    def can(self, needed: Role) -> bool:
        return role_allows(self.role, needed)

    @property
    def is_admin(self) -> bool:
        return self.can(Role.ADMIN)

    @property
    def is_staff(self) -> bool:
        """Any staff role: a municipal employee."""
        return self.can(Role.STAFF)

    @property
    def sees_staff_courses(self) -> bool:
        return self.is_staff


@dataclass(frozen=True)
class StaffMember:
    user_id: int
    role: Role
    permanent: bool  # listed in ADMIN_IDS: cannot be taken away in the chat


@dataclass(frozen=True)
class Invitation:
    """A link through which new municipal employees take the `personel` role."""

    id: int
    token: str
    created_by: int
    created_at: datetime
    expires_at: datetime
    max_uses: int
    uses: int
    revoked: bool

    def usable(self, now: datetime) -> bool:
        return not self.revoked and now < self.expires_at and self.uses < self.max_uses


@dataclass(frozen=True)
class AuditEntry:
    id: int
    user_id: int
    action: str
    detail: str
    before: str | None
    after: str | None
    at: datetime


@dataclass(frozen=True)
class CourseDraft:
    """A validated course from an import file or the staff dialogue, not yet stored."""

    code: str
    name: str
    branch: str
    district: str | None
    centre: str | None
    neighbourhood: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    start_date: date
    end_date: date
    weekdays: frozenset[int]
    start_time: time
    end_time: time
    capacity: int
    instructor: str | None
    description: str | None
    min_age: int | None
    registration_opens_at: datetime | None
    audience: Audience
    format: CourseFormat
    link: str | None
    row: int = 0  # where it came from in an import file (the header is row 1)


class RegistrationStatus(StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"
    OFFERED = "offered"
    CANCELLED = "cancelled"
    COMPLETED = "completed"  # the course has ended: the trainee's history


ACTIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING,
                   RegistrationStatus.OFFERED)


@dataclass(frozen=True)
class Registration:
    id: int
    code: str
    course_id: int
    user_id: int | None
    status: RegistrationStatus
    offer_expires_at: datetime | None
    created_at: datetime
    position: int | None = None  # on the waiting list, 1-based
    offer_message_id: int | None = None  # the seat offer's message, to edit when it closes
    position_told: int | None = None  # the waiting-list position the citizen last heard
    ended_reason: str | None = None  # why it was cancelled (or an offer was re-made)


@dataclass(frozen=True)
class Enrolment:
    """A registration together with its course, as the citizen sees it."""

    registration: Registration
    course: Course


@dataclass(frozen=True)
class Profile:
    user_id: int
    full_name: str | None
    phone: str | None
    birth_year: int | None
    consent_version: str | None
    consent_at: datetime | None


DIALOGUE_FINISHED = "finished"


@dataclass(frozen=True)
class Dialogue:
    """Where a user is in a multi-step dialogue (see bot/services/dialogues.py)."""

    user_id: int
    kind: str
    step: str
    data: dict[str, object]
    updated_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.step == DIALOGUE_FINISHED


@dataclass(frozen=True)
class DueAction:
    id: int
    kind: str
    user_id: int | None
    ref_id: int | None
    payload: dict[str, object]
    due_at: datetime
    state: str
    attempts: int
    lane: int = 0            # PERSONAL or BULK
    rendered: str | None = None  # the message's parts as first rendered (JSON)
    parts_sent: int = 0
    reason: str | None = None


# Lanes of the outbox: personal, time-bound messages go before bulk ones.
PERSONAL, BULK = 0, 1


@dataclass(frozen=True)
class BroadcastProgress:
    """Where a broadcast stands: its recipients by what became of their message."""

    broadcast_id: int
    total: int
    sent: int
    blocked: int
    failed: int
    in_doubt: int
    skipped: int      # no longer reachable when their turn came (deleted, inactive) or stopped
    pending: int
    stopped: bool

    @property
    def finished(self) -> bool:
        return self.pending == 0


class AudienceKind(StrEnum):
    EVERYONE = "all"
    DISTRICT = "district"    # subscribers of the district and trainees of its courses
    BRANCH = "branch"        # subscribers of the branch and trainees of its courses
    COURSE = "course"        # the course's trainees (registered or holding an offer)
    WAITING = "waiting"      # the course's waiting list
    STAFF = "staff"          # municipal employees: everyone with a staff role


@dataclass(frozen=True)
class BroadcastAudience:
    """Whom a broadcast is for: everyone, or a district / branch / course (`value` is its
    id, or the branch name)."""

    kind: AudienceKind
    value: int | str | None = None

    @property
    def key(self) -> str:
        return self.kind.value if self.value is None else f"{self.kind.value}:{self.value}"


@dataclass(frozen=True)
class Broadcast:
    id: int
    text: str
    audience: str
    created_by: int
    created_at: datetime
    total: int
    stopped: bool
    report_chat_id: int | None
    report_message_id: int | None


class EventKind(StrEnum):
    CEREMONY = "ceremony"
    EXHIBITION = "exhibition"
    PANEL = "panel"


@dataclass(frozen=True)
class Event:
    """A certificate ceremony (for one course), a year-end exhibition or a panel."""

    id: int
    kind: EventKind
    title: str
    starts_at: datetime
    place: str
    course_id: int | None
    cancelled: bool
    district_ids: frozenset[int] = frozenset()
    course_ids: frozenset[int] = frozenset()
    latitude: float | None = None  # the event's own map pin, if it has one
    longitude: float | None = None

    @property
    def city_wide(self) -> bool:
        return self.kind is not EventKind.CEREMONY and not self.district_ids \
            and not self.course_ids


@dataclass(frozen=True)
class Subscription:
    id: int
    district: District | None
    branch: str | None


@dataclass(frozen=True)
class Preferences:
    class_reminders: bool
    event_reminders: bool


class Topic(StrEnum):
    """What a citizen wants to talk about with a career counsellor."""

    JOB_SEARCH = "job_search"
    CV = "cv"
    INTERVIEW = "interview"
    CAREER = "career"


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class Outcome(StrEnum):
    """What came of a counselling meeting: it feeds the programme's year figures."""

    REFERRED = "referred"  # put in touch with an employer
    PLACED = "placed"  # found a job


@dataclass(frozen=True)
class Slot:
    """One bookable time of a counsellor's window (at a place, or on a mobile visit)."""

    id: int
    window_id: int
    counsellor_id: int
    starts_at: datetime
    ends_at: datetime
    is_open: bool
    place: str | None
    latitude: float | None
    longitude: float | None
    mobile_visit_id: int | None = None

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Appointment:
    id: int
    slot: Slot
    user_id: int | None
    topic: Topic
    status: AppointmentStatus
    outcome: Outcome | None
    contact_name: str | None
    phone: str | None = None  # from the citizen's profile, when they gave one


@dataclass(frozen=True)
class MobileVisit:
    """A day of the mobile employment point in a district."""

    id: int
    district: District
    starts_at: datetime
    ends_at: datetime
    place: str
    latitude: float | None
    longitude: float | None

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class WindowPlan:
    """Slots a counsellor is about to open, shown as a preview before they are saved."""

    starts: tuple[datetime, ...]
    slot_minutes: int
    place: str | None
    mobile_visit_id: int | None = None
