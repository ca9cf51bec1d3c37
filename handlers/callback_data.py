"""Callback data: short, ASCII, versioned, encoded and decoded only here.

`v1:<action>:<int>:<int>…` — anything else (old versions, forged values, other bots'
buttons) decodes to `None` and gets a polite answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from telegram import Update

VERSION = "v1"
MAX_BYTES = 64
_INT = re.compile(r"^-?\d{1,12}$")


class Action(StrEnum):
    MENU = "m"  # main menu
    DISTRICTS = "ds"  # list of districts
    DISTRICT = "d"  # district_id, page
    ONLINE = "on"  # page
    COURSE = "c"  # course_id, page it was opened from
    VENUE = "v"  # course_id
    REGISTER = "r"  # course_id: check eligibility, then start the dialogue
    WAITLIST = "w"  # course_id: the course is full, join the waiting list
    CONSENT = "k"  # course_id: "Onaylıyorum" on the KVKK notice
    LEAVE = "x"  # leave the current dialogue
    MINE = "my"  # /kayitlarim
    CANCEL_ASK = "ca"  # registration_id
    CANCEL_DO = "cd"  # registration_id
    OFFER = "o"  # registration_id, 1 = accept / 0 = decline
    DELETE_ASK = "da"
    DELETE_DO = "dd"
    NEXT_STEP = "ns"  # 1 = counselling, 2 = mobile employment point
    PREFS = "p"  # /bildirimler; 1 = toggle class reminders, 2 = toggle event reminders
    SUBSCRIBE = "sb"  # [district_id (0 = any) [, branch_id (0 = any)]]
    UNSUBSCRIBE = "us"  # subscription_id
    EVENTS = "e"  # /etkinlikler
    PUBLISH = "pb"  # publish the previewed event
    SEARCH = "s"  # how to search
    NEARBY = "n"  # how to find nearby courses
    LANGUAGE = "l"  # 0 = ask, 1 = Türkçe, 2 = English
    HELP = "h"


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
    """The decoded data of the button this update pressed (its handler's pattern matched)."""
    decoded = decode(update.callback_query.data if update.callback_query else None)
    if decoded is None:
        raise ValueError("no valid callback data: the handler's pattern should have refused it")
    return decoded


def pattern(action: Action) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: data that decodes cleanly to this action. Anything else
    falls through to the stale-button handler."""

    def matches(data: object) -> bool:
        decoded = decode(data) if isinstance(data, str) else None
        return decoded is not None and decoded.action is action

    return matches
