"""Everything the fake Telegram remembers: chats, messages, files, callback queries, commands.

All of it is guarded by ``TelegramState.lock`` (re-entrant): the HTTP handlers run on the
server thread, the test drives users from its own thread.
"""

from __future__ import annotations

import itertools
import json
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .faults import FaultInjector
from .models import ApiCall, BotMessage, StoredFile
from .updates import UpdateQueue


@dataclass
class ChatLog:
    """One chat: who may be written to, what the bot sent there, and the users' messages."""

    chat: dict[str, Any]
    known: bool = False  # somebody wrote here, so the bot may send to this chat
    bot_messages: list[BotMessage] = field(default_factory=list)
    user_messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Every send and edit by the bot, in order: ("send" | "edit", message).
    events: list[tuple[str, BotMessage]] = field(default_factory=list)
    reply_keyboard: dict[str, Any] | None = None
    # Grows with every change a viewer of this chat would see (the playground page polls it).
    version: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def id(self) -> int:
        return int(self.chat["id"])

    def new_message_id(self) -> int:
        return next(self._ids)

    def find_bot_message(self, message_id: Any) -> BotMessage | None:
        for message in self.bot_messages:
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def has_message(self, message_id: Any) -> bool:
        return message_id in self.user_messages or self.find_bot_message(message_id) is not None

    def touch(self) -> None:
        self.version += 1

    def record_send(self, message: BotMessage) -> None:
        self.touch()
        self.bot_messages.append(message)
        self.events.append(("send", message))
        markup = message.reply_markup or {}
        if "keyboard" in markup:
            self.reply_keyboard = markup
        elif "remove_keyboard" in markup:
            self.reply_keyboard = None

    def record_edit(self, message: BotMessage) -> None:
        self.touch()
        self.events.append(("edit", message))


class FileStore:
    """Files users sent and files the bot uploaded, reachable by file_id and by file_path."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def add(
        self, filename: str, content: bytes, mime_type: str | None = None, folder: str = "documents"
    ) -> StoredFile:
        with self._lock:
            number = next(self._numbers)
        suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        stored = StoredFile(
            file_id=f"FAKE-{folder[:3].upper()}-{number:06d}-fileid",
            file_unique_id=f"FAKEU{number:06d}",
            file_path=f"{folder}/file_{number}.{suffix}",
            filename=filename,
            content=content,
            mime_type=mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream",
        )
        with self._lock:
            self._by_id[stored.file_id] = stored
            self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: Any) -> StoredFile | None:
        with self._lock:
            return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        with self._lock:
            return self._by_path.get(file_path)


@dataclass
class CallbackQuery:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answer: dict[str, Any] | None = None


class CallbackRegistry:
    """Callback queries sent to the bot and the bot's answers to them."""

    def __init__(self) -> None:
        self._queries: dict[str, CallbackQuery] = {}
        self._numbers = itertools.count(1)

    def new(self, user_id: int, chat_id: int, message_id: int, data: str) -> CallbackQuery:
        query = CallbackQuery(f"{next(self._numbers)}{user_id}", user_id, chat_id, message_id, data)
        self._queries[query.id] = query
        return query

    def get(self, query_id: Any) -> CallbackQuery | None:
        return self._queries.get(str(query_id))

    def all(self) -> list[CallbackQuery]:
        return list(self._queries.values())

    def answers_for(self, user_id: int) -> list[dict[str, Any]]:
        return [
            q.answer
            for q in self._queries.values()
            if q.user_id == user_id and q.answer is not None
        ]


class CommandStore:
    """setMyCommands results per (scope, language_code)."""

    def __init__(self) -> None:
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}

    @staticmethod
    def key(scope: Any, language_code: Any) -> tuple[str, str]:
        if isinstance(scope, str):
            scope = {"type": scope}
        return json.dumps(scope or {"type": "default"}, sort_keys=True), str(language_code or "")

    def set(self, scope: Any, language_code: Any, commands: list[dict[str, Any]]) -> None:
        self._commands[self.key(scope, language_code)] = commands

    def get(self, scope: Any, language_code: Any) -> list[dict[str, Any]]:
        return list(self._commands.get(self.key(scope, language_code), []))

    def delete(self, scope: Any, language_code: Any) -> None:
        self._commands.pop(self.key(scope, language_code), None)


class TelegramState:
    """The whole fake world, shared by the HTTP API and the test-side helpers."""

    def __init__(self, token: str, me: dict[str, Any]) -> None:
        self.lock = threading.RLock()
        self.token = token
        self.me = me
        self.calls: list[ApiCall] = []
        self.chats: dict[int, ChatLog] = {}
        self.updates = UpdateQueue()
        self.files = FileStore()
        self.callbacks = CallbackRegistry()
        self.commands = CommandStore()
        self.faults = FaultInjector()

    def bot_user(self) -> dict[str, Any]:
        return {key: self.me[key] for key in ("id", "is_bot", "first_name", "username")}

    def add_chat(self, chat: dict[str, Any], *, known: bool = False) -> ChatLog:
        with self.lock:
            log = self.chats.get(chat["id"])
            if log is None:
                log = self.chats[chat["id"]] = ChatLog(chat, known=known)
            return log

    def message_json(self, message: BotMessage) -> dict[str, Any]:
        """The full Telegram Message object for a bot message, as the API returns it."""
        body: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.bot_user(),
            "chat": self.chats[message.chat_id].chat,
            "date": message.date,
            **message.content,
        }
        if message.edit_date is not None:
            body["edit_date"] = message.edit_date
        if message.has_inline_keyboard:
            body["reply_markup"] = message.reply_markup
        return body

    # -- things users do -----------------------------------------------------------------------

    def post_message(self, chat_id: int, sender: dict[str, Any], content: dict[str, Any]) -> int:
        """A user writes to a chat: store the message and queue the update; returns its id."""
        with self.lock:
            log = self.chats[chat_id]
            log.known = True
            message = {
                "message_id": log.new_message_id(),
                "from": sender,
                "chat": log.chat,
                "date": int(time.time()),
                **content,
            }
            log.user_messages[message["message_id"]] = message
            log.touch()
            self.updates.push("message", message)
            return int(message["message_id"])

    def edit_user_message(self, chat_id: int, message_id: int, content: dict[str, Any]) -> None:
        with self.lock:
            log = self.chats[chat_id]
            original = log.user_messages.get(message_id)
            if original is None:
                raise AssertionError(f"chat {chat_id} has no user message {message_id}")
            edited = {key: value for key, value in original.items() if key != "entities"}
            edited.update(content, edit_date=int(time.time()))
            log.user_messages[message_id] = edited
            log.touch()
            self.updates.push("edited_message", edited)

    def post_callback_query(
        self, sender: dict[str, Any], chat_id: int, message_id: int, data: str
    ) -> str:
        """A user presses an inline button; returns the callback query id."""
        with self.lock:
            log = self.chats[chat_id]
            log.known = True
            query = self.callbacks.new(sender["id"], chat_id, message_id, data)
            bot_message = log.find_bot_message(message_id)
            message = (
                self.message_json(bot_message)
                if bot_message is not None
                else {"chat": log.chat, "message_id": message_id, "date": 0}  # inaccessible
            )
            self.updates.push(
                "callback_query",
                {
                    "id": query.id,
                    "from": sender,
                    "message": message,
                    "chat_instance": f"{chat_id}{self.me['id']}",
                    "data": data,
                },
            )
            return query.id
