"""Proof by fuzzing: about 2,000 generated updates through the real bot, and it holds.

See tests/e2e/fuzzing.py for what is sent and what is checked; bench/fuzz.py runs 20,000+.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from playground.fakebot import FakeTelegram
from tests.e2e.conftest import running_bot
from tests.e2e.fuzzing import ADMIN_IDS, Batch, Fuzzer, batches, course_file

BATCHES = 40
BATCH_SIZE = 50


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
def test_two_thousand_generated_updates_in_every_dialogue_state(fake: FakeTelegram,
                                                                tmp_path: Path) -> None:
    with running_bot(fake, tmp_path, course_file(tmp_path), ADMIN_IDS=ADMIN_IDS,
                     SEAT_OFFER_TTL="2s") as bot:
        fuzzer = Fuzzer(fake, bot.database)

        @settings(max_examples=BATCHES, deadline=None, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(batch=batches(BATCH_SIZE))
        def one_batch(batch: Batch) -> None:
            fuzzer.run(batch)

        one_batch()
        fuzzer.check()
        print(f"fuzz: {fuzzer.total} updates, {dict(fuzzer.updates)}")
        assert fuzzer.total >= 2000, fuzzer.updates
