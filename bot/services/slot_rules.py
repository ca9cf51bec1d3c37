"""Counselling slots as plain rules: reading a staff member's day, hours and slot length, and
cutting a working window into slots. No database, no Telegram."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import DomainError
from bot.i18n import N_

MIN_SLOT, MAX_SLOT = 5, 240
_HOURS = re.compile(r"^(\d{1,2})[:.](\d{2})-(\d{1,2})[:.](\d{2})$")


def parse_day(text: str, today: date) -> date:
    """`YYYY-MM-DD` or `DD.MM.YYYY`, today or later."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            day = datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
        if day < today:
            raise DomainError(N_("{day} is in the past. Choose today or a later day."), day=day)
        return day
    raise DomainError(N_("“{text}” is not a date. Write it as YYYY-MM-DD or DD.MM.YYYY, for "
                         "example 2026-12-20 or 20.12.2026."), text=text[:40])


def parse_hours(text: str) -> tuple[time, time]:
    """`HH:MM-HH:MM`, a real time of day each, the end after the start."""
    found = _HOURS.match(text.strip())
    if found is None:
        raise DomainError(N_("Write the hours as HH:MM-HH:MM, for example 09:00-12:00."))
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise DomainError(N_("“{text}” is not a time of day: hours go from 00:00 to 23:59."),
                          text=text[:40])
    start, end = time(h1, m1), time(h2, m2)
    if end <= start:
        raise DomainError(N_("The end of the hours must come after the start, for example "
                             "09:00-12:00."))
    return start, end


def parse_minutes(text: str) -> int:
    """Slot length in whole minutes, 5 to 240."""
    value = text.strip()
    if not value.isdigit() or not MIN_SLOT <= int(value) <= MAX_SLOT:
        raise DomainError(N_("The slot length is whole minutes between {low} and {high}, for "
                             "example 30."), low=MIN_SLOT, high=MAX_SLOT)
    return int(value)


def cut_slots(day: date, start: time, end: time, minutes: int, timezone: ZoneInfo,
              now: datetime) -> tuple[datetime, ...]:
    """The starts of the whole slots that fit in the window; the window must begin in the
    future and hold at least one slot."""
    first = datetime.combine(day, start, tzinfo=timezone)
    last = datetime.combine(day, end, tzinfo=timezone)
    if first <= now:
        raise DomainError(N_("{when} is in the past. Choose a future date and time."),
                          when=first)
    length = timedelta(minutes=minutes)
    if last - first < length:
        raise DomainError(N_("The window is shorter than one slot of {minutes} minutes. "
                             "Make the hours longer or the slots shorter."), minutes=minutes)
    starts = []
    moment = first
    while moment + length <= last:
        starts.append(moment)
        moment += length
    return tuple(starts)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end
