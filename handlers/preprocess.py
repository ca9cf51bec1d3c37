"""Group −1: runs before every journey handler."""

from __future__ import annotations

from contextlib import suppress

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.context import BotContext
from bot.flood import Refusal
from bot.i18n import resolve_locale
from handlers import dialogue as dialogues
from handlers import staff_commands
from handlers.callback_data import decode
from handlers.screen import say

_CANCEL_COMMANDS = ("iptal", "cancel")


async def prepare(update: Update, context: BotContext) -> None:
    """Record the user, pick their language, keep the bot to private chats, and apply the
    rules of dialogues and edits (handlers/dialogue.py)."""
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
    context.viewer = await services.roles.viewer(user.id)
    if chat.type != ChatType.PRIVATE:
        await _answer_outside_private(update, context)
        raise ApplicationHandlerStop
    await staff_commands.follow(context)
    if update.edited_message is not None:
        await _edited(update, context, update.edited_message)
        raise ApplicationHandlerStop
    if update.message is not None:
        await _message(update, context, update.message)
    elif update.callback_query is not None:
        services.dialogues.just_left(user.id)
        current = await services.dialogues.current(user.id)
        decoded = decode(update.callback_query.data)
        if current is not None and not dialogues.belongs(current,
                                                         decoded.action if decoded else None):
            await dialogues.leave(update, context, remember=True)
        else:
            context.dialogue = current


async def _message(update: Update, context: BotContext, message: Message) -> None:
    """Any command leaves an open dialogue, saying so; the text typed just after leaving one
    for another command is not taken for an answer (nor searched)."""
    services, user_id = context.services, context.viewer.user_id
    current = await services.dialogues.current(user_id)
    just_left = services.dialogues.just_left(user_id)
    text = message.text or ""
    if current is not None and text.startswith("/"):
        command = text[1:].split(maxsplit=1)[0].split("@")[0].lower() if len(text) > 1 else ""
        await dialogues.leave(update, context, remember=command not in _CANCEL_COMMANDS)
    elif current is None and just_left is not None and text and not text.startswith("/"):
        await say(update, context, context.t.text(
            "You had left the step before, so I did not take “{text}” as an answer to it. "
            "To search for it, send it again.", text=text[:100]))
        raise ApplicationHandlerStop
    else:
        context.dialogue = current


async def _edited(update: Update, context: BotContext, message: Message) -> None:
    """One rule for edits, everywhere: never acted on (an edited /toren must not move a
    ceremony); said so, and the open question asked again. Live-location updates arrive as
    edits too: they are ignored silently."""
    if message.location is not None:
        return
    await say(update, context, context.t.text(
        "I cannot take an edited message into account; send the corrected version as a new "
        "message."))
    current = await context.services.dialogues.current(context.viewer.user_id)
    if current is not None:
        await dialogues.ask_again(update, context, current)


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
