"""The playground in a real browser: a citizen in Çiğli registers by clicking the bot's
buttons, the admin announces a ceremony, and the citizen sees it, its map link, its .ics and
a reminder. Headless Chromium (Debian's package) driven by Playwright."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.playground.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, PlaygroundProcess

ISTANBUL = ZoneInfo("Europe/Istanbul")
# Offsets 20 s apart: whatever the minute the ceremony falls on (80-140 s ahead), a reminder
# is due at most about 20 s after it is scheduled (40 s if the bot was too slow for that one).
OFFSETS = (130, 110, 90, 70)
MARGIN = 10  # seconds the bot may take to plan the reminders after the test picked the time
SCREENSHOT = ROOT / "data" / "screenshots" / "playground-citizen.png"
WAIT_MS = 15_000


@pytest.fixture
def playground(tmp_path: Path) -> Iterator[PlaygroundProcess]:
    process = PlaygroundProcess(tmp_path, "--reminder-offsets",
                                ",".join(f"{s}s" for s in OFFSETS))
    try:
        yield process
    finally:
        assert process.stop() == 0, process.output()
        assert "Playground stopped." in process.output()
        assert process.leftovers() == [], "the bot outlived the playground"
        assert "Traceback" not in process.bot_log(), process.bot_log()[-3000:]


@pytest.fixture
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install -y chromium (make test does)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def bubble(page: Page, text: str | re.Pattern[str]) -> str:
    """Wait for a message with this text and return all of its text."""
    found = page.locator(".bubble", has_text=text).last
    found.wait_for(timeout=WAIT_MS)
    return found.inner_text()


def send(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")


def press(page: Page, name: str | re.Pattern[str]) -> None:
    """Click the latest inline button with this label."""
    page.locator(".inline-button", has_text=name).last.click(timeout=WAIT_MS)


def be(page: Page, who: str) -> None:
    page.locator(".personas button", has_text=who).click()
    page.locator("#who", has_text=who).wait_for(timeout=WAIT_MS)


def ceremony_time() -> datetime:
    """The first whole minute at least OFFSETS[-1] + MARGIN seconds from now."""
    earliest = datetime.now(ISTANBUL) + timedelta(seconds=OFFSETS[-1] + MARGIN)
    minutes = math.ceil(earliest.timestamp() / 60)
    return datetime.fromtimestamp(minutes * 60, ISTANBUL)


def test_a_citizen_registers_the_admin_announces_a_ceremony_and_the_citizen_sees_it(
        playground: PlaygroundProcess, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900},
                            timezone_id="Europe/Istanbul", locale="tr-TR")
    page.goto(playground.address)
    be(page, "Ayşe Yılmaz")

    # A citizen finds a course in Çiğli and pre-registers, sharing her phone number.
    send(page, "/kurslar")
    press(page, re.compile(r"^Çiğli \(\d+\)$"))
    # The bot's HTML is never injected: a course name with <, > and & shows as written.
    page.locator(".inline-button", has_text="Kuaförlük & Güzellik <İleri>").wait_for(
        timeout=WAIT_MS)
    press(page, "Barista Atölyesi")
    bubble(page, "Deniz Acar")  # the course card: the instructor
    press(page, re.compile(r"^Ön kayıt$"))
    bubble(page, "Adınızı ve soyadınızı yazın")
    send(page, "Ayşe Yılmaz")
    bubble(page, "Cep telefonu numaranız")
    page.locator("#reply-keyboard .key", has_text="Numaramı paylaş").click(timeout=WAIT_MS)
    bubble(page, "KVKK")
    press(page, "Onaylıyorum")
    assert "MK-" in bubble(page, "Kayıt kodunuz")
    send(page, "/kayitlarim")
    assert "kayıtlı" in bubble(page, re.compile(r"Kayıtlarım[\s\S]*Barista Atölyesi"))

    # The admin schedules the course's certificate ceremony.
    be(page, "Zeynep Demir")
    when = ceremony_time()
    send(page, f"/toren CIG-DEMO-01 {when:%Y-%m-%d %H:%M} Çiğli Meslek Fabrikası Kurs Merkezi")
    assert "1 kursiyere haber verildi" in bubble(page, "kursiyere haber verildi")

    # The citizen sees the announcement, the place on a map and a calendar file.
    be(page, "Ayşe Yılmaz")
    announcement = bubble(page, "Sertifika töreniniz planlandı")
    assert re.search(rf"{when:%H}[.:]{when:%M}", announcement), announcement
    map_link = page.locator(".venue a.map-link").last
    map_link.wait_for(timeout=WAIT_MS)
    assert re.match(r"https://www\.openstreetmap\.org/\?mlat=38\.\d+&mlon=27\.\d+",
                    map_link.get_attribute("href") or "")
    assert map_link.get_attribute("target") == "_blank"
    calendar = page.locator(".document a.name", has_text=".ics").last
    calendar.wait_for(timeout=WAIT_MS)
    ics = page.request.get(playground.address + (calendar.get_attribute("href") or ""))
    assert ics.ok and "BEGIN:VCALENDAR" in ics.text() and "Barista" in ics.text()

    # A reminder arrives, on its own.
    reminder = bubble_within(page, "⏰ Hatırlatma", seconds=45)
    assert "Barista Atölyesi" in reminder
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)
    print(f"screenshot: {SCREENSHOT}")


def bubble_within(page: Page, text: str, seconds: float) -> str:
    found = page.locator(".bubble", has_text=text).last
    found.wait_for(timeout=seconds * 1000)
    return found.inner_text()


def test_another_citizen_in_english_shares_a_location_and_downloads_their_data(
        playground: PlaygroundProcess, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900},
                            timezone_id="Europe/Istanbul", locale="tr-TR")
    page.goto(playground.address)
    be(page, "Mehmet Kaya")
    page.select_option("#language", "en")
    page.click("#start-button")  # an empty chat starts with Telegram's START button
    bubble(page, "Welcome to Meslek Kapısı")

    page.click("#attach-button")
    page.click("#share-location")
    page.locator("#districts button", has_text="Çiğli").click(timeout=WAIT_MS)
    assert "Barista Atölyesi" in bubble(page, "Courses nearest to you")
    assert page.locator(".row.out .location a.map-link").count() == 1  # the shared point

    send(page, "/verilerim")
    data = page.locator(".document a.name", has_text="verilerim.json").last
    data.wait_for(timeout=WAIT_MS)
    downloaded = page.request.get(playground.address + (data.get_attribute("href") or ""))
    assert downloaded.ok
    exported = json.loads(downloaded.text())
    assert exported["telegram_user_id"] == 1002 and exported["telegram_language"] == "en"
    assert "attachment" in (downloaded.headers.get("content-disposition") or "")
