"""What a failed send proves: not sent (retry), maybe sent (in doubt), or never to be sent.

python-telegram-bot 22 turns every failure into a `TelegramError`; which one, and the httpx
exception it keeps as `__cause__` (`raise … from err` in `telegram/request/_httpxrequest.py`),
tell how far the request got:

    RetryAfter (429)                     answered: not sent        → wait retry_after, retry
    Forbidden (403)                      answered: blocked the bot → user inactive, failed
    BadRequest (400), ChatMigrated,
    InvalidToken, Conflict               answered: refused         → failed, never retried
    NetworkError, no __cause__ (or a     answered 5xx (or another
      TelegramError: an unreadable body) status PTB has no class for): not sent → retry
    TimedOut    from httpx.ConnectTimeout  no connection was made    → retry
                from httpx.PoolTimeout     never left the pool       → retry
                from httpx.WriteTimeout    the request was not fully written, so Telegram
                                           cannot have acted on it   → retry
                from httpx.ReadTimeout     written, answer not read  → in doubt
    NetworkError from httpx.ConnectError   refused / unreachable     → retry
                 from httpx.WriteError     not fully written         → retry
                 from httpx.UnsupportedProtocol, LocalProtocolError, ProxyError
                                           not sent                  → retry
                 from httpx.ReadError, RemoteProtocolError ("Server disconnected without
                   sending a response"), CloseError, anything else
                                           the request may have been taken → in doubt

A NetworkError whose cause is not an httpx error ("Unknown error in HTTP implementation")
is in doubt too: when we cannot tell, the message is not sent again (SPEC §7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

import httpx
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

NOT_SENT_CAUSES: tuple[type[BaseException], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteTimeout,
    httpx.WriteError,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
    httpx.ProxyError,
)


class Verdict(Enum):
    RETRY = "retry"            # surely not sent: try again later (a bounded number of times)
    RATE_LIMITED = "rate_limited"  # 429: this message waits retry_after, then again
    IN_DOUBT = "in_doubt"      # may have reached Telegram: never sent again
    BLOCKED = "blocked"        # 403: the user blocked the bot
    REFUSED = "refused"        # Telegram refused it (400…): sending again would not help


@dataclass(frozen=True)
class Failure:
    verdict: Verdict
    detail: str
    retry_after: float = 0.0


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def classify(exc: TelegramError) -> Failure:
    """The verdict on a failed call, from the exception python-telegram-bot raised."""
    cause = exc.__cause__
    detail = f"{type(exc).__name__}: {exc.message}"
    if isinstance(exc, RetryAfter):
        return Failure(Verdict.RATE_LIMITED, detail, _seconds(exc.retry_after))
    if isinstance(exc, Forbidden):
        return Failure(Verdict.BLOCKED, detail)
    if isinstance(exc, BadRequest) or not isinstance(exc, NetworkError):
        return Failure(Verdict.REFUSED, detail)
    if cause is None or isinstance(cause, TelegramError):
        # Telegram (or a proxy before it) answered with an error status, 5xx: not sent.
        return Failure(Verdict.RETRY, detail)
    detail = f"{type(exc).__name__} from httpx.{type(cause).__name__}"
    if isinstance(cause, NOT_SENT_CAUSES):
        return Failure(Verdict.RETRY, detail)
    return Failure(Verdict.IN_DOUBT, detail)
