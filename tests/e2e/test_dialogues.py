"""Dialogues that forgive, and search as citizens write — through the real bot.

Every wait names the message it means (a fragment of its text)."""

from __future__ import annotations

import sqlite3
import time

from playground.fakebot import FakeTelegram, FakeUser
from tests.e2e.harness import BotProcess
from tests.e2e.test_registration import open_course, pushed, small_bot

__all__ = ["small_bot"]  # the fixture: two Buca courses, one of them 18+

LEFT = "ön kaydından çıktınız; hiçbir bilginiz kaydedilmedi"
NOTHING = "Tamam, yarım kalan bir işlem yok"


def count(user: FakeUser, fragment: str) -> int:
    return sum(fragment in m.plain_text for m in user.messages)


def settle(fake: FakeTelegram) -> None:
    """Let the bot answer everything sent so far (for checks that something did NOT come)."""
    fake.wait_for(lambda: fake.pending_updates() == 0, message="updates consumed")
    time.sleep(0.5)


def to_step(fake: FakeTelegram, user: FakeUser, step: str) -> None:
    """Open the 18+ course and answer until the dialogue stands at `step`."""
    open_course(user, "BUC-KAY-09")
    user.press("Ön kayıt")
    pushed(fake, user, "Adınızı ve soyadınızı yazın")
    answers = [("Zeynep Ak", "Cep telefonu numaranız"), ("0532 123 45 67", "Doğum yılınız"),
               ("2012", "Yıl doğru mu?")]
    stops = {"name": 0, "phone": 1, "birth_year": 2, "age_check": 3}
    if step == "consent":
        answers[2] = ("1990", "aydınlatma metni")
        stops["consent"] = 3
    for text, reply in answers[:stops[step]]:
        before = count(user, reply)
        user.send_text(text)
        fake.wait_for(lambda r=reply, b=before: count(user, r) > b, message=reply)


def test_iptal_at_every_step_says_what_was_left(fake: FakeTelegram,
                                               small_bot: BotProcess) -> None:
    for n, step in enumerate(("name", "phone", "birth_year", "age_check", "consent")):
        user = fake.user(6000 + n, "Zeynep")
        to_step(fake, user, step)
        user.send_text("/iptal")
        left = pushed(fake, user, LEFT)
        assert "Kaynakçılık" in left, step
        pushed(fake, user, "Ne yapmak istersiniz?")
        assert count(user, NOTHING) == 0, step  # not "nothing to leave" after leaving
        user.send_text("/iptal")
        pushed(fake, user, NOTHING)  # now there is really nothing
    with sqlite3.connect(small_bot.database) as conn:
        assert conn.execute("SELECT count(*) FROM dialogues").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM profiles").fetchone() == (0,)


def test_a_menu_command_mid_dialogue_leaves_it_and_the_next_text_is_no_answer(
        fake: FakeTelegram, small_bot: BotProcess) -> None:
    user = fake.user(6100, "Hatice")
    to_step(fake, user, "name")
    user.send_text("/kurslar")
    pushed(fake, user, LEFT)
    pushed(fake, user, "İlçenizi seçin")
    user.send_text("Hatice Kara")
    pushed(fake, user, "“Hatice Kara” mesajını yanıt olarak almadım")
    settle(fake)
    assert count(user, "Cep telefonu") == 0  # not taken as the name
    assert count(user, "kurs bulundu") == 0 and count(user, "eşleşen") == 0  # nor searched
    # A menu button leaves it too: "Ön kayıt", then "Geri" on the course card.
    card = open_course(user, "BUC-MUH-09")
    user.press("Ön kayıt", card)
    pushed(fake, user, "Adınızı ve soyadınızı yazın")
    user.press("Geri", card)
    fake.wait_for(lambda: count(user, LEFT) == 2, message="left by a button")
    user.send_text("bilgisayar")
    pushed(fake, user, "“bilgisayar” mesajını yanıt olarak almadım")
    settle(fake)
    assert count(user, "harflerle yazın") == 0


