"""The mobile employment point: /mobil (coming visits by district, each on the map) and, for
staff, /mobil_ekle (schedule a visit; the district's subscribers are told)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.domain import DueAction, MobileVisit
from bot.errors import DomainError
from bot.i18n import N_, Translator, resolve_locale
from bot.jobs import DueActionRunner, Outgoing, Venue
from bot.services.mobile import MOBILE_VISIT_NEWS
from handlers import appointment_keyboards as buttons_of
from handlers import appointment_views as views
from handlers.callback_data import Action, Route, pressed
from handlers.permissions import counsellor_only
from handlers.screen import say, show

if TYPE_CHECKING:
    from bot.context import Services


def venue(t: Translator, visit: MobileVisit) -> Venue | None:
    if visit.latitude is None or visit.longitude is None:
        return None
    return Venue(visit.latitude, visit.longitude, visit.place,
                 t.label("Mobile employment point, {district}", district=visit.district.name))


async def coming(update: Update, context: BotContext) -> None:
    """/mobil, or a visit of the list: where the mobile point is in the coming days."""
    services = context.services
    visit_id = pressed(update).arg(0) if update.callback_query else 0
    visit = await services.mobile.get(visit_id) if visit_id else None
    if visit is None:
        found = await services.mobile.coming()
        await show(update, context, views.visits(context.t, found),
                   buttons_of.visits(context.t, found))
        return
    bookable = bool(await services.appointments.free_days(visit.id))
    await show(update, context, views.visit_news(context.t, visit),
               buttons_of.visit(context.t, visit, bookable))
    pin = venue(context.t, visit)
    if pin is not None:
        await context.bot.send_venue(context.viewer.user_id, pin.latitude, pin.longitude,
                                     title=pin.title[:100], address=pin.address[:100])


@counsellor_only
async def add_visit(update: Update, context: BotContext) -> None:
    """/mobil_ekle <date> <HH:MM-HH:MM> <district> | <place> [| <minutes>]."""
    text = update.message.text if update.message and update.message.text else ""
    parts = [p.strip() for p in text.partition(" ")[2].split("|")]
    head = parts[0].split(maxsplit=2)
    if len(parts) < 2 or len(head) < 3 or not parts[1]:
        raise DomainError(N_(
            "Write it like this: /mobil_ekle 2026-12-20 10:00-16:00 district | place, for "
            "example /mobil_ekle 2026-12-20 10:00-16:00 Buca | Buca Cumhuriyet Meydanı. Add "
            "| 30 at the end to open bookable counselling slots of 30 minutes."))
    done = await context.services.mobile.schedule(
        context.viewer, head[0], head[1], head[2], parts[1],
        parts[2] if len(parts) > 2 and parts[2] else None)
    visit = done.visit
    reply = context.t.plural(
        "Mobile employment point planned: {district}, {visit}. {n} subscriber of the district "
        "is told.",
        "Mobile employment point planned: {district}, {visit}. {n} subscribers of the "
        "district are told.", done.told, district=visit.district.name,
        visit=Markup(views.visit_line(context.t, visit).removeprefix("• ")))
    if done.slots:
        reply += " " + context.t.plural("{n} counselling slot is open for booking.",
                                        "{n} counselling slots are open for booking.",
                                        done.slots)
    await say(update, context, reply)


async def render(services: Services, action: DueAction) -> Outgoing | None:
    """A visit told to a subscriber of its district (dropped if the visit went away)."""
    user = await services.users.get(action.user_id) if action.user_id is not None else None
    if user is None or not user.active:
        return None
    visit = await services.mobile.get(action.ref_id or 0)
    if visit is None:
        return None
    t = services.translator(resolve_locale(user.locale, user.telegram_language,
                                           services.settings.default_locale))
    bookable = bool(await services.appointments.free_days(visit.id))
    return Outgoing(user.id, views.visit_news(t, visit), buttons_of.visit(t, visit, bookable),
                    venue=venue(t, visit))


def register(runner: DueActionRunner) -> None:
    runner.on_send(MOBILE_VISIT_NEWS, render)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler(["mobil", "mobile"], coming),
        CommandHandler("mobil_ekle", add_visit),
    ]


def buttons() -> list[Route]:
    return [
        (Action.MOBILE, coming),
    ]
