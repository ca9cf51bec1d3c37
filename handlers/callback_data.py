"""Callback data: short, ASCII, versioned, encoded and decoded only here.

`v1:<action>:<int>:<int>…` — anything else (old versions, forged values, other bots'
buttons) decodes to `None` and gets a polite answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

if TYPE_CHECKING:
    from bot.context import BotContext

VERSION = "v1"
MAX_BYTES = 64
_INT = re.compile(r"^-?\d{1,12}$")


class Action(StrEnum):
    MENU = "m"  # main menu
    DISTRICTS = "ds"  # list of districts
    DISTRICT = "d"  # district_id, page
    ONLINE = "on"  # page
    COURSE = "c"  # course_id, page it was opened from, origin (1 = search results)
    VENUE = "v"  # course_id
    REGISTER = "r"  # course_id: check eligibility, then start the dialogue
    WAITLIST = "w"  # course_id: the course is full, join the waiting list
    CONSENT = "k"  # course_id: "Onaylıyorum" on the KVKK notice
    AGE = "ag"  # 1 = the year under the minimum age is right / 0 = correct it, course_id
    LEAVE = "x"  # leave the current dialogue
    STEP_BACK = "xb"  # "Geri" in a dialogue: one step back
    MINE = "my"  # /kayitlarim
    CANCEL_ASK = "ca"  # registration_id
    CANCEL_DO = "cd"  # registration_id
    OFFER = "o"  # registration_id, 1 = accept / 0 = decline
    MY_DATA = "md"  # /verilerim
    DELETE_ASK = "da"
    DELETE_DO = "dd"
    NEXT_STEP = "ns"  # 1 = counselling, 2 = mobile point (buttons of older messages)
    PREFS = "p"  # /bildirimler; 1 = toggle class reminders, 2 = toggle event reminders
    SUBSCRIBE = "sb"  # [district_id (0 = any) [, branch_id (0 = any)]]
    SUB_DISTRICTS = "sd"  # page of the district list to subscribe to
    SUB_BRANCHES = "sr2"  # district_id (0 = any), page of the branch list
    UNSUBSCRIBE = "us"  # subscription_id
    EVENTS = "e"  # /etkinlikler
    PUBLISH = "pb"  # publish the previewed event
    NO_PIN = "np"  # schedule the ceremony being drafted without a map pin
    SEARCH = "s"  # how to search
    SEARCH_PAGE = "sr"  # page of the user's last search
    NEARBY = "n"  # how to find nearby courses
    LANGUAGE = "l"  # 0 = ask, 1 = Türkçe, 2 = English
    HELP = "h"
    STAFF_MENU = "ym"  # /yonetim; StaffItem
    AUDIT = "au"  # page of the audit log
    INVITE_REVOKE = "ir"  # invitation_id
    CLOSE_COURSE = "kc"  # course_id: "Evet" under /kurs_kapat's confirmation
    APPOINTMENT = "ap"  # /randevu: the topics, or the citizen's appointment
    BOOK_TOPIC = "at"  # topic (1-4), mobile_visit_id (0 = any) → free days
    BOOK_DAY = "ad"  # topic, day as YYYYMMDD, mobile_visit_id → free times
    BOOK_SLOT = "as"  # topic, slot_id → confirm
    BOOK_DO = "ab"  # topic, slot_id → book
    APPT_CANCEL_ASK = "ac"  # appointment_id
    APPT_CANCEL_DO = "ax"  # appointment_id
    APPT_MARK = "am"  # appointment_id, 1 = attended / 2 = no-show, day shown (YYYYMMDD or 0)
    APPT_OUTCOME = "ao"  # appointment_id, 1 = referred / 2 = placed in a job, day shown
    OPEN_SLOTS = "op"  # open the previewed counselling slots
    COUNSELLOR_DAY = "cy"  # /randevularim; day as YYYYMMDD (0 = today and tomorrow)
    MOBILE = "mb"  # /mobil [visit_id]
    BROADCAST_DRAFT = "bd"  # /duyuru: step index, value (audience index, district/branch id)
    BROADCAST_STOP = "bs"  # broadcast_id
    COURSE_DRAFT = "ke"  # /kurs_ekle: step index, value (a choice's id or index; -1 = skip)


@dataclass(frozen=True)
class Callback:
    action: Action
    args: tuple[int, ...]

    def arg(self, index: int, default: int = 0) -> int:
        return self.args[index] if index < len(self.args) else default


def encode(action: Action, *args: int) -> str:
    data = ":".join([VERSION, action.value, *(str(int(a)) for a in args)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """The callback, or None for anything stale, forged or malformed."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) < 2 or parts[0] != VERSION:
        return None
    try:
        action = Action(parts[1])
    except ValueError:
        return None
    if not all(_INT.match(p) for p in parts[2:]):
        return None
    return Callback(action, tuple(int(p) for p in parts[2:]))


def pressed(update: Update) -> Callback:
    """The decoded data of the button this update pressed (the router decoded it already)."""
    decoded = decode(update.callback_query.data if update.callback_query else None)
    if decoded is None:
        raise ValueError("no valid callback data: the router should have refused it")
    return decoded


ButtonCallback = Callable[[Update, "BotContext"], Coroutine[Any, Any, None]]
Route = tuple[Action, ButtonCallback]


class ButtonRouter:
    """Every button press, decoded once and handed to its journey by action; anything that
    does not decode (stale, forged, another version) goes to `fallback`."""

    def __init__(self, routes: Iterable[Route], fallback: ButtonCallback) -> None:
        self.routes = dict(routes)
        self.fallback = fallback

    async def dispatch(self, update: Update, context: BotContext) -> None:
        """Route one button press."""
        decoded = decode(update.callback_query.data if update.callback_query else None)
        target = self.routes.get(decoded.action) if decoded else None
        await (target or self.fallback)(update, context)

    def handler(self) -> CallbackQueryHandler[BotContext, None]:
        return CallbackQueryHandler(self.dispatch)
