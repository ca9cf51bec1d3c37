"""Errors that carry a message for the user.

    DomainError           a rule refused; `.key` is a gettext msgid, `.params` its fields
    ├── NotFound          the thing asked for does not exist (or is not visible)
    ├── Forbidden         the user's role does not allow this (a staff action)
    └── SlotTaken         someone else booked the counselling slot a moment earlier
"""

from __future__ import annotations

from typing import Any

from bot.i18n import N_


class DomainError(Exception):
    """A business rule refused the request; the handler shows `key` translated."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class NotFound(DomainError):
    """The requested object does not exist or is not visible to this user."""


class Forbidden(DomainError):
    """The user's role does not allow this; always the same polite refusal."""

    def __init__(self) -> None:
        super().__init__(FORBIDDEN)


# The refusal every staff command and button gives ("Bu işlem için yetkiniz yok.").
FORBIDDEN = N_("You are not allowed to do this.")


class SlotTaken(DomainError):
    """The counselling slot was booked by someone else (or closed) a moment earlier; the
    handler shows the times still free."""

    def __init__(self, key: str, slot_day: object = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.slot_day = slot_day
