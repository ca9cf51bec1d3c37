"""Staff-only commands and buttons: checked on the server side, attempts logged."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.services.appointments import can_counsel
from handlers.screen import say

log = logging.getLogger(__name__)
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def admin_only(callback: Callback) -> Callback:
    """Run the callback for admins; answer everyone else politely and log the attempt."""

    @wraps(callback)
    async def guarded(update: Update, context: BotContext) -> None:
        if not context.viewer.is_admin:
            log.warning("User %s tried the staff action %s without the role",
                        context.viewer.user_id, callback.__name__)
            await say(update, context, context.t.text("You are not allowed to do this."))
            return
        await callback(update, context)

    return guarded


def counsellor_only(callback: Callback) -> Callback:
    """Run the callback for those who may counsel (`can_counsel`, the one place that says
    who); answer everyone else politely and log the attempt."""

    @wraps(callback)
    async def guarded(update: Update, context: BotContext) -> None:
        if not can_counsel(context.viewer):
            log.warning("User %s tried the counsellor action %s without the role",
                        context.viewer.user_id, callback.__name__)
            await say(update, context, context.t.text("You are not allowed to do this."))
            return
        await callback(update, context)

    return guarded
