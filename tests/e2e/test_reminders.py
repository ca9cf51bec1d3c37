"""Trainees are reminded once, on time, through crashes, cancellations and moved ceremonies."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from playground.fakebot import FakeTelegram
from tests.e2e.conftest import ADMIN_ID, course_file, running_bot
from tests.e2e.harness import BotProcess
from tests.e2e.test_registration import cancel_first, pushed, register

ISTANBUL = ZoneInfo("Europe/Istanbul")
DAYS = ["Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz"]
LEAD = 18  # seconds from the bot's start to the reminder's due time


class Schedule:
    """A course whose first class starts at the next-but-one minute, and a reminder offset
    chosen so that the reminder falls due LEAD seconds after the bot starts."""

    def __init__(self) -> None:
        now = datetime.now(ISTANBUL)
        self.start = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
        if self.start.hour == 23 and self.start.minute >= 58:  # a class may not cross midnight
            self.start = (self.start + timedelta(minutes=3)).replace(minute=1)
        self.end = min(self.start + timedelta(hours=2), self.start.replace(hour=23, minute=59))
        self.due = now + timedelta(seconds=LEAD)
        self.offset = int((self.start - self.due).total_seconds())

    def course_file(self) -> str:
        day = self.start.date().isoformat()
        return ("kod;ad;brans;ilce;merkez;enlem;boylam;baslangic;bitis;gunler;saat;kontenjan\n"
                f"KON-BAR-01;Barista;Yiyecek İçecek;Konak;Konak Meslek Fabrikası;38.43712;"
                f"27.14298;{day};{day};{DAYS[self.start.weekday()]};"
                f"{self.start:%H:%M}-{self.end:%H:%M};10\n")


@pytest.fixture
def schedule() -> Schedule:
    return Schedule()


@pytest.fixture
def reminder_bot(fake: FakeTelegram, tmp_path: Path,
                 schedule: Schedule) -> Iterator[BotProcess]:
    with running_bot(fake, tmp_path, course_file(tmp_path, schedule.course_file()),
                     REMINDER_OFFSETS=f"{schedule.offset}s,3d") as process:
        yield process


def test_first_class_and_ceremony_reminders_survive_a_crash_and_a_move(
        fake: FakeTelegram, reminder_bot: BotProcess, schedule: Schedule) -> None:
    trainee, quitter, admin = fake.user(4001, "Pınar"), fake.user(4002, "Selim"), \
        fake.user(ADMIN_ID, "Yönetici")
    assert "Kayıt kodunuz" in register(trainee, "KON-BAR-01", "Pınar Güneş", "0532 400 00 01")
    assert "Kayıt kodunuz" in register(quitter, "KON-BAR-01", "Selim Ak", "0532 400 00 02")
    cancel_first(quitter)

    # Staff schedule the ceremony at the time of the first class, then move it a day later.
    when = schedule.start
    admin.send_text(f"/toren KON-BAR-01 {when:%Y-%m-%d} {when:%H:%M} Konak Kültür Merkezi")
    admin.wait_reply("kurs merkezlerimizden biri değil")
    admin.send_location(38.4189, 27.1287)  # not a known centre: its own place, as shared
    admin.wait_reply("1 kursiyere haber verildi")
    pushed(fake, trainee, "Sertifika töreniniz planlandı")
    fake.wait_for(lambda: any(m.method == "sendVenue" for m in trainee.messages))
    calendar = fake.wait_for(lambda: next((m for m in trainee.messages if m.document), None))
    assert b"BEGIN:VCALENDAR" in calendar.document[1] and b"Barista" in calendar.document[1]
    later = when + timedelta(days=1)
    admin.send_text(f"/toren KON-BAR-01 {later:%Y-%m-%d} {later:%H:%M} Konak Kültür Merkezi")
    admin.wait_reply("kurs merkezlerimizden biri değil")
    admin.press("Konumsuz devam et")
    admin.wait_reply("taşındı")
    pushed(fake, trainee, "töreninin zamanı değişti")

    # The bot crashes before the reminder is due and comes back.
    assert datetime.now(ISTANBUL) < schedule.due - timedelta(seconds=2), "test too slow"
    reminder_bot.kill()
    reminder_bot.start()

    pushed(fake, trainee, "ilk dersi", timeout=LEAD + 15)
    arrived = datetime.now(ISTANBUL)
    assert arrived - schedule.due < timedelta(seconds=5 + 1)  # + the 10 ms polling of the fake
    time.sleep(3)  # anything sent twice, or for the old ceremony time, would show by now
    reminders = [m.plain_text for m in trainee.messages if "Hatırlatma" in m.plain_text]
    assert len(reminders) == 1 and "Barista" in reminders[0]
    assert not any("Hatırlatma" in m.plain_text for m in quitter.messages)
    assert "ceremony" not in reminders[0]


def test_staff_commands_refuse_bad_input_and_citizens(fake: FakeTelegram,
                                                      reminder_bot: BotProcess) -> None:
    admin, citizen = fake.user(ADMIN_ID, "Yönetici"), fake.user(4101, "Vatandaş")
    citizen.send_text("/toren KON-BAR-01 2027-01-10 14:00 Salon")
    citizen.wait_reply("Bu işlem için yetkiniz yok.")
    assert "tried the staff action" in reminder_bot.log()
    for command, expected in [
        ("/toren", "Şöyle yazın"),
        ("/toren KON-BAR-01 2020-01-10 14:00 Salon", "geçmişte kalıyor"),
        ("/toren KON-BAR-01 2027-02-30 14:00 Salon", "geçerli bir tarih ve saat değil"),
        ("/toren YOK-01 2027-01-10 14:00 Salon", "YOK-01 kodlu bir kurs yok"),
        ("/toren KON-BAR-01 2027-01-10 14:00", "Yeri de yazın"),
        ("/toren_iptal KON-BAR-01", "planlanmış bir tören yok"),
        ("/etkinlik_ekle", "Şöyle yazın"),
        ("/etkinlik_ekle konser 2027-06-20 14:00 Kültürpark | Başlık", "Şöyle yazın"),
    ]:
        admin.send_text(command)
        admin.wait_reply(expected)
    with __import__("sqlite3").connect(reminder_bot.database) as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (0,)


def test_an_exhibition_reaches_subscribers_and_shows_in_etkinlikler(
        fake: FakeTelegram, reminder_bot: BotProcess) -> None:
    admin, fan, other = (fake.user(ADMIN_ID, "Yönetici"), fake.user(4201, "Sanatsever"),
                         fake.user(4202, "Başkası"))
    fan.send_text("/bildirimler")
    fan.wait_reply("Henüz bir kurs aboneliğiniz yok")
    fan.press("+ Yeni kurslardan haberdar et")
    fan.wait_reply("Hangi ilçe?")
    fan.press("Konak")
    fan.wait_reply("Hangi branş?")
    fan.press("Tüm branşlar")
    fan.wait_reply("• Konak")
    fan.press("Ders hatırlatmaları: kapalı")
    fan.wait_reply(where=lambda m: "Ders hatırlatmaları: açık" in m.buttons())

    admin.send_text("/etkinlik_ekle sergi 2027-06-20 14:00 Kültürpark Fuar Alanı | "
                    "Yıl Sonu Sergisi | Konak")
    preview = admin.wait_reply("Önizleme")
    assert "Yayınla" in preview.buttons()
    admin.press("Yayınla", preview)
    admin.wait_messages(1, "1 kişiye haber verildi")
    pushed(fake, fan, "Yıl Sonu Sergisi")
    fake.wait_for(lambda: any(m.document for m in fan.messages), message="the .ics file")
    fan.send_text("/etkinlikler")
    fan.wait_reply("Yıl sonu sergisi: Yıl Sonu Sergisi – 20 Haziran 2027 Pazar, 14.00")
    other.send_text("/etkinlikler")
    other.wait_reply("yaklaşan bir tören")
