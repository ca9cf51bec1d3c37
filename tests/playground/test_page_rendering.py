"""The page shows what a Telegram app shows: entities as formatting (never the bot's HTML),
edits marked, deleted messages gone, photos and files from 127.0.0.1 only."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from playground.demo import SoonCourse, districts
from playground.fakebot import FakeTelegram
from playground.fakebot.server import ServerThread
from playground.page import PageFacts, PlaygroundPage
from tests.playground.harness import CHROMIUM, CHROMIUM_ARGS

AYSE = 1001


@pytest.fixture
def served() -> Iterator[tuple[FakeTelegram, str]]:
    """The local Bot API server and the page, in this process, with no bot: the test speaks
    for the bot through the Bot API."""
    with FakeTelegram() as fake:
        facts = PageFacts(districts=districts(),
                          soon=SoonCourse("CIG-DEMO-01", "Barista", datetime.now(UTC)),
                          reminder_offsets=(timedelta(minutes=2),),
                          seat_offer_ttl=timedelta(minutes=2), now=lambda: datetime.now(UTC))
        page = ServerThread(PlaygroundPage(fake, facts).make_app,
                            on_start=lambda loop: None, on_stop=lambda: None)
        page.start()
        try:
            yield fake, f"http://127.0.0.1:{page.port}"
        finally:
            page.stop()


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def bot_api(fake: FakeTelegram, method: str, **params: Any) -> Any:
    request = urllib.request.Request(f"{fake.base_url}{fake.token}/{method}",
                                     data=json.dumps(params).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["result"]


def test_formatting_edits_deletions_and_files(served: tuple[FakeTelegram, str],
                                             browser: Browser) -> None:
    fake, address = served
    ayse = fake.user(AYSE, "Ayşe", started=True)
    ayse.send_document("rapor.csv", b"kod;ad\nX;Y\n", "text/csv")
    ayse.send_photo()
    files = fake.history(AYSE).messages  # what Ayşe sent
    csv_id = files[0]["document"]["file_id"]
    photo_id = files[1]["photo"][-1]["file_id"]
    bot_api(fake, "sendMessage", chat_id=AYSE, parse_mode="HTML",
            text='<b>Kalın <i>ve eğik</i></b> &lt;script&gt;alert(1)&lt;/script&gt; '
                 '<a href="https://example.org/x">bağlantı</a> '
                 '<a href="https://t.me/meslek_test_bot?start=kurs_CIG-MUH-01">kurs</a>')
    edited = bot_api(fake, "sendMessage", chat_id=AYSE, text="Birinci hâli")
    bot_api(fake, "editMessageText", chat_id=AYSE, message_id=edited["message_id"],
            text="İkinci hâli")
    gone = bot_api(fake, "sendMessage", chat_id=AYSE, text="Silinecek mesaj")
    bot_api(fake, "deleteMessage", chat_id=AYSE, message_id=gone["message_id"])
    bot_api(fake, "sendDocument", chat_id=AYSE, document=csv_id, caption="Dışa aktarım")
    bot_api(fake, "sendPhoto", chat_id=AYSE, photo=photo_id, caption="İstatistik")
    bot_api(fake, "sendMessage", chat_id=AYSE, text="Son mesaj")

    page = browser.new_page()
    page.goto(address)
    page.locator(".bubble", has_text="Son mesaj").wait_for(timeout=15_000)
    formatted = page.locator(".bubble", has_text="Kalın")
    assert formatted.locator("b > i").inner_text() == "ve eğik"
    assert "<script>alert(1)</script>" in formatted.inner_text()
    assert page.locator("script", has_text="alert").count() == 0
    link = formatted.locator("a", has_text="bağlantı")
    assert link.get_attribute("href") == "https://example.org/x"
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in (link.get_attribute("rel") or "")
    assert "düzenlendi" in page.locator(".bubble", has_text="İkinci hâli").inner_text()
    assert page.locator(".bubble", has_text="Birinci hâli").count() == 0
    assert page.locator(".bubble", has_text="Silinecek mesaj").count() == 0
    export = page.locator(".row.in .document a.name", has_text="rapor.csv")
    downloaded = page.request.get(address + (export.get_attribute("href") or ""))
    assert downloaded.body() == b"kod;ad\nX;Y\n"
    assert "attachment" in downloaded.headers["content-disposition"]
    picture = page.locator(".row.in .photo img")
    source = picture.get_attribute("src") or ""
    assert source.startswith(address + "/files/") and page.request.get(source).ok

    # A deep link to the bot opens in the chat, as Telegram does.
    formatted.locator("a", has_text="kurs").click()
    fake.wait_for(lambda: any(m.get("text") == "/start kurs_CIG-MUH-01"
                              for m in fake.history(AYSE).messages),
                  message="the deep link sent /start kurs_CIG-MUH-01")
