"""/ara and free text: search course names, branches, centres and districts."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.textsearch import is_small_talk
from handlers import keyboards, views
from handlers.callback_data import Action, Route, pressed
from handlers.screen import say, show

MAX_QUERY = 200


async def search(update: Update, context: BotContext) -> None:
    """Search for `/ara <words>` or a plain message; a greeting gets the menu."""
    message = update.message
    if message is None or message.text is None:
        return
    query = " ".join(context.args) if context.args is not None else message.text
    query = query.strip()[:MAX_QUERY]
    if not query:
        await say(update, context, context.t.text(
            "Write what you are looking for after /ara, for example <code>/ara kuaför</code>, "
            "or simply send the word."))
        return
    if is_small_talk(query):
        await say(update, context, views.menu(context.t), keyboards.main_menu(context.t))
        return
    await _results(update, context, query, 0)


async def next_page(update: Update, context: BotContext) -> None:
    """"‹ Önceki" / "Sonraki ›" under search results."""
    query = context.services.search.last_query(context.viewer.user_id)
    if query is None:  # the bot restarted since: the query is not kept
        await show(update, context, context.t.text(
            "Please send your search again, for example <i>kuaför</i>."),
            keyboards.back_to_menu(context.t))
        return
    await _results(update, context, query, pressed(update).arg(0))


async def _results(update: Update, context: BotContext, query: str, page: int) -> None:
    found = await context.services.search.search(context.viewer, query, page)
    await show(update, context, views.search_results(context.t, query, found),
               keyboards.search_results(context.t, found))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler(["ara", "search"], search),
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, search),
    ]


def buttons() -> list[Route]:
    return [(Action.SEARCH_PAGE, next_page)]
