"""A new citizen finds a course: /start, districts, Çiğli, a card, nearby, search, language."""

from __future__ import annotations

from datetime import UTC, datetime

from playground.fakebot import FakeTelegram
from tests.e2e.harness import BotProcess

SPECIAL = "Kuaförlük & Güzellik <İleri>"


def test_a_new_citizen_browses_in_turkish_and_english(fake: FakeTelegram,
                                                      bot: BotProcess) -> None:
    ayse = fake.user(1001, "Ayşe", language_code="tr")

    ayse.send_text("/start")
    welcome = ayse.wait_reply("Merhaba Ayşe")
    assert {"Kurslar", "Kurs ara", "Yakınımdaki kurslar", "Kayıtlarım", "Etkinlikler",
            "Bildirimler", "Verilerim", "Yardım"} <= set(welcome.buttons())
    ayse.press("Etkinlikler")  # every journey is reachable from buttons too
    ayse.wait_reply("yaklaşan bir tören")
    ayse.press("Ana menü")
    ayse.wait_reply("Ne yapmak istersiniz?")
    ayse.press("Verilerim")
    ayse.wait_reply("Hakkınızda sakladığımız bilgiler")
    ayse.wait_reply(where=lambda m: m.document is not None)

    ayse.send_text("/kurslar")
    districts = ayse.wait_reply("İlçenizi seçin")
    labels = districts.buttons()
    assert sum(1 for b in labels if "(" in b and not b.startswith("Çevrimiçi")) == 30
    assert any(b.startswith("Çevrimiçi kurslar (2)") for b in labels)
    ayse.press(next(b for b in labels if b.startswith("Çiğli")))
    cigli = ayse.wait_reply(where=lambda m: SPECIAL in m.buttons())
    assert cigli.message_id == districts.message_id  # the same message, edited
    assert "Çiğli" in cigli.plain_text and SPECIAL in cigli.plain_text
    assert SPECIAL in cigli.buttons()

    ayse.press(SPECIAL)
    card = ayse.wait_reply("Kurs ücretsizdir")
    assert card.plain_text.startswith(SPECIAL)
    assert "&lt;İleri&gt;" in (card.text or "")
    for words in ("Branş: Güzellik ve Saç Bakımı", "Kurs merkezi:", "Saat:", "Boş yer:",
                  "Eğitmen:", "Kurs ücretsizdir."):
        assert words in card.plain_text, words
    assert "2026" in card.plain_text or "2027" in card.plain_text
    assert {"Merkezin konumu", "Paylaş", "Geri"} <= set(card.buttons())
    if datetime.now(UTC) < datetime(2026, 12, 10, 7, 0, tzinfo=UTC):  # its kayit_baslangic
        # Registration opens later: the card says when, and offers no "Ön kayıt" yet.
        assert "Kayıtlar 10 Aralık 2026 Perşembe, saat 10.00'da açılacak." in card.plain_text
        assert "Ön kayıt" not in card.buttons()
    assert "start%3Dkurs_CIG-KUA-01" in card.button("Paylaş")["url"]

    ayse.press("Merkezin konumu")
    venue = ayse.wait_reply(where=lambda m: m.method == "sendVenue")
    assert venue.venue
    assert 38.4 < venue.venue["latitude"] < 38.6

    ayse.send_location(38.4960, 27.0710)
    nearby = ayse.wait_reply("Size en yakın kurslar")
    assert " km – " in nearby.plain_text

    ayse.send_text("/ara kuafor")
    found = ayse.wait_reply("kurs bulundu")
    assert "Kuaförlük" in found.plain_text and SPECIAL in found.plain_text

    ayse.send_text("ÇİĞLİ")
    ayse.wait_reply("“ÇİĞLİ” için 3 kurs bulundu")

    ayse.send_text("/dil")
    ayse.wait_reply("Choose a language")
    ayse.press("English")
    ayse.wait_reply("Language set: English.")
    ayse.send_text("/kurslar")
    ayse.wait_reply("Choose your district")
    ayse.send_text("/dil")
    ayse.wait_reply("Choose a language")
    ayse.press("Türkçe")
    ayse.wait_reply("Dil Türkçe olarak ayarlandı.")


def test_deep_link_opens_the_course_and_commands_are_registered(fake: FakeTelegram,
                                                                bot: BotProcess) -> None:
    assert [c["command"] for c in fake.commands("tr")][:3] == ["start", "kurslar", "ara"]
    assert "Search courses" in [c["description"] for c in fake.commands("en")]
    visitor = fake.user(1002, "Mehmet", language_code="en")
    visitor.send_text("/start kurs_CIG-KUA-01")
    card = visitor.wait_reply(where=lambda m: m.plain_text.startswith(SPECIAL))
    assert card.plain_text.startswith(SPECIAL)
    if datetime.now(UTC) < datetime(2026, 12, 10, 7, 0, tzinfo=UTC):  # its kayit_baslangic
        assert "Registration opens on Thursday, December 10, 2026 at 10:00." in card.plain_text
    else:
        assert "Pre-register" in card.buttons()
