"""Event-driven waiting on the fake Bot API, for timing the bot rather than the harness.

``FakeUser.wait_reply()`` polls every 10 ms, which is coarser than what we measure.  Here the
citizens run as coroutines on the fake server's own event loop, and each chat's event log
(``ChatLog.events``, where the fake records every send and edit of the bot) is replaced by a
list that calls back on ``append``.  The callback runs inside the fake's HTTP handler, on that
same loop, so the reply's timestamp is taken the moment the fake records it, and the waiting
citizen's future is resolved without any cross-thread hand-off.

This reaches into the fake's internals (``FakeTelegram._server._loop``, ``_state.chats``,
``_state.calls``) without changing ``playground/fakebot``; a public hook there (the server loop,
and an ``on_bot_event`` callback) would make it sturdier.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, Literal, TypeVar

from playground.fakebot import FakeTelegram
from playground.fakebot.models import BotMessage
from playground.fakebot.users import FakeUser

T = TypeVar("T")
Kind = Literal["send", "edit"]
Event = tuple[str, BotMessage]
# (perf_counter() when the fake recorded the reply, the bot's message as it is now)
Reply = tuple[float, BotMessage]


class _NotifyingEvents(list[Event]):
    """``ChatLog.events`` that tells a callback about every append (a send or an edit)."""

    def __init__(self, existing: Iterable[Event], on_append: Callable[[Event], None]) -> None:
        super().__init__(existing)
        self._on_append = on_append

    def append(self, event: Event, /) -> None:
        super().append(event)
        self._on_append(event)


class ReplyWatcher:
    """Per chat, at most one awaited reply kind ("send" or "edit") and its future.

    ``expect`` and the futures belong to the fake server's event loop: call ``expect`` from a
    coroutine running there (see ``run``).
    """

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        loop = fake._server._loop  # the aiohttp server's loop, run by the fake's thread
        if loop is None:
            raise RuntimeError("start the FakeTelegram first")
        self.loop: asyncio.AbstractEventLoop = loop
        self._loop_thread = self.run(_thread_ident())
        self._waiting: dict[int, tuple[Kind, asyncio.Future[Reply]]] = {}

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run a coroutine on the fake's loop from another thread and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def user(self, user_id: int, first_name: str) -> FakeUser:
        """A fake citizen whose chat reports the bot's replies to this watcher."""
        user = self.fake.user(user_id, first_name, language_code="tr")
        state = self.fake._state
        with state.lock:
            log = state.chats[user_id]
            if not isinstance(log.events, _NotifyingEvents):
                log.events = _NotifyingEvents(
                    log.events, lambda event: self._on_event(user_id, event)
                )
        return user

    def expect(self, chat_id: int, kind: Kind) -> asyncio.Future[Reply]:
        """Wait for the bot's next ``kind`` in this chat; arm it *before* the user acts."""
        future: asyncio.Future[Reply] = self.loop.create_future()
        self._waiting[chat_id] = (kind, future)
        return future

    def forget(self, chat_id: int) -> None:
        self._waiting.pop(chat_id, None)

    def trim_calls(self) -> None:
        """Drop the fake's record of past API calls (between phases, with no bot running), so
        the benchmark process does not grow and garbage collection stays cheap."""
        state = self.fake._state
        with state.lock:
            del state.calls[:]

    def _on_event(self, chat_id: int, event: Event) -> None:
        now = time.perf_counter()
        kind, message = event
        if threading.get_ident() != self._loop_thread:
            # Not expected (the fake records on its loop's thread), but stay correct.
            self.loop.call_soon_threadsafe(self._resolve, chat_id, kind, (now, message))
            return
        self._resolve(chat_id, kind, (now, message))

    def _resolve(self, chat_id: int, kind: str, reply: Reply) -> None:
        waiting = self._waiting.get(chat_id)
        if waiting is None or waiting[0] != kind:
            return
        del self._waiting[chat_id]
        future = waiting[1]
        if not future.done():
            future.set_result(reply)


async def _thread_ident() -> int:
    return threading.get_ident()
