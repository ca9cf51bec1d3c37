"""Pacing bulk sends: never faster than a rate, all chats together."""

from __future__ import annotations

import asyncio
import time


class Pacer:
    """Spaces calls at least 1/rate seconds apart (a steady rate, no bursts)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = time.monotonic()
            if self._next > now:
                await asyncio.sleep(self._next - now)
                now = self._next
            self._next = now + self.interval
