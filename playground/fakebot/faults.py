"""Errors the test asks for: flood control, injected failures and users who blocked the bot."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

from .errors import ApiError, too_many_requests

BLOCKED = "Forbidden: bot was blocked by the user"


def is_sending_method(method: str) -> bool:
    """Methods that post or change messages (rate limited and refused for blocked users)."""
    name = method.lower()
    if name == "sendchataction":
        return False
    return name.startswith(("send", "edit", "copymessage", "forwardmessage"))


def busiest_second(times: list[float]) -> int:
    """The most calls in any one-second window (half-open, as the fake's limiter counts)."""
    times = sorted(times)
    most, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


class RateLimiter:
    """At most ``per_second`` sending calls in any sliding window of one second.

    A rate below one per second, e.g. 0.5, means one call per 1 / 0.5 = 2 seconds.
    Refused calls do not count towards the window.
    """

    def __init__(self) -> None:
        self._per_second: float | None = None
        self._retry_after = 1
        self._accepted: deque[float] = deque()

    def configure(self, per_second: float | None, retry_after: int) -> None:
        if per_second is not None and per_second <= 0:
            raise ValueError("per_second must be positive (or None to disable)")
        self._per_second = per_second
        self._retry_after = retry_after
        self._accepted.clear()

    def admit(self, now: float) -> ApiError | None:
        """Count a call made at ``now``; returns the 429 error when it is over the limit."""
        if self._per_second is None:
            return None
        allowed = max(1, int(self._per_second))
        window = 1.0 if self._per_second >= 1 else 1.0 / self._per_second
        while self._accepted and now - self._accepted[0] >= window:
            self._accepted.popleft()
        if len(self._accepted) >= allowed:
            return too_many_requests(self._retry_after)
        self._accepted.append(now)
        return None


@dataclass
class InjectedFailure:
    method: str
    error_code: int
    description: str
    chat_id: int | None
    remaining: int
    retry_after: int | None

    def matches(self, method: str, chat_id: object) -> bool:
        same_chat = self.chat_id is None or self.chat_id == chat_id
        return self.remaining > 0 and self.method.lower() == method.lower() and same_chat


@dataclass
class DroppedAnswer:
    """Carry the call out, then hang up without answering (the client cannot tell whether
    it was taken)."""

    method: str
    chat_id: int | None
    remaining: int

    def matches(self, method: str, chat_id: object) -> bool:
        same_chat = self.chat_id is None or str(self.chat_id) == str(chat_id)
        return self.remaining > 0 and self.method.lower() == method.lower() and same_chat


class FaultInjector:
    """Decides whether a call gets a simulated error instead of being carried out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: list[InjectedFailure] = []
        self._drops: list[DroppedAnswer] = []
        self._blocked: set[int] = set()
        self.rate_limiter = RateLimiter()

    def fail_next(self, failure: InjectedFailure) -> None:
        with self._lock:
            self._failures.append(failure)

    def drop_after(self, drop: DroppedAnswer) -> None:
        with self._lock:
            self._drops.append(drop)

    def take_drop(self, method: str, chat_id: object) -> bool:
        """Whether the answer to this call (already carried out) is to be dropped."""
        with self._lock:
            for drop in self._drops:
                if drop.matches(method, chat_id):
                    drop.remaining -= 1
                    return True
            return False

    def block(self, user_id: int) -> None:
        with self._lock:
            self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        with self._lock:
            self._blocked.discard(user_id)

    def set_rate_limit(self, per_second: float | None, retry_after: int) -> None:
        with self._lock:
            self.rate_limiter.configure(per_second, retry_after)

    def check(self, method: str, chat_id: object) -> ApiError | None:
        """The simulated error for this call, if any: injected, then blocked, then 429."""
        with self._lock:
            for failure in self._failures:
                if failure.matches(method, chat_id):
                    failure.remaining -= 1
                    return ApiError(
                        failure.error_code,
                        failure.description,
                        retry_after=failure.retry_after,
                        invalid=False,
                    )
            sending = is_sending_method(method)
            if chat_id in self._blocked and (sending or method.lower() == "sendchataction"):
                return ApiError(403, BLOCKED, invalid=False)
            return self.rate_limiter.admit(time.monotonic()) if sending else None
