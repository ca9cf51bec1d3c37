"""Messages the bot sends on its own (seat offers, lapsed offers), rendered when they are sent.

Each renderer returns None when the message's cause went away, and the runner then drops it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import aiosqlite

from bot.domain import DueAction, RegistrationStatus
from bot.i18n import resolve_locale
from bot.jobs import DueActionRunner, Outgoing
from bot.services.registrations import NOTIFY, OFFER_EXPIRY
from handlers import keyboards, views
from storage.courses import CourseRepository
from storage.registrations import RegistrationRepository
from storage.users import UserRepository

if TYPE_CHECKING:
    from bot.context import Services


async def render_notification(services: Services, action: DueAction) -> Outgoing | None:
    if action.user_id is None:
        return None
    async with services.db.reading() as conn:
        user = await UserRepository(conn).get(action.user_id)
        registration = await RegistrationRepository(conn).get(int(str(action.payload.get(
            "registration_id", 0))))
        course = (await CourseRepository(conn).by_id(registration.course_id)
                  if registration else None)
    if user is None or registration is None or course is None:
        return None
    t = services.translator(resolve_locale(user.locale, user.telegram_language,
                                           services.settings.default_locale))
    message = action.payload.get("message")
    if message == "seat_offer":
        if (registration.status is not RegistrationStatus.OFFERED
                or registration.offer_expires_at is None):
            return None
        return Outgoing(user.id, views.seat_offer(t, course, registration.offer_expires_at),
                        keyboards.seat_offer(t, registration.id))
    if message == "offer_expired":
        return Outgoing(user.id, views.offer_expired(t, course))
    return None


def register(runner: DueActionRunner) -> None:
    """Teach the runner the kinds of due action this project has."""
    runner.on_send(NOTIFY, render_notification)

    async def expire(services: Services, conn: aiosqlite.Connection, action: DueAction,
                     now: datetime) -> None:
        await services.registrations.expire_offer(conn, action.ref_id or 0, now)

    runner.on_database(OFFER_EXPIRY, expire)
