"""Publishing courses from the chat: an admin builds a course with /kurs_ekle (every wrong
answer asked again), and sends a course file that is imported as the shell imports it;
citizens who send files, or press forged publishing buttons, are turned away."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.fakebot import FakeTelegram, FakeUser
from tests.e2e.conftest import ADMIN_ID, course_file, running_bot
from tests.e2e.harness import BotProcess
from tests.e2e.test_registration import SMALL
from tests.e2e.test_staff import REFUSAL, ask, press, said

HEADER = "kod;ad;brans;ilce;merkez;baslangic;bitis;gunler;saat;kontenjan"


def row(code: str, hours: str = "09:00-12:00") -> str:
    return f"{code};Dikiş;Tekstil;Bornova;Bornova Konağı;2027-02-01;2027-04-30;Pzt;{hours};12"


@pytest.fixture
def small_bot(fake: FakeTelegram, tmp_path: Path) -> Iterator[BotProcess]:
    with running_bot(fake, tmp_path, course_file(tmp_path, SMALL)) as process:
        yield process


def subscribe_to_buca(fake: FakeTelegram, fan: FakeUser) -> None:
    settings = ask(fake, fan, "/bildirimler", "Henüz bir kurs aboneliğiniz yok")
    fan.press("+ Yeni kurslardan haberdar et", settings)
    fake.wait_for(lambda: "Hangi ilçe?" in settings_now(fan, settings.message_id))
    fan.press("Buca", settings)
    fake.wait_for(lambda: "Hangi branş?" in settings_now(fan, settings.message_id))
    fan.press("Tüm branşlar", settings)
    fake.wait_for(lambda: "• Buca" in settings_now(fan, settings.message_id))


def settings_now(user: FakeUser, message_id: int) -> str:
    return next((m.plain_text for m in user.messages if m.message_id == message_id), "")


def test_an_admin_publishes_a_course_step_by_step_and_buca_is_told_once(
        fake: FakeTelegram, small_bot: BotProcess) -> None:
    admin, fan = fake.user(ADMIN_ID, "Yönetici"), fake.user(4601, "Bucalı")
    subscribe_to_buca(fake, fan)

    ask(fake, admin, "/kurs_ekle", "Kurs kodu")
    ask(fake, admin, "BUC-MUH-09", "BUC-MUH-09 kodu başka bir kursta kullanılıyor")
    ask(fake, admin, "buc web 01", "A-Z harfleri")  # asked again, with its example
    press(fake, admin, "Yüz yüze", "İlçe: birine dokunun",
          ask(fake, admin, "buc-web-01", "yüz yüze mi"))
    district = next(m for m in reversed(admin.messages) if "İlçe:" in m.plain_text)
    assert "Buca" in district.buttons()
    press(fake, admin, "Buca", "Kurs merkezi", district)
    ask(fake, admin, "Buca Mahalle Konağı", "Kursun adı")
    branch = ask(fake, admin, "Web Tasarım <Giriş> & Uygulama", "Branş:")
    assert "Muhasebe ve Finans" in branch.buttons()
    ask(fake, admin, "Bilişim", "İlk gün")
    ask(fake, admin, "31.02.2027", "bir tarih değil")
    ask(fake, admin, "01.02.2027", "Son gün")
    ask(fake, admin, "2027-01-15", "Haftanın günleri")
    ask(fake, admin, "Pzt, Çarşamba", "Ders saatleri")
    ask(fake, admin, "25:00-26:00", "09:30-12:30 gibi")
    ask(fake, admin, "18:30-21:00", "Kontenjan")
    ask(fake, admin, "0", "1 ile 10000 arasında")
    ask(fake, admin, "15", "Eğitmen")
    press(fake, admin, "Atla", "kısa bir açıklama")
    ask(fake, admin, "HTML ve CSS ile ilk siteniz.", "Alt yaş")
    press(fake, admin, "Atla", "Kurs kimler için?")
    # The end date before the start is caught by the file's rules, and asked again.
    press(fake, admin, "Halk", "Bitiş tarihi başlangıç tarihinden önce")
    ask(fake, admin, "2027-04-30", "Haftanın günleri")
    ask(fake, admin, "Pzt,Çar", "Ders saatleri")
    ask(fake, admin, "18:30-21:00", "Kontenjan")
    ask(fake, admin, "15", "Eğitmen")
    press(fake, admin, "Atla", "kısa bir açıklama")
    ask(fake, admin, "HTML ve CSS ile ilk siteniz.", "Alt yaş")
    press(fake, admin, "Atla", "Kurs kimler için?")
    preview = press(fake, admin, "Halk", "Önizleme")
    assert "Web Tasarım <Giriş> & Uygulama" in preview.plain_text
    assert "Buca Mahalle Konağı, Buca" in preview.plain_text

    # A citizen pressing the publishing button is refused; nothing is published.
    publish = preview.button("Yayınla")["callback_data"]
    fan.press_data(publish, preview.message_id)
    fake.wait_for(lambda: said(fan, REFUSAL) >= 1, message="refusal")
    press(fake, admin, "Yayınla", "Yayımlandı", preview)

    with sqlite3.connect(small_bot.database) as conn:
        assert conn.execute("SELECT name, capacity, weekdays FROM courses WHERE code = "
                            "'BUC-WEB-01'").fetchone() == ("Web Tasarım <Giriş> & Uygulama",
                                                          15, 5)
        assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'course_created' "
                            "AND detail = 'BUC-WEB-01'").fetchone() == (1,)
    # Pressed again: nothing twice.
    admin.press_data(publish, preview.message_id)
    ask(fake, admin, "/kurs_ekle", "Kurs kodu")
    assert said(admin, "Yayımlandı") == 1
    ask(fake, admin, "/iptal", "Yeni kurs girişini bıraktınız")
    # Told at once (not at the lifecycle's next sweep), and once.
    fake.wait_for(lambda: said(fan, "Web Tasarım") >= 1, timeout=10, message="announcement")
    ask(fake, fan, "/yardim", "/kurslar")
    assert said(fan, "Web Tasarım") == 1


def test_a_course_file_sent_in_the_chat_is_imported_all_or_nothing(
        fake: FakeTelegram, small_bot: BotProcess) -> None:
    admin, citizen = fake.user(ADMIN_ID, "Yönetici"), fake.user(4602, "Vatandaş")
    admin.send_document("yeni.csv", "\n".join([HEADER, row("BOR-DIK-01"),
                                               row("BOR-DIK-02")]).encode())
    ask_reply = "İçe aktarıldı: 2 yeni, 0 güncellenmiş kurs"
    fake.wait_for(lambda: said(admin, ask_reply) == 1, message=ask_reply)

    # 4,999 good rows and one bad: nothing is written, the one problem is named.
    rows = [row(f"TOP-{n:04d}") for n in range(4999)]
    rows.insert(1234, row("TOP-BAD", hours="21:00-09:00"))
    admin.send_document("toplu.csv", "\n".join([HEADER, *rows]).encode())
    problem = "satır 1236, sütun saat"
    fake.wait_for(lambda: said(admin, problem) == 1, timeout=30, message=problem)
    # Many problems: the first ones and how many more, in one message.
    admin.send_document("bozuk.csv", "\n".join(
        [HEADER, *(row(f"B-{n}", hours="x") for n in range(200))]).encode())
    fake.wait_for(lambda: said(admin, "sorun daha") == 1, message="the trimmed list")
    # Too big, binary, not a course file at all.
    admin.send_document("dev.csv", b"a" * (6 * 1024 * 1024))
    fake.wait_for(lambda: said(admin, "MB'tan büyük") == 1, message="too big")
    admin.send_document("kurslar.xlsx", bytes(range(256)) * 40, "application/octet-stream")
    fake.wait_for(lambda: said(admin, "okunabilir bir XLSX") == 1, message="binary")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    admin.send_document("bomba.xlsx", bomb.getvalue(), "application/octet-stream")
    fake.wait_for(lambda: said(admin, "50 MB'tan büyük") == 1, message="zip bomb")
    admin.send_document("resim.png", b"\x89PNG....", "image/png")
    fake.wait_for(lambda: said(admin, "Bu dosya ikisi de değil") == 1, message="png")

    citizen.send_document("yeni.csv", "\n".join([HEADER, row("VAT-01")]).encode())
    fake.wait_for(lambda: said(citizen, "Yazılı mesajları") >= 1, message="not text")
    with sqlite3.connect(small_bot.database) as conn:
        codes = {c for (c,) in conn.execute("SELECT code FROM courses")}
    assert "BOR-DIK-02" in codes
    assert not {c for c in codes if c.startswith("TOP-") or c.startswith("B-")} | \
        ({"VAT-01"} & codes)
