"""The long fuzz run: 20,000+ generated updates through the real bot, then the same checks.

The same generator and checks as `tests/e2e/test_fuzz.py` (see tests/e2e/fuzzing.py), for
longer: every dialogue state, hostile text, commands with random arguments, real, mutated
and forged button presses, media, edits, group and channel posts, bursts. Prints the counts.

    .venv/bin/python bench/fuzz.py [--updates 20000] [--batch 50] [--seed N]

Exit code 0: every check held; 1: a check failed (the failing batch is printed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, Phase, given, seed, settings

from playground.fakebot import FakeTelegram
from tests.e2e.conftest import running_bot
from tests.e2e.fuzzing import ADMIN_IDS, Batch, Fuzzer, batches, course_file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=50, help="acts per batch")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder, FakeTelegram() as fake:
        workdir = Path(folder)
        try:
            with running_bot(fake, workdir, course_file(workdir), ADMIN_IDS=ADMIN_IDS,
                             SEAT_OFFER_TTL="2s", LOG_LEVEL="INFO") as bot:
                fuzzer = Fuzzer(fake, bot.database)
                rounds = 0
                while fuzzer.total < args.updates:  # ten batches per round, a seed per round

                    @seed(args.seed + rounds)
                    @settings(max_examples=10, deadline=None, database=None,
                              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
                    @given(batch=batches(args.batch))
                    def one_batch(batch: Batch) -> None:
                        fuzzer.run(batch)

                    one_batch()
                    rounds += 1
                fuzzer.check()
                log = bot.log()
        except AssertionError:
            traceback.print_exc()
            print(f"FAILED after {time.monotonic() - started:.0f} s (seed {args.seed})")
            return 1
        calls = fake.calls
        elapsed = time.monotonic() - started
    print(f"fuzz: {fuzzer.total} updates in {fuzzer.batches} batches, {elapsed:.0f} s "
          f"(seed {args.seed})")
    for kind, count in sorted(fuzzer.updates.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:<13} {count:>7}")
    answers = sum(1 for c in calls if c.method == "answerCallbackQuery")
    sent = sum(1 for c in calls if c.ok and c.method.startswith(("send", "edit")))
    print(f"bot calls: {len(calls)} ({sent} sends and edits, {answers} press answers), "
          f"rejected by Telegram: {len(fake.rejected())}, unanswered presses: "
          f"{len(fake.unanswered_callbacks())}")
    print(f"log: {log.count(chr(10))} lines, {log.count('Traceback')} tracebacks, "
          f"{log.count('dropped update')} updates dropped as floods")
    print("checks: integrity ok, no course over capacity, waiting lists without gaps, "
          "/start answers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
