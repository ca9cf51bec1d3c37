"""/etkinlikler, and the next step offered after a certificate ceremony."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from handlers import event_views, keyboards
from handlers.callback_data import Action, Route, pressed
from handlers.screen import show

EVENTS_PAGE = 8


async def upcoming(update: Update, context: BotContext) -> None:
    """Ceremonies, exhibitions and panels coming up for this user, a page at a time."""
    found = await context.services.events.upcoming_for(context.viewer.user_id)
    page = pressed(update).arg(0) if update.callback_query else 0
    pages = max((len(found) + EVENTS_PAGE - 1) // EVENTS_PAGE, 1)
    page = min(max(page, 0), pages - 1)
    shown = found[page * EVENTS_PAGE:(page + 1) * EVENTS_PAGE]
    await show(update, context, event_views.upcoming(context.t, shown, page, pages),
               keyboards.pages(context.t, page, pages, Action.EVENTS))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler(["etkinlikler", "events"], upcoming),
    ]


def buttons() -> list[Route]:
    return [
        (Action.EVENTS, upcoming),
    ]
