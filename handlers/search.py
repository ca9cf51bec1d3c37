"""/ara and free text: search course names, branches, centres and districts."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from handlers import keyboards, views
from handlers.screen import say

MAX_QUERY = 200


async def search(update: Update, context: BotContext) -> None:
    """Search for `/ara <words>` or a plain message."""
    message = update.message
    if message is None or message.text is None:
        return
    query = " ".join(context.args) if context.args is not None else message.text
    query = query.strip()[:MAX_QUERY]
    if not query:
        await message.reply_text(context.t.text(
            "Write what you are looking for after /ara, for example <code>/ara kuaför</code>, "
            "or simply send the word."))
        return
    courses, total = await context.services.courses.search(context.viewer, query)
    await say(update, context, views.search_results(context.t, query, courses, total),
              keyboards.course_list(context.t, courses))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler(["ara", "search"], search),
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, search),
    ]
