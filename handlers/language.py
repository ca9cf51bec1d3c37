"""/dil: Türkçe / English."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from handlers import keyboards, views
from handlers.callback_data import Action, Route, pressed
from handlers.screen import show

_CHOICES = {1: "tr", 2: "en"}


async def ask(update: Update, context: BotContext) -> None:
    """Offer the two languages."""
    await show(update, context, context.t.text("Dil seçin / Choose a language:"),
               keyboards.languages())


async def choose(update: Update, context: BotContext) -> None:
    """Store the chosen language and answer in it."""
    locale = _CHOICES.get(pressed(update).arg(0))
    if locale is None:
        await ask(update, context)
        return
    await context.services.users.set_locale(context.viewer.user_id, locale)
    context.t = context.services.translator(locale)
    await show(update, context, context.t.text("Language set: English.") + "\n\n"
               + views.menu(context.t), keyboards.main_menu(context.t))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler(["dil", "language"], ask),
    ]


def buttons() -> list[Route]:
    return [
        (Action.LANGUAGE, choose),
    ]
