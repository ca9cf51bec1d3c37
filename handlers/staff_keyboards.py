"""Staff buttons: pure functions of plain data and the translator."""

from __future__ import annotations

from enum import IntEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Role, Viewer
from bot.i18n import Translator
from bot.services.audit import AuditPage
from handlers.callback_data import Action, encode


class StaffItem(IntEnum):
    """The second part of a `STAFF_MENU` button."""

    MENU = 0
    STATISTICS = 1
    AUDIT = 2
    INVITATION = 3
    ROLES = 4
    COURSE_TOOLS = 5
    ADD_COURSE = 6
    BROADCAST = 7


def _button(caption: str, action: Action, *args: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(caption, callback_data=encode(action, *args))


def _item(caption: str, item: StaffItem) -> InlineKeyboardButton:
    return _button(caption, Action.STAFF_MENU, item)


def staff_menu(t: Translator, viewer: Viewer) -> InlineKeyboardMarkup:
    """Only what the viewer's role allows."""
    rows = []
    if viewer.can(Role.COUNSELLOR):
        rows.append([_button(t.label("Appointments today and tomorrow"),
                             Action.COUNSELLOR_DAY)])
    if viewer.is_admin:
        rows += [
            [_item(t.label("New course"), StaffItem.ADD_COURSE),
             _item(t.label("Announcement"), StaffItem.BROADCAST)],
            [_item(t.label("Statistics"), StaffItem.STATISTICS),
             _item(t.label("Course tools"), StaffItem.COURSE_TOOLS)],
            [_item(t.label("Invitation link"), StaffItem.INVITATION),
             _item(t.label("Roles"), StaffItem.ROLES)],
            [_item(t.label("Audit log"), StaffItem.AUDIT)],
        ]
    rows.append([_button(t.label("Courses"), Action.DISTRICTS),
                 _button(t.label("Main menu"), Action.MENU)])
    return InlineKeyboardMarkup(rows)


def back_to_staff_menu(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_item(t.label("Staff menu"), StaffItem.MENU)]])


def audit_page(t: Translator, page: AuditPage) -> InlineKeyboardMarkup:
    paging = []
    if page.page > 0:
        paging.append(_button(t.label("‹ Previous"), Action.AUDIT, page.page - 1))
    if page.page < page.pages - 1:
        paging.append(_button(t.label("Next ›"), Action.AUDIT, page.page + 1))
    rows = [paging] if paging else []
    rows.append([_item(t.label("Staff menu"), StaffItem.MENU)])
    return InlineKeyboardMarkup(rows)


def invitation(t: Translator, invitation_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.label("Withdraw the invitation"),
                                          Action.INVITE_REVOKE, invitation_id)]])


def close_course(t: Translator, course_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.label("Yes"), Action.CLOSE_COURSE, course_id),
                                  _item(t.label("No, go back"), StaffItem.MENU)]])
