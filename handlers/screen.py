"""Showing a screen: a new message for a command, an edit of the same message for a button."""

from __future__ import annotations

import html
import re
from contextlib import suppress

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.context import BotContext

_TAG = re.compile(r"<[^>]+>")


async def show(
    update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Show a screen: a button press edits its message; a typed message gets a new one.

    Button presses are already answered by the preprocess handler."""
    query = update.callback_query
    if query is not None:
        message = query.message
        if message is not None and getattr(message, "text", None) is not None:
            if _unchanged(message, text, markup):
                return  # a second press of the same button: Telegram refuses an equal edit
            try:
                await query.edit_message_text(text, reply_markup=markup)
                return
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    return
                if "can't be edited" not in str(exc).lower() and "not found" not in str(exc):
                    raise
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, text, reply_markup=markup)


def _unchanged(message: object, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """The message already shows this text (as the user sees it) and these buttons."""
    shown = getattr(message, "text", None)
    plain = html.unescape(_TAG.sub("", text)).strip()
    return shown is not None and shown.strip() == plain \
        and getattr(message, "reply_markup", None) == markup


async def say(update: Update, context: BotContext, text: str,
              markup: InlineKeyboardMarkup | None = None) -> None:
    """Send a new message in the chat (a refusal or result stays visible, unlike a pop-up)."""
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, text, reply_markup=markup)


async def drop_buttons(update: Update) -> None:
    """Remove the buttons of the message a press came from, so it is not pressed twice."""
    query = update.callback_query
    if query is None or query.message is None \
            or getattr(query.message, "reply_markup", None) is None:
        return  # no buttons to drop (pressed twice): an edit would be refused as "not modified"
    with suppress(BadRequest):  # already without buttons, or too old to edit
        await query.edit_message_reply_markup(None)

