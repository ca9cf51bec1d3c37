"""The framework's ceiling: a bare python-telegram-bot bot with fixed answers and no database.

It makes the same Telegram calls per journey step as the real bot (SPEC §10):

* a command or a plain text → one ``sendMessage`` with inline buttons;
* a button press → ``answerCallbackQuery``, then ``editMessageText`` with inline buttons.

Same PTB, same long polling (``run_polling``), same defaults (HTML parse mode, no link
previews), and PTB's DEFAULT update processing: one update at a time, no
``concurrent_updates`` (SPEC §10 compares against the framework as it comes).  The edit
text carries a counter because Telegram (and the fake) refuse an edit that changes nothing
("message is not modified").

Run like the real bot, as a subprocess: ``python bench/bare_bot.py`` with TELEGRAM_BOT_TOKEN,
TELEGRAM_API_BASE_URL (``http://127.0.0.1:PORT/bot``), LOG_LEVEL and PTB_TIMEDELTA=1.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

MESSAGE_TEXT = "<b>Ücretsiz kurslar</b>: bir seçenek seçin."
# Labels shaped like the real bot's (districts "Çiğli (3)", a "Geri" button), so the
# benchmark's citizens can walk the same journey on either bot.
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Seçenek A (1)", callback_data="opt:a"),
            InlineKeyboardButton("Seçenek B (2)", callback_data="opt:b"),
        ],
        [
            InlineKeyboardButton("Seçenek C (3)", callback_data="opt:c"),
            InlineKeyboardButton("Seçenek D (4)", callback_data="opt:d"),
        ],
        [InlineKeyboardButton("Geri", callback_data="back")],
    ]
)
_edits = itertools.count(1)

AnyContext = ContextTypes.DEFAULT_TYPE


async def on_message(update: Update, context: AnyContext) -> None:
    """Any command or text: a new message with buttons."""
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, MESSAGE_TEXT, reply_markup=KEYBOARD)


async def on_button(update: Update, context: AnyContext) -> None:
    """Any button: answer the query, then edit its message (text + buttons)."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await query.edit_message_text(
        f"<b>Seçim</b>: {query.data} (#{next(_edits)})", reply_markup=KEYBOARD
    )


def build(token: str, base_url: str | None) -> Application[Any, Any, Any, Any, Any, Any]:
    builder = (
        Application.builder()
        .token(token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
    )
    if base_url:
        base = base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.removesuffix("/bot") + "/file/bot")
    app = builder.build()
    app.add_handler(MessageHandler(filters.COMMAND | filters.TEXT, on_message))
    app.add_handler(CallbackQueryHandler(on_button))
    return app


def main() -> int:
    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if not token:
        print("TELEGRAM_BOT_TOKEN is required", file=sys.stderr)
        return 2
    level = (os.environ.get("LOG_LEVEL") or "WARNING").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    build(token, os.environ.get("TELEGRAM_API_BASE_URL")).run_polling(
        allowed_updates=Update.ALL_TYPES
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
