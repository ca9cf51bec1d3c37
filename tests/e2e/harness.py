"""The real bot, as an operator starts it (`python -m bot`), against the fake Bot API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playground.fakebot import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    """`python -m bot` (or `python *argv`) in a subprocess, its log kept in a file."""

    def __init__(self, fake: FakeTelegram, workdir: Path, *,
                 argv: Sequence[str] = ("-m", "bot"), time_travel: bool = False,
                 **env: str) -> None:
        self.fake = fake
        self.argv = list(argv)
        self.workdir = workdir
        self.log_path = workdir / "bot.log"
        self.database = workdir / "data" / "meslek.sqlite3"
        # With time_travel, the bot's clock runs `travel()` ahead of the real one.
        self.clock_file = workdir / "clock-offset"
        self.ahead = timedelta(0)
        if time_travel:
            env = {"TEST_CLOCK_FILE": str(self.clock_file), **env}
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "DATABASE_PATH": str(self.database),
            "LOG_LEVEL": "DEBUG",
            "PTB_TIMEDELTA": "1",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def travel(self, delta: timedelta) -> datetime:
        """Move the running bot's clock forward (it notices within 0.2 s); its new now."""
        self.ahead += delta
        self.clock_file.write_text(str(self.ahead.total_seconds()), encoding="ascii")
        return self.now()

    def now(self) -> datetime:
        """What the bot's clock says."""
        return datetime.now(UTC) + self.ahead

    def command(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run an operator command (`import-courses`, `backup`…) against the same database."""
        return subprocess.run([sys.executable, "-m", "bot", *args], cwd=self.workdir,
                              env=self.env, capture_output=True, text=True, timeout=60)

    def polls(self) -> int:
        """getUpdates calls received so far, including one still waiting (a long poll)."""
        return sum(1 for call in self.fake.calls if call.method == "getUpdates")

    def start(self) -> None:
        """Launch and return once the bot is polling (it has made its first getUpdates)."""
        polls_before = self.polls()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen([sys.executable, *self.argv], cwd=self.workdir,
                                            env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.fake.wait_for(lambda: self.polls() > polls_before
                           or self.process is None or self.process.poll() is not None,
                           timeout=30, message="the bot did not start polling")
        assert self.process.poll() is None, self.log()

    def stop(self) -> int:
        """Stop as systemd would (SIGTERM) and wait."""
        return self._end(signal.SIGTERM)

    def kill(self) -> int:
        """Crash: SIGKILL, no chance to clean up."""
        return self._end(signal.SIGKILL)

    def _end(self, sig: signal.Signals) -> int:
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(sig)
        code = self.process.wait(timeout=30)
        self.process = None
        return code

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") \
            if self.log_path.exists() else ""
