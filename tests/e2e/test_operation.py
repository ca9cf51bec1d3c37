"""How an operator runs it: configuration errors, webhook mode, a user who blocked the bot."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from playground.fakebot import FakeTelegram
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.harness import ROOT, BotProcess
from tests.e2e.test_registration import pushed, register


def test_a_missing_token_stops_the_start_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: TELEGRAM_BOT_TOKEN: missing; get a token from @BotFather"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(url: str, update: dict[str, object], secret: str) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(update).encode(), method="POST",
        headers={"Content-Type": "application/json",
                 "X-Telegram-Bot-Api-Secret-Token": secret})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def status_once_listening(url: str, update: dict[str, object], secret: str) -> int | None:
    """The answer's status, or None while nothing listens yet (a busy machine)."""
    try:
        return post(url, update, secret)
    except urllib.error.URLError:
        return None


def test_webhook_mode_checks_the_secret_on_every_request(fake: FakeTelegram,
                                                         tmp_path: Path) -> None:
    port = free_port()
    bot = BotProcess(fake, tmp_path, WEBHOOK_URL="https://kurs.example.gov.tr/telegram",
                     WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port),
                     WEBHOOK_SECRET="s3cret-token")
    assert bot.command("migrate").returncode == 0
    with bot.log_path.open("ab") as log:
        bot.process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp_path,
                                       env=bot.env, stdout=log, stderr=subprocess.STDOUT)
    try:
        hook = fake.wait_for(lambda: next((c for c in fake.calls
                                           if c.method == "setWebhook" and c.ok), None),
                             timeout=30, message="setWebhook")
        assert hook.params["secret_token"] == "s3cret-token"
        user = fake.user(5001, "Webhook", started=True)
        update = {"update_id": 1, "message": {
            "message_id": 1, "date": 0, "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            "chat": {"id": user.id, "type": "private", "first_name": "Webhook"},
            "from": {"id": user.id, "is_bot": False, "first_name": "Webhook",
                     "language_code": "tr"}}}
        url = f"http://127.0.0.1:{port}/"
        fake.wait_for(lambda: status_once_listening(url, {"update_id": 0}, "wrong") == 403,
                      timeout=20,
                      message="the webhook server refuses a wrong secret")
        assert user.messages == []
        assert post(url, update, "s3cret-token") == 200
        pushed(fake, user, "Merhaba Webhook")
    finally:
        bot.stop()
    assert fake.token not in bot.log() and "s3cret-token" not in bot.log()


def test_a_user_who_blocked_the_bot_is_marked_inactive(fake: FakeTelegram,
                                                       bot: BotProcess) -> None:
    trainee, admin = fake.user(5101, "Engin"), fake.user(ADMIN_ID, "Yönetici")
    assert "Kayıt kodunuz" in register(trainee, "BUC-MUH-01", "Engin Su", "0532 510 10 10")
    fake.block(trainee.id)
    admin.send_text("/toren BUC-MUH-01 2027-05-20 14:00 Buca Meslek Fabrikası Kurs Merkezi")
    admin.wait_reply("kursiyere haber verildi")
    fake.wait_for(lambda: any(c.method == "sendMessage" and c.error_code == 403
                              for c in fake.calls), message="the blocked send")

    def inactive() -> bool:
        with sqlite3.connect(bot.database) as conn:
            return conn.execute("SELECT active FROM users WHERE id = ?",
                                (trainee.id,)).fetchone() == (0,)

    fake.wait_for(inactive, message="the user marked inactive")
    blocked_sends = sum(1 for c in fake.calls if c.error_code == 403)
    # Moved: is the blocked trainee told again?
    admin.send_text("/toren BUC-MUH-01 2027-05-21 14:00 Buca Meslek Fabrikası Kurs Merkezi")
    admin.wait_reply("taşındı")
    with sqlite3.connect(bot.database) as conn:
        fake.wait_for(lambda: conn.execute(
            "SELECT count(*) FROM due_actions WHERE kind = 'notify' AND state = 'pending' "
            "AND due_at <= ?", (datetime.now(UTC).isoformat(),)).fetchone() == (0,),
            message="the move's notice handled")
    assert sum(1 for c in fake.calls if c.error_code == 403) == blocked_sends
