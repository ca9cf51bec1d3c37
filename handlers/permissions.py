"""Staff-only commands and buttons: the role is checked here, before anything is parsed, and
again by the service method (a forged button cannot skip either); attempts are logged with
the user id only."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.domain import Role
from bot.errors import FORBIDDEN
from handlers.screen import say

log = logging.getLogger(__name__)
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def requires(role: Role) -> Callable[[Callback], Callback]:
    """Run the callback for users whose role includes `role`; answer everyone else politely
    ("Bu işlem için yetkiniz yok.") and log the attempt."""

    def decorate(callback: Callback) -> Callback:
        @wraps(callback)
        async def guarded(update: Update, context: BotContext) -> None:
            if not context.viewer.can(role):
                log.warning("User %s tried the staff action %s without the role",
                            context.viewer.user_id, callback.__name__)
                await say(update, context, context.t.text(FORBIDDEN))
                return
            await callback(update, context)

        return guarded

    return decorate


admin_only = requires(Role.ADMIN)
# Who may counsel is said once, by the role: admins and danışman.
counsellor_only = requires(Role.COUNSELLOR)
