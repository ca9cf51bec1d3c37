"""Errors that carry a message for the user.

    DomainError           a rule refused; `.key` is a gettext msgid, `.params` its fields
    ├── NotFound          the thing asked for does not exist (or is not visible)
    └── SlotTaken         someone else booked the counselling slot a moment earlier
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule refused the request; the handler shows `key` translated."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class NotFound(DomainError):
    """The requested object does not exist or is not visible to this user."""


class SlotTaken(DomainError):
    """The counselling slot was booked by someone else (or closed) a moment earlier; the
    handler shows the times still free."""

    def __init__(self, key: str, slot_day: object = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.slot_day = slot_day
