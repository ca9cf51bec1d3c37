"""The outbox sender's achieved rate against BROADCAST_RATE (SPEC §7, §10).

The real bot (`python -m bot`) runs against the fake Bot API server, whose flood control is
set to exactly BROADCAST_RATE (so a single call over the rate would be answered 429). A
broadcast to N citizens is queued in the bot's database, as the staff console does; the
figures come from the fake's own timestamps of the sendMessage calls it received:

* achieved rate = (N − 1) / (last − first), against BROADCAST_RATE (bar: 0.95–1.0×);
* the busiest one-second window (bar: never above BROADCAST_RATE), and the 429s (bar: 0).

    .venv/bin/python bench/sender.py [--messages 2000] [--rate 25]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import SystemClock
from bot.domain import AudienceKind, BroadcastAudience
from bot.services.broadcasts import BroadcastService
from playground.fakebot import FakeTelegram, busiest_second
from storage.database import Database
from tests.e2e.harness import BotProcess

FIRST_ID = 20_000


def seed(path: Path, citizens: int) -> None:
    stamp = datetime.now(UTC).isoformat()
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO users (id, first_seen, last_seen) VALUES (?, ?, ?)",
                         ((FIRST_ID + n, stamp, stamp) for n in range(citizens)))


async def queue_broadcast(path: Path) -> int:
    db = Database(path)
    await db.open()
    try:
        broadcast = await BroadcastService(db, SystemClock()).create(
            1, "Yeni dönem kayıtları <b>başladı</b>.", BroadcastAudience(AudienceKind.EVERYONE))
    finally:
        await db.close()
    return broadcast.total


def run(messages: int, rate: float) -> bool:
    with tempfile.TemporaryDirectory() as tmp, FakeTelegram() as fake:
        bot = BotProcess(fake, Path(tmp), LOG_LEVEL="WARNING", BROADCAST_RATE=f"{rate:g}",
                         PAID_BROADCAST="true" if rate > 30 else "false")
        assert bot.command("migrate").returncode == 0
        seed(bot.database, messages)
        for n in range(messages):
            fake.user(FIRST_ID + n, "Yurttaş", started=True)
        fake.set_rate_limit(rate)
        bot.start()
        try:
            assert asyncio.run(queue_broadcast(bot.database)) == messages
            fake.wait_for(lambda: fake.sent_count("sendMessage") >= messages,
                          timeout=messages / rate * 1.5 + 30, message="the whole broadcast")
        finally:
            bot.stop()
        sends = [call for call in fake.calls if call.method == "sendMessage"]
        times = sorted(call.at for call in sends if call.ok)
        limited = sum(1 for call in sends if call.error_code == 429)
        achieved = (len(times) - 1) / (times[-1] - times[0])
        busiest = busiest_second(times)
        print(f"{len(times):,} messages at BROADCAST_RATE {rate:g}/s: achieved "
              f"{achieved:.2f}/s = {achieved / rate:.3f}× the rate, over "
              f"{times[-1] - times[0]:.1f} s; busiest one-second window {busiest} "
              f"calls; {limited} answered 429")
        ok = 0.95 <= achieved / rate <= 1.0 and busiest <= rate and limited == 0
        print("PASS" if ok else "FAIL",
              "(bars: 0.95–1.0× the rate, no one-second window above it, no 429)")
        return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=25.0)
    args = parser.parse_args()
    sys.exit(0 if run(args.messages, args.rate) else 1)


if __name__ == "__main__":
    main()
