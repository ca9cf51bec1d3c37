"""/etkinlikler, and the next step offered after a certificate ceremony."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from handlers import event_views, keyboards
from handlers.callback_data import Action, Route
from handlers.screen import show


async def upcoming(update: Update, context: BotContext) -> None:
    """Ceremonies, exhibitions and panels coming up for this user."""
    found = await context.services.events.upcoming_for(context.viewer.user_id)
    await show(update, context, event_views.upcoming(context.t, found),
               keyboards.back_to_menu(context.t))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler(["etkinlikler", "events"], upcoming),
    ]


def buttons() -> list[Route]:
    return [
        (Action.EVENTS, upcoming),
    ]
