"""The getUpdates queue, with Telegram's offset confirmation and long polling."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any

from .errors import ApiError

MAX_POLL_TIMEOUT = 10.0
MAX_LIMIT = 100


class UpdateQueue:
    """Updates waiting for the bot.

    ``push`` may be called from any thread; ``poll`` runs on the server's event loop, which the
    queue must be ``attach``-ed to.  A newer getUpdates request terminates an older one still
    waiting with 409 Conflict, like Telegram does.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._updates: list[dict[str, Any]] = []
        self._next_id = 1
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._generation = 0
        self._closed = False

    # -- any thread ----------------------------------------------------------------------------

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update such as ``("message", {...})``; returns its update_id."""
        with self._lock:
            update_id = self._next_id
            self._next_id += 1
            self._updates.append({"update_id": update_id, kind: payload})
        self._notify()
        return update_id

    def pending(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (delivered or not)."""
        with self._lock:
            return list(self._updates)

    def drop_pending(self) -> None:
        with self._lock:
            self._updates.clear()

    # -- event loop thread ---------------------------------------------------------------------

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._wakeup = asyncio.Event()
        self._closed = False

    def close(self) -> None:
        """Answer every waiting poll now (used when the server stops)."""
        self._closed = True
        self._wake()
        self._loop = None

    async def poll(self, offset: int | None, limit: int | None, timeout: float | None) -> list[Any]:
        loop = asyncio.get_running_loop()
        self._generation += 1
        generation = self._generation
        self._wake()  # terminates an older poll still waiting
        if offset is not None:
            self._confirm(offset)
        limit = MAX_LIMIT if not limit or limit > MAX_LIMIT else limit
        deadline = loop.time() + min(max(timeout or 0.0, 0.0), MAX_POLL_TIMEOUT)
        while True:
            if generation != self._generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                    invalid=False,
                )
            with self._lock:
                updates = self._updates[:limit]
            remaining = deadline - loop.time()
            if updates or self._closed or remaining <= 0 or self._wakeup is None:
                return updates
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)

    def _confirm(self, offset: int) -> None:
        with self._lock:
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _notify(self) -> None:
        loop = self._loop
        if loop is None:
            return
        # RuntimeError: the loop is closing, so nobody is polling any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        event, self._wakeup = self._wakeup, asyncio.Event()
        if event is not None:
            event.set()
