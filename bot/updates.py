"""Processing updates: concurrently across chats, in order within a chat, floods dropped."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

# A chat with this many updates already waiting is flooding: further ones are dropped until
# the queue drains, so one person cannot take the slots everyone else needs.
MAX_PENDING_PER_CHAT = 6


@dataclass
class _Queue:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    pending: int = 0


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Runs different chats' updates at once, one chat's updates one after another."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._queues: dict[int, _Queue] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not isinstance(update, Update) or update.effective_chat is None:
            await coroutine
            return
        chat_id = update.effective_chat.id
        queue = self._queues.setdefault(chat_id, _Queue())
        if queue.pending >= MAX_PENDING_PER_CHAT:
            log.warning("Chat is flooding; dropped update %s", update.update_id)
            if hasattr(coroutine, "close"):
                coroutine.close()
            if update.callback_query is not None:  # no endless spinner, even when dropped
                with suppress(TelegramError):
                    await update.callback_query.answer()
            return
        queue.pending += 1
        try:
            async with queue.lock:
                await coroutine
        finally:
            queue.pending -= 1
            if queue.pending == 0:
                self._queues.pop(chat_id, None)
