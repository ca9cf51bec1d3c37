"""``FakeTelegram``: the object tests use to run and drive the fake Bot API server."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

from .api_spec import ApiSpec
from .faults import DroppedAnswer, InjectedFailure, is_sending_method
from .methods import BotApi
from .models import ApiCall, StoredFile
from .server import HOST, ApiHttpServer, ServerThread
from .state import TelegramState
from .users import FakeGroup, FakeUser
from .waiting import wait_for

T = TypeVar("T")
DEFAULT_TOKEN = "123456789:TEST-fake-token-AAAA"
BOT_FIRST_NAME = "Meslek Kapısı"


@dataclass(frozen=True)
class ChatHistory:
    version: int
    messages: list[dict[str, Any]]
    reply_keyboard: dict[str, Any] | None
    answers: list[dict[str, Any]]


class FakeTelegram:
    """A fake Telegram Bot API on 127.0.0.1, running in a background thread.

    Every public method is synchronous and thread-safe, so tests can be plain functions::

        with FakeTelegram() as fake:
            bot = start_bot(env={"TELEGRAM_API_BASE_URL": fake.base_url, ...})
            fake.wait_polling()
            user = fake.user(1001)
            user.send_text("/start")
            user.wait_reply("Merhaba")
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "meslek_test_bot",
        bot_id: int = 123456789,
    ) -> None:
        self.me: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self._state = TelegramState(token, self.me)
        http = ApiHttpServer(BotApi(self._state, ApiSpec.load()), self._state)
        self._server = ServerThread(
            http.make_app,
            on_start=self._state.updates.attach,
            on_stop=self._state.updates.close,
        )
        self._users: dict[int, FakeUser] = {}
        self._groups: dict[int, FakeGroup] = {}

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Bind 127.0.0.1 on a free port; returns once the server accepts requests."""
        self._server.start()

    def stop(self) -> None:
        """Stop the server (waiting long polls are answered first). Safe to call twice."""
        self._server.stop()

    def __enter__(self) -> FakeTelegram:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def token(self) -> str:
        return self._state.token

    @property
    def port(self) -> int:
        if self._server.port is None:
            raise RuntimeError("the fake Telegram server is not running")
        return self._server.port

    @property
    def base_url(self) -> str:
        """For ``Bot(token, base_url=...)`` / TELEGRAM_API_BASE_URL: ``http://127.0.0.1:P/bot``."""
        return f"http://{HOST}:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        """For ``Bot(token, base_file_url=...)``: ``http://127.0.0.1:P/file/bot``."""
        return f"http://{HOST}:{self.port}/file/bot"

    # -- what the bot did ----------------------------------------------------------------------

    @property
    def calls(self) -> list[ApiCall]:
        """Every API call received, in order (accepted, rejected, or still in progress)."""
        return self._state.calls

    def rejected(self) -> list[ApiCall]:
        """Calls refused because they were invalid (400, wrong token, unknown method...).

        Simulated errors (set_rate_limit, fail_next, block) are not included.
        """
        with self._state.lock:
            return [call for call in self._state.calls if call.invalid]

    def sent_count(self, method: str | None = None) -> int:
        """Successful calls of ``method``; without one, messages the bot created (send*)."""
        with self._state.lock:
            calls = [call for call in self._state.calls if call.ok]
        if method is not None:
            return sum(1 for call in calls if call.method.lower() == method.lower())
        return sum(
            1
            for call in calls
            if is_sending_method(call.method) and not call.method.startswith("edit")
        )

    def commands(
        self, language_code: str = "", scope: str | dict[str, Any] = "default"
    ) -> list[dict[str, Any]]:
        """The last setMyCommands for this language ("" = default) and scope."""
        with self._state.lock:
            return self._state.commands.get(scope, language_code)

    def unanswered_callbacks(self) -> list[str]:
        """Ids of button presses the bot has not answered (their spinner would still turn)."""
        with self._state.lock:
            return [q.id for q in self._state.callbacks.all() if q.answer is None]

    def push_update(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue any update as it is (a channel post, a chat member change…); its update_id."""
        return self._state.updates.push(kind, payload)

    def history(self, chat_id: int) -> ChatHistory:
        """What a Telegram app shows of this chat now: messages (deleted ones left out) as
        Bot API Message objects, in order, with the reply keyboard and the answers to button
        presses; ``version`` changes whenever any of it does."""
        with self._state.lock:
            log = self._state.chats.get(chat_id)
            if log is None:
                return ChatHistory(0, [], None, [])
            shown = [self._state.message_json(m) for m in log.bot_messages if not m.deleted]
            shown += [dict(m) for m in log.user_messages.values()]
            shown.sort(key=lambda message: int(message["message_id"]))
            answers = self._state.callbacks.answers_for(chat_id)
            return ChatHistory(log.version, shown, log.reply_keyboard, answers)

    def file(self, file_id: str) -> StoredFile | None:
        """A file the bot sent or a user uploaded, by its file_id."""
        return self._state.files.get(file_id)

    def pending_updates(self) -> int:
        """Updates queued for the bot and not yet confirmed by a later getUpdates offset."""
        return len(self._state.updates.pending())

    def last_update_id(self) -> int:
        """The update_id of the update queued last (e.g. by the latest ``send_text``)."""
        return self._state.updates.last_id()

    def wait_for(self, predicate: Callable[[], T], timeout: float = 10.0, message: str = "") -> T:
        """Poll ``predicate`` every 10 ms until truthy and return its value (see waiting.py)."""
        return wait_for(predicate, timeout, message, self._state.calls)

    def wait_polling(self, timeout: float = 15.0) -> None:
        """Wait until the bot has called getUpdates at least once (it is up and polling)."""
        self.wait_for(
            lambda: any(call.method == "getUpdates" for call in self._state.calls),
            timeout,
            "the bot to call getUpdates",
        )

    # -- the world around the bot --------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Ayşe",
        *,
        last_name: str | None = None,
        language_code: str | None = "tr",
        username: str | None = None,
        started: bool = False,
    ) -> FakeUser:
        """A user in a private chat with the bot (chat id == user id); same object per id.

        The bot can only write to the user after the user wrote first (or ``started=True``,
        for users who talked to the bot before the test), else "chat not found".
        """
        with self._state.lock:
            if user_id in self._users:
                if started:
                    self._state.chats[user_id].known = True
                return self._users[user_id]
            user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
            optional = {
                "last_name": last_name,
                "username": username,
                "language_code": language_code,
            }
            user.update({key: value for key, value in optional.items() if value is not None})
            chat = {"id": user_id, "type": "private", "first_name": first_name}
            chat.update({k: v for k, v in optional.items() if k != "language_code" and v})
            self._state.add_chat(chat, known=started)
            fake_user = self._users[user_id] = FakeUser(self._state, user)
            return fake_user

    def group(self, chat_id: int, title: str = "Kurs Grubu") -> FakeGroup:
        """A group chat (a supergroup if the id starts with -100); same object per id."""
        with self._state.lock:
            if chat_id not in self._groups:
                kind = "supergroup" if str(chat_id).startswith("-100") else "group"
                self._state.add_chat({"id": chat_id, "type": kind, "title": title})
                self._groups[chat_id] = FakeGroup(self._state, self._state.chats[chat_id].chat)
            return self._groups[chat_id]

    # -- trouble on demand ---------------------------------------------------------------------

    def push_raw_update(self, update: dict[str, Any]) -> int:
        """Queue any dict as an update, exactly as given (next update_id unless it has one),
        e.g. one python-telegram-bot cannot parse; returns its update_id."""
        return self._state.updates.push_raw(update)

    def redeliver(self, update_id: int) -> None:
        """Deliver a recent update again with the same update_id, as Telegram re-delivers to a
        webhook that answered slowly."""
        self._state.updates.redeliver(update_id)

    def held_updates(self) -> AbstractContextManager[None]:
        """``with fake.held_updates(): ...``: what users do inside the block reaches the bot
        in one getUpdates answer when the block ends."""
        return self._state.updates.held()

    def set_rate_limit(self, per_second: float | None, retry_after: int = 1) -> None:
        """Answer sending calls beyond ``per_second`` (sliding 1 s window) with 429."""
        self._state.faults.set_rate_limit(per_second, retry_after)

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        chat_id: int | None = None,
        count: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` (to ``chat_id``, if given) with an error,
        e.g. ``fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")``."""
        failure = InjectedFailure(method, error_code, description, chat_id, count, retry_after)
        self._state.faults.fail_next(failure)

    def drop_after(self, method: str, *, chat_id: int | None = None, count: int = 1) -> None:
        """Carry out the next ``count`` calls of ``method`` (to ``chat_id``, if given), then
        close the connection without answering: the bot cannot know the call was taken."""
        self._state.faults.drop_after(DroppedAnswer(method, chat_id, count))

    def refuse_connections(self) -> None:
        """Until ``accept_connections()``: new connections are refused and idle ones closed,
        so the bot's next calls fail before anything is sent (a long poll in progress
        goes on)."""
        self._server.refuse_connections()

    def accept_connections(self) -> None:
        self._server.accept_connections()

    def block(self, user_id: int) -> None:
        """From now on every send to this user's chat gets 403 "bot was blocked by the user"."""
        self._state.faults.block(user_id)

    def unblock(self, user_id: int) -> None:
        self._state.faults.unblock(user_id)
