"""Errors that carry a message for the user.

    DomainError           a rule refused; `.key` is a gettext msgid, `.params` its fields
    └── NotFound          the thing asked for does not exist (or is not visible)
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
