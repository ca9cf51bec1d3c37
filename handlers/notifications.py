"""Messages the bot sends on its own, rendered when they are sent (in the user's language).

A renderer returns None when the message's cause went away (an offer answered, a ceremony
moved or cancelled, a registration cancelled, data deleted); the runner then drops it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.domain import Course, DueAction, Event, RegistrationStatus, User
from bot.i18n import Translator, resolve_locale
from bot.jobs import DueActionRunner, Outgoing, Venue
from bot.services.broadcasts import BROADCAST
from bot.services.calendar import ics
from bot.services.events import CEREMONY_LENGTH
from bot.services.reminders import CLASS_REMINDER, EVENT_REMINDER, ClassReminder
from bot.services.retention import RETENTION_WARNING
from bot.services.timer import NOTIFY
from handlers import appointment_keyboards, event_views, keyboards, views
from handlers.markup import plain

if TYPE_CHECKING:
    from bot.context import Services


def _translator(services: Services, user: User) -> Translator:
    return services.translator(resolve_locale(user.locale, user.telegram_language,
                                              services.settings.default_locale))


def _calendar(t: Translator, event: Event, course: Course | None) -> tuple[str, bytes]:
    summary = plain(event_views.title(t, event, course))
    return "etkinlik.ics", ics(f"event-{event.id}@meslek-kapisi", summary, event.starts_at,
                               CEREMONY_LENGTH, event.place)


def _venue(event: Event, course: Course | None) -> Venue | None:
    centre = course.centre if course else None
    if centre is None or centre.latitude is None or centre.longitude is None:
        return None
    return Venue(centre.latitude, centre.longitude, event.place,
                 ", ".join(p for p in (centre.address, centre.district.name) if p))


async def _registration_message(services: Services, t: Translator, user: User,
                                action: DueAction) -> Outgoing | None:
    found = await services.registrations.with_course(
        int(str(action.payload.get("registration_id", 0))))
    if found is None:
        return None
    registration, course = found
    if action.payload["message"] == "offer_expired":
        return Outgoing(user.id, views.offer_expired(t, course))
    if (registration.status is not RegistrationStatus.OFFERED
            or registration.offer_expires_at is None):
        return None
    return Outgoing(user.id, views.seat_offer(t, course, registration.offer_expires_at),
                    keyboards.seat_offer(t, registration.id))


async def _event_message(services: Services, t: Translator, user: User,
                         action: DueAction) -> Outgoing | None:
    found = await services.events.get(action.ref_id or 0)
    if found is None:
        return None
    event, course = found
    message = action.payload["message"]
    if message == "ceremony_cancelled":
        return Outgoing(user.id, event_views.ceremony_cancelled(t, event, course)) \
            if event.cancelled else None
    if event.cancelled or event.starts_at != datetime.fromisoformat(str(action.payload["at"])):
        return None  # moved or cancelled since: a newer message says so
    if message == "after_ceremony":
        district = course.centre.district.id if course and course.centre else None
        visit = await services.mobile.next_in(district) if district else None
        return Outgoing(user.id, event_views.after_ceremony(t, course),
                        appointment_keyboards.next_steps(
                            t, await services.appointments.first_free(), visit))
    if message == "event_announced":
        return Outgoing(user.id, event_views.event_news(t, event),
                        document=_calendar(t, event, None))
    return Outgoing(user.id, event_views.ceremony_news(t, event, course,
                                                       moved=message == "ceremony_moved"),
                    venue=_venue(event, course), document=_calendar(t, event, course))


async def render_notification(services: Services, action: DueAction) -> Outgoing | None:
    user = await services.users.get(action.user_id) if action.user_id is not None else None
    if user is None or not user.active:
        return None
    t = _translator(services, user)
    if action.payload.get("message") == RETENTION_WARNING:
        return Outgoing(user.id, views.retention_warning(
            t, datetime.fromisoformat(str(action.payload["deleted_at"]))))
    if "registration_id" in action.payload:
        return await _registration_message(services, t, user, action)
    return await _event_message(services, t, user, action)


async def render_reminder(services: Services, action: DueAction) -> Outgoing | None:
    about = await services.reminders.resolve(action)
    if about is None:
        return None
    user = about.user
    t = _translator(services, user)
    if isinstance(about, ClassReminder):
        return Outgoing(user.id, event_views.class_reminder(t, about.course, about.starts_at,
                                                            about.first))
    return Outgoing(user.id, event_views.event_reminder(t, about.event, about.course),
                    venue=_venue(about.event, about.course))


async def render_broadcast(services: Services, action: DueAction) -> Outgoing | None:
    """A staff announcement, as written (its HTML was checked when it was composed)."""
    user = await services.users.get(action.user_id) if action.user_id is not None else None
    broadcast = await services.broadcasts.get(action.ref_id) if action.ref_id else None
    if user is None or not user.active or broadcast is None or broadcast.stopped:
        return None
    return Outgoing(user.id, broadcast.text)


def register(runner: DueActionRunner) -> None:
    """Teach the runner the messages it sends: notifications, reminders and broadcasts."""
    runner.on_send(NOTIFY, render_notification)
    runner.on_send(BROADCAST, render_broadcast)
    runner.on_send(CLASS_REMINDER, render_reminder)
    runner.on_send(EVENT_REMINDER, render_reminder)
