"""A fake Telegram Bot API server for end-to-end tests.

Start ``FakeTelegram`` (a context manager), point the bot at ``fake.base_url`` (and
``fake.file_base_url`` for downloads) with ``fake.token``, then drive it through ``fake.user(...)``
and inspect ``fake.calls`` / ``user.messages``.  See ``fake.py`` for the full interface.
"""

from .fake import ChatHistory, FakeTelegram
from .faults import busiest_second
from .models import ApiCall, BotMessage, StoredFile
from .users import FakeGroup, FakeUser

__all__ = [
    "ApiCall", "BotMessage", "ChatHistory", "FakeGroup", "FakeTelegram", "FakeUser", "StoredFile",
    "busiest_second",
]
