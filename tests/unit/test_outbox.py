"""The outbox without Telegram: broadcasts for the staff console, lanes, parts, verdicts."""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import timedelta

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.clock import FixedClock
from bot.delivery import Verdict, classify
from bot.domain import PERSONAL, AudienceKind, BroadcastAudience
from bot.outgoing import Outgoing, Venue, dump_parts, load_parts
from bot.pacing import Pacer
from bot.services.broadcasts import BROADCAST, BroadcastService
from bot.services.timer import TimerService
from storage.database import Database, stamp
from storage.due_actions import DueActionRepository

CITIZENS = 10_000


async def citizens(db: Database, clock: FixedClock, count: int, inactive: int = 0) -> None:
    now = stamp(clock.now())
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO users (id, first_seen, last_seen, active) VALUES (?, ?, ?, ?)",
            [(100_000 + n, now, now, 0 if n < inactive else 1) for n in range(count)])


async def test_ten_thousand_recipients_are_queued_in_one_short_transaction(
        db: Database, clock: FixedClock) -> None:
    await citizens(db, clock, CITIZENS + 50, inactive=50)  # 50 blocked the bot earlier
    service = BroadcastService(db, clock)
    everyone = BroadcastAudience(AudienceKind.EVERYONE)
    assert await service.audience_size(everyone) == CITIZENS
    began = time.perf_counter()
    broadcast = await service.create(7, "Yeni kurslar <b>açıldı</b>", everyone)
    took = time.perf_counter() - began
    assert broadcast.total == CITIZENS and not broadcast.stopped
    assert took < 1.0, f"queueing took {took:.3f} s"  # generous for a busy CI machine
    progress = await service.progress(broadcast.id)
    assert (progress.pending, progress.sent, progress.finished) == (CITIZENS, 0, False)


async def test_counts_per_broadcast_and_a_crash_mid_call_counted_in_doubt(
        db: Database, clock: FixedClock) -> None:
    await citizens(db, clock, 6)
    service, timer = BroadcastService(db, clock), TimerService(db, clock)
    broadcast = await service.create(7, "Duyuru", BroadcastAudience(AudienceKind.EVERYONE))
    outcomes = [("done", None), ("done", None), ("failed", "blocked"), ("failed", "refused")]
    for state, reason in outcomes:
        action = await timer.next_due()
        assert action is not None and action.kind == BROADCAST
        assert await timer.claim_for_sending(action)
        await timer.finish(action, state, reason)
    caught = await timer.next_due()
    assert caught is not None and await timer.claim_for_sending(caught)
    # The bot dies during that call; at the next start it is in doubt, never sent again.
    in_doubt, _ = await timer.recover(timedelta(hours=6))
    assert [a.id for a in in_doubt] == [caught.id]
    progress = await service.progress(broadcast.id)
    assert (progress.sent, progress.blocked, progress.failed, progress.in_doubt,
            progress.pending) == (2, 1, 1, 1, 1)
    assert [b.id for b in await service.unfinished()] == [broadcast.id]
    resumed = await timer.next_due()  # it carries on with the one still waiting
    assert resumed is not None and resumed.id not in {caught.id}
    assert resumed.state == "pending"


async def test_a_stopped_broadcast_sends_no_more(db: Database, clock: FixedClock) -> None:
    await citizens(db, clock, 5)
    service, timer = BroadcastService(db, clock), TimerService(db, clock)
    broadcast = await service.create(7, "Duyuru", BroadcastAudience(AudienceKind.EVERYONE))
    first = await timer.next_due()
    assert first is not None
    progress = await service.stop(7, broadcast.id)
    assert progress.stopped and progress.skipped == 5 and progress.finished
    assert not await timer.claim_for_sending(first)  # the one waiting for its slot stays put
    assert await timer.next_due() is None
    assert await service.unfinished() == []


async def test_personal_messages_go_before_a_queued_broadcast(db: Database,
                                                             clock: FixedClock) -> None:
    await citizens(db, clock, 50)
    timer = TimerService(db, clock)
    await BroadcastService(db, clock).create(7, "Duyuru",
                                             BroadcastAudience(AudienceKind.EVERYONE))
    clock.at = clock.now() + timedelta(seconds=5)
    async with db.transaction() as conn:
        await DueActionRepository(conn).add("notify", clock.now(), user_id=100_001,
                                            now=clock.now(), lane=PERSONAL)
    action = await timer.next_due()
    assert action is not None and action.kind == "notify"


