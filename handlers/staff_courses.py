"""Staff: /kurs_kapat <CODE> closes a course's registration, after a confirmation."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.errors import DomainError
from bot.i18n import N_
from handlers import staff_keyboards, staff_views
from handlers.callback_data import Action, Route, pressed
from handlers.permissions import admin_only
from handlers.screen import drop_buttons, say


@admin_only
async def close_question(update: Update, context: BotContext) -> None:
    """/kurs_kapat <CODE>: what closing means for this course, with "Evet" / "Vazgeç"."""
    args = context.args or []
    if len(args) != 1:
        raise DomainError(N_("Write the course code: /kurs_kapat KOD, for example "
                             "/kurs_kapat BUC-MUH-01."))
    figures = await context.services.staff_courses.close_preview(context.viewer.user_id,
                                                                 args[0])
    await say(update, context, staff_views.close_question(context.t, figures),
              staff_keyboards.close_course(context.t, figures.course.id))


@admin_only
async def close(update: Update, context: BotContext) -> None:
    """"Evet" under the confirmation."""
    course = await context.services.staff_courses.close_registration(
        context.viewer.user_id, pressed(update).arg(0))
    await drop_buttons(update)
    await say(update, context, context.t.text(
        "Registration for <b>{course}</b> ({code}) is closed. Those registered and waiting "
        "keep their places.", course=course.name, code=course.code))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("kurs_kapat", close_question)]


def buttons() -> list[Route]:
    return [(Action.CLOSE_COURSE, close)]
