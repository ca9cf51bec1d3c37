"""Telegram's 429 answers: wait `retry_after` and send again, holding up only that call."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)


class RetryAfterLimiter(BaseRateLimiter[int]):
    """Retries a call that got 429 after the time Telegram asked for, a bounded number of times.

    Unlike PTB's AIORateLimiter it does not halt every chat: other chats' replies go on while
    one waits. Pacing of bulk sending is the broadcaster's job, not this one's.
    """

    def __init__(self, max_retries: int = 5) -> None:
        self.max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        for attempt in range(self.max_retries + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self.max_retries:
                    raise
                delay = exc.retry_after
                seconds = delay.total_seconds() if hasattr(delay, "total_seconds") else delay
                log.info("Telegram asked to wait %.1f s before %s; waiting", seconds, endpoint)
                await asyncio.sleep(float(seconds))
        raise AssertionError("unreachable")
