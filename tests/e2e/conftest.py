"""Fixtures for end-to-end journeys: a fake Telegram and the real bot, demo courses loaded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from playground.fakebot import FakeTelegram
from tests.conftest import DEMO_CSV
from tests.e2e.harness import BotProcess

ADMIN_ID = 900001


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@contextmanager
def running_bot(fake: FakeTelegram, workdir: Path, courses: Path, *, time_travel: bool = False,
                **env: str) -> Iterator[BotProcess]:
    """The bot with these courses imported; afterwards, no call was rejected, the token never
    reached the log and nothing crashed."""
    process = BotProcess(fake, workdir, time_travel=time_travel,
                         **{"ADMIN_IDS": str(ADMIN_ID), **env})
    imported = process.command("import-courses", str(courses))
    assert imported.returncode == 0, imported.stderr
    process.start()
    try:
        yield process
    finally:
        process.stop()
        log = process.log()
        assert fake.token not in log
        assert fake.token.split(":")[1] not in log
        assert "Traceback" not in log, log[-3000:]
        assert not fake.rejected(), [c.summary() for c in fake.rejected()]


def course_file(workdir: Path, text: str) -> Path:
    path = workdir / "kurslar.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def bot(fake: FakeTelegram, tmp_path: Path) -> Iterator[BotProcess]:
    """The bot running with the İzmir demo courses."""
    with running_bot(fake, tmp_path, DEMO_CSV) as process:
        yield process
