"""Pacing the messages the bot sends on its own: never above a rate, all chats together.

Spacing calls 1/rate apart when they *start* is not enough: the server counts them when they
*arrive*, and one call that reaches it late (a busy machine, a slow network) lets the next
ones bunch up behind it, so a one-second window there can hold one call too many. A call
surely arrived before its answer came back, so the pacer also holds each call until one
second after the call `rate` places before it *finished*: then no one-second window at the
server can hold more than `rate` calls, whatever the delays. The cost is one round trip per
second of sending (about 0.5 % on a local server, a few per cent against Telegram).

Calls are spaced on a grid 1/rate apart, so a wake-up that comes a little late (a busy event
loop, a slow answer) is not carried into every later slot: the next few calls make up for it,
up to CATCH_UP slots; a call later than that starts a new grid. The one-second rule above
still holds while they catch up.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

CATCH_UP = 3  # slots a late call may be made up for


class Pacer:
    """At most `per_second` calls in any one-second window, evenly spaced (no bursts)."""

    def __init__(self, per_second: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / per_second
        # Below one a second, e.g. 0.5: one call in any window of 1 / 0.5 = 2 seconds.
        self.per_window = max(1, math.floor(per_second))
        self.window = max(1.0, self.interval)
        self._clock = clock
        self._planned = -math.inf  # the next call's place on the grid
        self._finished: deque[float] = deque(maxlen=self.per_window)
        self._lock = asyncio.Lock()

    def _earliest(self) -> float:
        earliest = self._planned
        if len(self._finished) == self.per_window:
            earliest = max(earliest, self._finished[0] + self.window)
        return earliest

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Wait for the next free slot, then make one call inside the block."""
        async with self._lock:
            while (delay := self._earliest() - self._clock()) > 0:
                await asyncio.sleep(delay)
            start = self._clock()
            self._planned = max(self._planned, start - CATCH_UP * self.interval) + self.interval
            try:
                yield
            finally:
                self._finished.append(self._clock())
