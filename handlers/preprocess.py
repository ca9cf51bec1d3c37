"""Group −1: runs before every journey handler."""

from __future__ import annotations

from contextlib import suppress

from telegram import ReplyKeyboardRemove, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.context import BotContext
from bot.domain import Viewer
from bot.i18n import resolve_locale


async def prepare(update: Update, context: BotContext) -> None:
    """Record the user, pick their language, and keep the bot to private chats."""
    user = update.effective_user
    chat = update.effective_chat
    if update.callback_query is not None:
        # Answered once, here: the spinner stops at once, and results are messages in the
        # chat (a pop-up vanishes in a second).
        with suppress(BadRequest):
            await update.callback_query.answer()
    if user is None or chat is None or user.is_bot:
        raise ApplicationHandlerStop
    services = context.services
    stored = await services.users.seen(user.id, user.language_code)
    locale = resolve_locale(stored.locale, user.language_code, services.settings.default_locale)
    context.t = services.translator(locale)
    context.viewer = Viewer(user.id, is_admin=user.id in services.settings.admin_ids)
    if chat.type != ChatType.PRIVATE:
        await _answer_outside_private(update, context)
        raise ApplicationHandlerStop
    if update.message is not None:
        context.dialogue = await services.dialogues.current(user.id)
        if context.dialogue and update.message.text and update.message.text.startswith("/"):
            # Any command leaves the dialogue: the citizen changed their mind. They are told
            # in one line (by /iptal itself), so the next thing typed is not taken as an
            # answer to an old question.
            await services.dialogues.leave(user.id)
            context.left_dialogue, context.dialogue = context.dialogue, None
            if not _is_cancel(update.message.text):
                await update.message.reply_text(context.t.text("You stopped; nothing was saved."),
                                                reply_markup=ReplyKeyboardRemove())


def _is_cancel(text: str) -> bool:
    command = text.split(maxsplit=1)[0].split("@", 1)[0].lower()
    return command in ("/iptal", "/cancel")


async def _answer_outside_private(update: Update, context: BotContext) -> None:
    """In a group, answer only what was meant for the bot, pointing to a private chat."""
    message = update.message
    if message is None or not message.text:
        return
    username = context.bot.username
    addressed = message.text.startswith("/") or f"@{username}" in message.text
    if addressed:
        await message.reply_text(context.t.text(
            "I answer in a private chat, so that your details stay private. "
            "Write to me here: https://t.me/{username}", username=username))


preprocess_handler = TypeHandler(Update, prepare)
