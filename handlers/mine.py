"""/kayitlarim: the citizen's registrations, waiting places and offers, with cancel."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.domain import RegistrationStatus
from bot.errors import NotFound
from bot.i18n import N_
from handlers import appointment_keyboards, appointment_views, keyboards, views
from handlers.callback_data import Action, Route, pressed
from handlers.markup import lines
from handlers.screen import drop_buttons, say, show


async def my_registrations(update: Update, context: BotContext) -> None:
    """List what the citizen holds (registrations, offers, the counselling appointment),
    each with its buttons, and below them the courses they completed."""
    t = context.t
    registrations = context.services.registrations
    enrolments = await registrations.enrolments(context.viewer.user_id)
    history = await registrations.history(context.viewer.user_id)
    appointment = await context.services.appointments.current(context.viewer.user_id)
    text = views.my_registrations(t, enrolments, history)
    markup = keyboards.my_registrations(t, enrolments)
    if appointment is not None:
        line = appointment_views.mine_line(t, appointment)
        text = lines([text, "", line]) if enrolments or history else line
        markup = InlineKeyboardMarkup([*appointment_keyboards.mine_rows(t, appointment),
                                       *markup.inline_keyboard])
    await show(update, context, text, markup)


async def ask_cancel(update: Update, context: BotContext) -> None:
    """"İptal": confirm before cancelling."""
    registration_id = pressed(update).arg(0)
    enrolments = await context.services.registrations.enrolments(context.viewer.user_id)
    found = [e for e in enrolments if e.registration.id == registration_id]
    if not found:
        raise NotFound(N_("We could not find that registration. /kayitlarim shows the ones "
                          "you have."))
    await show(update, context, context.t.text(
        "Cancel your place in <b>{course}</b>? If you hold a seat, it goes to the next person "
        "on the waiting list.", course=found[0].course.name),
        keyboards.confirm(context.t, context.t.label("Yes"), Action.CANCEL_DO, registration_id))


async def do_cancel(update: Update, context: BotContext) -> None:
    """"Evet": cancel."""
    course = await context.services.registrations.cancel(context.viewer.user_id,
                                                         pressed(update).arg(0))
    await show(update, context, context.t.text(
        "Your place in <b>{course}</b> is cancelled.", course=course.name),
        keyboards.after_registration(context.t))


async def answer_offer(update: Update, context: BotContext) -> None:
    """"Kabul et" / "Reddet" on a seat offer."""
    cb = pressed(update)
    registration = await context.services.registrations.answer_offer(
        context.viewer.user_id, cb.arg(0), accept=cb.arg(1) == 1)
    course = await context.services.courses.course(context.viewer,
                                                   course_id=registration.course_id)
    if registration.status is RegistrationStatus.REGISTERED:
        text = views.registration_result(context.t, registration, course)
    else:
        text = context.t.text("You declined the seat in <b>{course}</b>; it goes to the next "
                              "person. Thank you for letting us know.", course=course.name)
    await drop_buttons(update)
    await say(update, context, text, keyboards.after_registration(context.t))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler(["kayitlarim", "mine"], my_registrations),
    ]


def buttons() -> list[Route]:
    return [
        (Action.MINE, my_registrations),
        (Action.CANCEL_ASK, ask_cancel),
        (Action.CANCEL_DO, do_cancel),
        (Action.OFFER, answer_offer),
    ]
