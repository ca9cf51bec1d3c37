"""The token, the webhook secret and citizens' data never reach a log or an error line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from playground.fakebot import FakeTelegram
from tests.conftest import DEMO_CSV
from tests.e2e.conftest import running_bot
from tests.e2e.harness import ROOT, BotProcess
from tests.e2e.test_registration import has_button, register

SECRET = "wh-Secret-0123456789abcdef"


def run_once(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **env})


def test_a_webhook_without_a_secret_is_refused(tmp_path: Path) -> None:
    result = run_once(tmp_path, TELEGRAM_BOT_TOKEN="123456:ABCdefGHIjklMNOpqr",
                      WEBHOOK_URL="https://bot.example.bel.tr/")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Configuration error: WEBHOOK_SECRET: "), lines


def test_a_token_telegram_rejects_stops_with_one_line_and_no_token(fake: FakeTelegram,
                                                                   tmp_path: Path) -> None:
    rejected = "987654321:WRONG-token-abcdefghij"
    for level in ("INFO", "DEBUG"):
        result = run_once(tmp_path, TELEGRAM_BOT_TOKEN=rejected, LOG_LEVEL=level,
                          TELEGRAM_API_BASE_URL=fake.base_url,
                          DATABASE_PATH=str(tmp_path / "data" / "meslek.sqlite3"))
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert lines == ["Configuration error: TELEGRAM_BOT_TOKEN: rejected by Telegram "
                         "(getMe refused it); check the token with @BotFather"], lines
        assert "WRONG-token" not in result.stdout + result.stderr
    assert [c.method for c in fake.calls] == ["getMe", "getMe"]


def digits(text: str) -> str:
    return re.sub(r"[\s().-]", "", text)


def test_a_debug_journey_logs_no_name_phone_token_or_secret(fake: FakeTelegram,
                                                             tmp_path: Path) -> None:
    citizen = fake.user(6001, "Gülsüm", last_name="Karaca", username="gulsumkrc")
    with running_bot(fake, tmp_path, DEMO_CSV, LOG_LEVEL="DEBUG",
                     WEBHOOK_SECRET=SECRET) as bot:
        assert "Kayıt kodunuz" in register(citizen, "BUC-MUH-01", "Gülsüm Karaca",
                                           "0532 611 22 33")
        citizen.send_contact("+905326112233")  # outside a dialogue: a stray contact
        citizen.wait_reply("Yazılı mesajları ve düğmeleri")
        citizen.send_text("/verilerim")
        citizen.wait_reply("Hakkınızda sakladığımız bilgiler")
        citizen.send_text("/verilerimi_sil")
        citizen.press("Evet, sil", citizen.wait_reply(where=has_button("Evet, sil")))
        citizen.wait_reply("Kişisel verileriniz silindi")
        log = bot.log()
    for secret in (fake.token, fake.token.split(":")[1], SECRET):
        assert secret not in log
    for personal in ("Gülsüm", "Karaca", "gulsumkrc", "Gulsum"):
        assert personal not in log, personal
    for phone in ("5326112233", "611 22 33", "6112233"):
        assert phone not in digits(log) and phone not in log, phone
    assert_library_loggers_capped(bot)


def assert_library_loggers_capped(bot: BotProcess) -> None:
    for line in bot.log().splitlines():
        match = re.match(r"\S+ \S+ (DEBUG|INFO) (\S+):", line)
        if match:
            level, name = match.groups()
            top = name.split(".")[0]
            assert top in ("bot", "handlers", "storage", "__main__") or level == "INFO", line
            assert top not in ("httpx", "httpcore"), line
