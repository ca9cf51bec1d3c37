"""Counselling slot booking (issue 10): the race for the last slot, and booking latency.

1. Service level, over a real SQLite file: `--timed` citizens each book a different slot,
   one after another (p50 / p99 of `AppointmentService.book`); then `--racers` citizens
   book the same last slot at once (asyncio.gather): exactly one booking must result.
2. Through the real bot (`python -m bot` against the fake Bot API): a counsellor opens one
   slot, `--racers` citizens press "Evet" for it at the same moment; the replies and the
   database must show exactly one booking. Also the bot's time from "Evet" to "Randevunuz
   alındı" for citizens booking one after another (it includes the fake server's 10 ms
   polling, so it is an upper bound).

    .venv/bin/python bench/booking.py [--timed 200] [--racers 50]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain import Role, Topic, Viewer
from bot.errors import SlotTaken
from bot.services.appointments import AppointmentService
from bot.services.reminders import ReminderService
from bot.services.users import UserService
from playground.fakebot import FakeTelegram
from playground.fakebot.models import BotMessage
from playground.fakebot.users import FakeUser
from storage.database import Database
from tests.conftest import DEMO_CSV
from tests.e2e.harness import BotProcess

ISTANBUL = ZoneInfo("Europe/Istanbul")
COUNSELLOR = 900001


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


async def service_level(timed: int, racers: int) -> None:
    settings = replace(Settings(token="1:x"), timezone=ISTANBUL)
    clock = FixedClock(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "bench.sqlite3")
        await db.open()
        await db.migrate()
        users = UserService(db, clock)
        for n in range(1, timed + racers + 1):
            await users.seen(n, "tr")
        service = AppointmentService(db, clock, settings, ReminderService(db, clock, settings))
        counsellor = Viewer(COUNSELLOR, role=Role.COUNSELLOR)
        free: list[int] = []
        day = datetime(2026, 11, 23, tzinfo=ISTANBUL).date()
        while len(free) <= timed:  # 144 slots of 5 minutes a day
            plan = await service.plan_window(counsellor, day.isoformat(), "08:00-20:00", "5",
                                             "Konak Meslek Fabrikası")
            await service.open_window(counsellor, plan)
            free += [s.id for s in await service.free_times(day)]
            day += timedelta(days=1)
        latencies = []
        for n in range(timed):
            started = time.perf_counter()
            await service.book(n + 1, free[n], Topic.JOB_SEARCH, None)
            latencies.append(time.perf_counter() - started)
        last = free[timed]
        results = await asyncio.gather(
            *(service.book(timed + 1 + n, last, Topic.CV, None) for n in range(racers)),
            return_exceptions=True)
        won = sum(1 for r in results if not isinstance(r, BaseException))
        lost = sum(1 for r in results if isinstance(r, SlotTaken))
        async with db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT count(*) FROM appointments WHERE slot_id = ? AND status = 'booked'",
                (last,))
        holders = next(iter(rows))[0]
        await db.close()
    print(f"service: {timed} bookings one after another: p50 {ms(statistics.median(latencies))}"
          f", p99 {ms(percentile(latencies, 0.99))}")
    print(f"service: {racers} citizens race for the last slot: {won} booked, {lost} told it "
          f"was taken; slot holders in the database: {holders}")


def wait_text(fake: FakeTelegram, user: FakeUser, *fragments: str,
              since: int = 0) -> BotMessage:
    def found() -> BotMessage | None:
        return next((m for m in user.messages[since:]
                     if any(f in m.plain_text for f in fragments)), None)

    message = fake.wait_for(found, timeout=30)
    assert message is not None
    return message


def through_the_bot(racers: int, timed: int) -> None:
    with tempfile.TemporaryDirectory() as folder, FakeTelegram() as fake:
        bot = BotProcess(fake, Path(folder), ADMIN_IDS=str(COUNSELLOR), LOG_LEVEL="WARNING")
        assert bot.command("import-courses", str(DEMO_CSV)).returncode == 0
        bot.start()
        try:
            admin = fake.user(COUNSELLOR, "Danışman")
            day = datetime.now(ISTANBUL).date() + timedelta(days=2)
            slots = max(timed, 1) + 1
            end = datetime(2000, 1, 1, 8, 0) + timedelta(minutes=5 * slots)
            admin.send_text(f"/randevu_ac {day.isoformat()} 08:00-{end:%H:%M} 5")
            admin.press("Aç", wait_text(fake, admin, "Önizleme"))
            wait_text(fake, admin, "randevu saati açıldı")
            with sqlite3.connect(bot.database) as conn:
                ids = [r[0] for r in conn.execute("SELECT id FROM slots ORDER BY starts_at")]
            latencies = []
            for n in range(timed):
                user = fake.user(700000 + n, f"Zamanlı{n}")
                user.send_text("/randevu")
                screen = wait_text(fake, user, "Hangi konuda")
                seen = len(user.messages)
                started = time.perf_counter()
                user.press_data(f"v1:ab:1:{ids[n]}", screen.message_id)
                wait_text(fake, user, "Randevunuz alındı", since=seen)
                latencies.append(time.perf_counter() - started)
            last = ids[-1]
            people = [fake.user(800000 + n, f"Yarışçı{n}") for n in range(racers)]
            screens = []
            for user in people:
                user.send_text("/randevu")
                screens.append(wait_text(fake, user, "Hangi konuda"))
            started = time.perf_counter()
            for user, screen in zip(people, screens, strict=True):
                user.press_data(f"v1:ab:1:{last}", screen.message_id)
            outcomes = [wait_text(fake, u, "Randevunuz alındı", "başka birine verildi")
                        for u in people]
            elapsed = time.perf_counter() - started
            won = sum("Randevunuz alındı" in m.plain_text for m in outcomes)
            with sqlite3.connect(bot.database) as conn:
                holders = conn.execute("SELECT count(*) FROM appointments WHERE slot_id = ? "
                                       "AND status = 'booked'", (last,)).fetchone()[0]
        finally:
            bot.stop()
    if latencies:
        print(f"bot: {timed} citizens press \"Evet\" one after another: p50 "
              f"{ms(statistics.median(latencies))}, p99 {ms(percentile(latencies, 0.99))} "
              "(until \"Randevunuz alındı\" is seen)")
    print(f"bot: {racers} citizens press \"Evet\" for the last slot at once: {won} booked, "
          f"{racers - won} shown the remaining times, all answered in {elapsed:.2f} s; "
          f"slot holders in the database: {holders}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timed", type=int, default=200)
    parser.add_argument("--racers", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(service_level(args.timed, args.racers))
    through_the_bot(args.racers, min(args.timed, 100))


if __name__ == "__main__":
    main()
