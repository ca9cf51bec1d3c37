"""Test-side actors: a user in a private chat with the bot, and a group chat."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from bot.telegram_html import utf16_len

from .models import BotMessage
from .state import ChatLog, TelegramState
from .waiting import wait_for

_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
_FAKE_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00fakebot photo\xff\xd9"
_FAKE_WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 fakebot sticker"
OTHER_CONTACT_OFFSET = 1_000_000
T = TypeVar("T")


def text_content(text: str) -> dict[str, Any]:
    """A user's text message, with the bot_command entity Telegram adds to ``/command``."""
    content: dict[str, Any] = {"text": text}
    match = _COMMAND_RE.match(text)
    if match:
        length = utf16_len(match.group())
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return content


class ChatView:
    """The bot's messages in one chat, and waiting for the one a test means.

    Every wait names its message: a fragment of its text (``containing``) and/or a predicate
    (``where``). "The next" or "the latest" message is a race on a busy machine: a reminder,
    an offer or a late edit can arrive in between. Waits look at what the bot sent or edited
    after a mark, which every action (send_*, press, edit_text) moves to "now" before the
    update is queued.
    """

    def __init__(self, state: TelegramState, chat_id: int) -> None:
        self._state = state
        self._chat_id = chat_id
        self._mark = 0

    @property
    def chat_id(self) -> int:
        return self._chat_id

    @property
    def messages(self) -> list[BotMessage]:
        """All bot messages in this chat, in order (deleted ones too, flagged ``deleted``)."""
        with self._state.lock:
            return list(self._log.bot_messages)

    def last(self) -> BotMessage:
        """The bot's most recent message here that was not deleted."""
        visible = [message for message in self.messages if not message.deleted]
        if not visible:
            raise AssertionError(f"the bot has sent nothing (visible) to chat {self._chat_id}")
        return visible[-1]

    def wait_reply(self, containing: str | None = None, *,
                   where: Callable[[BotMessage], bool] | None = None,
                   timeout: float = 10.0) -> BotMessage:
        """Wait for the first message sent or edited here since the last action whose plain
        text contains ``containing`` and for which ``where`` holds; return it."""
        matches = _matcher(containing, where)

        def first() -> BotMessage | None:
            return next((m for _, m in self._events_since_mark() if matches(m)), None)

        what = f"a bot message {_describe(containing, where)} in chat {self._chat_id} " \
               "since the last action"
        return self._wait(first, timeout, what)

    def wait_messages(self, n: int, containing: str | None = None, *,
                      where: Callable[[BotMessage], bool] | None = None,
                      timeout: float = 10.0) -> list[BotMessage]:
        """Wait until the bot sent ``n`` new messages here since the last action that match
        (``containing`` in the plain text, ``where``); the first n, in order."""
        matches = _matcher(containing, where)

        def sent() -> list[BotMessage] | None:
            found = [m for kind, m in self._events_since_mark() if kind == "send" and matches(m)]
            return found[:n] if len(found) >= n else None

        what = f"{n} new bot message(s) {_describe(containing, where)} in chat " \
               f"{self._chat_id} since the last action"
        return self._wait(sent, timeout, what)

    @property
    def _log(self) -> ChatLog:
        return self._state.chats[self._chat_id]

    def _events_since_mark(self) -> list[tuple[str, BotMessage]]:
        with self._state.lock:
            return self._log.events[self._mark :]

    def _set_mark(self) -> None:
        """Call with the state lock held, right before queueing the action's update."""
        self._mark = len(self._log.events)

    def _wait(self, predicate: Callable[[], T | None], timeout: float, what: str) -> T:
        result = wait_for(predicate, timeout, what, self._state.calls)
        assert result is not None
        return result


def _matcher(containing: str | None,
             where: Callable[[BotMessage], bool] | None) -> Callable[[BotMessage], bool]:
    if containing is None and where is None:
        raise TypeError("name the message you wait for: containing=... and/or where=...")

    def matches(message: BotMessage) -> bool:
        if message.deleted:
            return False
        if containing is not None and containing not in message.plain_text:
            return False
        return where is None or bool(where(message))

    return matches


def _describe(containing: str | None, where: Callable[[BotMessage], bool] | None) -> str:
    parts = [f"containing {containing!r}"] if containing is not None else []
    if where is not None:
        parts.append(f"matching {getattr(where, '__name__', 'a predicate')}")
    return " and ".join(parts)


