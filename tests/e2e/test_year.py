"""A citizen's programme year, with the bot's clock moved forward: courses finish and stay as
history, a started course's card closes, a ceremony moves back and forth and reminds once, a
waiting citizen hears their new place, a late joiner is reminded of the ceremony."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from playground.fakebot import FakeTelegram, FakeUser
from tests.e2e.conftest import ADMIN_ID, course_file, running_bot
from tests.e2e.harness import BotProcess
from tests.e2e.test_registration import cancel_first, open_course, pushed

ISTANBUL = ZoneInfo("Europe/Istanbul")
EVERY_DAY = "Pzt,Sal,Çar,Per,Cum,Cmt,Paz"
HEADER = "kod;ad;brans;ilce;merkez;enlem;boylam;baslangic;bitis;gunler;saat;kontenjan\n"
CENTRE = "Konak Meslek Fabrikası"
PIN = (38.43712, 27.14298)


def row(code: str, name: str, start: date, end: date, hours: str, capacity: int = 10) -> str:
    return (f"{code};{name};Yiyecek İçecek;Konak;{CENTRE};{PIN[0]};{PIN[1]};{start};{end};"
            f"{EVERY_DAY};{hours};{capacity}\n")


@pytest.fixture
def year_bot(fake: FakeTelegram, tmp_path: Path) -> Iterator[BotProcess]:
    today = datetime.now(ISTANBUL).date()
    day = timedelta(days=1)
    courses = HEADER + "".join([
        row("YIL-A-01", "Barista", today + day, today + 3 * day, "09:00-10:00"),
        row("YIL-B-01", "Pastacılık", today + day, today + 3 * day, "11:00-12:00"),
        row("YIL-C-01", "Aşçılık", today + day, today + 3 * day, "13:00-14:00"),
        row("YIL-D-01", "Servis Elemanı", today + 40 * day, today + 50 * day, "15:00-16:00"),
        row("TRN-01", "Sertifikalı Barista", today + day, today + 2 * day, "17:00-18:00", 2),
    ])
    with running_bot(fake, tmp_path, course_file(tmp_path, courses),
                     time_travel=True) as process:
        yield process


def enrol(fake: FakeTelegram, user: FakeUser, code: str, name: str, phone: str) -> str:
    """Pre-register from the course card; consent is asked only the first time."""
    open_course(user, code)
    user.press("Ön kayıt" if "Ön kayıt" in user.last().buttons() else "Yedek listeye gir")
    question = user.wait_reply(where=lambda m: "Adınızı ve soyadınızı yazın" in m.plain_text
                               or "Yedek listeye gir" in m.buttons())
    if "Adınızı ve soyadınızı yazın" not in question.plain_text:
        user.press("Yedek listeye gir", question)
        user.wait_reply("Adınızı ve soyadınızı yazın")
    user.send_text(name)
    user.wait_reply("Cep telefonu numaranız")
    seen = len(user.messages)
    user.send_text(phone)

    def outcome() -> str | None:
        for message in user.messages[seen:]:
            if "Onaylıyorum" in message.buttons():
                return "consent"
            if "Kayıt kodunuz" in message.plain_text or "sıradasınız" in message.plain_text:
                return message.plain_text
        return None

    found = fake.wait_for(outcome, timeout=10, message=f"the result of registering {user.id}")
    if found != "consent":
        return found
    seen = len(user.messages)
    user.press("Onaylıyorum")
    return fake.wait_for(lambda: next((m.plain_text for m in user.messages[seen:]
                                       if "Kayıt kodunuz" in m.plain_text
                                       or "sıradasınız" in m.plain_text), None),
                         timeout=10, message=f"the registration of {user.id}")


def texts(user: FakeUser, *fragments: str) -> list[str]:
    return [m.plain_text for m in user.messages
            if all(fragment in m.plain_text for fragment in fragments)]


def wait_for_reminders(fake: FakeTelegram, trainee: FakeUser, count: int) -> None:
    fake.wait_for(lambda: len(texts(trainee, "Hatırlatma: Sertifika töreni")) >= count,
                  timeout=10, message=f"ceremony reminder {count} to {trainee.id}")


def test_three_courses_finish_and_make_room_for_a_fourth(fake: FakeTelegram,
                                                         year_bot: BotProcess) -> None:
    hatice, later = fake.user(5001, "Hatice"), fake.user(5002, "Kemal")
    for code in ("YIL-A-01", "YIL-B-01", "YIL-C-01"):
        assert "Kayıt kodunuz" in enrol(fake, hatice, code, "Hatice Kara", "0532 500 00 01")
    open_course(hatice, "YIL-D-01")
    hatice.press("Ön kayıt")
    hatice.wait_reply("en fazla 3")

    year_bot.travel(timedelta(days=10))  # the three courses end; the daily job runs
    time.sleep(1)
    assert "Kayıt kodunuz" in enrol(fake, hatice, "YIL-D-01", "Hatice Kara", "0532 500 00 01")
    hatice.send_text("/kayitlarim")
    mine = hatice.wait_reply("Tamamlanan kurslar").plain_text
    history = mine.split("Tamamlanan kurslar")[1]
    assert all(name in history for name in ("Barista", "Pastacılık", "Aşçılık"))
    assert "Servis Elemanı" in mine.split("Tamamlanan kurslar")[0]

    # Forty days on, the fourth course has started: its card offers no "Ön kayıt".
    year_bot.travel(timedelta(days=35))
    time.sleep(0.5)
    open_course(later, "YIL-D-01")
    card = later.last()
    assert "Ön kayıt" not in card.buttons() and "Yedek listeye gir" not in card.buttons()
    assert "Boş yer" not in card.plain_text
    assert "İlk ders başladığı için kayıtlar kapandı." in card.plain_text


def test_a_ceremony_moved_back_and_forth_reminds_each_trainee_once(
        fake: FakeTelegram, year_bot: BotProcess) -> None:
    admin = fake.user(ADMIN_ID, "Yönetici")
    stays, leaves, waits, also_waits = (fake.user(5100 + i, n) for i, n in
                                        enumerate(["Ayten", "Bora", "Cem", "Derya"]))
    for user, name, phone in [(stays, "Ayten Su", "0532 510 00 01"),
                              (leaves, "Bora Taş", "0532 510 00 02"),
                              (waits, "Cem Kaya", "0532 510 00 03"),
                              (also_waits, "Derya Ak", "0532 510 00 04")]:
        enrol(fake, user, "TRN-01", name, phone)
    assert "Yedek listede 2. sıradasınız" in also_waits.last().plain_text

    today = datetime.now(ISTANBUL).date()
    a = datetime.combine(today + timedelta(days=5), datetime.min.time(),
                         tzinfo=ISTANBUL).replace(hour=14)
    b = a + timedelta(days=2)
    for when, expected in [(a, "2 kursiyere haber verildi"), (b, "taşındı"), (a, "taşındı")]:
        admin.send_text(f"/toren TRN-01 {when:%d.%m.%Y} 14:00 {CENTRE} Kurs Salonu")
        admin.wait_reply(expected)
    # Told where it ended up (a notice overtaken by the next move is not sent at all).
    pushed(fake, stays, f"Sertifika töreninin zamanı değişti.\n\n"
                        f"Sertifika töreni: Sertifikalı Barista\nNe zaman: {a.day} ")
    time.sleep(1)
    moved = len(texts(stays, "töreninin zamanı değişti"))
    admin.send_text(f"/toren TRN-01 {a:%d.%m.%Y} 14:00 {CENTRE} Kurs Salonu")
    admin.wait_reply("Hiçbir şey değişmediği")
    time.sleep(1)
    assert len(texts(stays, "töreninin zamanı değişti")) == moved  # re-run unchanged: silence

    # One leaves: the first waiting is offered the seat, the second moves up.
    cancel_first(leaves)
    pushed(fake, also_waits, "Yedek listede artık 1. sıradasınız")
    pushed(fake, waits, "sizin için bir yer açıldı")
    waits.press("Kabul et")
    pushed(fake, waits, "kabul ettiniz")  # the offer's own message follows its state
    pushed(fake, waits, "Sertifika töreniniz planlandı")  # the late joiner hears of it

    # The day before, two hours before, and after the ceremony.
    for offset in (timedelta(days=1), timedelta(hours=2)):
        year_bot.travel(a - offset + timedelta(seconds=3) - year_bot.now())
        expected = 1 if offset.days else 2
        for trainee in (stays, waits):
            wait_for_reminders(fake, trainee, expected)
    year_bot.travel(a + timedelta(hours=2, seconds=3) - year_bot.now())
    pushed(fake, stays, "sertifikanız için tebrikler")
    time.sleep(2)
    for trainee in (stays, waits):
        assert len(texts(trainee, "Hatırlatma: Sertifika töreni")) == 2
        assert len(texts(trainee, "sertifikanız için tebrikler")) == 1
        venues = [m.venue for m in trainee.messages if m.venue]
        assert venues and all((v["latitude"], v["longitude"]) == PIN for v in venues)
    assert not texts(leaves, "Hatırlatma: Sertifika töreni")
    assert not texts(leaves, "tebrikler")
