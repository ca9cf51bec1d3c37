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
    menu = user.wait_reply()

    for send in (user.send_sticker, user.send_photo,
                 lambda: user.send_document("notlar.csv", b"a;b\n1;2\n")):
        send()
        assert "Yazılı mesajları ve düğmeleri" in user.wait_reply().plain_text

    user.send_text("x" * 4096)
    long_reply = user.wait_reply()
    assert "eşleşen açık kurs bulunamadı" in long_reply.plain_text
    assert len(long_reply.plain_text) < 4096

    user.send_text("<b>kalın</b> & <script>alert(1)</script>")
    assert "“<b>kalın</b> & <script>alert(1)</script>”" in user.wait_reply().plain_text
    user.send_text("'; DROP TABLE courses; --")
    assert "eşleşen açık kurs bulunamadı" in user.wait_reply().plain_text
    user.send_text("🙂🙂🙂")  # small talk gets the menu, not "no course found"
    assert "Ne yapmak istersiniz?" in user.wait_reply().plain_text
    user.send_text("/ara")
    assert "aradığınızı yazın" in user.wait_reply().plain_text
    user.send_text("/bilinmeyen_komut")
    assert "Bu komutu tanımıyorum" in user.wait_reply().plain_text

    for forged in ("v1:c:999999:0", "v1:d:424242:0", "v1:zz:1", "v0:c:1:0", "junk",
                   "v1:c:1:" + "9" * 40, "v1:r:999999"):
        user.press_data(forged, menu.message_id)
        reply = user.wait_reply().plain_text
        assert ("artık geçerli değil" in reply or "bulamadık" in reply
                or "listede yok" in reply), (forged, reply)

    user.edit_text(menu.message_id - 1, "düzenlenmiş")
    assert "Düzenlediğiniz mesajı dikkate alamıyorum" in user.wait_reply().plain_text

    group = fake.group(-100123)
    group.send_text(user, "merhaba millet")
    group.send_text(user, "/kurslar")
    fake.wait_for(lambda: group.messages, message="the group is told to write privately")
    time.sleep(0.3)  # nothing more should come for the plain group message
    assert len(group.messages) == 1
    assert "özel sohbette" in group.messages[0].plain_text

    user.send_text("/kurslar")  # and the bot still serves
    assert "İlçenizi seçin" in user.wait_reply().plain_text
    assert course_count(bot) == before


def test_a_reply_answered_429_is_sent_after_retry_after_without_holding_up_others(
        fake: FakeTelegram, bot: BotProcess) -> None:
    slow, other = fake.user(3101, "Sema"), fake.user(3102, "Okan")
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 2", chat_id=slow.id,
                   retry_after=2)
    started = time.monotonic()
    slow.send_text("/start")
    other.send_text("/start")
    other.wait_reply()
    assert time.monotonic() - started < 1.5  # the other chat was not held up
    assert "Merhaba Sema" in slow.wait_reply(timeout=10).plain_text
    assert time.monotonic() - started >= 2


def test_a_flood_from_one_user_does_not_slow_the_others(fake: FakeTelegram,
                                                        bot: BotProcess) -> None:
    flooder, calm = fake.user(3201, "Hızlı"), fake.user(3202, "Sakin")
    for n in range(60):
        flooder.send_text(f"muhasebe {n}")
    started = time.monotonic()
    calm.send_text("/kurslar")
    calm.wait_reply()
    assert time.monotonic() - started < 2
    fake.wait_for(lambda: fake.pending_updates() == 0, timeout=20)
    replies = [m for m in flooder.messages if "muhasebe" in m.plain_text]
    assert 0 < len(replies) < 60  # slowed down: part of the flood was dropped
