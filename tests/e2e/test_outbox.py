"""The outbox's sender against a Telegram that fails: each message once, part by part.

A ceremony announcement is three calls (text → map pin → .ics file). What a failure proves
decides what happens next: a connection that drops after Telegram took the message leaves it
in doubt (never sent again); a connection refused before anything was sent, or a 5xx, is
retried and delivered once, without repeating the parts that already went out.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

from bot.clock import SystemClock
from bot.domain import AudienceKind, BroadcastAudience
from bot.services.broadcasts import BroadcastService
from playground.fakebot import FakeTelegram, FakeUser
from storage.database import Database
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.harness import BotProcess
from tests.e2e.test_registration import pushed, register

ANNOUNCED = "Sertifika töreniniz planlandı"
CEREMONY = "/toren KON-DPZ-01 2027-03-20 14:00 Konak Meslek Fabrikası Kurs Merkezi"


def calls_to(fake: FakeTelegram, method: str, chat_id: int, ok: bool = True) -> int:
    return sum(1 for call in fake.calls if call.method == method and call.ok == ok
               and str(call.params.get("chat_id")) == str(chat_id))


def enrol(trainee: FakeUser) -> None:
    assert "Kayıt kodunuz" in register(trainee, "KON-DPZ-01", "Deniz Yılmaz", "0532 500 00 01")


def announce_ceremony(fake: FakeTelegram) -> None:
    """Staff schedule the certificate ceremony of the trainee's course."""
    admin = fake.user(ADMIN_ID, "Yönetici")
    admin.send_text(CEREMONY)
    pushed(fake, admin, "1 kursiyere haber verildi")


def test_a_failed_calendar_file_is_sent_again_without_repeating_the_text_and_the_pin(
        fake: FakeTelegram, bot: BotProcess) -> None:
    trainee = fake.user(5101, "Deniz")
    enrol(trainee)
    fake.fail_next("sendDocument", 500, "Internal Server Error", chat_id=trainee.id)
    announce_ceremony(fake)

    pushed(fake, trainee, ANNOUNCED)
    fake.wait_for(lambda: calls_to(fake, "sendDocument", trainee.id) == 1, timeout=20,
                  message="the .ics file, on the second try")
    assert calls_to(fake, "sendDocument", trainee.id, ok=False) == 1  # the injected 500
    time.sleep(1)  # anything sent twice would show by now
    assert sum(ANNOUNCED in m.plain_text for m in trainee.messages) == 1
    assert calls_to(fake, "sendVenue", trainee.id) == 1
    assert calls_to(fake, "sendDocument", trainee.id) == 1
    assert "part 3 not sent (NetworkError: Internal Server Error); tries again" in bot.log()


def test_a_message_taken_before_the_connection_dropped_is_in_doubt_and_not_sent_again(
        fake: FakeTelegram, bot: BotProcess) -> None:
    trainee = fake.user(5102, "Deniz")
    enrol(trainee)
    fake.drop_after("sendMessage", chat_id=trainee.id)
    announce_ceremony(fake)

    pushed(fake, trainee, ANNOUNCED)  # Telegram has it; the bot never heard back
    fake.wait_for(lambda: "in doubt, not sent again" in bot.log(), timeout=10,
                  message="the in-doubt log line")
    time.sleep(3)  # past the first retry delay: a resend would show by now
    assert sum(ANNOUNCED in m.plain_text for m in trainee.messages) == 1
    assert sum(1 for call in fake.calls if call.method == "sendMessage"
               and ANNOUNCED in str(call.params.get("text"))) == 1
    assert "part 1 may have reached Telegram (NetworkError from httpx.RemoteProtocolError)" \
        in bot.log()
    # A message in doubt stops there: its pin and file would make no sense alone.
    assert calls_to(fake, "sendVenue", trainee.id) == 0
    assert calls_to(fake, "sendDocument", trainee.id) == 0


def _broadcast(database: Path, text: str) -> None:
    """Staff queue a broadcast to everyone (from another process, as the console will)."""
    async def create() -> None:
        db = Database(database)
        await db.open()
        try:
            await BroadcastService(db, SystemClock()).create(
                ADMIN_ID, text, BroadcastAudience(AudienceKind.EVERYONE))
        finally:
            await db.close()
    asyncio.run(create())


def _attempts(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        row = conn.execute("SELECT max(attempts) FROM due_actions "
                           "WHERE kind = 'broadcast'").fetchone()
    return int(row[0] or 0)


def test_a_refused_connection_is_retried_and_the_message_delivered_once(
        fake: FakeTelegram, bot: BotProcess) -> None:
    citizen = fake.user(5103, "Ece")
    citizen.send_text("/start")
    pushed(fake, citizen, "hoş geldiniz")

    fake.refuse_connections()
    try:
        _broadcast(bot.database, "Yeni dönem kayıtları <b>başladı</b>.")
        fake.wait_for(lambda: _attempts(bot.database) >= 1, timeout=15,
                      message="a first try, refused")
    finally:
        fake.accept_connections()

    pushed(fake, citizen, "Yeni dönem kayıtları başladı", timeout=20)
    time.sleep(1)
    assert sum("Yeni dönem" in m.plain_text for m in citizen.messages) == 1
    assert sum(1 for call in fake.calls if call.method == "sendMessage"
               and "Yeni dönem" in str(call.params.get("text"))) == 1
    assert "NetworkError from httpx.ConnectError); tries again" in bot.log()
    with sqlite3.connect(bot.database) as conn:
        assert conn.execute("SELECT state, attempts FROM due_actions WHERE kind = 'broadcast'"
                            ).fetchall() == [("done", 1)]
