"""/duyuru through the real bot: the text is checked as Telegram checks it, an empty audience
is refused before the confirmation, and a broadcast to 1,000 citizens — 50 of whom blocked
the bot, one answer a 429 — reaches every other citizen exactly once, never faster than
BROADCAST_RATE, even when the bot is killed (SIGKILL) halfway and started again."""

from __future__ import annotations

import sqlite3
import time
from itertools import pairwise
from pathlib import Path

from playground.fakebot import FakeTelegram, FakeUser, busiest_second
from playground.fakebot.models import BotMessage
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.harness import BotProcess
from tests.e2e.test_staff import REFUSAL, ask, press, said

RATE = 200
CITIZENS = range(700_000, 701_000)
BLOCKED = set(range(700_000, 701_000, 20))  # 50 of them
TEXT = "Yeni dönem <b>kayıtları</b> başladı & herkese açık."


def seed_citizens(bot: BotProcess) -> None:
    assert bot.command("migrate").returncode == 0
    with sqlite3.connect(bot.database) as conn:
        conn.executemany(
            "INSERT INTO users (id, telegram_language, first_seen, last_seen) "
            "VALUES (?, 'tr', '2026-11-01T09:00:00+00:00', '2026-11-01T09:00:00+00:00')",
            [(user_id,) for user_id in CITIZENS])


def deliveries(fake: FakeTelegram, fragment: str = "Yeni dönem <b>") -> list[int]:
    """Citizens' chat ids of the announcement's accepted sendMessage calls."""
    return [int(call.params["chat_id"]) for call in fake.calls
            if call.method == "sendMessage" and call.ok
            and fragment in str(call.params.get("text"))
            and int(call.params["chat_id"]) in CITIZENS]


def report(fake: FakeTelegram, admin: FakeUser, fragment: str, timeout: float = 60
           ) -> BotMessage:
    found: BotMessage = fake.wait_for(
        lambda: next((m for m in admin.messages if fragment in m.plain_text), None),
        timeout=timeout, message=fragment)
    return found


def figure(text: str, label: str) -> int:
    line = next(line for line in text.splitlines() if line.startswith(label))
    return int(line.split(":")[1].strip().replace(".", ""))


def test_a_broadcast_to_1000_citizens_survives_a_kill_and_reaches_each_once(
        fake: FakeTelegram, tmp_path: Path) -> None:
    bot = BotProcess(fake, tmp_path, ADMIN_IDS=str(ADMIN_ID), BROADCAST_RATE=str(RATE),
                     PAID_BROADCAST="true")
    seed_citizens(bot)
    for user_id in CITIZENS:
        fake.user(user_id, f"V{user_id}", started=True)
    for user_id in BLOCKED:
        fake.block(user_id)
    bot.start()
    try:
        admin, citizen = fake.user(ADMIN_ID, "Yönetici"), fake.user(CITIZENS[1])
        # Staff only: a citizen is refused the command and a forged "Gönder".
        ask(fake, citizen, "/duyuru", REFUSAL)
        citizen.press_data("v1:bd:5:1000", 1)
        citizen.press_data("v1:bs:1", 1)
        fake.wait_for(lambda: said(citizen, REFUSAL) == 3, message="three refusals")

        ask(fake, admin, "/duyuru", "gönderilecek mesajı yazın")
        ask(fake, admin, "Kayıtlar <b>başladı", "Telegram bu metni kabul etmez")
        ask(fake, admin, "x" * 4100, "en fazla 4096")
        audience = ask(fake, admin, TEXT, "Kimlere gönderilsin?")
        course = press(fake, admin, "Bir kursun yedek listesi", "Kurs kodunu yazın", audience)
        assert course
        ask(fake, admin, "YOK-01", "kodlu bir kurs yok")
        fake.wait_for(lambda: said(admin, "Kimlere gönderilsin?") == 2, message="asked again")
        press(fake, admin, "Herkes", "Gönderilsin mi?")
        preview = next(m for m in reversed(admin.messages) if "Gönderilsin mi?" in m.plain_text)
        assert "1.001 kişi" in preview.plain_text  # the citizens and the admin
        fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        press(fake, admin, "Gönder", "gönderildi", preview)

        fake.wait_for(lambda: len(deliveries(fake)) >= 450, timeout=30, message="halfway")
        bot.kill()
        killed_at = time.monotonic()
        before = len(deliveries(fake))
        assert before < 1001 - len(BLOCKED), "killed too late to prove anything"
        bot.start()
        final = report(fake, admin, "numaralı duyuru gönderildi.", timeout=60)
        time.sleep(1)  # anything sent twice would show by now

        got = deliveries(fake)
        counts = {chat: got.count(chat) for chat in set(got)}
        assert max(counts.values()) == 1, "someone got it twice"
        assert not BLOCKED & set(counts)
        reached = {c for c in CITIZENS if c not in BLOCKED} & set(counts)
        in_doubt = figure(final.plain_text, "Belirsiz")
        assert in_doubt <= 1
        assert len(reached) >= 950 - in_doubt
        sent, blocked = figure(final.plain_text, "Gönderildi"), \
            figure(final.plain_text, "Botu engelledi")
        failed = figure(final.plain_text, "Gönderilemedi")
        assert blocked == 50 and failed == 0
        assert sent + blocked + failed + in_doubt == 1001
        # The admin is in "everyone" too: the citizens' deliveries and the admin's one.
        assert sent + in_doubt >= len(got) + 1 >= sent
        # Never above BROADCAST_RATE in any one-second window, at the server.
        sends = [call.at for call in fake.calls if call.method == "sendMessage"
                 and int(call.params.get("chat_id", 0)) in CITIZENS]
        assert busiest_second(sends) <= RATE
        assert sum(1 for call in fake.calls if call.error_code == 429) == 1
        # One progress message, edited no more than every few seconds (by each process: the
        # restarted bot says where it stands at once).
        edits = [call.at for call in fake.calls if call.method == "editMessageText"
                 and int(call.params.get("chat_id", 0)) == ADMIN_ID
                 and call.params.get("message_id") == final.message_id]
        assert all(b - a >= 2.5 for a, b in pairwise(edits[:-1]) if not a < killed_at < b)

        # A second one, stopped at once with "Durdur".
        ask(fake, admin, "/duyuru", "gönderilecek mesajı yazın")
        ask(fake, admin, "İkinci duyuru", "Kimlere gönderilsin?")
        preview = press(fake, admin, "Herkes", "Gönderilsin mi?")
        progress = press(fake, admin, "Gönder", "gönderildi", preview)
        press(fake, admin, "Durdur", "durduruldu", progress)
        stopped = report(fake, admin, "numaralı duyuru durduruldu.")
        assert figure(stopped.plain_text, "Gönderildi") < 1001
        with sqlite3.connect(bot.database) as conn:
            assert conn.execute("SELECT count(*) FROM audit_log WHERE action IN "
                                "('broadcast', 'broadcast_stopped')").fetchone() == (3,)
    finally:
        bot.stop()
    log = bot.log()
    assert "Traceback" not in log, log[-3000:]
    assert not fake.rejected(), [c.summary() for c in fake.rejected()]