def test_buttons_pressed_twice_do_nothing_twice(fake: FakeTelegram,
                                               small_bot: BotProcess) -> None:
    user = fake.user(6200, "Deniz")
    card = open_course(user, "BUC-MUH-09")
    user.press("Ön kayıt", card)
    user.press("Ön kayıt", card)
    pushed(fake, user, "Adınızı ve soyadınızı yazın")
    settle(fake)
    assert count(user, "Adınızı ve soyadınızı yazın") == 1
    user.send_text("deniz")  # a single lower-case name is a name
    pushed(fake, user, "Cep telefonu numaranız")
    user.send_text("0532 765 43 21")
    notice = fake.wait_for(lambda: next((m for m in user.messages
                                         if "aydınlatma metni" in m.plain_text), None))
    assert "Veri sorumlusu" in notice.plain_text and "Hukuki sebep" in notice.plain_text
    assert "Açık rıza" in notice.plain_text
    user.press("Onaylıyorum", notice)
    user.press("Onaylıyorum", notice)
    pushed(fake, user, "Kayıt kodunuz")
    settle(fake)
    assert count(user, "Kayıt kodunuz") == 1
    assert count(user, "geçerli değil") == 0 and count(user, "artık açık değil") == 0
    # Consent is asked once per version of the notice: the next course does not ask again.
    result = register_again(fake, user)
    assert "Kayıt kodunuz" in result


def register_again(fake: FakeTelegram, user: FakeUser) -> str:
    open_course(user, "BUC-KAY-09")
    user.press("Ön kayıt")
    pushed(fake, user, "Adınızı ve soyadınızı yazın")
    before = count(user, "Kayıt kodunuz")
    user.send_text("Deniz Ak")
    pushed(fake, user, "Cep telefonu numaranız")
    user.send_text("0532 765 43 21")
    pushed(fake, user, "Doğum yılınız")
    user.send_text("1990")
    fake.wait_for(lambda: count(user, "Kayıt kodunuz") > before, message="registered")
    assert count(user, "aydınlatma metni") == 1
    return user.messages[-1].plain_text


def test_edits_are_never_acted_on(fake: FakeTelegram, small_bot: BotProcess) -> None:
    user = fake.user(6300, "Emre")
    sent = user.send_text("/kayitlarim")
    pushed(fake, user, "Şu anda bir kaydınız yok")
    user.edit_text(sent, "/verilerimi_sil")
    pushed(fake, user, "Düzenlediğiniz mesajı dikkate alamıyorum")
    settle(fake)
    assert count(user, "silinsin mi") == 0
    open_course(user, "BUC-MUH-09")
    user.press("Ön kayıt")
    pushed(fake, user, "Adınızı ve soyadınızı yazın")
    name = user.send_text("Emre Can")
    pushed(fake, user, "Cep telefonu numaranız")
    user.edit_text(name, "Emre Cankaya")
    fake.wait_for(lambda: count(user, "dikkate alamıyorum") == 2, message="second edit")
    fake.wait_for(lambda: count(user, "Cep telefonu numaranız") == 2,
                  message="the question asked again")


def test_buca_accounting_question_finds_bucas_course(fake: FakeTelegram,
                                                     bot: BotProcess) -> None:
    user = fake.user(6400, "Ayşe")
    user.send_text("Buca'da muhasebe kursu var mı?")
    found = fake.wait_for(lambda: next((m for m in user.messages
                                        if "kurs bulundu" in m.plain_text), None))
    assert "Ön Muhasebe – Buca" in found.plain_text
    assert any(b.startswith("Ön Muhasebe — Buca") for b in found.buttons())
    user.send_text("merhaba")
    pushed(fake, user, "Ne yapmak istersiniz?")
    settle(fake)
    assert count(user, "eşleşen") == 0
    user.send_location(41.0082, 28.9784)  # Istanbul
    pushed(fake, user, "km yakınında bir kurs merkezi yok")
    user.send_text("/ara mahallesi")  # many courses: a page at a time
    page = pushed(fake, user, "(sayfa 1/")
    assert page
    user.press("Sonraki ›")
    pushed(fake, user, "(sayfa 2/")
