"""Checks Telegram applies to message content: formatting, length limits, keyboards."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from bot.telegram_html import FormattedText, HtmlParseError, parse_html, utf16_len

from .errors import bad_request

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_ANSWER_LIMIT = 200
INLINE_BUTTON_ACTIONS = frozenset(
    {
        "url", "callback_data", "web_app", "login_url", "switch_inline_query",
        "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
        "callback_game", "pay",
    }
)  # fmt: skip
_MARKUP_KINDS = ("inline_keyboard", "keyboard", "remove_keyboard", "force_reply")


def format_text(text: str, parse_mode: str | None, entities: Any = None) -> FormattedText:
    """What the user sees: ``text`` after applying ``parse_mode`` (or explicit entities).

    Markdown and MarkdownV2 are accepted but not interpreted: the text is kept as sent.
    """
    if entities is not None:
        if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
            raise bad_request("can't parse entities JSON object")
        return FormattedText(text, entities).trimmed()
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            return parse_html(text).trimmed()
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    if mode in ("", "markdown", "markdownv2"):
        return FormattedText(text).trimmed()
    raise bad_request("unsupported parse_mode")


def message_text(params: dict[str, Any]) -> FormattedText:
    """The formatted ``text`` of sendMessage / editMessageText, checked for empty and length."""
    formatted = format_text(
        str(params.get("text", "")), params.get("parse_mode"), params.get("entities")
    )
    if not formatted.text:
        raise bad_request("message text is empty")
    if utf16_len(formatted.text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return formatted


def caption(params: dict[str, Any]) -> FormattedText | None:
    """The formatted ``caption`` of a media message, or None without one."""
    raw = params.get("caption")
    if raw is None:
        return None
    formatted = format_text(str(raw), params.get("parse_mode"), params.get("caption_entities"))
    if utf16_len(formatted.text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return formatted


def reply_markup(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validate a ``reply_markup`` parameter and return it (None when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict) or not any(kind in markup for kind in _MARKUP_KINDS):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_rows(markup["inline_keyboard"], "inline keyboard")
        for row in markup["inline_keyboard"]:
            for button in row:
                check_inline_button(button)
    elif inline_only:
        raise bad_request("inline keyboard expected")
    elif "keyboard" in markup:
        _check_rows(markup["keyboard"], "keyboard")
        for row in markup["keyboard"]:
            for button in row:
                _check_keyboard_button(button)
    return markup


def check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request('can\'t parse inline keyboard button: field "text" must be a String')
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = INLINE_BUTTON_ACTIONS & button.keys()
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be "
            f"used, got {sorted(actions)}"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not is_valid_button_url(button["url"]):
        raise bad_request("BUTTON_URL_INVALID")


def is_valid_button_url(url: Any) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        return bool(parts.hostname) and " " not in url
    return parts.scheme == "tg" and bool(parts.netloc)


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """All inline buttons of a markup, row by row."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]


def keyboard_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A reply keyboard's buttons, row by row, plain strings turned into ``{"text": ...}``."""
    if not markup or "keyboard" not in markup:
        return []
    return [b if isinstance(b, dict) else {"text": b} for row in markup["keyboard"] for b in row]


def _check_rows(rows: Any, what: str) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f"can't parse {what}: expected an Array of Arrays of buttons")


def _check_keyboard_button(button: Any) -> None:
    text = button if isinstance(button, str) else None
    if isinstance(button, dict):
        text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("can't parse keyboard button: text must be a non-empty String")
