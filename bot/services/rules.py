"""Registration rules as plain functions: eligibility, clashes, deadlines, citizen input.

No database and no Telegram: every rule takes plain data and either returns a value or
raises a `DomainError` whose message says why and what the citizen can do instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import phonenumbers

from bot.domain import Course, Enrolment, RegistrationStatus
from bot.errors import DomainError
from bot.i18n import N_, At
from bot.services import lifecycle
from bot.services.lifecycle import CoursePhase
from bot.services.lifecycle import course_start as course_start

_NAME = re.compile(r"^[^\W\d_]+(?:(?:\. ?|[ '’-])[^\W\d_]+)*\.?$")
MIN_BIRTH_YEAR = 1920


def check_window(course: Course, now: datetime, timezone: ZoneInfo) -> None:
    """Registration is open now (see `lifecycle.course_phase`); otherwise say why not."""
    phase = lifecycle.course_phase(course, now, timezone)
    if phase is CoursePhase.NOT_YET_OPEN:
        raise DomainError(N_("Registration for this course opens on {when}. Please come back "
                             "then; the course card shows the date too."),
                          when=At(course.registration_opens_at or now))
    if phase in (CoursePhase.RUNNING, CoursePhase.FINISHED):
        raise DomainError(N_("This course has already started, so registration is closed. "
                             "Look at other courses with /kurslar."))
    if phase is CoursePhase.CLOSED:
        raise DomainError(N_("Registration for this course is closed. Look at other courses "
                             "with /kurslar."))


def schedules_clash(a: Course, b: Course) -> bool:
    """Two courses meet at the same time on some day: dates, weekdays and hours overlap."""
    return (
        a.start_date <= b.end_date
        and b.start_date <= a.end_date
        and bool(a.weekdays & b.weekdays)
        and a.start_time < b.end_time
        and b.start_time < a.end_time
    )


def check_eligibility(course: Course, mine: Iterable[Enrolment], max_active: int) -> None:
    """Refuse with the reason when this citizen cannot ask for a seat in `course`."""
    enrolments = list(mine)
    for enrolment in enrolments:
        if enrolment.course.id != course.id:
            continue
        if enrolment.registration.status is RegistrationStatus.WAITING:
            raise DomainError(N_("You are already on the waiting list for this course "
                                 "(position {position}). /kayitlarim shows your place."),
                              position=enrolment.registration.position or 0)
        raise DomainError(N_("You are already registered for this course. /kayitlarim shows "
                             "your registrations."))
    if len(enrolments) >= max_active:
        raise DomainError(N_("You can hold at most {limit} course registrations or waiting "
                             "places at once. Cancel one in /kayitlarim to make room."),
                          limit=max_active)
    for enrolment in enrolments:
        if (enrolment.registration.status is not RegistrationStatus.WAITING
                and schedules_clash(course, enrolment.course)):
            raise DomainError(N_("This course meets at the same time as “{other}”, which you "
                                 "are registered for. Choose a course at other hours, or "
                                 "cancel that one in /kayitlarim."),
                              other=enrolment.course.name)


def under_age(min_age: int, course_year: int, birth_year: int) -> bool:
    """Only the birth year is asked: the citizen counts as the age they reach in the year
    the course starts."""
    return bool(min_age) and course_year - birth_year < min_age


def check_age(course: Course, birth_year: int) -> None:
    if under_age(course.min_age or 0, course.start_date.year, birth_year):
        raise DomainError(N_("This course is for people aged {age} or over. You can look for "
                             "other courses with /kurslar."), age=course.min_age)


def offer_deadline(now: datetime, ttl: timedelta, course: Course, timezone: ZoneInfo) -> datetime:
    """An offer lasts `ttl`, but never past the start of the course."""
    return min(now + ttl, course_start(course, timezone))


def parse_full_name(text: str) -> str:
    """A name in letters, as people write it: "ayse", "Mary", "Ayşe Nur Kaya" (a name of
    single letters, "A B", is not one)."""
    name = " ".join(text.split())
    words = name.split(" ")
    if (not 3 <= len(name) <= 100 or not _NAME.match(name)
            or all(len(w.strip(".'’-")) < 2 for w in words)):
        raise DomainError(N_("Please write your first name and surname in letters, for "
                             "example: Ayşe Yılmaz."))
    return name


def parse_mobile(text: str) -> str:
    """A Turkish mobile number in any common form, as E.164 (+905321234567)."""
    cleaned = text.strip()
    try:
        number = phonenumbers.parse(cleaned, "TR")
    except phonenumbers.NumberParseException:
        number = None
    if (number is None or not phonenumbers.is_valid_number(number)
            or number.country_code != 90
            or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE):
        raise DomainError(N_("Please write a Turkish mobile number, for example "
                             "0532 123 45 67, or tap “Share my number”."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_birth_year(text: str, today: date) -> int:
    """A year between 1920 and this year; anything else is asked again with an example."""
    value = text.strip()
    if not value.isdigit():
        raise DomainError(N_("Please write the year you were born in digits, for example "
                             "1990."))
    if not MIN_BIRTH_YEAR <= int(value) <= today.year:
        raise DomainError(N_("{year} cannot be your year of birth. Please write the year you "
                             "were born, for example 1990."), year=value[:8])
    return int(value)


def class_starts(course: Course, timezone: ZoneInfo, after: datetime,
                 until: datetime) -> list[datetime]:
    """The moments classes start, strictly after `after` and up to `until`."""
    first = max(course.start_date, after.astimezone(timezone).date())
    last = min(course.end_date, until.astimezone(timezone).date())
    starts = []
    day = first
    while day <= last:
        if day.weekday() in course.weekdays:
            moment = datetime.combine(day, course.start_time, tzinfo=timezone)
            if after < moment <= until:
                starts.append(moment)
        day += timedelta(days=1)
    return starts


def is_class_start(course: Course, timezone: ZoneInfo, moment: datetime) -> bool:
    """Whether a class of the course (still) starts at `moment`."""
    local = moment.astimezone(timezone)
    return (course.start_date <= local.date() <= course.end_date
            and local.weekday() in course.weekdays and local.time() == course.start_time)


DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")  # what staff type, in commands and in course files


def parse_date(text: str) -> date | None:
    """A date as `YYYY-MM-DD` or `DD.MM.YYYY`, or None."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def parse_when(day: str, hour: str, timezone: ZoneInfo, now: datetime) -> datetime:
    """A date (`YYYY-MM-DD` or `DD.MM.YYYY`) and `HH:MM` in the bot's zone, in the future."""
    found = parse_date(day)
    try:
        clock_time = datetime.strptime(hour.strip(), "%H:%M").time()
    except ValueError:
        clock_time = None
    if found is None or clock_time is None:
        raise DomainError(N_("“{day} {hour}” is not a real date and time. Write them as "
                             "YYYY-MM-DD HH:MM or DD.MM.YYYY HH:MM, for example "
                             "30.03.2027 14:00."), day=day, hour=hour)
    moment = datetime.combine(found, clock_time, tzinfo=timezone)
    if moment <= now:
        raise DomainError(N_("{when} is in the past. Choose a future date and time."),
                          when=moment)
    return moment


def parse_place(text: str) -> str:
    place = " ".join(text.split())
    if not place:
        raise DomainError(N_("Write the place too, for example: Kültürpark Açıkhava Tiyatrosu."))
    if len(place) > 200:
        raise DomainError(N_("The place is too long: at most 200 characters."))
    return place
