"""Anything a person (or a client) can send gets a short, clear answer and changes nothing."""

from __future__ import annotations

import sqlite3
import time

from playground.fakebot import FakeTelegram
from tests.e2e.harness import BotProcess


def course_count(bot: BotProcess) -> int:
    with sqlite3.connect(bot.database) as conn:
        return int(conn.execute("SELECT count(*) FROM courses").fetchone()[0])


def test_junk_of_every_kind_is_answered_and_changes_nothing(fake: FakeTelegram,
                                                           bot: BotProcess) -> None:
    before = course_count(bot)
    user = fake.user(3001, "Ali")
    user.send_text("/start")
    menu = user.wait_reply("Merhaba Ali")

    for send in (user.send_sticker, user.send_photo,
                 lambda: user.send_document("notlar.csv", b"a;b\n1;2\n")):
        send()
        user.wait_reply("Yazılı mesajları ve düğmeleri")

    user.send_text("x" * 4096)
    long_reply = user.wait_reply("eşleşen açık kurs bulunamadı")
    assert len(long_reply.plain_text) < 4096

    user.send_text("<b>kalın</b> & <script>alert(1)</script>")
    user.wait_reply("“<b>kalın</b> & <script>alert(1)</script>”")
    user.send_text("'; DROP TABLE courses; --")
    user.wait_reply("“'; DROP TABLE courses; --”")
    user.send_text("🙂🙂🙂")  # small talk gets the menu, not "no course found"
    user.wait_reply("Ne yapmak istersiniz?")
    user.send_text("/ara")
    user.wait_reply("aradığınızı yazın")
    user.send_text("/bilinmeyen_komut")
    user.wait_reply("Bu komutu tanımıyorum")

    for forged in ("v1:c:999999:0", "v1:d:424242:0", "v1:zz:1", "v0:c:1:0", "junk",
                   "v1:c:1:" + "9" * 40, "v1:r:999999"):
        user.press_data(forged, menu.message_id)
        user.wait_reply(where=lambda m: any(
            words in m.plain_text for words in ("artık geçerli değil", "bulamadık",
                                                "listede yok")))

    user.edit_text(menu.message_id - 1, "düzenlenmiş")
    user.wait_reply("Düzenlediğiniz mesajı dikkate alamıyorum")

    group = fake.group(-100123)
    group.send_text(user, "merhaba millet")
    group.send_text(user, "/kurslar")
    fake.wait_for(lambda: group.messages, message="the group is told to write privately")
    time.sleep(0.3)  # nothing more should come for the plain group message
    assert len(group.messages) == 1
    assert "özel sohbette" in group.messages[0].plain_text

    user.send_text("/kurslar")  # and the bot still serves
    user.wait_reply("İlçenizi seçin")
    assert course_count(bot) == before


def test_a_reply_answered_429_is_sent_after_retry_after_without_holding_up_others(
        fake: FakeTelegram, bot: BotProcess) -> None:
    slow, other = fake.user(3101, "Sema"), fake.user(3102, "Okan")
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 2", chat_id=slow.id,
                   retry_after=2)
    started = time.monotonic()
    slow.send_text("/start")
    other.send_text("/start")
    other.wait_reply("Merhaba Okan")
    assert time.monotonic() - started < 1.5  # the other chat was not held up
    slow.wait_reply("Merhaba Sema", timeout=10)
    assert time.monotonic() - started >= 2


def test_a_flood_from_one_user_does_not_slow_the_others(fake: FakeTelegram,
                                                        bot: BotProcess) -> None:
    flooder, calm = fake.user(3201, "Hızlı"), fake.user(3202, "Sakin")
    for n in range(60):
        flooder.send_text(f"muhasebe {n}")
    started = time.monotonic()
    calm.send_text("/kurslar")
    calm.wait_reply("İlçenizi seçin")
    assert time.monotonic() - started < 2
    fake.wait_for(lambda: fake.pending_updates() == 0, timeout=20)
    replies = [m for m in flooder.messages if "muhasebe" in m.plain_text]
    assert 0 < len(replies) < 60  # slowed down: part of the flood was dropped
