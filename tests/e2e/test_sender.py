"""The sender in the bot's own event loop, against the fake Bot API: rate, lanes, one render.

The real runner, services and PTB client talk HTTP to the fake on 127.0.0.1; only the
process is the test's, so the test can count renders and wake the sender while it works.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Defaults, ExtBot

from bot.app import build_services
from bot.config import Settings
from bot.context import Services
from bot.domain import PERSONAL, AudienceKind, BroadcastAudience, BroadcastProgress, DueAction
from bot.jobs import Outgoing
from bot.services.broadcasts import BROADCAST
from handlers import notifications
from playground.fakebot import FakeTelegram, busiest_second
from storage.due_actions import DueActionRepository

RATE = 50
CITIZENS = 200
URGENT = "urgent_test"


@pytest.fixture
async def sending(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                  ) -> AsyncIterator[tuple[FakeTelegram, Services, ExtBot[None]]]:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    with FakeTelegram() as fake:
        settings = replace(Settings(token=fake.token), broadcast_rate=RATE,
                           database_path=tmp_path / "data" / "sender.sqlite3")
        services = build_services(settings)
        await services.db.open()
        await services.db.migrate()
        bot: ExtBot[None] = ExtBot(
            fake.token, base_url=fake.base_url, base_file_url=fake.file_base_url,
            defaults=Defaults(parse_mode=ParseMode.HTML,
                              link_preview_options=LinkPreviewOptions(is_disabled=True)))
        await bot.initialize()
        try:
            yield fake, services, bot
        finally:
            await services.runner.stop()
            await bot.shutdown()
            await services.db.close()


async def test_woken_three_times_in_a_200_message_broadcast_the_sender_keeps_the_rate(
        sending: tuple[FakeTelegram, Services, ExtBot[None]]) -> None:
    fake, services, bot = sending
    fake.set_rate_limit(RATE)  # Telegram's flood control at exactly our rate: no 429 allowed
    for n in range(CITIZENS):
        await services.users.seen(7000 + n, "tr")
        fake.user(7000 + n, "Yurttaş", started=True)
    runner = services.runner
    notifications.register(runner)
    rendered: list[int] = []
    plain_render = runner.renderers[BROADCAST]

    async def counting(services: Services, action: DueAction) -> Outgoing | None:
        rendered.append(action.id)
        return await plain_render(services, action)

    runner.on_send(BROADCAST, counting)
    urgent_sent: list[float] = []

    async def urgent(services: Services, action: DueAction) -> Outgoing:
        return Outgoing(7000, "Koltuk teklifi (deneme)")

    runner.on_send(URGENT, urgent)
    reports: list[BroadcastProgress] = []

    async def progress(_: object, report: BroadcastProgress) -> None:
        reports.append(report)

    runner.on_progress(progress)

    broadcast = await services.broadcasts.create(
        1, "Duyuru: kayıtlar açıldı", BroadcastAudience(AudienceKind.EVERYONE))
    assert broadcast.total == CITIZENS
    await runner.start(bot, services)
    for _ in range(3):  # wakes while a paced batch runs must not start a second consumer
        await asyncio.sleep(0.8)
        runner.wake()
    async with services.db.transaction() as conn:  # a seat offer, queued mid-broadcast
        await DueActionRepository(conn).add(URGENT, services.clock.now(), user_id=7000,
                                            now=services.clock.now(), lane=PERSONAL)
    queued = time.monotonic()
    runner.wake()
    await asyncio.to_thread(
        fake.wait_for, lambda: fake.sent_count("sendMessage") >= CITIZENS + 1, 30,
        "every message")
    urgent_sent = [c.at for c in fake.calls if "Koltuk teklifi" in str(c.params.get("text"))]

    sends = [call for call in fake.calls if call.method == "sendMessage"]
    assert all(call.ok for call in sends), [c.summary() for c in sends if not c.ok][:3]
    assert len(sends) == CITIZENS + 1
    assert busiest_second([call.at for call in sends]) <= RATE
    assert sorted(rendered) == sorted(set(rendered)) and len(rendered) == CITIZENS
    assert len(urgent_sent) == 1 and urgent_sent[0] - queued < 1.0  # ahead of the bulk lane
    for _ in range(100):  # the last answer is in; its row is marked a moment later
        if reports and reports[-1].finished:
            break
        await asyncio.sleep(0.05)
    assert reports[-1].finished and reports[-1].sent == CITIZENS
    assert len(reports) < 10  # throttled: one every few seconds, and the last
    final = await services.broadcasts.progress(broadcast.id)
    assert (final.total, final.sent, final.pending, final.failed, final.in_doubt) == \
        (CITIZENS, CITIZENS, 0, 0, 0)
