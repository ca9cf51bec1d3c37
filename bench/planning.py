"""The periodic class-reminder planning beside citizens' writes (SPEC §10).

100,000 citizens who turned class reminders on, one registration each over 1,000 courses
that meet every day. The hourly planning runs twice (first: everything to plan; second:
everything already planned) while another task makes a one-row write every 5 ms, as a
citizen's step would. Reported: the longest time the planning held the database writer in
one go, and the one-row writes' latency (from asking for the writer to the commit).
Both bars: < 50 ms.

    .venv/bin/python bench/planning.py [--citizens 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import SystemClock
from bot.config import Settings
from bot.services.reminders import ReminderService
from storage.database import Database

ISTANBUL = ZoneInfo("Europe/Istanbul")
COURSES = 1000
SEATS = 200
BAR_MS = 50.0


class TimedLock(asyncio.Lock):
    """The writer lock, noting how long each holder kept it, by task name."""

    def __init__(self) -> None:
        super().__init__()
        self.holds: list[tuple[str, float]] = []
        self._since = 0.0

    async def acquire(self) -> bool:
        await super().acquire()
        self._since = time.perf_counter()
        return True

    def release(self) -> None:
        task = asyncio.current_task()
        self.holds.append((task.get_name() if task else "?", time.perf_counter() - self._since))
        super().release()


def seed(path: Path, citizens: int) -> None:
    now = datetime.now(UTC)
    stamp = now.isoformat()
    start = (now - timedelta(days=1)).astimezone(ISTANBUL).date().isoformat()
    end = (now + timedelta(days=60)).astimezone(ISTANBUL).date().isoformat()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("INSERT INTO districts (id, name, search_key) VALUES (1, 'Konak', 'konak')")
    conn.execute("INSERT INTO centres (id, district_id, name) VALUES (1, 1, 'Merkez')")
    conn.executemany(
        "INSERT INTO courses (id, code, name, branch, centre_id, start_date, end_date, "
        "weekdays, start_time, end_time, capacity, search_key, created_at, updated_at) "
        "VALUES (?, ?, ?, 'Branş', 1, ?, ?, 127, ?, ?, ?, ?, ?, ?)",
        ((n + 1, f"K{n:04d}", f"Kurs {n}", start, end, f"{8 + n % 12:02d}:00",
          f"{9 + n % 12:02d}:00", SEATS, f"k{n}", stamp, stamp) for n in range(COURSES)))
    conn.executemany(
        "INSERT INTO users (id, first_seen, last_seen, class_reminders) VALUES (?, ?, ?, 1)",
        ((10_000 + u, stamp, stamp) for u in range(citizens)))
    conn.executemany(
        "INSERT INTO registrations (id, code, course_id, user_id, status, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, 'registered', ?, ?)",
        ((u + 1, f"MK-{u:07d}", u % COURSES + 1, 10_000 + u, stamp, stamp)
         for u in range(citizens)))
    conn.commit()
    conn.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def one_run(db: Database, lock: TimedLock, planner: ReminderService, citizens: int,
                  label: str) -> bool:
    """One planning run beside a citizen's one-row writes; prints and checks the figures."""
    lock.holds.clear()
    writes: list[float] = []
    done = asyncio.Event()

    async def citizen_writes() -> None:
        n = 0
        while not done.is_set():
            asked = time.perf_counter()
            async with db.transaction() as conn:
                await conn.execute("UPDATE users SET last_seen = ? WHERE id = ?",
                                   (datetime.now(UTC).isoformat(), 10_000 + n % citizens))
            writes.append(time.perf_counter() - asked)
            n += 1
            await asyncio.sleep(0.005)

    async def plan() -> int:
        try:
            return await planner.plan_class_reminders()
        finally:
            done.set()

    began, cpu = time.perf_counter(), time.process_time()
    writer = asyncio.create_task(citizen_writes(), name="citizen")
    added = await asyncio.create_task(plan(), name="planning")
    await writer
    took, cpu = time.perf_counter() - began, time.process_time() - cpu
    holds = [hold for name, hold in lock.holds if name == "planning"]
    longest, p99 = max(holds) * 1000, percentile(writes, 0.99) * 1000
    print(f"{label}: {added:,} reminders planned in {took:.1f} s ({cpu:.1f} s CPU, load "
          f"average {os.getloadavg()[0]:.1f}), "
          f"{len(holds):,} writer holds, p99 {percentile(holds, 0.99) * 1000:.1f} ms, "
          f"longest {longest:.1f} ms; {len(writes):,} one-row writes beside it: p50 "
          f"{percentile(writes, 0.5) * 1000:.1f} ms, p99 {p99:.1f} ms, "
          f"max {max(writes) * 1000:.1f} ms")
    return longest < BAR_MS and p99 < BAR_MS


async def measure(path: Path, citizens: int) -> bool:
    db = Database(path)
    await db.open()
    lock = TimedLock()
    db._lock = lock  # the bench times the writer lock itself
    settings = replace(Settings(token="1:x"), timezone=ISTANBUL)
    planner = ReminderService(db, SystemClock(), settings)
    ok = True
    for label in ("first run (all to plan)", "second run (all planned)"):
        ok = await one_run(db, lock, planner, citizens, label) and ok
    await db.close()
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "planning.sqlite3"

        async def migrate() -> None:
            db = Database(path)
            await db.open()
            await db.migrate()
            await db.close()

        asyncio.run(migrate())
        seed(path, args.citizens)
        print(f"{args.citizens:,} citizens with class reminders on, {COURSES:,} daily courses")
        ok = asyncio.run(measure(path, args.citizens))
    print("PASS" if ok else "FAIL",
          f"(bars: longest planning hold < {BAR_MS:.0f} ms, one-row write p99 < {BAR_MS:.0f} ms)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
