"""Messages the bot sends on its own, rendered when they are sent (in the user's language).

A renderer returns None when the message's cause went away (an offer answered, a ceremony
moved or cancelled, a registration cancelled, data deleted); the runner then drops it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.domain import Course, DueAction, Event, RegistrationStatus, User
from bot.i18n import Translator, resolve_locale
from bot.jobs import DueActionRunner, Outgoing, Venue
from bot.services.broadcasts import BROADCAST
from bot.services.calendar import ics
from bot.services.reminders import CEREMONY_LENGTH, CLASS_REMINDER, EVENT_REMINDER, ClassReminder
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


def _venue(t: Translator, event: Event, course: Course | None) -> Venue | None:
    """The event's own map pin (never its course centre's, unless that is the place)."""
    if event.latitude is None or event.longitude is None:
        return None
    return Venue(event.latitude, event.longitude,
                 plain(event_views.title(t, event, course)), event.place)


async def _registration_message(services: Services, t: Translator, user: User,
                                action: DueAction) -> Outgoing | None:
    registration_id = int(str(action.payload.get("registration_id", 0)))
    found = await services.registrations.with_course(registration_id)
    if found is None:
        return None
    registration, course = found
    message = action.payload["message"]
    if message == "offer_expired":
        return Outgoing(user.id, views.offer_expired(
            t, course, passed_on=bool(action.payload.get("passed_on"))))
    if message == "offer_closed":
        return Outgoing(user.id, views.offer_closed(t, course, str(action.payload["outcome"])),
                        edit_message_id=int(str(action.payload["message_id"])))
    if message == "waiting_moved":
        position = registration.position
        if (registration.status is not RegistrationStatus.WAITING
                or position != action.payload.get("position")):
            return None  # moved again, or off the list: a newer message says where they are
        return Outgoing(user.id, views.waiting_moved(t, course, position or 0))
    if message == "waitlist_closed":
        return Outgoing(user.id, views.waitlist_closed(t, course))
    if message == "course_changed":
        if registration.status not in (RegistrationStatus.REGISTERED,
                                       RegistrationStatus.WAITING,
                                       RegistrationStatus.OFFERED):
            return None
        return Outgoing(user.id, views.course_changed(t, course))
    if (registration.status is not RegistrationStatus.OFFERED
            or registration.offer_expires_at is None
            or registration.offer_expires_at <= services.clock.now()):
        return None  # answered, withdrawn, or its deadline passed while the bot was down
    return Outgoing(user.id, views.seat_offer(t, course, registration.offer_expires_at),
                    keyboards.seat_offer(t, registration.id),
                    remember={"offer": registration.id})


async def remember_offer_message(services: Services, remember: dict[str, Any],
                                 message_id: int) -> None:
    """The seat offer went out as this message: kept, to be edited when the offer closes."""
    if "offer" in remember:
        await services.registrations.remember_offer_message(int(remember["offer"]), message_id)


async def _course_news(services: Services, t: Translator, user: User,
                       action: DueAction) -> Outgoing | None:
    course = await services.courses.listed_course(int(str(action.payload["course_id"])))
    if course is None:
        return None  # no longer open for registration: old news
    return Outgoing(user.id, views.course_news(t, course),
                    keyboards.course_list(t, [course]))


async def _event_message(services: Services, t: Translator, user: User,
                         action: DueAction) -> Outgoing | None:
    found = await services.events.get(action.ref_id or 0)
    if found is None:
        return None
    event, course = found
    message = action.payload["message"]
    if not await services.events.concerns(event.id, user.id):
        return None  # they left the course (or the audience) since
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
                        venue=_venue(t, event, None), document=_calendar(t, event, None))
    return Outgoing(user.id, event_views.ceremony_news(t, event, course,
                                                       moved=message == "ceremony_moved"),
                    venue=_venue(t, event, course), document=_calendar(t, event, course))


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
    if action.payload.get("message") == "course_news":
        return await _course_news(services, t, user, action)
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
                    venue=_venue(t, about.event, about.course))


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
    runner.on_message_sent(remember_offer_message)
    runner.on_send(BROADCAST, render_broadcast)
    runner.on_send(CLASS_REMINDER, render_reminder)
    runner.on_send(EVENT_REMINDER, render_reminder)
