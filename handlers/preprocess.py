"""Group −1: runs before every journey handler."""

from __future__ import annotations

from contextlib import suppress

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.context import BotContext
from bot.domain import Viewer
from bot.flood import Refusal
from bot.i18n import resolve_locale
from handlers.screen import say


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
    refusal = services.flood.take(update.update_id)
    stored = await services.users.seen(user.id, user.language_code)
    locale = resolve_locale(stored.locale, user.language_code, services.settings.default_locale)
    context.t = services.translator(locale)
    if refusal is not None:
        await _slow_down(update, context, refusal)
        raise ApplicationHandlerStop
    context.viewer = Viewer(user.id, is_admin=user.id in services.settings.admin_ids)
    if chat.type != ChatType.PRIVATE:
        await _answer_outside_private(update, context)
        raise ApplicationHandlerStop
    if update.message is not None:
        context.dialogue = await services.dialogues.current(user.id)
        if context.dialogue and update.message.text and update.message.text.startswith("/"):
            # Any command leaves the dialogue: the citizen changed their mind.
            await services.dialogues.leave(user.id)
            context.dialogue = None


async def _slow_down(update: Update, context: BotContext, refusal: Refusal) -> None:
    """A flooding chat's refused update (bot/flood.py): its press is already answered; the
    sender is told once, in a private chat, to slow down."""
    chat = update.effective_chat
    if refusal is Refusal.TELL and chat is not None and chat.type == ChatType.PRIVATE:
        await say(update, context, context.t.text(
            "You are writing faster than I can answer, so I skipped some of your messages. "
            "Please wait for my answer before you send the next one."))


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
