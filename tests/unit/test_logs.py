"""Log lines carry no secret and no personal data, whoever writes them."""

from __future__ import annotations

import io
import logging
import sys
import threading
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.logs import LibraryCap, RedactingFormatter, configure_logging, redact_personal_data

TOKEN = "123456:ABCdefGHIjklMNOpqr"


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Logging configured at DEBUG into a buffer; the previous setup restored afterwards."""
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, sys.excepthook, threading.excepthook)
    levels = {name: logging.getLogger(name).level for name in ("aiosqlite", "httpx", "telegram")}
    configure_logging(Settings(token=TOKEN, webhook_secret="hook-secret", log_level="DEBUG"))
    yield stream
    root.handlers[:], root.level, sys.excepthook, threading.excepthook = saved
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    logging.captureWarnings(False)


@pytest.mark.parametrize("phone", ["+90 532 123 45 67", "0532 123 45 67", "05321234567",
                                   "+905321234567", "532 123 45 67", "(532) 123-45-67"])
def test_mobile_numbers_in_any_form_are_blanked(phone: str) -> None:
    assert redact_personal_data(f"user typed {phone}.") == "user typed <phone>."


def test_a_dumped_update_keeps_its_ids_but_not_its_names() -> None:
    dumped = ('{"update_id": 5321234567, "message": {"from": {"id": 42, "first_name": "Ayşe", '
              '"last_name": "Yılmaz"}, "text": "Ayşe Yılmaz", "contact": {"phone_number": '
              '"905321234567"}}}')
    clean = redact_personal_data(dumped)
    assert "5321234567" in clean and '"id": 42' in clean
    assert "Ayşe" not in clean and "Yılmaz" not in clean and "905321234567" not in clean
    assert "Ayşe" not in redact_personal_data("{'first_name': 'Ayşe', 'is_bot': False}")


def test_libraries_are_capped_and_our_debug_lines_pass(captured: io.StringIO) -> None:
    logging.getLogger("aiosqlite").debug("executing %s", "INSERT … ('+905321234567')")
    logging.getLogger("httpx").info("POST https://api.telegram.org/bot%s/getMe", TOKEN)
    logging.getLogger("telegram.ext.Application").debug("update {'first_name': 'Ayşe'}")
    logging.getLogger("bot.jobs").debug("our own detail")
    logging.getLogger("storage.database").warning("token %s secret hook-secret", TOKEN)
    text = captured.getvalue()
    assert "executing" not in text and "getMe" not in text and "Ayşe" not in text
    assert "our own detail" in text
    assert TOKEN not in text and "hook-secret" not in text and "<redacted>" in text


def test_an_uncaught_exception_goes_through_the_redacting_formatter(
        captured: io.StringIO) -> None:
    try:
        raise RuntimeError(f"token {TOKEN} for 0532 123 45 67")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    text = captured.getvalue()
    assert "CRITICAL bot.uncaught: Uncaught exception" in text and "Traceback" in text
    assert TOKEN not in text and "0532 123 45 67" not in text


def test_the_cap_is_a_filter_so_later_loggers_are_covered_too() -> None:
    cap = LibraryCap()
    record = logging.LogRecord("some.new.library", logging.DEBUG, __file__, 1, "x", None, None)
    assert not cap.filter(record)
    record = logging.LogRecord("handlers.errors", logging.DEBUG, __file__, 1, "x", None, None)
    assert cap.filter(record)
    formatter = RedactingFormatter(Settings(token=TOKEN))
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "bot%s", (TOKEN,), None)
    assert TOKEN not in formatter.format(record)
