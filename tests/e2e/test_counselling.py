"""Career counselling and the mobile employment point, tried as people would: a counsellor opens
a morning, citizens book, race, cancel and are reminded, a trainee books after a ceremony, and
the counsellor records the meeting."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from icalendar import Calendar

from bot.clock import SystemClock
from bot.config import Settings
from bot.services.appointments import AppointmentService
from bot.services.reminders import ReminderService
from playground.fakebot import FakeTelegram, FakeUser
from playground.fakebot.models import BotMessage
from storage.database import Database
from tests.e2e.conftest import ADMIN_ID, course_file, running_bot
from tests.e2e.harness import BotProcess
from tests.e2e.test_registration import pushed, register

ISTANBUL = ZoneInfo("Europe/Istanbul")
DAYS = ["Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz"]
LEAD = 25  # seconds from the bot's start to the appointment reminder's due time


def words(day: date) -> str:
    return format_date(day, format="full", locale="tr")


def reply(user: FakeUser, fragment: str, timeout: float = 10) -> BotMessage:
    """The latest message (sent or edited) in this chat whose text holds `fragment`."""
    found: BotMessage = user_fake(user).wait_for(
        lambda: next((m for m in reversed(user.messages) if fragment in m.plain_text), None),
        timeout=timeout, message=f"a message with {fragment!r} to {user.id}")
    return found


def edited(user: FakeUser, pressed_on: BotMessage, fragment: str) -> BotMessage:
    """The message a button was pressed on, once it has been edited to hold `fragment`."""
    found: BotMessage = user_fake(user).wait_for(
        lambda: next((m for m in user.messages if m.message_id == pressed_on.message_id
                      and fragment in m.plain_text), None),
        timeout=10, message=f"message {pressed_on.message_id} edited to {fragment!r}")
    return found


_FAKES: dict[int, FakeTelegram] = {}


def user_fake(user: FakeUser) -> FakeTelegram:
    return _FAKES[id(user)]


def people(fake: FakeTelegram, *who: tuple[int, str]) -> list[FakeUser]:
    users = [fake.user(user_id, name) for user_id, name in who]
    for user in users:
        _FAKES[id(user)] = fake
    return users


def open_morning(admin: FakeUser, day: date, hours: str = "09:00-12:00",
                 place: str = "Konak Meslek Fabrikası") -> None:
    admin.send_text(f"/randevu_ac {day.isoformat()} {hours} 30 {place}")
    preview = reply(admin, "Önizleme")
    assert "Aç" in preview.buttons()
    admin.press("Aç", preview)
    reply(admin, "randevu saati açıldı")


def to_times(user: FakeUser, day: date, topic: str = "CV hazırlama") -> BotMessage:
    """/randevu → topic → day: the message listing the free times."""
    before = len(user.messages)
    user.send_text("/randevu")
    topics = user_fake(user).wait_for(
        lambda: next((m for m in user.messages[before:]
                      if "Hangi konuda konuşmak istersiniz" in m.plain_text), None))
    user.press(topic, topics)
    user.press(words(day), edited(user, topics, "Bir gün seçin"))
    return edited(user, topics, "bir saat seçin")


def confirm_screen(user: FakeUser, day: date, hour: str) -> BotMessage:
    times = to_times(user, day)
    user.press(hour, times)
    return edited(user, times, "Lütfen randevunuzu onaylayın")


def book(user: FakeUser, day: date, hour: str) -> BotMessage:
    user.press("Evet", confirm_screen(user, day, hour))
    return reply(user, "Randevunuz alındı")


def figures(database: Path, year: int) -> tuple[int, int]:
    """What /istatistik reads: the service's year figures, from the bot's own database."""
    async def read() -> tuple[int, int]:
        db = Database(database)
        await db.open()
        try:
            settings = Settings(token="1:x")
            service = AppointmentService(db, SystemClock(), settings,
                                         ReminderService(db, SystemClock(), settings))
            return await service.year_figures(year)
        finally:
            await db.close()
    return asyncio.run(read())


def test_book_race_cancel_and_rebook(fake: FakeTelegram, bot: BotProcess) -> None:
    admin, ayse, burak = people(fake, (ADMIN_ID, "Danışman"), (5001, "Ayşe"), (5002, "Burak"))
    day = datetime.now(ISTANBUL).date() + timedelta(days=2)
    open_morning(admin, day)

    confirm = confirm_screen(ayse, day, "10.00")
    ten = str(confirm.button("Evet")["callback_data"])
    ayse.press("Evet", confirm)
    booked = reply(ayse, "Randevunuz alındı")
    assert "CV hazırlama" in booked.plain_text and "10.00" in booked.plain_text
    calendar = fake.wait_for(lambda: next((m for m in ayse.messages if m.document), None))
    event = Calendar.from_ical(calendar.document[1]).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert start.astimezone(ISTANBUL) == datetime.combine(day, datetime.min.time().replace(
        hour=10), tzinfo=ISTANBUL)
    assert "Konak Meslek Fabrikası" in str(event.get("location"))
    fake.wait_for(lambda: any(m.method == "sendVenue" for m in ayse.messages))

    # Burak no longer sees 10:00; an old button for it tells him and shows what is free.
    times = to_times(burak, day)
    assert "10.00" not in times.buttons() and "10.30" in times.buttons()
    burak.press_data(ten, times.message_id)
    taken = reply(burak, "az önce başka birine verildi")
    assert "10.30" in taken.buttons()
    # One appointment at a time.
    ayse.send_text("/randevu")
    assert "Zaten bir danışmanlık randevunuz var" in reply(ayse, "Zaten bir").plain_text

    # Ayşe cancels from /kayitlarim and 10:00 is free again.
    ayse.send_text("/kayitlarim")
    mine = reply(ayse, "Kariyer danışmanlığı")
    ayse.press(next(b for b in mine.buttons() if b.startswith("İptal")), mine)
    ayse.press("Evet", reply(ayse, "iptal edilsin mi"))
    reply(ayse, "bu saat artık başkası için boş")
    assert "10.00" in to_times(burak, day).buttons()
    assert book(burak, day, "10.00")

    # The counsellor closes 10:00: Burak is told and offered the days still free.
    admin.send_text(f"/randevu_kapat {day.isoformat()} 10:00")
    closed = reply(admin, "randevu saati kapatıldı").plain_text
    assert "1 vatandaşa haber verildi" in closed
    reply(burak, "kapatmak zorunda kaldı")
    assert words(day) in reply(burak, "kapatmak zorunda kaldı").buttons()
    burak.send_text("/randevu")
    assert "Hangi konuda" in reply(burak, "Hangi konuda").plain_text


def test_fifty_citizens_race_for_the_last_slot(fake: FakeTelegram, bot: BotProcess) -> None:
    admin, scout = people(fake, (ADMIN_ID, "Danışman"), (5100, "Öncü"))
    day = datetime.now(ISTANBUL).date() + timedelta(days=3)
    open_morning(admin, day, "14:00-14:30")
    evet = str(confirm_screen(scout, day, "14.00").button("Evet")["callback_data"])
    racers = people(fake, *((5101 + n, f"Yarışçı{n}") for n in range(50)))
    screens = []
    for racer in racers:
        racer.send_text("/randevu")
        screens.append(reply(racer, "Hangi konuda"))
    for racer, screen in zip(racers, screens, strict=True):
        racer.press_data(evet, screen.message_id)
    outcomes = [fake.wait_for(lambda r=racer: next(
        (m.plain_text for m in r.messages
         if "Randevunuz alındı" in m.plain_text or "başka birine verildi" in m.plain_text),
        None), timeout=30) for racer in racers]
    assert sum("Randevunuz alındı" in o for o in outcomes) == 1
    with sqlite3.connect(bot.database) as conn:
        assert conn.execute("SELECT count(*) FROM appointments WHERE status = 'booked'"
                            ).fetchone() == (1,)


def test_staff_input_is_refused_and_citizens_cannot_open_slots(fake: FakeTelegram,
                                                               bot: BotProcess) -> None:
    admin, citizen = people(fake, (ADMIN_ID, "Danışman"), (5301, "Vatandaş"))
    future = (datetime.now(ISTANBUL).date() + timedelta(days=5)).isoformat()
    citizen.send_text(f"/randevu_ac {future} 09:00-12:00 30")
    assert "Bu işlem için yetkiniz yok." in reply(citizen, "yetkiniz").plain_text
    for command, expected in [
        ("/randevu_ac", "Şöyle yazın"),
        ("/randevu_ac 2020-01-10 09:00-12:00 30", "geçmişte kaldı"),
        (f"/randevu_ac {future} 25:00-26:00 30", "geçerli bir saat değil"),
        (f"/randevu_ac {future} 09:00-09:20 30", "tek bir randevuya bile yetmiyor"),
        (f"/randevu_ac {future} 09:00-12:00 0", "tam dakika olmalı"),
        (f"/randevu_ac {future} 09:00-12:00 600", "tam dakika olmalı"),
        (f"/mobil_ekle {future} 10:00-16:00 Bucaa | Meydan", "Buca mı demek istediniz"),
        (f"/mobil_ekle {future} 10:00-16:00 Atlantis | Meydan", "adında bir ilçe yok"),
    ]:
        admin.send_text(command)
        assert expected in reply(admin, expected).plain_text, command
    with sqlite3.connect(bot.database) as conn:
        assert conn.execute("SELECT count(*) FROM slots").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM mobile_visits").fetchone() == (0,)
    open_morning(admin, date.fromisoformat(future))
    admin.send_text(f"/randevu_ac {future} 11:30-13:00 30")
    assert "çakışıyor" in reply(admin, "çakışıyor").plain_text


def test_the_bus_visit_reaches_buca_subscribers(fake: FakeTelegram, bot: BotProcess) -> None:
    admin, fan, other = people(fake, (ADMIN_ID, "Danışman"), (5401, "Bucalı"),
                               (5402, "Konaklı"))
    fan.send_text("/bildirimler")
    settings = reply(fan, "Henüz bir kurs aboneliğiniz yok")
    fan.press("+ Yeni kurslardan haberdar et", settings)
    fan.press("Buca", edited(fan, settings, "Hangi ilçe?"))
    fan.press("Tüm branşlar", edited(fan, settings, "Hangi branş?"))
    edited(fan, settings, "• Buca")
    other.send_text("/start")
    reply(other, "hoş geldiniz")
    day = datetime.now(ISTANBUL).date() + timedelta(days=4)
    admin.send_text(f"/mobil_ekle {day.isoformat()} 10:00-16:00 buca | Buca Mahalle Konağı | 30")
    assert "1 abonesine haber verildi" in reply(admin, "Mobil İstihdam Noktası planlandı",
                                                ).plain_text
    news = pushed(fake, fan, "Mobil İstihdam Noktası Buca ilçesine geliyor")
    assert "Buca Mahalle Konağı" in news
    fake.wait_for(lambda: any(m.method == "sendVenue" for m in fan.messages))
    assert not any("Mobil İstihdam" in m.plain_text for m in other.messages)
    other.send_text("/mobil")
    listing = reply(other, "yaklaşan ziyaretler")
    assert "Buca" in listing.plain_text
    other.press(next(b for b in listing.buttons() if "Buca" in b), listing)
    visit = edited(other, listing, "Buca ilçesine geliyor")
    other.press("Bu ziyarette danışmanlık randevusu al", visit)
    days = edited(other, listing, "Bir gün seçin")
    assert words(day) in days.buttons()


class Schedule:
    """A course in Konak that ends today, and counselling slots from the next-but-one minute;
    the reminder offset makes the appointment reminder fall due LEAD seconds after start."""

    def __init__(self) -> None:
        now = datetime.now(ISTANBUL)
        if now.hour == 23 and now.minute >= 45:
            pytest.skip("the slots must fall on today's date; run again after midnight")
        self.start = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
        self.due = now + timedelta(seconds=LEAD)
        self.offset = int((self.start - self.due).total_seconds())
        self.today = now.date()

    def course_file(self) -> str:
        day = self.today.isoformat()
        return ("kod;ad;brans;ilce;merkez;enlem;boylam;baslangic;bitis;gunler;saat;kontenjan\n"
                f"KON-BAR-02;Barista;Yiyecek İçecek;Konak;Konak Meslek Fabrikası;38.43712;"
                f"27.14298;{day};{day};{DAYS[self.today.weekday()]};23:58-23:59;10\n")


@pytest.fixture
def schedule() -> Schedule:
    return Schedule()


@pytest.fixture
def reminder_bot(fake: FakeTelegram, tmp_path: Path,
                 schedule: Schedule) -> Iterator[BotProcess]:
    with running_bot(fake, tmp_path, course_file(tmp_path, schedule.course_file()),
                     REMINDER_OFFSETS=f"{schedule.offset}s") as process:
        yield process


def test_reminded_on_time_then_met_and_counted_and_a_trainee_books_after_the_ceremony(
        fake: FakeTelegram, reminder_bot: BotProcess, schedule: Schedule) -> None:
    admin, pinar, trainee = people(fake, (ADMIN_ID, "Danışman"), (5501, "Pınar"),
                                   (5502, "Selin"))
    start = schedule.start
    end = start + timedelta(minutes=60)
    admin.send_text(f"/randevu_ac {start:%Y-%m-%d} {start:%H:%M}-{end:%H:%M} 30 "
                    "Konak Meslek Fabrikası")
    admin.press("Aç", reply(admin, "Önizleme"))
    reply(admin, "randevu saati açıldı")
    booked = book(pinar, schedule.today, f"{start:%H.%M}")
    assert "Randevunuz alındı" in booked.plain_text

    # The reminder arrives on time (within the runner's 5 s).
    pushed(fake, pinar, "Hatırlatma: kariyer danışmanlığı", timeout=LEAD + 15)
    assert datetime.now(ISTANBUL) - schedule.due < timedelta(seconds=6)

    # The counsellor marks the meeting and what came of it; the year counts it.
    admin.send_text("/randevularim")
    day_list = reply(admin, "Bugünün ve yarının randevuları")
    assert "Pınar" in day_list.plain_text and "CV hazırlama" in day_list.plain_text
    admin.press(next(b for b in day_list.buttons() if b.endswith(": geldi")), day_list)
    marked = reply(admin, "(geldi)")
    admin.press("işe yerleşti", marked)
    reply(admin, "geldi, işe yerleşti")
    assert figures(reminder_bot.database, schedule.today.year) == (1, 1)

    # A trainee leaves the certificate ceremony and books counselling in one tap.
    assert "Kayıt kodunuz" in register(trainee, "KON-BAR-02", "Selin Ak", "0532 550 00 02")
    ceremony = datetime.now(ISTANBUL) + timedelta(days=1)
    admin.send_text(f"/toren KON-BAR-02 {ceremony:%Y-%m-%d} {ceremony:%H:%M} Konak Meslek "
                    "Fabrikası")  # a known centre: its pin, no question asked
    reply(admin, "kursiyere haber verildi")
    with sqlite3.connect(reminder_bot.database) as conn:  # the ceremony is over: jump ahead
        conn.execute("UPDATE due_actions SET due_at = ? WHERE payload LIKE '%after_ceremony%'",
                     (datetime.now(UTC).isoformat(),))
    after = reply(trainee, "sertifikanız için tebrikler", timeout=15)
    one_tap = next(b for b in after.buttons() if b.startswith("Danışmanlık: "))
    trainee.press(one_tap, after)
    trainee.press("Evet", reply(trainee, "Lütfen randevunuzu onaylayın"))
    assert "İş arama" in reply(trainee, "Randevunuz alındı").plain_text
    time.sleep(1)
    with sqlite3.connect(reminder_bot.database) as conn:
        assert conn.execute("SELECT count(*) FROM appointments WHERE status = 'booked'"
                            ).fetchone() == (1,)
