"""Showing a screen: a new message for a command, an edit of the same message for a button."""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from contextlib import suppress

from markupsafe import Markup
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import BadRequest

from bot.context import BotContext
from bot.screen_bot import ScreenBot
from handlers.markup import fit

_TAG = re.compile(r"<[^>]+>")
# What this process last did to recent messages: two quick presses arrive with the same
# picture of their message, so the second cannot tell from it that the first already edited
# it (or dropped its buttons); Telegram refuses an edit that changes nothing. Bounded.
_SHOWN: OrderedDict[tuple[int, int], str] = OrderedDict()
_DROPPED: OrderedDict[tuple[int, int], str] = OrderedDict()
_KEPT = 10_000


def _remember(memory: OrderedDict[tuple[int, int], str], key: tuple[int, int],
              value: str) -> None:
    memory[key] = value
    memory.move_to_end(key)
    if len(memory) > _KEPT:
        memory.popitem(last=False)


def _signature(text: str, markup: InlineKeyboardMarkup | None) -> str:
    return f"{text}\x00{markup.to_json() if markup else ''}"


async def _send(context: BotContext, chat_id: int, text: str,
                markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
                | None) -> None:
    bot = context.bot
    if isinstance(bot, ScreenBot):
        await bot.send_screen(chat_id, text, markup)
    else:
        await bot.send_message(chat_id, text, reply_markup=markup)


async def show(
    update: Update, context: BotContext, text: Markup, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Show a screen: a button press edits its message; a typed message gets a new one.

    Button presses are already answered by the preprocess handler."""
    text = fit(text)
    query = update.callback_query
    if query is not None:
        message = query.message
        if message is not None and getattr(message, "text", None) is not None:
            key = (message.chat.id, message.message_id)
            shown = _signature(text, markup)
            if _unchanged(message, text, markup) or _SHOWN.get(key) == shown:
                return  # a second press of the same button: Telegram refuses an equal edit
            try:
                bot = context.bot
                if isinstance(bot, ScreenBot):
                    await bot.edit_screen(message.chat.id, message.message_id, text, markup)
                else:
                    await query.edit_message_text(text, reply_markup=markup)
                _remember(_SHOWN, key, shown)
                _DROPPED.pop(key, None)
                return
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    return
                if "can't be edited" not in str(exc).lower() and "not found" not in str(exc):
                    raise
    chat = update.effective_chat
    if chat is not None:
        await _send(context, chat.id, text, markup)


def _unchanged(message: object, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """The message already shows this text (as the user sees it) and these buttons."""
    shown = getattr(message, "text", None)
    plain = html.unescape(_TAG.sub("", str(text))).strip()
    return shown is not None and shown.strip() == plain \
        and getattr(message, "reply_markup", None) == markup


async def say(update: Update, context: BotContext, text: Markup,
              markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
              | None = None) -> None:
    """Send a new message in the chat (a refusal or result stays visible, unlike a pop-up)."""
    chat = update.effective_chat
    if chat is not None:
        await _send(context, chat.id, fit(text), markup)


async def drop_buttons(update: Update) -> None:
    """Remove the buttons of the message a press came from, so it is not pressed twice."""
    query = update.callback_query
    if query is None or query.message is None \
            or getattr(query.message, "reply_markup", None) is None:
        return  # no buttons to drop (pressed twice): an edit would be refused as "not modified"
    # Two quick presses arrive with the same picture of the message (buttons still on it):
    # the second must not ask Telegram to drop them again.
    key = (query.message.chat.id, query.message.message_id)
    if key in _DROPPED:
        return
    _remember(_DROPPED, key, "")
    _SHOWN.pop(key, None)
    with suppress(BadRequest):  # already without buttons, or too old to edit
        await query.edit_message_reply_markup(None)

