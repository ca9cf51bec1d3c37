"""Citizens claim seats, wait, get offers, and take their data back — through the real bot."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from playground.fakebot import BotMessage, FakeTelegram, FakeUser
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


def has_button(prefix: str) -> Callable[[BotMessage], bool]:
    """A message with a button whose text starts with `prefix`."""
    def matches(message: BotMessage) -> bool:
        return any(b.startswith(prefix) for b in message.buttons())
    matches.__name__ = f"has_button({prefix!r})"
    return matches


def mentions(*fragments: str) -> Callable[[BotMessage], bool]:
    """A message whose plain text contains any of `fragments`."""
    def matches(message: BotMessage) -> bool:
        return any(fragment in message.plain_text for fragment in fragments)
    matches.__name__ = f"mentions{fragments!r}"
    return matches


RESULT = mentions("Kayıt kodunuz", "Yedek listede", "zaten", "yaş ve üzeri")


def cancel_first(user: FakeUser) -> None:
    """/kayitlarim → "İptal: …" on the first registration → "Evet"."""
    user.send_text("/kayitlarim")
    mine = user.wait_reply(where=has_button("İptal"))
    user.press(next(b for b in mine.buttons() if b.startswith("İptal")), mine)
    user.wait_reply("iptal edilsin mi")
    user.press("Evet")
    user.wait_reply("kaydınız iptal edildi")


def open_course(user: FakeUser, code: str) -> BotMessage:
    """The course card of a deep link."""
    user.send_text(f"/start kurs_{code}")
    return user.wait_reply("Kurs ücretsizdir")


def register(user: FakeUser, code: str, name: str, phone: str) -> str:
    """The whole dialogue from the course card; returns the result text."""
    card = open_course(user, code)
    button = "Ön kayıt" if "Ön kayıt" in card.buttons() else "Yedek listeye gir"
    user.press(button, card)
    question = user.wait_reply(where=mentions("Adınızı ve soyadınızı yazın", "sırada olursunuz"))
    if "Adınızı" not in question.plain_text:  # full: the position is told first
        user.press("Yedek listeye gir", question)
        question = user.wait_reply("Adınızı ve soyadınızı yazın")
    user.send_text(name)
    user.wait_reply("Cep telefonu numaranız")
    user.send_text(phone)
    notice = user.wait_reply("KVKK", where=has_button("Onaylıyorum"))
    user.press("Onaylıyorum", notice)
    return user.wait_messages(1, where=RESULT)[0].plain_text


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
    c.wait_reply("1. sırada olursunuz")
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
    offer = next(m for m in c.messages if "sizin için bir yer açıldı" in m.plain_text)
    assert {"Kabul et", "Reddet"} <= set(offer.buttons())
    d.send_text("/kayitlarim")
    d.wait_reply("1. sıra")  # everyone still waiting moved up
    accept = offer.button("Kabul et")["callback_data"]
    c.press("Kabul et", offer)
    c.wait_messages(1, "Kayıt kodunuz: MK-")
    fake.wait_for(lambda: offer.buttons() == [],  # the answered offer loses its buttons
                  message="the answered offer's buttons removed")
    c.send_text("/kayitlarim")
    c.wait_reply("kayıtlı, kod MK-")
    pushed(fake, c, "bu yeri kabul ettiniz")  # the offer's message says it was answered
    c.press_data(accept, offer.message_id)  # the old button, pressed again
    c.wait_reply("Bu teklif artık geçerli değil")
    d.press_data(accept, offer.message_id)  # someone else's forwarded button
    d.wait_reply("Bu kaydı bulamadık")

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
    assert "Cemile Kaya" in c.wait_reply("Hakkınızda sakladığımız bilgiler").plain_text
    document = c.wait_reply(where=lambda m: m.document is not None)
    assert document.document is not None and b"+905323334455" in document.document[1]
    # …while another connection (a backup, an operator's shell) is in the middle of a read.
    reader = sqlite3.connect(small_bot.database, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM profiles").fetchone()
    c.send_text("/verilerimi_sil")
    confirm = c.wait_reply(where=has_button("Evet, sil"))
    c.press("Evet, sil", confirm)
    time.sleep(1)
    reader.execute("COMMIT")
    reader.close()
    c.wait_reply("Kişisel verileriniz silindi; 1 kaydınız da iptal edildi")
    raw = b"".join(p.read_bytes() for p in small_bot.database.parent.iterdir())
    assert b"Cemile" not in raw and b"5323334455" not in raw  # the bot is still running
    assert b"Deniz Ak" in raw  # others' data stays


def test_refusals_and_bad_input_in_the_dialogue(fake: FakeTelegram,
                                                small_bot: BotProcess) -> None:
    young = fake.user(2100, "Zeynep")
    card = open_course(young, "BUC-KAY-09")
    young.press("Ön kayıt", card)
    young.wait_reply("Adınızı ve soyadınızı yazın")
    for bad in ("12345", "A" * 500, "<b>x</b>"):
        young.send_text(bad)
        young.wait_reply("adınızı ve soyadınızı harflerle yazın")
    young.send_sticker()
    young.wait_reply("adınızı ve soyadınızı")
    young.send_text("Zeynep <Ak> & Öz")
    young.wait_reply("adınızı ve soyadınızı harflerle yazın")
    young.send_text("Zeynep Ak")
    young.wait_reply("Cep telefonu")
    for bad in ("0232 123 45 67", "+44 7911 123456"):
        young.send_text(bad)
        young.wait_reply("cep telefonu numarası yazın")
    young.send_contact("+905321112233", own=False)
    young.wait_reply("kendi numaranızı")
    young.send_contact("905329998877")
    young.wait_reply("Doğum yılınız")
    for bad in ("1850", "2030"):  # asked again with an example, saying which year
        young.send_text(bad)
        young.wait_reply(f"{bad} doğum yılınız olamaz")
    young.send_text("yirmi")
    young.wait_reply("rakamla yazın, örneğin 1990")
    young.send_text("2012")  # under age: confirmed before it ends, a typo can be fixed
    young.press("Düzelt", young.wait_reply("Yıl doğru mu?"))
    young.wait_messages(1, "Doğum yılınız")  # the buttons go (an edit), then the question
    young.send_text("2012")
    young.press("Evet, doğru", young.wait_reply("Yıl doğru mu?", where=has_button("Evet")))
    young.wait_reply("18 yaş ve üzeri")  # named: the refusal may come in two messages
    young.send_text("/kayitlarim")
    young.wait_reply("bir kaydınız yok")

    # Leaving with a command, then the saved name is offered next time.
    grown = fake.user(2101, "Kemal")
    assert "Kayıt kodunuz" in register(grown, "BUC-MUH-09", "Kemal Sunal", "0532 999 88 77")
    card = open_course(grown, "BUC-KAY-09")
    grown.press("Ön kayıt", card)
    grown.wait_reply("Adınızı ve soyadınızı yazın")
    assert grown.reply_keyboard and "Kemal Sunal" in str(grown.reply_keyboard)
    grown.send_text("/iptal")
    grown.wait_messages(1, "hiçbir bilginiz kaydedilmedi")
    grown.send_text("kaynak")  # not taken as a name: the dialogue is over
    grown.wait_reply("kurs bulundu")


def test_a_restart_in_the_middle_of_the_dialogue_loses_nothing(
        fake: FakeTelegram, small_bot: BotProcess) -> None:
    user = fake.user(2200, "Hatice")
    card = open_course(user, "BUC-MUH-09")
    user.press("Ön kayıt", card)
    user.wait_reply("Adınızı ve soyadınızı yazın")
    user.send_text("Hatice Yıldız")
    user.wait_reply("Cep telefonu numaranız")
    small_bot.kill()
    small_bot.start()
    user.send_text("0532 123 45 67")
    notice = user.wait_reply("KVKK", where=has_button("Onaylıyorum"))
    user.press("Onaylıyorum", notice)
    user.wait_messages(1, "Kayıt kodunuz")


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
