"""The bot's ExtBot: updates read one by one, screens sent without reading the answer back.

python-telegram-bot turns Telegram's answer to every sendMessage and editMessageText into a
`Message`, with every button of its keyboard: for the district list (30-odd buttons) that is
a good part of a step's work. Showing a screen needs nothing from that answer, so
`send_screen` and `edit_screen` make the same call and leave the answer unparsed. Errors are
raised as usual (BadRequest, RetryAfter through the rate limiter, Forbidden...), and the
bot's Defaults (HTML, no link previews) apply as they do to `send_message`.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove
from telegram._utils.defaultvalue import DEFAULT_NONE

from bot.polling import UpdateReadingBot

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


class ScreenBot(UpdateReadingBot):
    """ExtBot with `send_screen` and `edit_screen` (see the module docstring)."""

    async def send_screen(self, chat_id: int, text: str, markup: Markup | None = None) -> None:
        """sendMessage, as `send_message` would make it."""
        await self._post("sendMessage", {
            "chat_id": chat_id, "text": text, "reply_markup": markup,
            "parse_mode": DEFAULT_NONE, "link_preview_options": DEFAULT_NONE})

    async def edit_screen(self, chat_id: int, message_id: int, text: str,
                          markup: InlineKeyboardMarkup | None = None) -> None:
        """editMessageText of a chat message, as `edit_message_text` would make it."""
        await self._post("editMessageText", {
            "chat_id": chat_id, "message_id": message_id, "text": text,
            "reply_markup": markup, "parse_mode": DEFAULT_NONE,
            "link_preview_options": DEFAULT_NONE})
