"""/yonetim: the staff menu, with only what the user's role allows."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.domain import Role
from handlers import (
    staff_broadcast,
    staff_course_add,
    staff_keyboards,
    staff_reports,
    staff_roles,
    staff_views,
)
from handlers.callback_data import Action, Route, pressed
from handlers.permissions import admin_only, requires
from handlers.screen import show
from handlers.staff_keyboards import StaffItem


@requires(Role.STAFF)
async def menu(update: Update, context: BotContext) -> None:
    """/yonetim, or "Yönetim menüsü" / "Vazgeç" under a staff screen."""
    await show(update, context, staff_views.staff_menu(context.t, context.viewer),
               staff_keyboards.staff_menu(context.t, context.viewer))


@admin_only
async def course_tools(update: Update, context: BotContext) -> None:
    await show(update, context, staff_views.course_tools(context.t),
               staff_keyboards.back_to_staff_menu(context.t))


_ITEMS = {
    StaffItem.STATISTICS: staff_reports.statistics,
    StaffItem.AUDIT: staff_roles.audit,
    StaffItem.INVITATION: staff_roles.invite,
    StaffItem.ROLES: staff_roles.roles,
    StaffItem.COURSE_TOOLS: course_tools,
    StaffItem.ADD_COURSE: staff_course_add.begin,
    StaffItem.BROADCAST: staff_broadcast.begin,
}


@requires(Role.STAFF)
async def item(update: Update, context: BotContext) -> None:
    """A staff menu button; each item checks its own role again."""
    value = pressed(update).arg(0)
    target = _ITEMS.get(StaffItem(value)) if value in set(StaffItem) else None
    await (target or menu)(update, context)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("yonetim", menu)]


def buttons() -> list[Route]:
    return [(Action.STAFF_MENU, item)]
