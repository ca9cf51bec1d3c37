"""Telegram's 429 answers: wait `retry_after` and send again, holding up only that call."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.updates import turn_given_up

log = logging.getLogger(__name__)


# A 429 is answered to every call over Telegram's limit at that moment; waiting exactly
# retry_after would send them all back at the same instant, to be refused again together.
JITTER = 0.5  # seconds, at most, added at random to retry_after


class RetryAfterLimiter(BaseRateLimiter[None]):
    """Sends a call that got 429 again after the time Telegram asked for (SPEC §9: a reply is
    sent late, never dropped).

    Unlike PTB's AIORateLimiter it does not halt every chat: other chats' replies go on while
    one waits. Pacing of bulk sending is the broadcaster's job, not this one's. The bound on
    retries only stops a call that Telegram refuses for many minutes on end.
    """

    def __init__(self, max_retries: int = 100) -> None:
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
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        for attempt in range(self.max_retries + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self.max_retries:
                    raise
                delay = exc.retry_after
                seconds = delay.total_seconds() if hasattr(delay, "total_seconds") else delay
                log.debug("Telegram asked to wait %.1f s before %s; waiting", seconds, endpoint)
                async with turn_given_up():  # other updates run meanwhile
                    await asyncio.sleep(float(seconds) + random.uniform(0, JITTER))
        raise AssertionError("unreachable")
