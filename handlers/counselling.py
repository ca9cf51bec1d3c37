"""Counsellors: /randevu_ac opens slots (preview, then confirm), /randevu_kapat closes a slot
or a day, /randevularim shows today's and tomorrow's appointments to mark and record."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.domain import AppointmentStatus, Dialogue, Outcome, WindowPlan
from bot.errors import DomainError
from bot.i18n import N_, Translator
from handlers import appointment_keyboards as buttons_of
from handlers import appointment_views as views
from handlers import dialogue as dialogues
from handlers.callback_data import Action, Route, pressed
from handlers.permissions import counsellor_only
from handlers.screen import drop_buttons, say, show

DRAFT = "slots_draft"


@counsellor_only
async def open_slots(update: Update, context: BotContext) -> None:
    """/randevu_ac <date> <HH:MM-HH:MM> <minutes> [place]: a preview of the slots."""
    args = context.args or []
    if len(args) < 3:
        raise DomainError(N_("Write it like this: /randevu_ac 2026-12-20 09:00-12:00 30 place "
                             "(the place may be left out), for example /randevu_ac 2026-12-20 "
                             "09:00-12:00 30 Konak Meslek Fabrikası"))
    place = " ".join(" ".join(args[3:]).split())[:200] or None
    services = context.services
    plan = await services.appointments.plan_window(context.viewer, args[0], args[1], args[2],
                                                   place)
    await services.dialogues.save(context.viewer.user_id, DRAFT, "confirm", {
        "starts": [s.isoformat() for s in plan.starts], "minutes": plan.slot_minutes,
        "place": plan.place})
    await say(update, context, views.preview(context.t, plan), buttons_of.preview(context.t))


@counsellor_only
async def confirm_slots(update: Update, context: BotContext) -> None:
    """"Aç" under the preview: save the slots."""
    services = context.services
    draft = await services.dialogues.current(context.viewer.user_id)
    if draft is None or draft.kind != DRAFT:
        raise DomainError(N_("There are no slots waiting to be opened. Start again with "
                             "/randevu_ac."))
    data = draft.data
    starts = tuple(datetime.fromisoformat(str(s)) for s in data["starts"]) \
        if isinstance(data["starts"], list) else ()
    minutes = data["minutes"]
    place = data["place"]
    await services.dialogues.leave(context.viewer.user_id)
    await drop_buttons(update)
    opened = await services.appointments.open_window(context.viewer, WindowPlan(
        starts, int(minutes) if isinstance(minutes, int) else 0,
        str(place) if place else None))
    await say(update, context, context.t.plural(
        "{n} slot is open on {day}. Citizens can book it now with /randevu.",
        "{n} slots are open on {day}. Citizens can book them now with /randevu.",
        opened, day=starts[0].astimezone(context.t.timezone).date()))


@counsellor_only
async def close_slots(update: Update, context: BotContext) -> None:
    """/randevu_kapat <date> [HH:MM]: close one slot, or the whole day."""
    args = context.args or []
    if not args:
        raise DomainError(N_("Write it like this: /randevu_kapat 2026-12-20 10:00 closes one "
                             "slot; without a time, /randevu_kapat 2026-12-20 closes the whole "
                             "day."))
    done = await context.services.appointments.close(context.viewer, args[0],
                                                     args[1] if len(args) > 1 else None)
    text = context.t.plural("{n} slot is closed.", "{n} slots are closed.", done.slots)
    if done.told:
        text += " " + context.t.plural(
            "{n} citizen had booked and is told, with other times to choose from.",
            "{n} citizens had booked and are told, with other times to choose from.",
            done.told)
    await say(update, context, text)


@counsellor_only
async def my_day(update: Update, context: BotContext) -> None:
    """/randevularim: today's and tomorrow's appointments, each to mark."""
    found, not_met = await context.services.appointments.days_list(context.viewer)
    await show(update, context, views.counsellor_day(context.t, found, not_met),
               buttons_of.counsellor_day(context.t, found))


@counsellor_only
async def mark(update: Update, context: BotContext) -> None:
    """"Geldi" / "Gelmedi"."""
    cb = pressed(update)
    status = AppointmentStatus.ATTENDED if cb.arg(1) == 1 else AppointmentStatus.NO_SHOW
    await context.services.appointments.mark(context.viewer, cb.arg(0), status)
    await my_day(update, context)


@counsellor_only
async def outcome(update: Update, context: BotContext) -> None:
    """"İşverene yönlendirildi" / "İşe yerleşti"."""
    cb = pressed(update)
    result = Outcome.REFERRED if cb.arg(1) == 1 else Outcome.PLACED
    await context.services.appointments.record_outcome(context.viewer, cb.arg(0), result)
    await my_day(update, context)


def _left(t: Translator, dialogue: Dialogue) -> Markup:
    return t.text("You left the slots draft; no slot was opened.")


async def _nothing(*_: object) -> None:
    """The preview stays on the screen above: there is no question to repeat."""


dialogues.register(dialogues.DialogueScreen(
    DRAFT, frozenset({Action.OPEN_SLOTS, Action.LEAVE}), _nothing, _left))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("randevu_ac", open_slots),
        CommandHandler("randevu_kapat", close_slots),
        CommandHandler("randevularim", my_day),
    ]


def buttons() -> list[Route]:
    return [
        (Action.OPEN_SLOTS, confirm_slots),
        (Action.COUNSELLOR_DAY, my_day),
        (Action.APPT_MARK, mark),
        (Action.APPT_OUTCOME, outcome),
    ]
