"""Each update once, flood control and reading updates one by one, without Telegram."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from telegram import Update
from telegram.ext import ExtBot

from bot.clock import FixedClock
from bot.flood import MAX_WAITING, MAX_WAITING_IN_DIALOGUE, QUIET, FloodGuard, Refusal
from bot.polling import UnreadableUpdate, read_update
from bot.services.update_ledger import UpdateLedger
from storage.database import Database

POLL_WITHOUT_PERSISTENT_ID = {"update_id": 7, "poll": {
    "id": "1", "question": "Telefon 0532 765 43 21?", "total_voter_count": 0,
    "options": [{"text": "Evet", "voter_count": 0}], "is_closed": False, "is_anonymous": True,
    "type": "regular", "allows_multiple_answers": False}}


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_busy_chat_is_refused_and_told_once_per_flood() -> None:
    ticks = Ticks()
    flood = FloodGuard(ticks)
    assert flood.admits(MAX_WAITING - 1, lambda: False)
    assert not flood.admits(MAX_WAITING, lambda: False)
    assert [flood.refuse(n, chat_id=1) for n in range(1, 5)] == [
        Refusal.TELL, Refusal.QUIET, Refusal.QUIET, Refusal.QUIET]
    assert flood.refuse(5, chat_id=2) is Refusal.TELL  # another chat is its own flood
    ticks.now += QUIET - 1
    assert flood.refuse(6, chat_id=1) is Refusal.QUIET  # still the same flood
    ticks.now += QUIET
    assert flood.refuse(7, chat_id=1) is Refusal.TELL  # a new flood, after a quiet minute
    assert flood.take(1) is Refusal.TELL and flood.take(1) is None  # handed over once
    assert flood.take(99) is None


def test_answers_typed_into_a_dialogue_wait_their_turn() -> None:
    flood = FloodGuard()
    assert flood.admits(MAX_WAITING + 10, lambda: True)
    assert not flood.admits(MAX_WAITING_IN_DIALOGUE, lambda: True)
    asked: list[bool] = []
    assert flood.admits(0, lambda: asked.append(True) or True)
    assert asked == []  # no need to know about the dialogue when the chat is not busy


async def test_a_re_delivered_update_is_not_taken_again_even_after_a_restart(
        db: Database, clock: FixedClock) -> None:
    ledger = UpdateLedger(db, clock, window=3)
    assert [ledger.first_time(n) for n in (10, 11, 10, 12)] == [True, True, False, True]
    for n in (10, 11, 12):
        ledger.finished(n)
    await ledger.save()

    restarted = UpdateLedger(db, clock)
    await restarted.load()
    assert not restarted.first_time(12) and not restarted.first_time(9)
    assert restarted.first_time(13)


async def test_a_day_old_mark_is_ignored(db: Database, clock: FixedClock) -> None:
    ledger = UpdateLedger(db, clock)
    ledger.first_time(500)
    ledger.finished(500)
    await ledger.save()
    later = FixedClock(clock.now() + timedelta(hours=25))
    restarted = UpdateLedger(db, later)
    await restarted.load()
    assert restarted.first_time(3)  # Telegram may start ids afresh after a quiet week


def test_the_window_forgets_the_oldest_ids(db: Database, clock: FixedClock) -> None:
    ledger = UpdateLedger(db, clock, window=2)
    for n in (1, 2, 3):
        assert ledger.first_time(n)
    assert ledger.first_time(1)  # out of the window: memory stays bounded
    assert not ledger.first_time(3)


def test_an_unreadable_update_keeps_its_id_and_is_logged_without_content(
        caplog: pytest.LogCaptureFixture) -> None:
    bot = ExtBot("1:x")
    with caplog.at_level(logging.WARNING, logger="bot.polling"):
        update = read_update(POLL_WITHOUT_PERSISTENT_ID, bot)
    assert isinstance(update, UnreadableUpdate) and update.update_id == 7
    assert len(caplog.records) == 1
    text = caplog.text
    assert "Update 7 (poll)" in text and "TypeError" in text
    assert "0532" not in text and "Telefon" not in text

    good = read_update({"update_id": 8, "message": {
        "message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "hi"}}, bot)
    assert type(good) is Update and good.message is not None
    assert read_update({"no_id": True}, bot) is None
    assert read_update(["not", "a", "dict"], bot) is None


async def test_a_database_without_the_mark_table_still_serves(
        db: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture) -> None:
    async with db.transaction() as conn:
        await conn.execute("DROP TABLE update_mark")
    ledger = UpdateLedger(db, clock)
    await ledger.load()
    assert ledger.first_time(1) and not ledger.first_time(1)
    ledger.finished(1)
    await ledger.save()  # nothing to save to, and no error
    assert "No update_mark table" in caplog.text
