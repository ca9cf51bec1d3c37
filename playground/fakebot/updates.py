"""The getUpdates queue, with Telegram's offset confirmation and long polling."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import threading
from collections import deque
from collections.abc import Iterator
from typing import Any

from .errors import ApiError

MAX_POLL_TIMEOUT = 10.0
MAX_LIMIT = 100
HISTORY = 1000  # updates kept for ``redeliver``


class UpdateQueue:
    """Updates waiting for the bot.

    ``push`` may be called from any thread; ``poll`` runs on the server's event loop, which the
    queue must be ``attach``-ed to.  A newer getUpdates request terminates an older one still
    waiting with 409 Conflict, like Telegram does.

    Trouble on demand: ``push_raw`` queues any dict as it is (an update the bot may not be able
    to parse), ``redeliver`` queues an update again with its old ``update_id`` (as Telegram
    does to a webhook that answered slowly), and ``held`` keeps updates back so that several
    reach the bot in one getUpdates answer.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._updates: list[dict[str, Any]] = []
        # Re-deliveries (by identity): kept until delivered once, whatever the offset says.
        self._again: list[dict[str, Any]] = []
        self._history: deque[dict[str, Any]] = deque(maxlen=HISTORY)
        self._held = 0
        self._next_id = 1
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._generation = 0
        self._closed = False

    # -- any thread ----------------------------------------------------------------------------

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update such as ``("message", {...})``; returns its update_id."""
        return self.push_raw({kind: payload})

    def push_raw(self, update: dict[str, Any]) -> int:
        """Queue ``update`` exactly as given (any content), with the next ``update_id`` unless
        it has one; returns its update_id."""
        with self._lock:
            update = dict(update)
            if "update_id" not in update:
                update = {"update_id": self._next_id, **update}
            if isinstance(update["update_id"], int):
                self._next_id = max(self._next_id, update["update_id"] + 1)
            self._updates.append(update)
            self._history.append(update)
        self._notify()
        return int(update["update_id"])

    def redeliver(self, update_id: int) -> None:
        """Queue an update that was already queued (and maybe delivered) once more."""
        with self._lock:
            found = [u for u in self._history if u.get("update_id") == update_id]
            if not found:
                raise AssertionError(f"no recent update {update_id} to deliver again")
            again = copy.deepcopy(found[-1])
            self._updates.append(again)
            self._again.append(again)
        self._notify()

    def last_id(self) -> int:
        """The update_id of the most recently queued update."""
        with self._lock:
            return self._next_id - 1

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Updates queued inside the block reach the bot together, when it ends."""
        with self._lock:
            self._held += 1
        try:
            yield
        finally:
            with self._lock:
                self._held -= 1
            self._notify()

    def pending(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (delivered or not)."""
        with self._lock:
            return list(self._updates)

    def drop_pending(self) -> None:
        with self._lock:
            self._updates.clear()
            self._again.clear()

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
                updates = [] if self._held else self._updates[:limit]
                delivered = {id(u) for u in updates}
                self._again = [u for u in self._again if id(u) not in delivered]
            remaining = deadline - loop.time()
            if updates or self._closed or remaining <= 0 or self._wakeup is None:
                return updates
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)

    def _confirm(self, offset: int) -> None:
        with self._lock:
            again = {id(u) for u in self._again}
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates
                                 if id(u) in again or _update_id(u) >= offset]

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


def _update_id(update: dict[str, Any]) -> int:
    """An update's id; a malformed one (pushed raw) counts as confirmed by any offset."""
    value = update.get("update_id")
    return value if isinstance(value, int) else -1
