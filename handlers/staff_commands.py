"""Staff see their commands in Telegram's command menu: the citizens' commands plus those their
role allows, set for their own chat (`BotCommandScopeChat`).

A staff member's menu is set the first time this process sees them (and again when their role
or language changes), so an `ADMIN_IDS` admin who has never written to the bot costs nothing,
and citizens cost one dictionary look-up per update.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.context import BotContext
from bot.domain import Role, Viewer
from bot.i18n import Translator, resolve_locale
from handlers.commands import CITIZEN_COMMANDS, staff_commands

log = logging.getLogger(__name__)

KEY = "staff_command_menus"


class StaffCommandMenus:
    """Remembers whose chat menu this process has set, with which role and language."""

    def __init__(self) -> None:
        self._shown: dict[int, tuple[Role, str]] = {}

    @staticmethod
    def commands(t: Translator, role: Role) -> list[BotCommand]:
        return [BotCommand(name, t.label(about))
                for name, about in (*CITIZEN_COMMANDS, *staff_commands(role))]

    async def follow(self, bot: Bot, viewer: Viewer, t: Translator, *,
                     changed: bool = False) -> None:
        """Make the viewer's own menu match their role (removing it when they have none);
        `changed`: their role has just changed, whatever this process remembers."""
        shown = self._shown.get(viewer.user_id)
        if not changed and shown == ((viewer.role, t.locale) if viewer.role else None):
            return
        scope = BotCommandScopeChat(viewer.user_id)
        try:
            if viewer.role is None:
                await bot.delete_my_commands(scope=scope)
                self._shown.pop(viewer.user_id, None)
            else:
                await bot.set_my_commands(self.commands(t, viewer.role), scope=scope)
                self._shown[viewer.user_id] = (viewer.role, t.locale)
        except TelegramError as exc:
            log.info("Could not update the command menu of user %s: %s", viewer.user_id, exc)


def menus(context: BotContext) -> StaffCommandMenus:
    found = context.application.bot_data[KEY]
    assert isinstance(found, StaffCommandMenus)
    return found


async def follow(context: BotContext) -> None:
    """For the user of this update (called by the preprocess handler)."""
    await menus(context).follow(context.bot, context.viewer, context.t)


async def follow_other(context: BotContext, user_id: int) -> None:
    """After an admin changed someone's role: that person's menu, in their language."""
    services = context.services
    stored = await services.users.get(user_id)
    locale = resolve_locale(stored.locale if stored else None,
                            stored.telegram_language if stored else None,
                            services.settings.default_locale)
    await menus(context).follow(context.bot, await services.roles.viewer(user_id),
                                services.translator(locale), changed=True)
