"""Showing a screen: a new message for a command, an edit of the same message for a button."""

from __future__ import annotations

from contextlib import suppress

from markupsafe import Markup
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import BadRequest

from bot.context import BotContext
from handlers.markup import fit


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


async def say(update: Update, context: BotContext, text: Markup,
              markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
              | None = None) -> None:
    """Send a new message in the chat (a refusal or result stays visible, unlike a pop-up)."""
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, fit(text), reply_markup=markup)


async def drop_buttons(update: Update) -> None:
    """Remove the buttons of the message a press came from, so it is not pressed twice."""
    query = update.callback_query
    if query is None:
        return
    with suppress(BadRequest):  # already without buttons, or too old to edit
        await query.edit_message_reply_markup(None)

