"""Records the fake keeps: API calls, messages the bot sent, and stored files."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .validation import inline_buttons, keyboard_buttons


@dataclass
class ApiCall:
    """One HTTP request to the Bot API, recorded when it arrives and completed when answered.

    ``ok`` is False and ``error`` None while the call is still in progress (long polls).
    ``invalid`` marks calls rejected because the bot got something wrong (see ``rejected()``).
    """

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    ok: bool = False
    error: str | None = None
    at: float = field(default_factory=time.monotonic)
    error_code: int | None = None
    invalid: bool = False

    @property
    def pending(self) -> bool:
        return not self.ok and self.error is None

    def summary(self, width: int = 160) -> str:
        status = "ok" if self.ok else "..." if self.pending else f"{self.error_code} {self.error}"
        params = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        if self.files:
            params += f", files={sorted(self.files)}"
        if len(params) > width:
            params = params[: width - 3] + "..."
        return f"{self.method}({params}) -> {status}"


@dataclass
class BotMessage:
    """A message the bot sent, kept current through edits."""

    message_id: int
    chat_id: int
    method: str
    text: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    document: tuple[str, bytes] | None = None
    venue: dict[str, Any] | None = None
    edits: int = 0
    params: dict[str, Any] = field(default_factory=dict)
    location: dict[str, float] | None = None
    photo: tuple[str, bytes] | None = None
    deleted: bool = False
    date: int = field(default_factory=lambda: int(time.time()))
    edit_date: int | None = None
    # The Message JSON fields describing the content (text/entities, caption, document...).
    content: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def plain_text(self) -> str:
        """The text (or caption) as the user sees it: tags removed, entities unescaped."""
        return str(self.content.get("text", self.content.get("caption", "")))

    def buttons(self) -> list[str]:
        """Texts of the inline buttons, or of the reply keyboard buttons, row by row."""
        buttons = inline_buttons(self.reply_markup) or keyboard_buttons(self.reply_markup)
        return [button["text"] for button in buttons]

    def button(self, text: str) -> dict[str, Any]:
        """The inline (or reply keyboard) button with exactly this text."""
        buttons = inline_buttons(self.reply_markup) or keyboard_buttons(self.reply_markup)
        for button in buttons:
            if button["text"] == text:
                return button
        raise AssertionError(
            f"no button {text!r} on message {self.message_id} ({self.plain_text[:60]!r}); "
            f"buttons: {self.buttons()}"
        )

    @property
    def has_inline_keyboard(self) -> bool:
        return bool(inline_buttons(self.reply_markup))


@dataclass
class StoredFile:
    """A file the fake can hand out through getFile and the file download URL."""

    file_id: str
    file_unique_id: str
    file_path: str
    filename: str
    content: bytes
    mime_type: str

    def as_document(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.filename,
            "mime_type": self.mime_type,
            "file_size": len(self.content),
        }

    def as_photo(self) -> list[dict[str, Any]]:
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": 320,
                "height": 240,
                "file_size": len(self.content),
            }
        ]

    def as_file(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }
