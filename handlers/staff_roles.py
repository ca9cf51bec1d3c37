"""Staff: roles (/yetki, /yetki_al), invitation links (/davet, /davet_iptal, and
`/start davet_<token>` for the invited) and the audit log (/denetim)."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.domain import Role
from bot.errors import DomainError
from bot.i18n import N_
from bot.services.invitations import DEFAULT_DAYS, DEFAULT_USES, MAX_DAYS, MAX_USES, Joined
from bot.textsearch import fold
from handlers import keyboards, staff_commands, staff_keyboards, staff_views
from handlers.callback_data import Action, Route, pressed
from handlers.permissions import admin_only
from handlers.screen import drop_buttons, say, show

_USER_ID = re.compile(r"^\d{1,15}$")
_ROLES = {"admin": Role.ADMIN, "yonetici": Role.ADMIN, "danisman": Role.COUNSELLOR,
          "personel": Role.STAFF}
INVITE_PREFIX = "davet_"


def _user_id(text: str, usage: str) -> int:
    if not _USER_ID.match(text):
        raise DomainError(usage)
    return int(text)


_GRANT_USAGE = N_("Write it like this: /yetki USER_ID admin|danisman|personel, for example "
                  "/yetki 123456789 danisman. USER_ID is the person's Telegram user id (a "
                  "number); they must have written to the bot first.")
_REVOKE_USAGE = N_("Write it like this: /yetki_al USER_ID, for example /yetki_al 123456789.")


@admin_only
async def grant(update: Update, context: BotContext) -> None:
    """/yetki <user_id> admin|danisman|personel."""
    args = context.args or []
    role = _ROLES.get(fold(args[1])) if len(args) == 2 else None
    if role is None:
        raise DomainError(_GRANT_USAGE)
    change = await context.services.roles.grant(context.viewer.user_id,
                                                _user_id(args[0], _GRANT_USAGE), role)
    assert change.after is not None
    await say(update, context, staff_views.role_granted(context.t, change.user_id,
                                                        change.before, change.after))
    await staff_commands.follow_other(context, change.user_id)


@admin_only
async def revoke(update: Update, context: BotContext) -> None:
    """/yetki_al <user_id>."""
    args = context.args or []
    if len(args) != 1:
        raise DomainError(_REVOKE_USAGE)
    change = await context.services.roles.revoke(context.viewer.user_id,
                                                 _user_id(args[0], _REVOKE_USAGE))
    await say(update, context, context.t.text(
        "{user} no longer has a staff role (before: {before}).", user=change.user_id,
        before=staff_views.role_name(context.t, change.before)))
    await staff_commands.follow_other(context, change.user_id)


@admin_only
async def roles(update: Update, context: BotContext) -> None:
    """Who has which role (from the staff menu)."""
    members = await context.services.roles.staff(context.viewer.user_id)
    await show(update, context, staff_views.staff_list(context.t, members),
               staff_keyboards.back_to_staff_menu(context.t))


_INVITE_USAGE = N_("Write it like this: /davet [people] [days], for example /davet 30 7 for a "
                   "link 30 people can use within 7 days (without numbers: {uses} people, "
                   "{days} days; at most {max_uses} people and {max_days} days).")


@admin_only
async def invite(update: Update, context: BotContext) -> None:
    """/davet [people] [days]: a new invitation link for municipal employees."""
    args = (context.args or []) if update.message else []
    if len(args) > 2 or not all(a.isdigit() and len(a) <= 6 for a in args):
        raise DomainError(_INVITE_USAGE, uses=DEFAULT_USES, days=DEFAULT_DAYS,
                          max_uses=MAX_USES, max_days=MAX_DAYS)
    uses = int(args[0]) if args else DEFAULT_USES
    days = int(args[1]) if len(args) > 1 else DEFAULT_DAYS
    created = await context.services.invitations.create(context.viewer.user_id, uses, days)
    link = f"https://t.me/{context.bot.username}?start={INVITE_PREFIX}{created.token}"
    await say(update, context, staff_views.invitation(context.t, created, link),
              staff_keyboards.invitation(context.t, created.id))


@admin_only
async def cancel_invitation(update: Update, context: BotContext) -> None:
    """/davet_iptal <code or link>."""
    args = context.args or []
    if len(args) != 1:
        raise DomainError(N_("Write it like this: /davet_iptal CODE (the part after davet_ in "
                             "the link), or press the button under the invitation."))
    token = args[0].rpartition(INVITE_PREFIX)[2]
    await context.services.invitations.revoke(context.viewer.user_id, token=token)
    await say(update, context, context.t.text(
        "The invitation is withdrawn: the link no longer works. People who already joined "
        "keep their role (/yetki_al takes it away)."))


@admin_only
async def invitation_button(update: Update, context: BotContext) -> None:
    """"Daveti geri çek" under an invitation."""
    await context.services.invitations.revoke(context.viewer.user_id,
                                              invitation_id=pressed(update).arg(0))
    await drop_buttons(update)
    await say(update, context, context.t.text(
        "The invitation is withdrawn: the link no longer works. People who already joined "
        "keep their role (/yetki_al takes it away)."))


async def join(update: Update, context: BotContext, token: str) -> None:
    """`/start davet_<token>`: a new municipal employee takes the personel role."""
    joined = await context.services.invitations.accept(context.viewer.user_id, token)
    if joined is Joined.ALREADY_STAFF:
        text = context.t.text("You already have a staff role ({role}); nothing changed.",
                              role=staff_views.role_name(context.t, context.viewer.role))
    else:
        text = context.t.text(
            "Welcome to the team! You now have the personel role: courses for municipal "
            "staff (in-service training, orientation) are shown to you in /kurslar and /ara. "
            "/yonetim is your staff menu.")
    await say(update, context, text, keyboards.main_menu(context.t))
    await staff_commands.follow_other(context, context.viewer.user_id)


@admin_only
async def audit(update: Update, context: BotContext) -> None:
    """/denetim [page], or a page button: the latest audit entries."""
    if update.callback_query is not None:
        number = pressed(update).arg(0) if pressed(update).action is Action.AUDIT else 0
    else:
        args = context.args or []
        number = int(args[0]) - 1 if args and args[0].isdigit() and len(args[0]) < 7 else 0
    page = await context.services.audit.page(context.viewer.user_id, number)
    await show(update, context, staff_views.audit_page(context.t, page),
               staff_keyboards.audit_page(context.t, page))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("yetki", grant),
        CommandHandler("yetki_al", revoke),
        CommandHandler("davet", invite),
        CommandHandler("davet_iptal", cancel_invitation),
        CommandHandler("denetim", audit),
    ]


def buttons() -> list[Route]:
    return [
        (Action.AUDIT, audit),
        (Action.INVITE_REVOKE, invitation_button),
    ]
