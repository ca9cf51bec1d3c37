"""Self-test of the fake Telegram server, driven by a plain ``telegram.Bot`` over real HTTP."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter

from bot.telegram_html import HtmlParseError, parse_html
from playground.fakebot import FakeTelegram, FakeUser

USER_ID = 1001


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def user(fake: FakeTelegram) -> FakeUser:
    return fake.user(USER_ID, "Ayşe", username="ayse")


@pytest.fixture
async def bot(fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Bot]:
    # Without it, constructing RetryAfter emits PTBDeprecationWarning (an error under pytest).
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.file_base_url) as bot:
        yield bot


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data)] for text, data in buttons]
    )


def raw_call(url: str, **fields: Any) -> tuple[int, dict[str, Any]]:
    """POST a form the way python-telegram-bot does, without any client-side checks."""
    data = urllib.parse.urlencode(
        {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
    ).encode()
    try:
        with urllib.request.urlopen(url, data=data, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def last_error(fake: FakeTelegram) -> str:
    rejected = fake.rejected()
    assert rejected, "expected a rejected call"
    return str(rejected[-1].error)


# -- basics ------------------------------------------------------------------------------------


async def test_get_me_and_send_message_round_trip(
    fake: FakeTelegram, user: FakeUser, bot: Bot
) -> None:
    assert bot.username == "meslek_test_bot"
    user.send_text("/start kurs_12")
    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.text == "/start kurs_12"
    assert update.message.from_user is not None
    assert update.message.from_user.language_code == "tr"
    assert update.message.chat.type == "private"
    assert update.message.entities[0].type == "bot_command"
    assert update.message.entities[0].length == len("/start")

    sent = await bot.send_message(
        USER_ID,
        "<b>Merhaba</b> Ayşe &amp; hoş geldin",
        parse_mode="HTML",
        reply_markup=keyboard(("Kurslar", "courses"), ("Yardım", "help")),
    )
    assert sent.text == "Merhaba Ayşe & hoş geldin"
    assert sent.entities[0].type == "bold"
    assert sent.from_user is not None and sent.from_user.is_bot

    message = user.wait_reply("Merhaba")
    assert message.message_id == sent.message_id
    assert message.text == "<b>Merhaba</b> Ayşe &amp; hoş geldin"
    assert message.plain_text == "Merhaba Ayşe & hoş geldin"
    assert message.parse_mode == "HTML"
    assert message.buttons() == ["Kurslar", "Yardım"]
    assert message.button("Yardım")["callback_data"] == "help"
    with pytest.raises(AssertionError, match="Kurslar"):
        message.button("Yok")
    assert fake.sent_count("sendMessage") == 1
    assert fake.sent_count() == 1
    assert fake.rejected() == []


async def test_chat_not_found_for_users_who_never_wrote(fake: FakeTelegram, bot: Bot) -> None:
    fake.user(2002)
    with pytest.raises(BadRequest):
        await bot.send_message(2002, "Merhaba")
    assert last_error(fake) == "Bad Request: chat not found"
    fake.user(3003, started=True)
    await bot.send_message(3003, "Merhaba")


async def test_reply_keyboard_is_tracked(user: FakeUser, bot: Bot) -> None:
    user.send_text("merhaba")
    markup = ReplyKeyboardMarkup([[KeyboardButton("Konum gönder", request_location=True)]])
    await bot.send_message(USER_ID, "Konumunuz?", reply_markup=markup)
    assert user.last().buttons() == ["Konum gönder"]
    assert user.last().button("Konum gönder")["request_location"] is True
    assert user.reply_keyboard is not None
    await bot.send_message(USER_ID, "Teşekkürler", reply_markup=ReplyKeyboardRemove())
    assert user.reply_keyboard is None


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("Kuaförlük & Güzellik <İleri>", "Character '&' at byte offset 12"),
        ("Kuaförlük &amp; Güzellik <İleri>", 'Unsupported start tag "İleri"'),
        ("a < b", 'Unsupported start tag ""'),
        ("<b>kalın", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>kalın</i>", 'expected "</b>", found "</i>"'),
        ("kalın</b>", "Unexpected end tag at byte offset 6"),
        ("satır<br>satır", 'Unsupported start tag "br"'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("&foo; bar", "Character '&' at byte offset 0"),
    ],
)
async def test_malformed_html_is_rejected(
    fake: FakeTelegram, user: FakeUser, bot: Bot, html: str, error: str
) -> None:
    user.send_text("/start")
    with pytest.raises(BadRequest):
        await bot.send_message(USER_ID, html, parse_mode="HTML")
    assert last_error(fake).startswith("Bad Request: can't parse entities: ")
    assert error in last_error(fake)
    assert user.messages == []


@pytest.mark.parametrize(
    ("html", "plain"),
    [
        ("Kuaförlük &amp; Güzellik &lt;İleri&gt;", "Kuaförlük & Güzellik <İleri>"),
        ('<a href="https://x.org/?a=1&amp;b=2">site</a>', "site"),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1"),
        ('<span class="tg-spoiler">gizli</span> <tg-spoiler>de</tg-spoiler>', "gizli de"),
        ("<blockquote expandable>alıntı</blockquote>", "alıntı"),
        ("<B>Büyük</B> &#304;&#x130; &quot;tırnak&quot; 3 > 2", 'Büyük İİ "tırnak" 3 > 2'),
        ("<strong><em><u><s>iç içe</s></u></em></strong>", "iç içe"),
    ],
)
async def test_valid_html_is_accepted(
    fake: FakeTelegram, user: FakeUser, bot: Bot, html: str, plain: str
) -> None:
    user.send_text("/start")
    sent = await bot.send_message(USER_ID, html, parse_mode="HTML")
    assert sent.text == plain
    assert user.last().plain_text == plain
    assert fake.rejected() == []


def test_html_entities_use_utf16_offsets() -> None:
    parsed = parse_html("😀 <b>kalın</b> <a href='tg://user?id=1'>kişi</a>")
    assert parsed.text == "😀 kalın kişi"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 5},
        {"type": "text_link", "offset": 9, "length": 4, "url": "tg://user?id=1"},
    ]
    with pytest.raises(HtmlParseError):
        parse_html("<i>açık")


async def test_text_length_limits(fake: FakeTelegram, user: FakeUser, bot: Bot) -> None:
    user.send_text("/start")
    await bot.send_message(USER_ID, "a" * 4096)
    await bot.send_message(USER_ID, f"<b>{'a' * 4096}</b>", parse_mode="HTML")  # tags are free
    await bot.send_message(USER_ID, "&amp;" * 4096, parse_mode="HTML")
    await bot.send_message(USER_ID, "😀" * 2048)  # 4096 UTF-16 code units
    assert fake.rejected() == []

    for too_long in ("a" * 4097, "😀" * 2049):
        with pytest.raises(BadRequest):
            await bot.send_message(USER_ID, too_long)
        assert last_error(fake) == "Bad Request: message is too long"
    for empty in ("   \n", "<b></b>"):
        with pytest.raises(BadRequest):
            await bot.send_message(USER_ID, empty, parse_mode="HTML")
        assert last_error(fake) == "Bad Request: message text is empty"
    with pytest.raises(BadRequest):
        await bot.send_document(USER_ID, b"x", filename="a.txt", caption="c" * 1025)
    assert last_error(fake) == "Bad Request: message caption is too long"
    assert len(user.messages) == 4


async def test_inline_keyboard_validation(fake: FakeTelegram, user: FakeUser, bot: Bot) -> None:
    user.send_text("/start")
    ok_data = "ş" * 32  # 64 bytes in UTF-8
    await bot.send_message(USER_ID, "ok", reply_markup=keyboard(("A", ok_data)))
    url_button = InlineKeyboardButton("Harita", url="tg://resolve?domain=meslek")
    await bot.send_message(USER_ID, "ok", reply_markup=InlineKeyboardMarkup([[url_button]]))
    assert fake.rejected() == []

    with pytest.raises(BadRequest):
        await bot.send_message(USER_ID, "x", reply_markup=keyboard(("A", ok_data + "a")))
    assert last_error(fake) == "Bad Request: BUTTON_DATA_INVALID"
    bad_url = InlineKeyboardButton("Site", url="javascript:alert(1)")
    with pytest.raises(BadRequest):
        await bot.send_message(USER_ID, "x", reply_markup=InlineKeyboardMarkup([[bad_url]]))
    assert last_error(fake) == "Bad Request: BUTTON_URL_INVALID"
    status, body = raw_call(
        f"{fake.base_url}{fake.token}/sendMessage",
        chat_id=USER_ID,
        text="x",
        reply_markup={"inline_keyboard": [[{"text": "Sadece metin"}]]},
    )
    assert status == 400
    assert "Text buttons are unallowed" in body["description"]


async def test_parameters_checked_against_the_api(fake: FakeTelegram, user: FakeUser) -> None:
    user.send_text("/start")
    url = f"{fake.base_url}{fake.token}"
    venue = {"chat_id": USER_ID, "latitude": 41.0, "longitude": 29.0, "title": "Merkez"}
    assert raw_call(f"{url}/sendVenue", **venue) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: address is empty"},
    )
    status, body = raw_call(f"{url}/sendMessage", chat_id=USER_ID, text="x", colour="red")
    assert status == 200  # Telegram ignores parameters it does not know
    status, body = raw_call(f"{url}/sendMessage", chat_id=USER_ID)
    assert body["description"] == "Bad Request: message text is empty"
    assert raw_call(f"{url}/fooBar") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )
    assert raw_call(f"{fake.base_url}123:wrong/getMe") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert len(fake.rejected()) == 4
    assert fake.rejected()[0].params == {
        "chat_id": USER_ID,
        "latitude": 41.0,
        "longitude": 29.0,
        "title": "Merkez",
    }


async def test_wrong_token_raises_invalid_token(fake: FakeTelegram) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("123:wrong", base_url=fake.base_url):
            pass


# -- updates -----------------------------------------------------------------------------------


async def test_get_updates_long_poll_wakes_on_user_message(
    fake: FakeTelegram, user: FakeUser, bot: Bot
) -> None:
    timer = threading.Timer(0.3, user.send_text, args=("Merhaba",))
    started = time.monotonic()
    timer.start()
    try:
        updates = await bot.get_updates(timeout=5)
    finally:
        timer.join()
    assert 0.2 < time.monotonic() - started < 3
    assert [u.message.text for u in updates if u.message] == ["Merhaba"]

    # Not confirmed yet: delivered again; confirmed by a higher offset: gone.
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [updates[0].update_id]
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    assert fake.pending_updates() == 0
    started = time.monotonic()
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=1) == ()
    assert time.monotonic() - started >= 0.9


def test_raw_updates_re_deliveries_and_held_batches(fake: FakeTelegram, user: FakeUser) -> None:
    url = f"{fake.base_url}{fake.token}/getUpdates"
    with fake.held_updates():
        user.send_text("bir")
        raw = fake.push_raw_update({"poll": {"id": "9", "options": [{"text": "a"}]}})
        assert raw_call(url, timeout=0) == (200, {"ok": True, "result": []})  # held back
    assert raw_call(url, timeout=0)[0] == 200
    first, bad = raw_call(url, timeout=0)[1]["result"]
    assert bad == {"update_id": raw, "poll": {"id": "9", "options": [{"text": "a"}]}}
    assert fake.last_update_id() == raw

    fake.redeliver(first["update_id"])  # older than the offset, delivered all the same
    assert raw_call(url, offset=raw + 1, timeout=0)[1]["result"] == [first]
    assert raw_call(url, offset=raw + 1, timeout=0) == (200, {"ok": True, "result": []})
    assert fake.rejected() == []


def test_newer_get_updates_terminates_older_one(fake: FakeTelegram) -> None:
    url = f"{fake.base_url}{fake.token}/getUpdates"
    results: list[tuple[int, dict[str, Any]]] = []
    older = threading.Thread(target=lambda: results.append(raw_call(url, timeout=5)))
    older.start()
    fake.wait_for(lambda: fake.calls, message="the first getUpdates")
    assert raw_call(url, timeout=0) == (200, {"ok": True, "result": []})
    older.join(timeout=5)
    assert results[0][0] == 409
    assert results[0][1]["description"].startswith("Conflict: terminated by other getUpdates")
    assert fake.rejected() == []

    # Stopping the server answers a waiting long poll right away.
    waiting = threading.Thread(target=lambda: results.append(raw_call(url, timeout=5)))
    waiting.start()
    fake.wait_for(lambda: len(fake.calls) == 3 and fake.calls[2].pending, message="a poll")
    started = time.monotonic()
    fake.stop()
    waiting.join(timeout=5)
    assert time.monotonic() - started < 2
    assert results[1] == (200, {"ok": True, "result": []})


async def test_user_actions_produce_parseable_updates(
    fake: FakeTelegram, user: FakeUser, bot: Bot
) -> None:
    message_id = user.send_text("ilk")
    user.edit_text(message_id, "düzeltilmiş")
    user.send_location(41.01, 28.97)
    user.send_contact("+905551112233")
    user.send_contact("+905559998877", own=False)
    user.send_sticker()
    user.send_photo()
    user.send_document("liste.csv", b"ad;soyad\nAyse;Kaya\n")
    group = fake.group(-100123)
    group.send_text(user, "/kurslar@meslek_test_bot")
    updates = await bot.get_updates()
    assert len(updates) == 9
    assert updates[1].edited_message is not None
    assert updates[1].edited_message.text == "düzeltilmiş"
    messages = [u.message for u in updates if u.message]
    assert messages[1].location is not None and messages[1].location.latitude == 41.01
    assert messages[2].contact is not None and messages[2].contact.user_id == USER_ID
    assert messages[3].contact is not None and messages[3].contact.user_id != USER_ID
    assert messages[4].sticker is not None
    assert messages[5].photo
    assert messages[6].document is not None and messages[6].document.file_name == "liste.csv"
    assert messages[7].chat.type == "supergroup"
    assert messages[7].entities[0].length == len("/kurslar@meslek_test_bot")

    file = await bot.get_file(messages[6].document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"ad;soyad\nAyse;Kaya\n"

    await bot.send_message(group.id, "Kurs listesi")
    assert group.wait_reply("Kurs listesi").plain_text == "Kurs listesi"
    assert user.messages == []


# -- simulated trouble -------------------------------------------------------------------------


async def test_rate_limit_answers_429(fake: FakeTelegram, user: FakeUser, bot: Bot) -> None:
    user.send_text("/start")
    fake.set_rate_limit(2, retry_after=3)
    await bot.send_message(USER_ID, "1")
    await bot.send_message(USER_ID, "2")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(USER_ID, "3")
    assert info.value.retry_after == timedelta(seconds=3)
    limited = fake.calls[-1]
    assert (limited.ok, limited.error_code, limited.invalid) == (False, 429, False)
    assert limited.error == "Too Many Requests: retry after 3"
    assert fake.rejected() == []
    await asyncio.sleep(1.05)
    await bot.send_message(USER_ID, "4")
    fake.set_rate_limit(None)
    for text in "5678":
        await bot.send_message(USER_ID, text)
    assert [m.text for m in user.messages] == ["1", "2", "4", "5", "6", "7", "8"]


async def test_fail_next_and_block(fake: FakeTelegram, user: FakeUser, bot: Bot) -> None:
    user.send_text("/start")
    fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=USER_ID)
    with pytest.raises(Forbidden):
        await bot.send_message(USER_ID, "1")
    await bot.send_message(USER_ID, "2")
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(RetryAfter):
        await bot.send_message(USER_ID, "3")
    fake.block(USER_ID)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(USER_ID, "4")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(USER_ID, "typing")
    assert fake.rejected() == []
    assert [m.text for m in user.messages] == ["2"]


# -- edits, buttons and files ------------------------------------------------------------------


async def test_edit_message_text_updates_the_stored_message(
    fake: FakeTelegram, user: FakeUser, bot: Bot
) -> None:
    user.send_text("/start")
    sent = await bot.send_message(USER_ID, "Soru?", reply_markup=keyboard(("Evet", "yes")))
    first = user.wait_reply("Soru?")
    user.press("Evet")
    edited = await bot.edit_message_text(
        "Soru? <i>Evet</i>", USER_ID, sent.message_id, parse_mode="HTML"
    )
    assert not isinstance(edited, bool) and edited.text == "Soru? Evet"
    reply = user.wait_reply(where=lambda m: m.edits == 1)
    assert reply is first
    assert (reply.edits, reply.text, reply.plain_text) == (1, "Soru? <i>Evet</i>", "Soru? Evet")
    assert reply.reply_markup is None  # not repeated in the edit, so Telegram drops it

    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text(
            "Soru? <i>Evet</i>", USER_ID, sent.message_id, parse_mode="HTML"
        )
    assert last_error(fake).startswith("Bad Request: message is not modified: ")
    await bot.edit_message_reply_markup(USER_ID, sent.message_id, reply_markup=keyboard(("B", "b")))
    assert user.last().buttons() == ["B"]
    with pytest.raises(BadRequest):
        await bot.edit_message_text("x", USER_ID, 999)
    assert last_error(fake) == "Bad Request: message to edit not found"
    assert await bot.delete_message(USER_ID, sent.message_id)
    assert user.messages[0].deleted


async def test_press_and_answer_callback_query(
    fake: FakeTelegram, user: FakeUser, bot: Bot
) -> None:
    user.send_text("/start")
    await bot.send_message(
        USER_ID, "Seçin", reply_markup=keyboard(("Evet", "yes"), ("Hayır", "no"))
    )
    with pytest.raises(AssertionError, match="Evet"):
        user.press("Belki")
    query_id = user.press("Hayır")
    forged_id = user.press_data("admin:delete", message_id=12345)
    updates = await bot.get_updates()
    queries = [u.callback_query for u in updates if u.callback_query]
    assert [(q.id, q.data) for q in queries] == [(query_id, "no"), (forged_id, "admin:delete")]
    pressed_on = queries[0].message
    assert isinstance(pressed_on, Message) and pressed_on.text == "Seçin"
    assert queries[1].message is not None and not queries[1].message.is_accessible

    assert await bot.answer_callback_query(query_id, text="Tamam")
    with pytest.raises(BadRequest):
        await bot.answer_callback_query(forged_id, text="x" * 201)
    assert last_error(fake) == "Bad Request: MESSAGE_TOO_LONG"
    with pytest.raises(BadRequest):
        await bot.answer_callback_query(query_id)  # already answered
    assert "query is too old" in last_error(fake)
    assert user.answers() == [{"callback_query_id": query_id, "text": "Tamam"}]


async def test_send_document_multipart_is_captured(
    fake: FakeTelegram, user: FakeUser, bot: Bot
) -> None:
    user.send_text("/rapor")
    content = "ad;kurs\nAyşe;Kuaförlük\n".encode()
    sent = await bot.send_document(
        USER_ID, content, filename="basvurular.csv", caption="<b>Rapor</b>", parse_mode="HTML"
    )
    assert sent.document is not None and sent.document.file_name == "basvurular.csv"
    assert sent.caption == "Rapor"
    call = fake.calls[-1]
    assert call.method == "sendDocument"
    assert call.files == {"document": ("basvurular.csv", content)}
    assert call.params["caption"] == "<b>Rapor</b>"
    message = user.wait_reply(where=lambda m: m.document is not None)
    assert message.document == ("basvurular.csv", content)
    assert (message.text, message.plain_text) == ("<b>Rapor</b>", "Rapor")

    again = await bot.send_document(USER_ID, sent.document.file_id)  # re-send by file_id
    assert again.document is not None and again.document.file_id == sent.document.file_id
    with pytest.raises(BadRequest):
        await bot.send_document(USER_ID, "no-such-file-id")
    assert last_error(fake) == "Bad Request: wrong file identifier/HTTP URL specified"


async def test_send_photo_and_edit_caption(fake: FakeTelegram, user: FakeUser, bot: Bot) -> None:
    user.send_text("/start")
    sent = await bot.send_photo(USER_ID, b"\xff\xd8jpeg", filename="afis.jpg", caption="Afiş")
    assert sent.photo and sent.caption == "Afiş"
    assert user.last().photo == ("afis.jpg", b"\xff\xd8jpeg")
    await bot.edit_message_caption(
        USER_ID, sent.message_id, caption="<i>Yeni</i> afiş", parse_mode="HTML"
    )
    assert (user.last().plain_text, user.last().edits) == ("Yeni afiş", 1)
    with pytest.raises(BadRequest):
        await bot.edit_message_text("metin", USER_ID, sent.message_id)
    assert last_error(fake) == "Bad Request: there is no text in the message to edit"


async def test_venue_location_and_commands(fake: FakeTelegram, user: FakeUser, bot: Bot) -> None:
    user.send_text("/start")
    venue = await bot.send_venue(USER_ID, 41.0, 29.0, "Merkez", "Atatürk Cd. 1")
    assert venue.venue is not None and venue.venue.title == "Merkez"
    await bot.send_location(USER_ID, 41.5, 29.5)
    venue_message, location_message = user.wait_messages(
        2, where=lambda m: m.method in ("sendVenue", "sendLocation"))
    assert venue_message.venue == {
        "latitude": 41.0,
        "longitude": 29.0,
        "title": "Merkez",
        "address": "Atatürk Cd. 1",
    }
    assert location_message.location == {"latitude": 41.5, "longitude": 29.5}

    assert await bot.set_my_commands([BotCommand("start", "Başla")], language_code="tr")
    assert await bot.set_my_commands([BotCommand("start", "Start")])
    assert fake.commands("tr") == [{"command": "start", "description": "Başla"}]
    assert fake.commands() == [{"command": "start", "description": "Start"}]
    assert [c.description for c in await bot.get_my_commands(language_code="tr")] == ["Başla"]
    with pytest.raises(BadRequest):
        await bot.set_my_commands([BotCommand("Start", "x")])
    assert await bot.set_chat_menu_button()  # a True-returning method the fake does not model


def test_wait_for_reports_recent_calls(fake: FakeTelegram, user: FakeUser) -> None:
    raw_call(f"{fake.base_url}{fake.token}/getMe")
    assert fake.wait_for(lambda: fake.sent_count("getMe"), timeout=1) == 1
    with pytest.raises(AssertionError) as info:
        fake.wait_for(lambda: user.last(), timeout=0.05, message="a greeting")
    text = str(info.value)
    assert "a greeting" in text
    assert "getMe() -> ok" in text
    assert "the bot has sent nothing" in text


async def test_a_dropped_answer_leaves_the_message_sent_and_the_client_in_the_dark(
        fake: FakeTelegram, user: FakeUser, bot: Bot) -> None:
    fake.user(user.id, started=True)
    fake.drop_after("sendMessage", chat_id=user.id)
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(user.id, "taken")
    assert "RemoteProtocolError" in str(caught.value)
    assert [m.plain_text for m in user.messages] == ["taken"]
    await bot.send_message(user.id, "next")  # only one call was dropped
    assert len(user.messages) == 2


async def test_refused_connections_reach_nothing_until_accepted_again(
        fake: FakeTelegram, user: FakeUser, bot: Bot) -> None:
    fake.user(user.id, started=True)
    await bot.send_message(user.id, "before")
    await asyncio.to_thread(fake.refuse_connections)
    try:
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(user.id, "refused")
        assert "ConnectError" in str(caught.value)
    finally:
        await asyncio.to_thread(fake.accept_connections)
    await bot.send_message(user.id, "after")
    assert [m.plain_text for m in user.messages] == ["before", "after"]
    assert not any(call.params.get("text") == "refused" for call in fake.calls)
