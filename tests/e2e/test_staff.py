"""The staff console through the real bot: roles, invitations, reports, closing a course, and
citizens refused at every staff door."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from playground.fakebot import FakeTelegram, FakeUser
from playground.fakebot.models import BotMessage
from tests.e2e.conftest import ADMIN_ID, course_file, running_bot
from tests.e2e.harness import BotProcess
from tests.e2e.test_registration import SMALL, register

REFUSAL = "Bu işlem için yetkiniz yok."
STAFF_COMMANDS = [
    "/yonetim", "/yetki 4101 admin", "/yetki_al 900001", "/davet", "/davet 5 2",
    "/davet_iptal abcdefgh", "/denetim", "/kurs_ekle",
    "/kurs_kapat BUC-MUH-01", "/kayitlar BUC-MUH-01",
    "/istatistik", "/toren BUC-MUH-01 2027-03-30 14:00 Salon", "/toren_iptal BUC-MUH-01",
    "/etkinlik_ekle sergi 2027-06-20 14:00 Kültürpark | Sergi | Buca",
]


def said(user: FakeUser, fragment: str) -> int:
    return sum(fragment in m.plain_text for m in user.messages)


def ask(fake: FakeTelegram, user: FakeUser, text: str, fragment: str) -> BotMessage:
    """Send `text` and wait for a new message (or an edit) that contains `fragment`."""
    before = said(user, fragment)
    user.send_text(text)
    fake.wait_for(lambda: said(user, fragment) > before, message=f"{fragment!r} after {text!r}")
    return next(m for m in reversed(user.messages) if fragment in m.plain_text)


def press(fake: FakeTelegram, user: FakeUser, button: str, fragment: str,
          message: BotMessage | None = None) -> BotMessage:
    before = said(user, fragment)
    user.press(button, message)
    fake.wait_for(lambda: said(user, fragment) > before, message=f"{fragment!r} after {button}")
    return next(m for m in reversed(user.messages) if fragment in m.plain_text)


def document(fake: FakeTelegram, user: FakeUser, suffix: str) -> tuple[str, bytes]:
    found = fake.wait_for(lambda: next((m.document for m in reversed(user.messages)
                                        if m.document and m.document[0].endswith(suffix)), None),
                          message=f"a {suffix} file for {user.id}")
    return found


def database(bot: BotProcess) -> sqlite3.Connection:
    return sqlite3.connect(bot.database)


def test_a_citizen_is_refused_every_staff_command_and_forged_staff_button(
        fake: FakeTelegram, bot: BotProcess) -> None:
    citizen = fake.user(4101, "Vatandaş")
    menu = ask(fake, citizen, "/start", "hoş geldiniz")
    for n, command in enumerate(STAFF_COMMANDS, start=1):
        citizen.send_text(command)
        fake.wait_for(lambda n=n: said(citizen, REFUSAL) >= n, message=command)
    with database(bot) as conn:
        course_id = conn.execute("SELECT id FROM courses WHERE code = 'BUC-MUH-01'").fetchone()[0]
    forged = [f"v1:kc:{course_id}", "v1:ke:16:1", "v1:ke:1:1",
              "v1:ym:0", "v1:ym:1", "v1:ym:3", "v1:au:0", "v1:ir:1",
              "v1:pb"]
    for n, data in enumerate(forged, start=len(STAFF_COMMANDS) + 1):
        citizen.press_data(data, menu.message_id)
        fake.wait_for(lambda n=n: said(citizen, REFUSAL) >= n, message=data)
    log = bot.log()
    assert log.count("tried the staff action") >= len(STAFF_COMMANDS) + len(forged)
    assert "Vatandaş" not in log
    with database(bot) as conn:
        assert conn.execute("SELECT status FROM courses WHERE id = ?",
                            (course_id,)).fetchone() == ("open",)
        for table in ("staff_roles", "invitations", "audit_log", "events"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
    help_text = ask(fake, citizen, "/yardim", "Meslek Kapısı").plain_text
    assert "/yetki" not in help_text and "Yönetim komutları" not in help_text


def test_an_admin_grants_a_counsellor_and_invites_a_new_employee(
        fake: FakeTelegram, bot: BotProcess) -> None:
    admin, counsellor, newcomer, late, later = (
        fake.user(ADMIN_ID, "Yönetici"), fake.user(4201, "Danışman"), fake.user(4202, "Yeni"),
        fake.user(4203, "Geç"), fake.user(4204, "Daha Geç"))
    ask(fake, counsellor, "/start", "hoş geldiniz")
    for command, expected in [
        ("/yetki", "Şöyle yazın: /yetki"),
        ("/yetki 4201 müdür", "Şöyle yazın: /yetki"),
        ("/yetki abc danisman", "Şöyle yazın: /yetki"),
        ("/yetki 777777 personel", "bota henüz yazmamış"),
        (f"/yetki {ADMIN_ID} personel", "Kendi yetkinizi değiştiremezsiniz"),
        (f"/yetki_al {ADMIN_ID}", "Kendi yetkinizi kaldıramazsınız"),
        ("/yetki_al 4201", "personel yetkisi yok"),
        ("/davet 0", "1 ile 1000 arasında"),
    ]:
        ask(fake, admin, command, expected)
    ask(fake, admin, "/yetki 4201 danisman", "4201 artık danışman yetkisine sahip")

    # The counsellor has a staff menu without the admin's tools, and cannot grant roles.
    staff_menu = ask(fake, counsellor, "/yonetim", "Yönetim menüsü")
    assert "Yetkiniz: danışman" in staff_menu.plain_text
    assert "İstatistikler" not in staff_menu.buttons() and "Kurslar" in staff_menu.buttons()
    press(fake, counsellor, "Bugün ve yarınki randevular", "Bugün ve yarın randevu yok",
          staff_menu)
    ask(fake, counsellor, "/yetki 4202 personel", REFUSAL)
    ask(fake, counsellor, "/davet", REFUSAL)

    # A staff-only course is hidden from the newcomer until they open the invitation.
    ask(fake, newcomer, "/start kurs_KON-ORY-01", "Bu kursu bulamadık")
    invitation = ask(fake, admin, "/davet 1 7", "Yeni belediye personeli için davet")
    token = re.search(r"start=davet_([A-Za-z0-9_-]+)", invitation.plain_text)
    assert token is not None and "en çok 1 kişi" in invitation.plain_text
    ask(fake, newcomer, f"/start davet_{token.group(1)}", "Aramıza hoş geldiniz")
    card = ask(fake, newcomer, "/start kurs_KON-ORY-01", "Yeni Personel Oryantasyonu")
    assert "Ön kayıt" in card.buttons()
    ask(fake, newcomer, f"/start davet_{token.group(1)}", "Zaten bir personel yetkiniz var")
    ask(fake, late, f"/start davet_{token.group(1)}", "izin verilen kişi sayısına (1) ulaştı")
    ask(fake, late, "/start davet_bogus-token-123", "geçerli değil")
    press(fake, admin, "Daveti geri çek", "Davet geri çekildi", invitation)
    ask(fake, later, f"/start davet_{token.group(1)}", "geri çekildi")
    ask(fake, late, "/start kurs_KON-ORY-01", "Bu kursu bulamadık")

    # The admin's help and staff menu, and the audit log of all of it.
    assert "Yönetim komutları" in ask(fake, admin, "/yardim", "/kurslar").plain_text
    staff_menu = ask(fake, admin, "/yonetim", "Yönetim menüsü")
    assert {"İstatistikler", "Denetim kaydı", "Yetkiler"} <= set(staff_menu.buttons())
    roles = press(fake, admin, "Yetkiler", "4201 – danışman", staff_menu)
    assert f"{ADMIN_ID} – yönetici (ADMIN_IDS)" in roles.plain_text
    assert "4202 – personel" in roles.plain_text
    audit = ask(fake, admin, "/denetim", "Denetim kaydı").plain_text
    for entry in [f"{ADMIN_ID} · yetki verildi: 4201 (— → danisman)",
                  "4202 · davetle katıldı", "davet oluşturuldu", "davet geri çekildi"]:
        assert entry in audit, audit
    # Staff see their commands in Telegram's menu, each in their own chat.
    def menu_of(user: FakeUser) -> list[str]:
        return [c["command"] for c in fake.commands(scope={"type": "chat", "chat_id": user.id})]

    assert {"yetki", "istatistik", "kurslar"} <= set(menu_of(admin))
    assert {"yonetim", "randevularim"} <= set(menu_of(counsellor))
    assert "yetki" not in menu_of(counsellor) and "randevularim" not in menu_of(newcomer)
    assert "yonetim" in menu_of(newcomer) and menu_of(late) == []
    ask(fake, admin, "/yetki_al 4201", "4201 kullanıcısının artık personel yetkisi yok")
    ask(fake, counsellor, "/yonetim", REFUSAL)
    assert menu_of(counsellor) == []


@pytest.fixture
def small_bot(fake: FakeTelegram, tmp_path: Path) -> Iterator[BotProcess]:
    with running_bot(fake, tmp_path, course_file(tmp_path, SMALL)) as process:
        yield process


def test_reports_and_closing_registration(fake: FakeTelegram, small_bot: BotProcess) -> None:
    admin = fake.user(ADMIN_ID, "Yönetici")
    people = [(fake.user(4300 + n, f"K{n}"), f"Kursiyer Deneme{chr(65 + n)}",
               f"0532 300 00 0{n}") for n in range(3)]
    for user, name, phone in people:
        register(user, "BUC-MUH-09", name, phone)

    # /kayitlar: a CSV that Excel in Turkish opens: BOM, `;`, SPEC §5 columns.
    ask(fake, admin, "/kayitlar YOK-99", "YOK-99 kodlu bir kurs yok")
    ask(fake, admin, "/kayitlar", "Kurs kodunu yazın")
    admin.send_text("/kayitlar buc-muh-09")
    name, content = document(fake, admin, ".csv")
    assert name == "kayitlar-BUC-MUH-09.csv" and content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["kayıt kodu", "ad soyad", "telefon", "durum", "sıra", "kayıt zamanı"]
    assert [(r[1], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("Kursiyer DenemeA", "+905323000000", "kayıtlı", ""),
        ("Kursiyer DenemeB", "+905323000001", "kayıtlı", ""),
        ("Kursiyer DenemeC", "+905323000002", "yedek", "1")]
    assert all(re.fullmatch(r"MK-\w+", r[0]) and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", r[5])
               for r in rows[1:])

    # /istatistik: the figures, a PNG chart and an XLSX with the same figures.
    summary = ask(fake, admin, "/istatistik", "Program rakamları").plain_text
    assert "Açık kurslar: 2 · kayıtlar: 2 · yedek listeler: 1" in summary
    assert "• Buca: 2 / 1 / 2" in summary and "Danışmanlık görüşmeleri: 0" in summary
    chart = fake.wait_for(lambda: next((m.photo for m in admin.messages if m.photo), None))
    assert chart[1].startswith(b"\x89PNG")
    name, content = document(fake, admin, ".xlsx")
    book = load_workbook(io.BytesIO(content), read_only=True)
    districts = {row[0]: row[1:] for row in book["İlçeler"].values}
    assert districts["Buca"] == (2, 2, 1, 0, 0, 0)
    assert districts["Toplam"] == (2, 2, 1, 0, 0, 0)
    annual = {row[0]: row[1] for row in book["Yıllık rapor"].values if row and len(row) > 1}
    assert annual["Danışmanlık görüşmeleri"] == annual["İşe yerleştirilen kişiler"] == 0

    # /kurs_kapat: a confirmation, then the card says registration is closed.
    ask(fake, admin, "/kurs_kapat YOK-99", "YOK-99 kodlu bir kurs yok")
    question = ask(fake, admin, "/kurs_kapat BUC-MUH-09", "kaydı kapatılsın mı")
    assert "2 kayıtlı, yedek listede 1 kişi" in question.plain_text
    press(fake, admin, "Evet", "kaydı kapatıldı", question)
    ask(fake, admin, "/kurs_kapat BUC-MUH-09", "zaten kapalı")
    newcomer = fake.user(4310, "Yeni")
    card = ask(fake, newcomer, "/start kurs_BUC-MUH-09", "Bu kursun kaydı kapandı")
    assert "Ön kayıt" not in card.buttons() and "Yedek listeye gir" not in card.buttons()
    audit = ask(fake, admin, "/denetim", "Denetim kaydı").plain_text
    assert "kayıt kapatıldı: BUC-MUH-09 (open → closed)" in audit
    assert "kayıt listesi indirildi: BUC-MUH-09" in audit
    assert "istatistikler indirildi" in audit
