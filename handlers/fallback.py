"""Whatever no journey handled: a short explanation of what the bot expects."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, TypeHandler, filters

from bot.context import BotContext
from handlers import keyboards
from handlers.screen import say


async def stale_button(update: Update, context: BotContext) -> None:
    """A button from an old message, another bot, or forged data."""
    await say(update, context, context.t.text(
        "This button is no longer valid. Here is the main menu again."),
        keyboards.main_menu(context.t))


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command we do not have."""
    await say(update, context, context.t.text(
        "I do not know that command. Send /yardim to see what I can do."),
        keyboards.main_menu(context.t))


async def not_text(update: Update, context: BotContext) -> None:
    """A sticker, photo, voice message, file…"""
    await say(update, context, context.t.text(
        "I can read text messages and button taps. Write what you are looking for, "
        "for example <i>kuaför</i>, or use the menu."), keyboards.main_menu(context.t))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.ALL, not_text),
        TypeHandler(Update, _ignore),
    ]


async def _ignore(update: Update, context: BotContext) -> None:
    """Other update kinds (member changes, polls…) need no answer."""
