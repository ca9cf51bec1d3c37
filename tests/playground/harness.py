"""`python -m bot playground` in a subprocess, as a person starts it, on a free port."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
START_TIMEOUT = 30.0


class PlaygroundProcess:
    """Starts the playground in ``workdir`` and waits for the address it prints."""

    def __init__(self, workdir: Path, *args: str, **env: str) -> None:
        self.workdir = workdir
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._output: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "playground", *args], cwd=workdir,
            env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT),
                 "PLAYGROUND_PORT": "0", **env},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.address = self._wait_for_address()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _wait_for_address(self) -> str:
        while True:
            try:
                line = self._lines.get(timeout=START_TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no address within {START_TIMEOUT:g} s:\n"
                                     + self.output()) from None
            if line is None:
                raise AssertionError("the playground stopped:\n" + self.output())
            self._output.append(line)
            if "playground: http://" in line:
                return line.split("playground: ", 1)[1].split()[0]

    def output(self) -> str:
        while True:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self._output.append(line)
        return "".join(self._output)

    def stop(self) -> int:
        """Ctrl-C, as a person would; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=30)
        self._reader.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return code

    def bot_log(self) -> str:
        path = self.workdir / "data" / "playground-bot.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def leftovers(self) -> list[int]:
        """Processes still running in the playground's folder (the bot, if it was left)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if Path(os.readlink(entry / "cwd")) == self.workdir:
                    found.append(int(entry.name))
            except OSError:
                continue
        return found
