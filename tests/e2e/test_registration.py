"""Citizens claim seats, wait, get offers, and take their data back — through the real bot."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.fakebot import FakeTelegram, FakeUser
from tests.e2e.conftest import course_file, running_bot
from tests.e2e.harness import BotProcess

SMALL = ("kod;ad;brans;ilce;merkez;enlem;boylam;baslangic;bitis;gunler;saat;kontenjan;yas_alt\n"
         "BUC-MUH-09;Ön Muhasebe;Muhasebe ve Finans;Buca;Buca Mahalle Konağı;38.38861;27.17540;"
         "2027-01-04;2027-03-26;Pzt,Çar;18:30-21:00;2;\n"
         "BUC-KAY-09;Kaynakçılık;Metal Teknolojisi;Buca;Buca Mahalle Konağı;38.38861;27.17540;"
         "2027-01-05;2027-03-26;Sal,Per;09:00-12:00;10;18\n")


@pytest.fixture
def small_bot(fake: FakeTelegram, tmp_path: Path) -> Iterator[BotProcess]:
    with running_bot(fake, tmp_path, course_file(tmp_path, SMALL),
                     SEAT_OFFER_TTL="3s") as process:
        yield process


def pushed(fake: FakeTelegram, user: FakeUser, fragment: str, timeout: float = 10) -> str:
    """Wait for a message the bot sends on its own (not in reply to this user)."""
    return fake.wait_for(
        lambda: next((m.plain_text for m in reversed(user.messages)
                      if fragment in m.plain_text), None),
        timeout=timeout, message=f"{fragment!r} to {user.id}")


def cancel_first(user: FakeUser) -> None:
    """/kayitlarim → "İptal: …" on the first registration → "Evet"."""
    user.send_text("/kayitlarim")
    mine = user.wait_reply()
    user.press(next(b for b in mine.buttons() if b.startswith("İptal")))
    assert "iptal edilsin mi" in user.wait_reply().plain_text
    user.press("Evet")
    assert "kaydınız iptal edildi" in user.wait_reply().plain_text


def open_course(user: FakeUser, code: str) -> None:
    user.send_text(f"/start kurs_{code}")
    user.wait_reply()


def register(user: FakeUser, code: str, name: str, phone: str) -> str:
    """The whole dialogue from the course card; returns the result text."""
    open_course(user, code)
    button = "Ön kayıt" if "Ön kayıt" in user.last().buttons() else "Yedek listeye gir"
    user.press(button)
    question = user.wait_reply()
    if "Yedek listeye gir" in question.buttons():  # full: the position is told first
        user.press("Yedek listeye gir")
        question = user.wait_reply()
    assert "Adınızı ve soyadınızı yazın" in question.plain_text
    user.send_text(name)
    assert "Cep telefonu numaranız" in user.wait_reply().plain_text
    user.send_text(phone)
    notice = user.wait_messages(2)[-1]
    assert "KVKK" in notice.plain_text and "Onaylıyorum" in notice.buttons()
    user.press("Onaylıyorum")
    return user.wait_messages(1)[0].plain_text


def test_seats_waiting_list_offers_and_data_deletion(fake: FakeTelegram,
                                                    small_bot: BotProcess) -> None:
    a, b, c, d, e = (fake.user(2000 + i, n) for i, n in
                     enumerate(["Ayşe", "Burak", "Cemile", "Deniz", "Emre"]))
    first = register(a, "BUC-MUH-09", "Ayşe Yılmaz", "0532 111 22 33")
    assert "Kayıt kodunuz: MK-" in first
    assert "Kayıt kodunuz: MK-" in register(b, "BUC-MUH-09", "Burak Demir", "+90 532 2223344")
    # The third sees that the course is full and which place they would get.
    open_course(c, "BUC-MUH-09")
    c.press("Yedek listeye gir")
    assert "1. sırada olursunuz" in c.wait_reply().plain_text
    assert "Yedek listede 1. sıradasınız" in register(c, "BUC-MUH-09", "Cemile Kaya",
                                                      "5323334455")
    assert "Yedek listede 2. sıradasınız" in register(d, "BUC-MUH-09", "Deniz Ak",
                                                      "0532 444 55 66")
    assert "Yedek listede 3. sıradasınız" in register(e, "BUC-MUH-09", "Emre Can",
                                                      "0532 555 66 77")
    # A second look at the same course: the card says so, and offers no second registration.
    open_course(a, "BUC-MUH-09")
    assert "Bu kursa kayıtlısınız" in a.last().plain_text
    assert not {"Ön kayıt", "Yedek listeye gir"} & set(a.last().buttons())

    # The first cancels; the third gets an offer with a deadline, and accepts.
    cancel_first(a)
    pushed(fake, c, "sizin için bir yer açıldı")
    offer = c.last()
    assert {"Kabul et", "Reddet"} <= set(offer.buttons())
    d.send_text("/kayitlarim")
    assert "1. sıra" in d.wait_reply().plain_text  # everyone still waiting moved up
    accept = offer.button("Kabul et")["callback_data"]
    c.press("Kabul et")
    assert "Kayıt kodunuz: MK-" in c.wait_messages(1)[0].plain_text
    assert offer.buttons() == []  # the answered offer loses its buttons
    c.send_text("/kayitlarim")
    assert "kayıtlı, kod MK-" in c.wait_reply().plain_text
    pushed(fake, c, "bu yeri kabul ettiniz")  # the offer's message says it was answered
    c.press_data(accept, offer.message_id)  # the old button, pressed again
    assert "Bu teklif artık geçerli değil" in c.wait_messages(1)[0].plain_text
    d.press_data(accept, offer.message_id)  # someone else's forwarded button
    assert "Bu kaydı bulamadık" in d.wait_reply().plain_text

    # The second cancels; the fourth lets the offer lapse and it passes to the fifth.
    cancel_first(b)
    pushed(fake, d, "sizin için bir yer açıldı")
    pushed(fake, d, "süresi içinde kabul edilmediği", timeout=15)
    pushed(fake, e, "sizin için bir yer açıldı", timeout=15)
    # One offer to the fourth, whose message now says it expired, without its buttons.
    pushed(fake, d, "bu yer teklifinin süresi doldu")
    [lapsed] = [m for m in d.messages if "teklifinin süresi doldu" in m.plain_text]
    assert lapsed.buttons() == []
    assert not any("sizin için bir yer açıldı" in m.plain_text for m in d.messages)

    # The third deletes their data: no name or phone is left in the database file.
    c.send_text("/verilerim")
    summary, document = c.wait_messages(2)
    assert "Cemile Kaya" in summary.plain_text and document.document is not None
    assert b"+905323334455" in document.document[1]
    c.send_text("/verilerimi_sil")
    c.wait_reply()
    c.press("Evet, sil")
    assert "Kişisel verileriniz silindi; 1 kaydınız da iptal edildi" in c.wait_reply().plain_text
    small_bot.stop()
    raw = b"".join(p.read_bytes() for p in small_bot.database.parent.iterdir())
    assert b"Cemile" not in raw and b"5323334455" not in raw
    assert b"Deniz Ak" in raw  # others' data stays


def test_refusals_and_bad_input_in_the_dialogue(fake: FakeTelegram,
                                                small_bot: BotProcess) -> None:
    young = fake.user(2100, "Zeynep")
    open_course(young, "BUC-KAY-09")
    young.press("Ön kayıt")
    young.wait_reply()
    for bad in ("12345", "A" * 500, "<b>x</b>"):
        young.send_text(bad)
        assert "adınızı ve soyadınızı harflerle yazın" in young.wait_reply().plain_text
    young.send_sticker()
    assert "adınızı ve soyadınızı" in young.wait_reply().plain_text
    young.send_text("Zeynep <Ak> & Öz")
    young.wait_reply()
    young.send_text("Zeynep Ak")
    assert "Cep telefonu" in young.wait_reply().plain_text
    for bad in ("0232 123 45 67", "+44 7911 123456"):
        young.send_text(bad)
        assert "cep telefonu numarası yazın" in young.wait_reply().plain_text
    young.send_contact("+905321112233", own=False)
    assert "kendi numaranızı" in young.wait_reply().plain_text
    young.send_contact("905329998877")
    assert "Doğum yılınız" in young.wait_reply().plain_text
    for bad in ("1850", "2030"):  # asked again with an example, saying which year
        young.send_text(bad)
        assert f"{bad} doğum yılınız olamaz" in young.wait_reply().plain_text
    young.send_text("yirmi")
    assert "rakamla yazın, örneğin 1990" in young.wait_reply().plain_text
    young.send_text("2012")  # under age: confirmed before it ends, a typo can be fixed
    assert "Yıl doğru mu?" in young.wait_reply().plain_text
    young.press("Düzelt")  # the buttons go (an edit), then the question comes again
    assert "Doğum yılınız" in young.wait_messages(1)[0].plain_text
    young.send_text("2012")
    fake.wait_for(lambda: "Yıl doğru mu?" in young.last().plain_text
                  and "Evet, doğru" in young.last().buttons(), message="the year confirmed")
    young.press("Evet, doğru")
    pushed(fake, young, "18 yaş ve üzeri")  # named: the refusal may come in two messages
    young.send_text("/kayitlarim")
    pushed(fake, young, "bir kaydınız yok")

    # Leaving with a command, then the saved name is offered next time.
    grown = fake.user(2101, "Kemal")
    assert "Kayıt kodunuz" in register(grown, "BUC-MUH-09", "Kemal Sunal", "0532 999 88 77")
    open_course(grown, "BUC-KAY-09")
    grown.press("Ön kayıt")
    grown.wait_reply()
    assert grown.reply_keyboard and "Kemal Sunal" in str(grown.reply_keyboard)
    grown.send_text("/iptal")
    grown.wait_messages(2)  # "nothing is in progress", then the menu
    grown.send_text("kaynak")  # not taken as a name: the dialogue is over
    pushed(fake, grown, "kurs bulundu")


def test_a_restart_in_the_middle_of_the_dialogue_loses_nothing(
        fake: FakeTelegram, small_bot: BotProcess) -> None:
    user = fake.user(2200, "Hatice")
    open_course(user, "BUC-MUH-09")
    user.press("Ön kayıt")
    user.wait_reply()
    user.send_text("Hatice Yıldız")
    user.wait_reply()
    small_bot.kill()
    small_bot.start()
    user.send_text("0532 123 45 67")
    assert "KVKK" in user.wait_messages(2)[-1].plain_text
    user.press("Onaylıyorum")
    assert "Kayıt kodunuz" in user.wait_messages(1)[0].plain_text


def test_an_offer_pending_when_the_bot_is_killed_expires_exactly_once_after_restart(
        fake: FakeTelegram, small_bot: BotProcess) -> None:
    holder, waiting, next_in_line, last = (fake.user(2300 + i, n) for i, n in
                                           enumerate(["Filiz", "Gökhan", "Hakan", "Işıl"]))
    register(holder, "BUC-MUH-09", "Filiz Ersoy", "0532 100 00 01")
    register(last, "BUC-MUH-09", "Işıl Tan", "0532 100 00 04")
    assert "sıradasınız" in register(waiting, "BUC-MUH-09", "Gökhan Er", "0532 100 00 02")
    assert "sıradasınız" in register(next_in_line, "BUC-MUH-09", "Hakan Ay", "0532 100 00 03")
    cancel_first(holder)
    pushed(fake, waiting, "sizin için bir yer açıldı")
    small_bot.kill()  # the 3 s offer is pending and lapses while the bot is down
    time.sleep(3.5)
    small_bot.start()
    pushed(fake, waiting, "süresi içinde kabul edilmediği")
    pushed(fake, next_in_line, "sizin için bir yer açıldı")
    small_bot.stop()
    assert sum("süresi içinde" in m.plain_text for m in waiting.messages) == 1
    assert sum("sizin için bir yer açıldı" in m.plain_text for m in next_in_line.messages) == 1
    with sqlite3.connect(small_bot.database) as conn:
        states = conn.execute(
            "SELECT d.state FROM due_actions d JOIN registrations r ON r.id = d.ref_id "
            "WHERE d.kind = 'offer_expiry' AND r.user_id = ?", (waiting.id,)).fetchall()
    assert states == [("done",)]


@pytest.fixture
def roomy_bot(fake: FakeTelegram, tmp_path: Path) -> Iterator[BotProcess]:
    """Offers last long enough for one made by `import-courses` (another process) to reach
    the citizen: the running bot notices it within its 5 s poll, and an offer whose deadline
    has passed by then is no longer sent."""
    with running_bot(fake, tmp_path, course_file(tmp_path, SMALL),
                     SEAT_OFFER_TTL="60s") as process:
        yield process


def test_operators_export_back_up_and_raise_capacity(fake: FakeTelegram, roomy_bot: BotProcess,
                                                     tmp_path: Path) -> None:
    small_bot = roomy_bot
    first, second, third = (fake.user(2400 + i, n) for i, n in
                            enumerate(["Leyla", "Murat", "Nazlı"]))
    register(first, "BUC-MUH-09", "Leyla Şen", "0532 200 00 01")
    register(second, "BUC-MUH-09", "Murat Öz", "0532 200 00 02")
    register(third, "BUC-MUH-09", "Nazlı Ece", "0532 200 00 03")
    exported = small_bot.command("export-registrations", "buc-muh-09")
    assert exported.returncode == 0, exported.stderr
    rows = [line.split(";") for line in exported.stdout.lstrip("\ufeff").splitlines()]
    assert rows[0] == ["kurs kodu", "kayıt kodu", "ad soyad", "telefon", "durum", "sıra",
                       "kayıt zamanı"]
    assert [(r[2], r[3], r[4], r[5]) for r in rows[1:]] == [
        ("Leyla Şen", "+905322000001", "kayıtlı", ""),
        ("Murat Öz", "+905322000002", "kayıtlı", ""),
        ("Nazlı Ece", "+905322000003", "yedek", "1"),
    ]
    backup = tmp_path / "yedek" / "meslek.sqlite3"
    assert small_bot.command("backup", str(backup)).returncode == 0
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT count(*) FROM registrations").fetchone() == (3,)

    # Staff raise the capacity by re-importing the course: the waiting citizen is offered it.
    bigger = tmp_path / "buyuk.csv"
    bigger.write_text(SMALL.replace("18:30-21:00;2;", "18:30-21:00;3;"), encoding="utf-8")
    imported = small_bot.command("import-courses", str(bigger))
    assert "0 yeni, 2 güncellenen" in imported.stdout
    pushed(fake, third, "sizin için bir yer açıldı", timeout=15)
