"""Calendar files (.ics) for ceremonies, events and appointments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as CalendarEvent


def ics(uid: str, title: str, starts_at: datetime, duration: timedelta, location: str,
        description: str = "", timezone: ZoneInfo | None = None) -> bytes:
    """One event as an iCalendar file that phones add to their calendar: in UTC, or with
    `timezone` as its TZID (and the zone's VTIMEZONE, so any calendar reads it right)."""
    zone = timezone or UTC
    calendar = Calendar()
    calendar.add("prodid", "-//Meslek Kapisi//TR")
    calendar.add("version", "2.0")
    event = CalendarEvent()
    event.add("uid", uid)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", starts_at.astimezone(zone))
    event.add("dtend", (starts_at + duration).astimezone(zone))
    event.add("summary", title)
    event.add("location", location)
    if description:
        event.add("description", description)
    calendar.add_component(event)
    if timezone is not None:
        calendar.add_missing_timezones()
    content: bytes = calendar.to_ical()
    return content
