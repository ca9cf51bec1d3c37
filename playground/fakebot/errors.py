"""The error a fake Bot API method answers with, shaped like Telegram's ``ok: false`` replies."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An ``{"ok": false, ...}`` answer.

    ``invalid`` tells whether the bot made a mistake (bad parameters, malformed HTML, unknown
    chat, wrong token...).  Errors the test asked for (rate limiting, ``fail_next``, blocked
    users) and getUpdates conflicts are not invalid; only invalid calls show up in
    ``FakeTelegram.rejected()``.
    """

    def __init__(
        self,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        invalid: bool = True,
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after
        self.invalid = invalid

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    """A 400 answer; ``reason`` is the text after ``"Bad Request: "``."""
    return ApiError(400, f"Bad Request: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429,
        f"Too Many Requests: retry after {retry_after}",
        retry_after=retry_after,
        invalid=False,
    )
