"""Reading updates one by one, so that one python-telegram-bot cannot parse costs only itself.

`Bot.get_updates` parses a whole getUpdates answer at once: one update it cannot read (a poll
option without `persistent_id`, as an older local Bot API server sends) fails the batch, the
offset never moves past it, the same batch is fetched again and again, and PTB logs the whole
batch (other citizens' names and phone numbers) every time. Here each update is parsed on its
own; an unreadable one becomes an `UnreadableUpdate` that carries only its `update_id`, so the
offset moves past it, and the update processor skips it. It is logged once, without content.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, cast

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE, DefaultValue
from telegram._utils.types import JSONDict, ODVInput, TimePeriod
from telegram.ext import ExtBot

log = logging.getLogger(__name__)


class WebhookReadFailure(logging.Filter):
    """On a webhook, PTB refuses an update it cannot parse (400: Telegram retries it a few times,
    then gives up) and logs it at CRITICAL with its whole content (names, phone numbers): keep
    the fact, drop the content. Attached to PTB's `telegram.ext.Updater` logger."""

    PREFIX = "Something went wrong processing the data received from Telegram"

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(self.PREFIX) and record.args:
            error = record.exc_info[1] if record.exc_info else None
            record.msg = "An update on the webhook could not be read and was refused: %s"
            record.args = (type(error).__name__ if error is not None else "unknown error",)
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class UnreadableUpdate(Update):
    """Stands in for an update that could not be parsed: only its id, to confirm it."""

    __slots__ = ()


def read_update(data: object, bot: ExtBot[Any]) -> Update | None:
    """One raw update as an `Update`; an `UnreadableUpdate` (logged, no content) when it cannot
    be parsed, None when it does not even have an id."""
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        log.warning("Skipped an update without an update_id")
        return None
    try:
        update = Update.de_json(cast(JSONDict, data), bot)
    except Exception as exc:  # whatever the parser raises, only this update is lost
        kinds = ", ".join(sorted(str(key) for key in cast(JSONDict, data) if key != "update_id"))
        # The type of the error and the field names only: values may be personal data.
        log.warning("Update %s (%s) could not be read and was skipped: %s",
                    update_id, kinds or "empty", type(exc).__name__)
        return UnreadableUpdate(update_id)
    return update


class UpdateReadingBot(ExtBot[None]):
    """ExtBot whose `get_updates` parses each update on its own (see the module docstring)."""

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: TimePeriod | None = None,
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
        rate_limit_args: None = None,
    ) -> tuple[Update, ...]:
        # As Bot.get_updates: a long poll may take `timeout` on top of the read time-out.
        if isinstance(read_timeout, DefaultValue):
            base_timeout = self._request[0].read_timeout or 0.0
        else:
            base_timeout = read_timeout or 0.0
        seconds = timeout.total_seconds() if isinstance(timeout, timedelta) else timeout or 0
        data: JSONDict = {"timeout": timeout, "offset": offset, "limit": limit,
                          "allowed_updates": allowed_updates}
        result = await self._post(
            "getUpdates",
            data,
            read_timeout=base_timeout + seconds,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            api_kwargs=self._merge_api_rl_kwargs(api_kwargs, rate_limit_args),
        )
        updates = []
        for raw in result if isinstance(result, list) else ():
            update = read_update(raw, self)
            if update is not None:
                self.insert_callback_data(update)
                updates.append(update)
        return tuple(updates)
