"""Logging: one format, the token never written, and no personal data from libraries."""

from __future__ import annotations

import logging
import sys

from bot.config import Settings


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then blanks out secrets wherever they appear (tracebacks too)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.settings = settings

    def format(self, record: logging.LogRecord) -> str:
        return self.settings.without_token(super().format(record))


def configure_logging(settings: Settings) -> None:
    """Log to stderr at `LOG_LEVEL`, with the token redacted.

    httpx logs every request URL (which holds the token) at INFO, and python-telegram-bot logs
    whole updates and request parameters (names, phone numbers) at DEBUG; both libraries are
    kept above those levels whatever `LOG_LEVEL` says: DEBUG is for our own code.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(settings))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(max(logging.INFO, root.level))
    logging.getLogger("apscheduler").setLevel(max(logging.INFO, root.level))
