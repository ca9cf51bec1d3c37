"""Calendar files (.ics) for ceremonies, events and appointments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from icalendar import Event as CalendarEvent


def ics(uid: str, title: str, starts_at: datetime, duration: timedelta, location: str,
        description: str = "") -> bytes:
    """One event as an iCalendar file that phones add to their calendar."""
    calendar = Calendar()
    calendar.add("prodid", "-//Meslek Kapisi//TR")
    calendar.add("version", "2.0")
    event = CalendarEvent()
    event.add("uid", uid)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", starts_at.astimezone(UTC))
    event.add("dtend", (starts_at + duration).astimezone(UTC))
    event.add("summary", title)
    event.add("location", location)
    if description:
        event.add("description", description)
    calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content