class FakeUser(ChatView):
    """A Telegram user talking to the bot in a private chat (chat id == user id)."""

    def __init__(self, state: TelegramState, user: dict[str, Any]) -> None:
        super().__init__(state, int(user["id"]))
        self._user = user
        self.id: int = int(user["id"])
        self.first_name: str = user["first_name"]
        self.last_name: str | None = user.get("last_name")
        self.username: str | None = user.get("username")
        self.language_code: str | None = user.get("language_code")

    def __repr__(self) -> str:
        return f"FakeUser(id={self.id}, first_name={self.first_name!r})"

    def as_json(self) -> dict[str, Any]:
        """The Telegram User object (``from`` of this user's messages)."""
        return dict(self._user)

    def set_language(self, language_code: str | None) -> None:
        """The language of this user's Telegram app, sent with every later update."""
        with self._state.lock:
            if language_code:
                self._user["language_code"] = language_code
            else:
                self._user.pop("language_code", None)
            self.language_code = language_code

    @property
    def reply_keyboard(self) -> dict[str, Any] | None:
        """The reply keyboard the bot currently shows this user (None if none or removed)."""
        with self._state.lock:
            return self._log.reply_keyboard

    # -- messages ------------------------------------------------------------------------------

    def send_text(self, text: str) -> int:
        return self._post(text_content(text))

    def send_location(self, latitude: float, longitude: float) -> int:
        return self._post({"location": {"latitude": latitude, "longitude": longitude}})

    def send_contact(self, phone_number: str, *, own: bool = True) -> int:
        contact: dict[str, Any] = {"phone_number": phone_number}
        if own:
            contact.update(first_name=self.first_name, user_id=self.id)
            if self.last_name:
                contact["last_name"] = self.last_name
        else:
            contact.update(first_name="Başka Kişi", user_id=self.id + OTHER_CONTACT_OFFSET)
        return self._post({"contact": contact})

    def send_sticker(self) -> int:
        stored = self._state.files.add("sticker.webp", _FAKE_WEBP, "image/webp", "stickers")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._post({"sticker": sticker})

    def send_photo(self) -> int:
        stored = self._state.files.add("photo.jpg", _FAKE_JPEG, "image/jpeg", "photos")
        return self._post({"photo": stored.as_photo()})

    def send_document(self, filename: str, content: bytes, mime_type: str = "text/csv") -> int:
        """Send a file; the bot can fetch it with getFile and the file download URL."""
        stored = self._state.files.add(filename, content, mime_type)
        return self._post({"document": stored.as_document()})

    def send_content(self, content: dict[str, Any]) -> int:
        """Any Message content as it is (``{"dice": {...}}``, ``{"voice": {...}}``…)."""
        return self._post(content)

    @property
    def own_message_ids(self) -> list[int]:
        """Ids of the messages this user wrote here (what ``edit_text`` can edit)."""
        with self._state.lock:
            return sorted(self._log.user_messages)

    def edit_text(self, message_id: int, text: str) -> None:
        """Edit one of this user's messages (the bot gets an ``edited_message`` update)."""
        with self._state.lock:
            self._set_mark()
            self._state.edit_user_message(self.id, message_id, text_content(text))

    def _post(self, content: dict[str, Any]) -> int:
        with self._state.lock:
            self._set_mark()
            return self._state.post_message(self.id, self.as_json(), content)

    # -- inline buttons ------------------------------------------------------------------------

    def press(self, button_text: str, message: BotMessage | None = None) -> str:
        """Press an inline button (default: on the latest bot message here that has it).

        Returns the callback query id; AssertionError if there is no such callback button.
        """
        with self._state.lock:
            target = message or self._latest_with_button(button_text)
            button = target.button(button_text)
            if "callback_data" not in button:
                raise AssertionError(f"button {button_text!r} has no callback_data: {button}")
            self._set_mark()
            return self._state.post_callback_query(
                self.as_json(), target.chat_id, target.message_id, button["callback_data"]
            )

    def press_data(self, callback_data: str, message_id: int) -> str:
        """Send any callback data for any message id (forged or stale button presses)."""
        with self._state.lock:
            self._set_mark()
            return self._state.post_callback_query(
                self.as_json(), self.id, message_id, callback_data
            )

    def answers(self) -> list[dict[str, Any]]:
        """The bot's answerCallbackQuery parameters for this user's presses, in order."""
        with self._state.lock:
            return self._state.callbacks.answers_for(self.id)

    def _latest_with_button(self, button_text: str) -> BotMessage:
        for message in reversed(self._log.bot_messages):
            if not message.deleted and button_text in message.buttons():
                return message
        latest = next((m.buttons() for m in reversed(self._log.bot_messages)
                       if m.has_inline_keyboard and not m.deleted), [])
        raise AssertionError(f"no bot message with a button {button_text!r} in chat {self.id}; "
                             f"the latest inline buttons: {latest}")


class FakeGroup(ChatView):
    """A group chat the bot is a member of."""

    def __init__(self, state: TelegramState, chat: dict[str, Any]) -> None:
        super().__init__(state, int(chat["id"]))
        self.id: int = int(chat["id"])
        self.title: str = chat["title"]

    def __repr__(self) -> str:
        return f"FakeGroup(id={self.id}, title={self.title!r})"

    def send_text(self, from_user: FakeUser, text: str) -> int:
        """A message from ``from_user`` in this group; returns its message_id."""
        with self._state.lock:
            self._set_mark()
            return self._state.post_message(self.id, from_user.as_json(), text_content(text))
