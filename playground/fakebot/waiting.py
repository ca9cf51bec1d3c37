"""Polling helper for tests that wait for the bot (which runs in another process)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from .models import ApiCall

T = TypeVar("T")
POLL_INTERVAL = 0.01
SUMMARY_CALLS = 10


def wait_for(
    predicate: Callable[[], T],
    timeout: float,
    message: str,
    calls: Sequence[ApiCall],
) -> T:
    """Call ``predicate`` every 10 ms until it returns something truthy, and return that.

    AssertionError and LookupError raised by the predicate count as "not yet" (so
    ``lambda: user.last().text == "x"`` works before any message exists).  On timeout an
    AssertionError names ``message``, the predicate's last error and the latest API calls.
    """
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            value = predicate()
        except (AssertionError, LookupError) as exc:
            last_error = exc
        else:
            if value:
                return value
            last_error = None
        if time.monotonic() >= deadline:
            break
        time.sleep(POLL_INTERVAL)
    lines = [f"timed out after {timeout:g}s waiting for: {message or 'condition'}"]
    if last_error is not None:
        lines.append(f"last error: {last_error!r}")
    lines.append(summarize_calls(calls))
    raise AssertionError("\n".join(lines))


def summarize_calls(calls: Sequence[ApiCall], count: int = SUMMARY_CALLS) -> str:
    """The last ``count`` API calls, leaving out the stream of getUpdates polls."""
    calls = list(calls)
    polls = sum(1 for call in calls if call.method == "getUpdates")
    others = [call for call in calls if call.method != "getUpdates"][-count:]
    lines = [f"last {len(others)} API calls (plus {polls} getUpdates):"]
    lines += [f"  {call.summary()}" for call in others] or ["  (none)"]
    return "\n".join(lines)
