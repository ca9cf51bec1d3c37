"""The single error handler: refusals are shown, surprises are logged and apologised for."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.context import BotContext
from bot.errors import DomainError
from bot.i18n import resolve_locale
from handlers import keyboards
from handlers.screen import say

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Show a DomainError's message; log anything else with the update id and apologise."""
    error = context.error
    if not isinstance(update, Update):
        log.error("Error outside an update: %r", error, exc_info=error)
        return
    if isinstance(error, Forbidden):
        log.info("Update %s: the user has blocked the bot", update.update_id)
        return
    user = update.effective_user
    if user is not None:
        services = context.services
        stored = await services.users.seen(user.id, user.language_code)
        context.t = services.translator(
            resolve_locale(stored.locale, user.language_code, services.settings.default_locale))
    if isinstance(error, DomainError):
        text = context.t.text(error.key, **error.params)
        await say(update, context, text, keyboards.back_to_menu(context.t))
        return
    log.error("Update %s failed: %r", update.update_id, error, exc_info=error)
    try:
        await say(update, context, context.t.text(
            "Sorry, something went wrong on our side. Please try again in a moment."),
            keyboards.back_to_menu(context.t))
    except TelegramError:
        log.warning("Update %s: could not send the apology", update.update_id)
