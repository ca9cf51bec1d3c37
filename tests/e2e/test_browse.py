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
    welcome = ayse.wait_reply()
    assert "Merhaba Ayşe" in welcome.plain_text
    assert {"Kurslar", "Kurs ara", "Yakınımdaki kurslar", "Kayıtlarım", "Etkinlikler",
            "Bildirimler", "Verilerim", "Yardım"} <= set(welcome.buttons())
    ayse.press("Etkinlikler")  # every journey is reachable from buttons too
    assert "yaklaşan bir tören" in ayse.wait_reply().plain_text
    ayse.press("Ana menü")
    ayse.wait_reply()
    ayse.press("Verilerim")
    assert "Hakkınızda sakladığımız bilgiler" in ayse.wait_messages(2)[0].plain_text

    ayse.send_text("/kurslar")
    districts = ayse.wait_reply()
    assert "İlçenizi seçin" in districts.plain_text
    labels = districts.buttons()
    assert sum(1 for b in labels if "(" in b and not b.startswith("Çevrimiçi")) == 30
    assert any(b.startswith("Çevrimiçi kurslar (2)") for b in labels)
    ayse.press(next(b for b in labels if b.startswith("Çiğli")))
    cigli = ayse.wait_reply()
    assert cigli.message_id == districts.message_id  # the same message, edited
    assert "Çiğli" in cigli.plain_text and SPECIAL in cigli.plain_text
    assert SPECIAL in cigli.buttons()

    ayse.press(SPECIAL)
    card = ayse.wait_reply()
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
    venue = ayse.wait_reply()
    assert venue.method == "sendVenue" and venue.venue
    assert 38.4 < venue.venue["latitude"] < 38.6

    ayse.send_location(38.4960, 27.0710)
    ayse.wait_messages(2)
    nearby = ayse.last()
    assert "Size en yakın kurslar" in nearby.plain_text
    assert " km – " in nearby.plain_text

    ayse.send_text("/ara kuafor")
    found = ayse.wait_reply()
    assert "kurs bulundu" in found.plain_text
    assert "Kuaförlük" in found.plain_text and SPECIAL in found.plain_text

    ayse.send_text("ÇİĞLİ")
    assert "“ÇİĞLİ” için 3 kurs bulundu" in ayse.wait_reply().plain_text

    ayse.send_text("/dil")
    ayse.wait_reply()
    ayse.press("English")
    english = ayse.wait_reply()
    assert "Language set: English." in english.plain_text
    ayse.send_text("/kurslar")
    assert "Choose your district" in ayse.wait_reply().plain_text
    ayse.send_text("/dil")
    ayse.wait_reply()
    ayse.press("Türkçe")
    assert "Dil Türkçe olarak ayarlandı." in ayse.wait_reply().plain_text


def test_deep_link_opens_the_course_and_commands_are_registered(fake: FakeTelegram,
                                                                bot: BotProcess) -> None:
    assert [c["command"] for c in fake.commands("tr")][:3] == ["start", "kurslar", "ara"]
    assert "Search courses" in [c["description"] for c in fake.commands("en")]
    visitor = fake.user(1002, "Mehmet", language_code="en")
    visitor.send_text("/start kurs_CIG-KUA-01")
    card = visitor.wait_reply()
    assert card.plain_text.startswith(SPECIAL)
    if datetime.now(UTC) < datetime(2026, 12, 10, 7, 0, tzinfo=UTC):  # its kayit_baslangic
        assert "Registration opens on Thursday, December 10, 2026 at 10:00." in card.plain_text
    else:
        assert "Pre-register" in card.buttons()
