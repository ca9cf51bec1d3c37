"""/randevu: a citizen books a career-counselling appointment in a few taps
(topic → day → time → confirm), gets an .ics file, is reminded, and can cancel."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from markupsafe import Markup
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.domain import Appointment, DueAction, Slot, Topic, User
from bot.errors import SlotTaken
from bot.i18n import Translator, resolve_locale
from bot.jobs import DueActionRunner, Outgoing, Venue
from bot.services.appointments import APPOINTMENT_NOTICE
from bot.services.calendar import ics
from bot.services.reminders import APPOINTMENT_REMINDER
from handlers import appointment_keyboards as buttons_of
from handlers import appointment_views as views
from handlers.callback_data import Action, Route, pressed
from handlers.markup import lines
from handlers.screen import drop_buttons, say, show

if TYPE_CHECKING:
    from bot.context import Services


def calendar_file(t: Translator, appointment: Appointment,
                  timezone: ZoneInfo) -> tuple[str, bytes]:
    slot = appointment.slot
    return "randevu.ics", ics(
        f"appointment-{appointment.id}@meslek-kapisi",
        t.label("Career counselling: {topic}", topic=views.topic(t, appointment.topic)),
        slot.starts_at, slot.ends_at - slot.starts_at, views.place(t, slot),
        timezone=timezone)


def venue(t: Translator, slot: Slot) -> Venue | None:
    if slot.latitude is None or slot.longitude is None:
        return None
    return Venue(slot.latitude, slot.longitude, views.place(t, slot),
                 t.label("Career counselling"))


async def start_booking(update: Update, context: BotContext) -> None:
    """/randevu and the menu button: the topics, or the appointment the citizen holds."""
    held = await context.services.appointments.current(context.viewer.user_id)
    if held is not None:
        await show(update, context, views.current(context.t, held),
                   buttons_of.booked(context.t, held))
        return
    await show(update, context, views.ask_topic(context.t), buttons_of.topics(context.t))


async def _show_days(update: Update, context: BotContext, chosen: Topic,
                     visit_id: int) -> None:
    found = await context.services.appointments.free_days(visit_id or None)
    markup = buttons_of.days(context.t, chosen, found, visit_id)
    await show(update, context, views.ask_day(context.t, chosen, found), markup)


async def choose_topic(update: Update, context: BotContext) -> None:
    """A topic (or "Geri" from the times): the days that have free times."""
    cb = pressed(update)
    await _show_days(update, context, buttons_of.topic_of(cb.arg(0)), cb.arg(1))


async def next_step(update: Update, context: BotContext) -> None:
    """Buttons of after-ceremony messages sent before this journey existed: 1 = counselling,
    2 = the mobile point."""
    if pressed(update).arg(0) == 2:
        found = await context.services.mobile.coming()
        await show(update, context, views.visits(context.t, found),
                   buttons_of.visits(context.t, found))
        return
    await _show_days(update, context, Topic.JOB_SEARCH, 0)


async def _show_times(update: Update, context: BotContext, chosen: Topic, day: date,
                      visit_id: int, lead: Markup | None = None) -> None:
    slots = await context.services.appointments.free_times(day, visit_id or None)
    if not slots:
        found = await context.services.appointments.free_days(visit_id or None)
        text = views.ask_time(context.t, chosen, day, slots)
        if not found:
            text = views.ask_day(context.t, chosen, found)
        await say(update, context, lines([lead, "", text]) if lead else text,
                  buttons_of.days(context.t, chosen, found, visit_id))
        return
    text = views.ask_time(context.t, chosen, day, slots)
    markup = buttons_of.times(context.t, chosen, slots, visit_id)
    if lead:
        await say(update, context, lines([lead, "", text]), markup)
    else:
        await show(update, context, text, markup)


async def choose_day(update: Update, context: BotContext) -> None:
    """A day: its free times."""
    cb = pressed(update)
    day = buttons_of.day_of(cb.arg(1))
    chosen = buttons_of.topic_of(cb.arg(0))
    if day is None:
        await _show_days(update, context, chosen, cb.arg(2))
        return
    await _show_times(update, context, chosen, day, cb.arg(2))


async def choose_time(update: Update, context: BotContext) -> None:
    """A time: confirm before booking."""
    cb = pressed(update)
    chosen = buttons_of.topic_of(cb.arg(0))
    slot = await context.services.appointments.slot(cb.arg(1))
    await show(update, context, views.confirm(context.t, chosen, slot),
               buttons_of.confirm(context.t, chosen, slot))


async def book(update: Update, context: BotContext) -> None:
    """"Evet": book; when someone was quicker, say so and show the times still free."""
    cb = pressed(update)
    chosen = buttons_of.topic_of(cb.arg(0))
    user = update.effective_user
    services = context.services
    try:
        appointment = await services.appointments.book(
            context.viewer.user_id, cb.arg(1), chosen, user.full_name[:130] if user else None)
    except SlotTaken as taken:
        await drop_buttons(update)
        lead = context.t.text(taken.key, **taken.params)
        day = taken.slot_day if isinstance(taken.slot_day, date) else None
        if day is None:
            found = await services.appointments.free_days()
            await say(update, context, lines([lead, "", views.ask_day(context.t, chosen, found)]),
                      buttons_of.days(context.t, chosen, found))
            return
        await _show_times(update, context, chosen, day, 0, lead=lead)
        return
    await drop_buttons(update)
    t = context.t
    await Outgoing(context.viewer.user_id, views.booked(t, appointment),
                   buttons_of.booked(t, appointment), venue(t, appointment.slot),
                   calendar_file(t, appointment, services.settings.timezone)).send(context.bot)


async def ask_cancel(update: Update, context: BotContext) -> None:
    """"İptal" on an appointment: confirm first."""
    held = await context.services.appointments.current(context.viewer.user_id)
    if held is None or held.id != pressed(update).arg(0):
        await show(update, context, context.t.text(
            "We could not find that appointment. /kayitlarim shows the ones you have."),
            buttons_of.topics(context.t))
        return
    await show(update, context, context.t.text(
        "Cancel your counselling appointment on {when}?", when=held.slot.starts_at),
        buttons_of.cancel_confirm(context.t, held))


async def do_cancel(update: Update, context: BotContext) -> None:
    """"Evet": cancel; the time is free again for someone else."""
    cancelled = await context.services.appointments.cancel(context.viewer.user_id,
                                                           pressed(update).arg(0))
    await show(update, context, context.t.text(
        "Your appointment on {when} is cancelled, and the time is free for someone else.",
        when=cancelled.slot.starts_at), buttons_of.after_cancel(context.t, cancelled.topic))


# -- messages the bot sends on its own -----------------------------------------------------------

def _translator(services: Services, user: User) -> Translator:
    return services.translator(resolve_locale(user.locale, user.telegram_language,
                                              services.settings.default_locale))


async def render(services: Services, action: DueAction) -> Outgoing | None:
    """A reminder before the appointment, or the notice that its slot was closed."""
    user = await services.users.get(action.user_id) if action.user_id is not None else None
    if user is None or not user.active:
        return None
    appointment = await services.appointments.still_booked(action)
    if appointment is None:
        return None
    t = _translator(services, user)
    if action.kind == APPOINTMENT_NOTICE:
        found = await services.appointments.free_days()
        return Outgoing(user.id, views.slot_closed(t, appointment),
                        buttons_of.days(t, appointment.topic, found))
    return Outgoing(user.id, views.reminder(t, appointment), venue=venue(t, appointment.slot))


def register(runner: DueActionRunner) -> None:
    runner.on_send(APPOINTMENT_REMINDER, render)
    runner.on_send(APPOINTMENT_NOTICE, render)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler(["randevu", "appointment"], start_booking),
    ]


def buttons() -> list[Route]:
    return [
        (Action.APPOINTMENT, start_booking),
        (Action.BOOK_TOPIC, choose_topic),
        (Action.BOOK_DAY, choose_day),
        (Action.BOOK_SLOT, choose_time),
        (Action.BOOK_DO, book),
        (Action.APPT_CANCEL_ASK, ask_cancel),
        (Action.APPT_CANCEL_DO, do_cancel),
        (Action.NEXT_STEP, next_step),
    ]

