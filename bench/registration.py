"""Pre-registration through the real bot (issue 3): how long one takes, and the seat race.

1. Timing: citizens register one after another (course card → "Ön kayıt" → name → phone →
   "Onaylıyorum" → result); for each, the bot's time summed over the five steps, with no
   human think time: p50 / p99.
2. The race: 200 citizens fill in the dialogue, then all press "Onaylıyorum" at the same
   moment for a course with 20 seats; the results and the database must show exactly 20
   registered and 180 waiting at positions 1–180.

    .venv/bin/python bench/registration.py [--timed 200] [--racers 200] [--seats 20]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fakehooks import ReplyWatcher
from playground.fakebot import FakeTelegram
from playground.fakebot.models import BotMessage
from playground.fakebot.users import FakeUser
from tests.e2e.harness import BotProcess

COURSES = ("kod;ad;brans;ilce;merkez;enlem;boylam;baslangic;bitis;gunler;saat;kontenjan\n"
           "BUC-BEN-01;Ön Muhasebe;Muhasebe ve Finans;Buca;Buca Konağı;38.38;27.17;"
           "2027-01-04;2027-03-26;Pzt,Çar;18:30-21:00;10000\n"
           "BUC-BEN-02;Kuaförlük;Güzellik;Buca;Buca Konağı;38.38;27.17;"
           "2027-01-05;2027-03-26;Sal,Per;09:00-12:00;{seats}\n")


def letters(n: int) -> str:
    """A surname made of letters (names may not hold digits): 0 → Aa, 1 → Ab…"""
    word = ""
    for _ in range(4):
        n, digit = divmod(n, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[digit] + word
    return word.capitalize()


async def reply(watcher: ReplyWatcher, user: FakeUser, act: Callable[[], object],
                wanted: str) -> float:
    """Do `act`, wait for the bot's message showing `wanted` (text or button)."""
    seen = len(user.messages)
    act()
    while True:
        fresh = [m for m in user.messages[seen:]
                 if wanted in m.plain_text or wanted in m.buttons()]
        if fresh:
            return time.perf_counter()
        waiting = watcher.expect(user.id, "send")
        await asyncio.wait_for(waiting, 10)


def last_with(user: FakeUser, button: str) -> BotMessage:
    return next(m for m in reversed(user.messages) if button in m.buttons())


async def register(watcher: ReplyWatcher, user: FakeUser, code: str, n: int,
                   confirm: bool = True) -> float:
    """The dialogue up to the consent notice (and the confirmation); the bot's time."""
    started = time.perf_counter()
    await reply(watcher, user, lambda: user.send_text(f"/start kurs_{code}"), "Ön kayıt")
    await reply(watcher, user, lambda: user.press("Ön kayıt", last_with(user, "Ön kayıt")),
                "soyadınızı")
    await reply(watcher, user, lambda: user.send_text(f"Kursiyer {letters(n)}"), "Cep telefonu")
    await reply(watcher, user, lambda: user.send_text(f"0532 {2_000_000 + n}"), "KVKK")
    if confirm:
        await reply(watcher, user,
                    lambda: user.press("Onaylıyorum", last_with(user, "Onaylıyorum")),
                    "Kayıt kodunuz")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timed", type=int, default=200)
    parser.add_argument("--racers", type=int, default=200)
    parser.add_argument("--seats", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeTelegram() as fake:
        workdir = Path(tmp)
        bot = BotProcess(fake, workdir, LOG_LEVEL="WARNING")
        courses = workdir / "kurslar.csv"
        courses.write_text(COURSES.format(seats=args.seats), encoding="utf-8")
        assert bot.command("import-courses", str(courses)).returncode == 0
        bot.start()
        watcher = ReplyWatcher(fake)
        try:
            timed = [watcher.user(100_000 + n, "Kursiyer") for n in range(args.timed)]
            durations = sorted(watcher.run(register(watcher, user, "BUC-BEN-01", n), 60)
                               for n, user in enumerate(timed))

            racers = [watcher.user(200_000 + n, "Yarışçı") for n in range(args.racers)]

            async def fill_in() -> None:
                await asyncio.gather(*(register(watcher, u, "BUC-BEN-02", 5_000 + n, False)
                                       for n, u in enumerate(racers)))

            watcher.run(fill_in(), 120)
            pressed = time.perf_counter()
            for user in racers:  # all at once: the presses reach the bot in one batch
                user.press("Onaylıyorum", last_with(user, "Onaylıyorum"))
            fake.wait_for(lambda: all(any("Kayıt kodunuz" in m.plain_text
                                          or "sıradasınız" in m.plain_text
                                          for m in u.messages) for u in racers), timeout=120,
                          message="every racer's result")
            race_seconds = time.perf_counter() - pressed
        finally:
            bot.stop()
        with sqlite3.connect(bot.database) as conn:
            rows = conn.execute(
                "SELECT r.status, (SELECT count(*) FROM registrations w WHERE w.course_id = "
                "r.course_id AND w.status = 'waiting' AND w.id <= r.id) FROM registrations r "
                "JOIN courses c ON c.id = r.course_id WHERE c.code = 'BUC-BEN-02'").fetchall()
    registered = sum(1 for status, _ in rows if status == "registered")
    positions = sorted(pos for status, pos in rows if status == "waiting")
    told = sum(1 for u in racers if any("Kayıt kodunuz" in m.plain_text for m in u.messages))
    ms = [d * 1000 for d in durations]
    print(f"{len(ms)} registrations one after another, five steps each (bot time): "
          f"p50 {statistics.median(ms):.1f} ms, p99 {ms[int(len(ms) * 0.99) - 1]:.1f} ms, "
          f"max {ms[-1]:.1f} ms")
    print(f"Seat race: {args.racers} citizens confirm at once for {args.seats} seats: "
          f"{registered} registered ({told} told so), {len(positions)} waiting at positions "
          f"{positions[0] if positions else '-'}–{positions[-1] if positions else '-'}, "
          f"all answered in {race_seconds:.2f} s")
    ok = (registered == args.seats == told
          and positions == list(range(1, args.racers - args.seats + 1)))
    print("PASS" if ok else "FAIL", "(exactly the seats registered, the rest waiting 1..N)")


if __name__ == "__main__":
    main()
