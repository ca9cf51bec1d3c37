"""Processing updates: each once, chats in parallel, one chat in order, floods refused.

Every update, from long polling or a webhook alike, passes here before any handler:

1. an `UnreadableUpdate` (bot/polling.py) or a re-delivered `update_id` (the ledger) is
   dropped: nothing is done twice;
2. updates of different chats run at once, those of one chat one after another, in the order
   Telegram sent them; at most `TURNS` run at a time, taken in order of arrival;
3. a chat that floods has its extra updates refused (bot/flood.py): they skip the queue and
   the preprocess handler answers them (a press is answered, the sender told once).

Why `TURNS`: the event loop is one core. With every waiting update running at once, each
await of each update queues behind all the others, so a step that makes three calls to
Telegram waits three rounds of the whole crowd; with a few turns, taken in order, an update
is served soon after its turn comes, and the tail of the latency follows the queue, as in
PTB's default one-at-a-time processing, while a few updates still overlap their waits on
Telegram and the database. An update waiting out a 429 (`turn_given_up`) lets another run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.flood import FloodGuard
from bot.polling import UnreadableUpdate
from bot.services.update_ledger import UpdateLedger

log = logging.getLogger(__name__)

# PTB's cap on updates in progress. Waiting chats hold a slot each; every chat's queue is
# bounded by flood control, so the cap only has to be far above the chats served at once.
MAX_CONCURRENT_UPDATES = 100_000
# Updates served at the same moment (see the module docstring); measured with
# bench/throughput.py: 8 keeps the connection pool (bot/app.py) busy without a long tail.
TURNS = 8

_turns: ContextVar[asyncio.Semaphore | None] = ContextVar("turns", default=None)


@asynccontextmanager
async def turn_given_up() -> AsyncIterator[None]:
    """Inside an update: let another update run during this block (a wait for Telegram's
    retry_after), and take a turn again after it. Outside one: nothing."""
    turns = _turns.get()
    if turns is None:
        yield
        return
    turns.release()
    try:
        yield
    finally:
        # Shielded: the turn is given back by _serve on the way out, so it must be held.
        await asyncio.shield(turns.acquire())


@dataclass
class _Chat:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0  # updates queued or being served


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Runs different chats' updates at once, one chat's updates one after another."""

    def __init__(self, ledger: UpdateLedger, flood: FloodGuard,
                 in_dialogue: Callable[[Update], bool]) -> None:
        super().__init__(MAX_CONCURRENT_UPDATES)
        self._ledger = ledger
        self._flood = flood
        self._in_dialogue = in_dialogue
        self._chats: dict[int, _Chat] = {}
        self._turns = asyncio.Semaphore(TURNS)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not isinstance(update, Update):
            await coroutine
            return
        if isinstance(update, UnreadableUpdate):
            _close(coroutine)
            self._ledger.finished(update.update_id)
            return
        if not self._ledger.first_time(update.update_id):
            log.info("Update %s was delivered again; not acted on twice", update.update_id)
            _close(coroutine)
            return
        try:
            await self._serve(update, coroutine)
        finally:
            self._ledger.finished(update.update_id)

    async def _serve(self, update: Update, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat
        if chat is None:
            await coroutine
            return
        queue = self._chats.get(chat.id)
        if queue is None:
            queue = self._chats[chat.id] = _Chat()
        if not self._flood.admits(queue.waiting, lambda: self._in_dialogue(update)):
            refusal = self._flood.refuse(update.update_id, chat.id)
            log.info("Chat is flooding; update %s refused (%s)", update.update_id,
                     refusal.value)
            try:
                await coroutine  # outside the queue: the handlers only answer it
            finally:
                self._flood.take(update.update_id)
            return
        queue.waiting += 1
        try:
            async with queue.lock, self._turns:
                _turns.set(self._turns)  # this update's task only (its own context)
                await coroutine
        finally:
            queue.waiting -= 1
            if queue.waiting == 0:
                del self._chats[chat.id]


def _close(coroutine: Awaitable[Any]) -> None:
    """Discard a coroutine that will not run (no "never awaited" warning)."""
    if isinstance(coroutine, Coroutine):
        coroutine.close()
