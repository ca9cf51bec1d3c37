"""Scale and reminder lateness (SPEC §10), against the fake Bot API server.

1. Scale: with N citizens (registered, one course each), 1,000 courses and N pending reminders
   in the database, how long `python -m bot` takes from launch to its first getUpdates, and
   its resident memory. Run for a small and a large N, to show memory does not grow with users.
2. Lateness: 1,000 reminders falling due within the same minute; for each, the time from its
   due moment to the moment the fake Bot API server received it (p50 / p99 / max).

    .venv/bin/python bench/reminders.py [--citizens 100000] [--burst 1000]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playground.fakebot import FakeTelegram
from tests.e2e.harness import BotProcess

ISTANBUL = ZoneInfo("Europe/Istanbul")
COURSES = 1000
BURST_COURSES = 10
SEATS = 200


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def seed(db: Path, citizens: int, burst: int, burst_at: datetime,
         burst_from: datetime) -> dict[int, datetime]:
    """Fill an empty (migrated) database; return the burst users and their due moments."""
    now = datetime.now(UTC)
    stamp = now.isoformat()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("INSERT INTO districts (id, name, search_key) VALUES (1, 'Konak', 'konak')")
    conn.execute("INSERT INTO centres (id, district_id, name, latitude, longitude) "
                 "VALUES (1, 1, 'Merkez', 38.4, 27.1)")
    far = (now + timedelta(days=60)).date().isoformat()
    local = burst_at.astimezone(ISTANBUL)
    courses = []
    for n in range(COURSES):
        burst_course = n < BURST_COURSES
        start = local.date().isoformat() if burst_course else far
        weekdays = 1 << local.weekday() if burst_course else 127
        hours = (local.strftime("%H:%M"), "23:59") if burst_course else ("10:00", "12:00")
        courses.append((n + 1, f"K{n:04d}", f"Kurs {n}", "Branş", 1, start, far, weekdays,
                        *hours, SEATS, f"k{n}", stamp, stamp))
    conn.executemany(
        "INSERT INTO courses (id, code, name, branch, centre_id, start_date, end_date, "
        "weekdays, start_time, end_time, capacity, search_key, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", courses)
    conn.executemany(
        "INSERT INTO users (id, first_seen, last_seen) VALUES (?, ?, ?)",
        ((10_000 + u, stamp, stamp) for u in range(citizens)))
    # Citizen u holds a seat in course u % COURSES (burst citizens: the burst courses).
    conn.executemany(
        "INSERT INTO registrations (id, code, course_id, user_id, status, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, 'registered', ?, ?)",
        ((u + 1, f"MK-{u:07d}", (u % BURST_COURSES if u < burst else u % COURSES) + 1,
          10_000 + u, stamp, stamp) for u in range(citizens)))
    pending_at = datetime.combine(datetime.fromisoformat(far), datetime.min.time(),
                                  tzinfo=ISTANBUL).replace(hour=10)
    due: dict[int, datetime] = {}
    rows = []
    for u in range(citizens):
        if u < burst:
            when = burst_from + timedelta(seconds=60 * u / burst)
            due[10_000 + u] = when
            at = burst_at
        else:
            when = pending_at - timedelta(hours=2)
            at = pending_at
        rows.append(("reminder_class", 10_000 + u, u + 1,
                     json.dumps({"at": at.isoformat(), "offset": 7200, "first": True}),
                     when.astimezone(UTC).isoformat(), f"bench:{u}", stamp))
    conn.executemany(
        "INSERT INTO due_actions (kind, user_id, ref_id, payload, due_at, dedup_key, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return due


def run(citizens: int, burst: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, FakeTelegram() as fake:
        bot = BotProcess(fake, Path(tmp), LOG_LEVEL="WARNING")
        assert bot.command("migrate").returncode == 0
        lead = 15 + citizens / 20_000  # seeding and start-up happen before the burst
        burst_from = datetime.now(UTC) + timedelta(seconds=lead)
        burst_at = (burst_from + timedelta(hours=3)).replace(second=0, microsecond=0)
        seeded = time.perf_counter()
        due = seed(bot.database, citizens, burst, burst_at, burst_from)
        seeding = time.perf_counter() - seeded
        for user_id in due:
            fake.user(user_id, "Kursiyer", started=True)
        launched = time.perf_counter()
        bot.start()
        startup = time.perf_counter() - launched
        assert bot.process is not None
        pid = bot.process.pid
        rss_start = rss_mb(pid)
        figures = {"citizens": citizens, "seeding_s": seeding, "startup_s": startup,
                   "rss_start_mb": rss_start}
        if burst:
            if datetime.now(UTC) > burst_from:
                print("warning: the burst began before the bot was up", file=sys.stderr)
            fake.wait_for(lambda: fake.sent_count("sendMessage") >= burst, timeout=lead + 120,
                          message="all burst reminders")
            offset = time.time() - time.monotonic()  # monotonic → wall clock
            lateness = sorted(
                datetime.fromtimestamp(c.at + offset, UTC).timestamp()
                - due[int(c.params["chat_id"])].timestamp()
                for c in fake.calls if c.method == "sendMessage" and c.ok)
            figures.update(
                sent=len(lateness), late_p50_s=statistics.median(lateness),
                late_p99_s=lateness[int(len(lateness) * 0.99) - 1], late_max_s=lateness[-1],
                rss_after_burst_mb=rss_mb(pid))
        bot.stop()
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--burst", type=int, default=1_000)
    args = parser.parse_args()
    small = run(args.small, 0)
    large = run(args.citizens, args.burst)
    print(f"{'citizens':>10} {'pending':>9} {'start-up s':>11} {'RSS MB':>8}")
    for figures in (small, large):
        print(f"{figures['citizens']:>10,} {figures['citizens']:>9,} "
              f"{figures['startup_s']:>11.2f} {figures['rss_start_mb']:>8.1f}")
    print(f"\n{large['sent']:,} reminders due within one minute: lateness p50 "
          f"{large['late_p50_s'] * 1000:.0f} ms, p99 {large['late_p99_s'] * 1000:.0f} ms, "
          f"max {large['late_max_s'] * 1000:.0f} ms; RSS after {large['rss_after_burst_mb']:.1f}"
          " MB")
    ok = (large["startup_s"] < 3 and large["rss_after_burst_mb"] < 200
          and large["late_p99_s"] < 5)
    print("PASS" if ok else "FAIL", "(bars: start-up < 3 s, RSS < 200 MB, p99 lateness < 5 s)")


if __name__ == "__main__":
    main()
