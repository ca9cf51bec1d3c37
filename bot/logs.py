"""Logging: one format, no secret and no personal data in any line, whoever wrote it.

Three layers, because one forgotten call must not leak a citizen's data:
1. Library loggers are capped whatever `LOG_LEVEL` says (`LOG_LEVEL=DEBUG` is for our own
   code): aiosqlite logs every query's arguments at DEBUG, httpx and httpcore log request
   URLs (which hold the token) at INFO and DEBUG, python-telegram-bot and APScheduler print
   whole updates at DEBUG. The cap is a filter on the one handler, so it also covers loggers
   that appear later; levels are set too, so that capped records are not even built.
2. Every line, tracebacks included, goes through `RedactingFormatter`: the token and the
   webhook secret become `<redacted>`, Turkish mobile numbers and the personal fields of a
   Telegram object dumped whole (`"first_name": "…"`, `'phone_number': '…'`) become `<…>`.
3. Uncaught exceptions (`sys.excepthook`, threads, the asyncio loop) and warnings are routed
   into logging, so they pass through the same formatter instead of raw stderr.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import threading
from types import TracebackType
from typing import Any

from bot.config import Settings

OWN_LOGGERS = ("bot", "handlers", "storage", "__main__")
LIBRARY_FLOOR = logging.INFO
# Loggers whose lines at INFO (or DEBUG) would carry the token or personal data.
STRICTER_FLOORS = {"httpx": logging.WARNING, "httpcore": logging.WARNING}
KNOWN_LIBRARIES = ("aiosqlite", "asyncio", "apscheduler", "telegram", "tornado", "httpx",
                   "httpcore", "hpack", "urllib3", "openpyxl", "babel")

# A Turkish mobile number written with a country or trunk prefix, or with separators:
# +90 532 123 45 67, 0532 123 45 67, 90(532)1234567, 532-123-45-67. A bare ten-digit run is
# left alone: Telegram user ids look the same and the logs need them.
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)?90[\s.-]?|0[\s.-]?)\(?5\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{2}[\s.-]?\d{2}"
    r"(?!\d)"
    r"|(?<![\d+])\(?5\d{2}\)?[\s.-]\d{3}[\s.-]?\d{2}[\s.-]?\d{2}(?!\d)"
)
# Personal fields of a Telegram object or a row printed whole, as JSON or as a Python repr.
_PERSONAL_FIELD = re.compile(
    r"""(?P<key>["'](?:first_name|last_name|username|phone_number|full_name|phone|text|caption|"""
    r"""vcard|title)["']\s*[:=]\s*)(?P<quote>["'])(?:\\.|(?!(?P=quote)).)*(?P=quote)""",
    re.DOTALL,
)


def redact_personal_data(text: str) -> str:
    """Blank out phone numbers and the personal fields of dumped objects."""
    text = _PERSONAL_FIELD.sub(lambda m: f"{m['key']}{m['quote']}<…>{m['quote']}", text)
    return _PHONE.sub("<phone>", text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then blanks out secrets and personal data (tracebacks too)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.settings = settings

    def format(self, record: logging.LogRecord) -> str:
        return redact_personal_data(self.settings.without_token(super().format(record)))


class LibraryCap(logging.Filter):
    """Lets our own loggers through at any level; libraries only at their floor or above."""

    def filter(self, record: logging.LogRecord) -> bool:
        top = record.name.split(".", 1)[0]
        if top in OWN_LOGGERS:
            return True
        if _is_invalid_token(record):
            return False  # `python -m bot` says so in one line, without the traceback
        return record.levelno >= STRICTER_FLOORS.get(top, LIBRARY_FLOOR)


def _is_invalid_token(record: logging.LogRecord) -> bool:
    error = record.exc_info[1] if record.exc_info else None
    return error is not None and type(error).__name__ == "InvalidToken" \
        and type(error).__module__.startswith("telegram")


def configure_logging(settings: Settings) -> None:
    """Log to stderr at `LOG_LEVEL` through the redacting formatter, libraries capped."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(settings))
    handler.addFilter(LibraryCap())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for name in KNOWN_LIBRARIES:
        floor = STRICTER_FLOORS.get(name, LIBRARY_FLOOR)
        logging.getLogger(name).setLevel(max(floor, root.level))
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(kind: type[BaseException], error: BaseException,
                  traceback: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, traceback)
        return
    logging.getLogger("bot.uncaught").critical("Uncaught exception",
                                               exc_info=(kind, error, traceback))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    logging.getLogger("bot.uncaught").error(
        "Uncaught exception in thread %s", args.thread.name if args.thread else "?",
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback))


def log_loop_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The asyncio loop's exception handler: through our logger (and formatter), no repr of
    the task's arguments (they can hold an update)."""
    error = context.get("exception")
    message = context.get("message", "Unhandled error in the event loop")
    logging.getLogger("bot.uncaught").error(
        "%s", message, exc_info=(type(error), error, error.__traceback__) if error else None)
