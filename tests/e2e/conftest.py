"""Fixtures for end-to-end journeys: a fake Telegram and the real bot, demo courses loaded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO_CSV
from tests.e2e.harness import BotProcess
from tests.fakebot import FakeTelegram

ADMIN_ID = 900001


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def bot(fake: FakeTelegram, tmp_path: Path) -> Iterator[BotProcess]:
    """The bot running with the İzmir demo courses; after the test, no call was rejected and
    the token never reached the log."""
    process = BotProcess(fake, tmp_path, ADMIN_IDS=str(ADMIN_ID))
    imported = process.command("import-courses", str(DEMO_CSV))
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
