"""The Bot API methods the fake implements, with Telegram's checks and error messages.

Every handler first validates (answering 400 for mistakes), then passes the gate (injected
failures, blocked users, flood control) and only then changes the state.  Methods that are
in the Bot API but not implemented here are accepted when they merely return True; others
answer 400 "fakebot does not implement ..." so a test notices.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.telegram_html import FormattedText, utf16_len

from . import validation
from .api_spec import ApiSpec, MethodSpec, guess_decode
from .errors import ApiError, bad_request
from .models import ApiCall, BotMessage, StoredFile
from .state import ChatLog, TelegramState

log = logging.getLogger(__name__)

Files = dict[str, tuple[str, bytes]]
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note",
        "upload_video_note",
    }
)  # fmt: skip
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


@dataclass
class ApiRequest:
    method: str
    params: dict[str, Any]
    files: Files


Handler = Callable[[ApiRequest], Any]


class BotApi:
    """Answers Bot API calls against a ``TelegramState``."""

    def __init__(self, state: TelegramState, spec: ApiSpec) -> None:
        self._state = state
        self._spec = spec
        handlers: dict[str, Handler] = {
            "getMe": self.get_me,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendMessage": self.send_message,
            "sendDocument": self.send_document,
            "sendPhoto": self.send_photo,
            "sendLocation": self.send_location,
            "sendVenue": self.send_venue,
            "sendChatAction": self.send_chat_action,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "getFile": self.get_file,
        }
        self._handlers = {name.lower(): handler for name, handler in handlers.items()}

    # -- dispatch ------------------------------------------------------------------------------

    async def handle(
        self, token: str, method: str, raw: dict[str, Any], files: Files
    ) -> tuple[int, dict[str, Any]]:
        """Answer one HTTP call; returns (HTTP status, JSON body)."""
        call = ApiCall(method, {k: guess_decode(v) for k, v in raw.items()}, files)
        with self._state.lock:
            self._state.calls.append(call)
        try:
            result = await self._execute(call, token, raw, files)
        except ApiError as exc:
            self._finish(call, exc)
            return exc.error_code, exc.payload()
        except asyncio.CancelledError:  # the client hung up (a stopping bot's long poll)
            with self._state.lock:
                call.error = "client disconnected"
            raise
        except Exception as exc:  # a bug in the fake: make it loud, not a hang
            log.exception("fakebot failed on %s", call.summary())
            error = ApiError(500, f"Internal Server Error: fakebot crashed: {exc!r}")
            self._finish(call, error)
            return 500, error.payload()
        return 200, {"ok": True, "result": result}

    async def _execute(self, call: ApiCall, token: str, raw: dict[str, Any], files: Files) -> Any:
        if token != self._state.token:
            raise ApiError(401, "Unauthorized")
        spec = self._spec.get(call.method)
        if spec is None:
            raise ApiError(404, "Not Found: method not found")
        call.method = spec.name
        call.params = params = spec.decode(raw)
        spec.check(params, files)
        request = ApiRequest(spec.name, params, files)
        if spec.name == "getUpdates":
            updates = await self.get_updates(request)
            call.ok = True
            return updates
        handler = self._handlers.get(spec.name.lower())
        with self._state.lock:
            result = handler(request) if handler else self._generic(spec, request)
            call.ok = True  # in the same critical section as the state change it made
            return result

    def _finish(self, call: ApiCall, error: ApiError) -> None:
        with self._state.lock:
            call.error_code = error.error_code
            call.invalid = error.invalid
            call.error = error.description

    def _gate(self, request: ApiRequest, chat_id: Any = None) -> None:
        """Raise the simulated error (injected, blocked, 429) this call should get, if any."""
        error = self._state.faults.check(request.method, chat_id)
        if error is not None:
            raise error

    def _generic(self, spec: MethodSpec, request: ApiRequest) -> bool:
        if spec.returns != ("Boolean",):
            raise bad_request(f"fakebot does not implement {spec.name}")
        chat_id = request.params.get("chat_id")
        if chat_id is not None:
            self._chat(request.params)
        self._gate(request, chat_id)
        return True

    # -- bot and updates -----------------------------------------------------------------------

    def get_me(self, request: ApiRequest) -> dict[str, Any]:
        self._gate(request)
        return dict(self._state.me)

    async def get_updates(self, request: ApiRequest) -> list[Any]:
        self._gate(request)
        params = request.params
        return await self._state.updates.poll(
            params.get("offset"), params.get("limit"), params.get("timeout")
        )

    def delete_webhook(self, request: ApiRequest) -> bool:
        self._gate(request)
        if request.params.get("drop_pending_updates"):
            self._state.updates.drop_pending()
        return True

    def get_webhook_info(self, request: ApiRequest) -> dict[str, Any]:
        self._gate(request)
        pending = len(self._state.updates.pending())
        return {"url": "", "has_custom_certificate": False, "pending_update_count": pending}

    def set_my_commands(self, request: ApiRequest) -> bool:
        params = request.params
        commands = params["commands"]
        _check_commands(commands)
        self._gate(request)
        self._state.commands.set(params.get("scope"), params.get("language_code"), commands)
        return True

    def get_my_commands(self, request: ApiRequest) -> list[dict[str, Any]]:
        self._gate(request)
        params = request.params
        return self._state.commands.get(params.get("scope"), params.get("language_code"))

    def delete_my_commands(self, request: ApiRequest) -> bool:
        self._gate(request)
        self._state.commands.delete(
            request.params.get("scope"), request.params.get("language_code")
        )
        return True

    # -- sending -------------------------------------------------------------------------------

    def send_message(self, request: ApiRequest) -> dict[str, Any]:
        params = request.params
        chat = self._chat(params)
        text = validation.message_text(params)
        markup = validation.reply_markup(params.get("reply_markup"))
        self._check_reply_target(chat, params)
        self._gate(request, chat.id)
        return self._publish(chat, request, _text_content(text), markup, text=params["text"])

    def send_document(self, request: ApiRequest) -> dict[str, Any]:
        return self._send_file(request, "document", "documents")

    def send_photo(self, request: ApiRequest) -> dict[str, Any]:
        return self._send_file(request, "photo", "photos")

    def _send_file(self, request: ApiRequest, kind: str, folder: str) -> dict[str, Any]:
        """sendDocument / sendPhoto: a stored file with an optional caption and keyboard."""
        params = request.params
        chat = self._chat(params)
        caption = validation.caption(params)
        markup = validation.reply_markup(params.get("reply_markup"))
        self._check_reply_target(chat, params)
        stored = self._input_file(request, kind, folder)
        self._gate(request, chat.id)
        shown = stored.as_document() if kind == "document" else stored.as_photo()
        content = {kind: shown, **_caption_content(caption)}
        return self._publish(chat, request, content, markup, text=params.get("caption"),
                             **{kind: (stored.filename, stored.content)})

    def send_location(self, request: ApiRequest) -> dict[str, Any]:
        params = request.params
        chat = self._chat(params)
        location = _location(params)
        markup = validation.reply_markup(params.get("reply_markup"))
        self._check_reply_target(chat, params)
        self._gate(request, chat.id)
        return self._publish(chat, request, {"location": location}, markup, location=location)

    def send_venue(self, request: ApiRequest) -> dict[str, Any]:
        params = request.params
        chat = self._chat(params)
        location = _location(params)
        title, address = str(params["title"]), str(params["address"])
        markup = validation.reply_markup(params.get("reply_markup"))
        self._check_reply_target(chat, params)
        self._gate(request, chat.id)
        content = {
            "venue": {"location": location, "title": title, "address": address},
            "location": location,
        }
        venue = {**location, "title": title, "address": address}
        return self._publish(chat, request, content, markup, venue=venue, location=location)

    def send_chat_action(self, request: ApiRequest) -> bool:
        chat = self._chat(request.params)
        if request.params["action"] not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._gate(request, chat.id)
        return True

    def _publish(
        self,
        chat: ChatLog,
        request: ApiRequest,
        content: dict[str, Any],
        markup: dict[str, Any] | None,
        *,
        text: str | None = None,
        **media: Any,
    ) -> dict[str, Any]:
        message = BotMessage(
            message_id=chat.new_message_id(),
            chat_id=chat.id,
            method=request.method,
            text=text,
            parse_mode=request.params.get("parse_mode"),
            reply_markup=markup,
            params=request.params,
            content=content,
            **media,
        )
        chat.record_send(message)
        return self._state.message_json(message)

    def _input_file(self, request: ApiRequest, field: str, folder: str) -> StoredFile:
        """The file a media parameter names: an upload, a known file_id or an HTTP URL."""
        value = request.params.get(field)
        upload = field
        if isinstance(value, str) and value.startswith("attach://"):
            upload = value.removeprefix("attach://")
        if upload in request.files:
            filename, content = request.files[upload]
            if not content:
                raise bad_request("file must be non-empty")
            return self._state.files.add(filename, content, folder=folder)
        stored = self._state.files.get(value)
        if stored is not None:
            return stored
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self._state.files.add(value.rsplit("/", 1)[-1] or "file", b"", folder=folder)
        raise bad_request("wrong file identifier/HTTP URL specified")

    # -- editing and deleting ------------------------------------------------------------------

    def edit_message_text(self, request: ApiRequest) -> dict[str, Any]:
        params = request.params
        chat, message = self._edit_target(params)
        if "text" not in message.content:
            raise bad_request("there is no text in the message to edit")
        content = _text_content(validation.message_text(params))
        markup = validation.reply_markup(params.get("reply_markup"), inline_only=True)
        _check_modified(message, content, markup)
        self._gate(request, chat.id)
        message.text, message.parse_mode = params["text"], params.get("parse_mode")
        return self._apply_edit(chat, message, content, markup)

    def edit_message_caption(self, request: ApiRequest) -> dict[str, Any]:
        params = request.params
        chat, message = self._edit_target(params)
        if "text" in message.content or not message.content.keys() & {"document", "photo"}:
            raise bad_request("there is no caption in the message to edit")
        caption = validation.caption(params)
        content = {k: v for k, v in message.content.items() if not k.startswith("caption")}
        content.update(_caption_content(caption))
        markup = validation.reply_markup(params.get("reply_markup"), inline_only=True)
        _check_modified(message, content, markup)
        self._gate(request, chat.id)
        message.text, message.parse_mode = params.get("caption"), params.get("parse_mode")
        return self._apply_edit(chat, message, content, markup)

    def edit_message_reply_markup(self, request: ApiRequest) -> dict[str, Any]:
        chat, message = self._edit_target(request.params)
        markup = validation.reply_markup(request.params.get("reply_markup"), inline_only=True)
        _check_modified(message, message.content, markup)
        self._gate(request, chat.id)
        return self._apply_edit(chat, message, message.content, markup)

    def _edit_target(self, params: dict[str, Any]) -> tuple[ChatLog, BotMessage]:
        if "inline_message_id" in params:
            raise bad_request("fakebot does not support inline messages")
        chat = self._chat(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = chat.find_bot_message(message_id)
        if message is None and message_id in chat.user_messages:
            raise bad_request("message can't be edited")
        if message is None:
            raise bad_request("message to edit not found")
        return chat, message

    def _apply_edit(
        self,
        chat: ChatLog,
        message: BotMessage,
        content: dict[str, Any],
        markup: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """Telegram drops the inline keyboard when an edit does not repeat it."""
        message.content = content
        if markup is not None or message.has_inline_keyboard:
            message.reply_markup = markup
        message.edits += 1
        message.edit_date = int(time.time())
        chat.record_edit(message)
        return self._state.message_json(message)

    def delete_message(self, request: ApiRequest) -> bool:
        chat = self._chat(request.params)
        message_id = request.params["message_id"]
        message = chat.find_bot_message(message_id)
        if message is None and message_id not in chat.user_messages:
            raise bad_request("message to delete not found")
        self._gate(request, chat.id)
        if message is not None:
            message.deleted = True
        else:
            del chat.user_messages[message_id]
        chat.touch()
        return True

    # -- callback queries and files ------------------------------------------------------------

    def answer_callback_query(self, request: ApiRequest) -> bool:
        query = self._state.callbacks.get(request.params["callback_query_id"])
        if query is None or query.answer is not None:
            raise bad_request(QUERY_INVALID)
        text = request.params.get("text")
        if isinstance(text, str) and utf16_len(text) > validation.CALLBACK_ANSWER_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        self._gate(request)
        query.answer = dict(request.params)
        chat = self._state.chats.get(query.chat_id)
        if chat is not None:
            chat.touch()
        return True

    def get_file(self, request: ApiRequest) -> dict[str, Any]:
        stored = self._state.files.get(request.params["file_id"])
        if stored is None:
            raise bad_request("invalid file_id")
        self._gate(request)
        return stored.as_file()

    # -- shared checks -------------------------------------------------------------------------

    def _chat(self, params: dict[str, Any]) -> ChatLog:
        """The chat addressed by ``chat_id``; only chats somebody wrote in can be reached."""
        chat_id = params.get("chat_id")
        chat = self._state.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None or not chat.known:
            raise bad_request("chat not found")
        return chat

    @staticmethod
    def _check_reply_target(chat: ChatLog, params: dict[str, Any]) -> None:
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict) or reply.get("chat_id", chat.id) != chat.id:
            return
        if not chat.has_message(reply.get("message_id")) and not reply.get(
            "allow_sending_without_reply"
        ):
            raise bad_request("message to be replied not found")


def _text_content(text: FormattedText) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text.text}
    if text.entities:
        content["entities"] = text.entities
    return content


def _caption_content(caption: FormattedText | None) -> dict[str, Any]:
    if caption is None or not caption.text:
        return {}
    content: dict[str, Any] = {"caption": caption.text}
    if caption.entities:
        content["caption_entities"] = caption.entities
    return content


def _location(params: dict[str, Any]) -> dict[str, float]:
    latitude, longitude = params["latitude"], params["longitude"]
    if not isinstance(latitude, int | float) or not -90 <= latitude <= 90:
        raise bad_request("wrong latitude specified")
    if not isinstance(longitude, int | float) or not -180 <= longitude <= 180:
        raise bad_request("wrong longitude specified")
    return {"latitude": float(latitude), "longitude": float(longitude)}


def _inline_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    return markup if validation.inline_buttons(markup) else None


def _check_modified(
    message: BotMessage, content: dict[str, Any], markup: dict[str, Any] | None
) -> None:
    same_markup = _inline_markup(markup) == _inline_markup(message.reply_markup)
    if content == message.content and same_markup:
        raise bad_request(NOT_MODIFIED)


def _check_commands(commands: Any) -> None:
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands: expected an Array of at most 100 BotCommand")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND_RE.match(str(command.get("command"))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = command.get("description")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