async def test_audiences_by_course_district_and_branch(db: Database, clock: FixedClock,
                                                       courses: object) -> None:
    await citizens(db, clock, 3)
    now = stamp(clock.now())
    async with db.transaction() as conn:
        course = await (await conn.execute(
            "SELECT c.id, c.branch, ce.district_id FROM courses c "
            "JOIN centres ce ON ce.id = c.centre_id ORDER BY c.id LIMIT 1")).fetchone()
        assert course is not None
        await conn.execute("INSERT INTO registrations (code, course_id, user_id, status, "
                           "created_at, updated_at) VALUES ('MK-T1', ?, 100000, 'registered', "
                           "?, ?)", (course[0], now, now))
        await conn.execute("INSERT INTO subscriptions (user_id, district_id, created_at) "
                           "VALUES (100001, ?, ?)", (course[2], now))
    service = BroadcastService(db, clock)
    assert await service.audience_size(BroadcastAudience(AudienceKind.COURSE, course[0])) == 1
    assert await service.audience_size(
        BroadcastAudience(AudienceKind.DISTRICT, course[2])) == 2
    assert await service.audience_size(BroadcastAudience(AudienceKind.BRANCH, course[1])) == 1


async def test_a_message_is_kept_as_rendered_part_by_part(db: Database,
                                                          clock: FixedClock) -> None:
    outgoing = Outgoing(5, "<b>Tören</b>", venue=Venue(38.4, 27.1, "Salon", "Konak"),
                        document=("etkinlik.ics", b"BEGIN:VCALENDAR"))
    parts = load_parts(dump_parts(outgoing.parts()))
    assert [p.kind for p in parts] == ["message", "venue", "document"]
    timer = TimerService(db, clock)
    async with db.transaction() as conn:
        await DueActionRepository(conn).add("notify", clock.now(), now=clock.now())
    action = await timer.next_due()
    assert action is not None
    assert await timer.claim_for_sending(action, dump_parts(outgoing.parts()))
    await timer.part_sent(action, 1, 3)
    assert await timer.claim_for_sending(action)
    await timer.part_sent(action, 2, 3)
    assert await timer.claim_for_sending(action)
    assert await timer.retry_later(action, timedelta(seconds=2))  # part 3: a 5xx
    clock.at = clock.now() + timedelta(seconds=3)
    again = await timer.next_due()
    assert again is not None and again.parts_sent == 2 and again.attempts == 1
    assert again.rendered is not None and load_parts(again.rendered)[2].kind == "document"
    assert await timer.claim_for_sending(again)
    await timer.part_sent(again, 3, 3)
    async with db.reading() as conn:
        done = await DueActionRepository(conn).get(action.id)
    assert done is not None and done.state == "done" and done.rendered is None


def _raised(error: Exception, cause: BaseException | None) -> Exception:
    try:
        raise error from cause
    except Exception as exc:
        return exc


@pytest.mark.parametrize(("error", "cause", "verdict"), [
    (Forbidden("Forbidden: bot was blocked by the user"), None, Verdict.BLOCKED),
    (BadRequest("Bad Request: chat not found"), None, Verdict.REFUSED),
    (NetworkError("Internal Server Error"), None, Verdict.RETRY),
    (NetworkError("httpx.ConnectError"), httpx.ConnectError("refused"), Verdict.RETRY),
    (TimedOut(), httpx.ConnectTimeout("connect"), Verdict.RETRY),
    (TimedOut("Pool timeout"), httpx.PoolTimeout("pool"), Verdict.RETRY),
    (TimedOut(), httpx.WriteTimeout("write"), Verdict.RETRY),
    (TimedOut(), httpx.ReadTimeout("read"), Verdict.IN_DOUBT),
    (NetworkError("x"), httpx.RemoteProtocolError("Server disconnected"), Verdict.IN_DOUBT),
    (NetworkError("x"), httpx.ReadError("reset"), Verdict.IN_DOUBT),
    (NetworkError("Unknown error in HTTP implementation"), ValueError("?"), Verdict.IN_DOUBT),
])
def test_what_a_failure_proves(error: Exception, cause: BaseException | None,
                               verdict: Verdict) -> None:
    assert classify(_raised(error, cause)).verdict is verdict  # type: ignore[arg-type]


def test_a_429_waits_as_long_as_telegram_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    failure = classify(RetryAfter(timedelta(seconds=3)))
    assert failure.verdict is Verdict.RATE_LIMITED and failure.retry_after == 3


async def test_a_refused_connection_as_python_telegram_bot_reports_it_is_retried() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = Bot("1:x", base_url=f"http://127.0.0.1:{port}/bot", request=HTTPXRequest())
    try:
        await bot.send_message(1, "x")
    except NetworkError as exc:
        assert classify(exc).verdict is Verdict.RETRY
    else:
        raise AssertionError("sent to nowhere")
    finally:
        await bot.shutdown()


async def test_the_pacer_never_lets_a_second_hold_more_than_the_rate() -> None:
    pacer = Pacer(20)
    starts: list[float] = []
    began = time.monotonic()
    for _ in range(45):
        async with pacer.slot():
            starts.append(time.monotonic())
            await asyncio.sleep(0.004)  # the call's round trip
    spread = starts[-1] - began
    for i in range(len(starts) - 20):
        assert starts[i + 20] - starts[i] >= 1.0
    assert 2.0 <= spread < 2.4  # 45 calls at 20 a second: about 2.2 s, not much more
