"""The outbox's one sender: a single long-lived task that runs due actions, each once.

The database (`due_actions`) is the outbox and the source of truth. One asyncio task, started
in `post_init` and stopped in `post_shutdown`, is its only consumer, so there are never two
ticks at once: `wake()` only sets an event the task waits on (with a time-out: the next due
time, and at least every `POLL_EVERY` to notice actions added by another process such as
`import-courses`).

For each due action (personal lane first, then bulk) the sender renders the message once and
keeps its parts in the row, *then* waits for its pacing slot, marks the part `sending`, makes
the call and counts it. What a failure proves decides what follows (`bot.delivery`): surely
not sent → retried later, a bounded number of times; maybe sent → in doubt, never again;
blocked → the user is marked inactive; refused → failed. A failure that says Telegram cannot
be reached also pauses the sender, so an outage does not burn every message's tries.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import aiosqlite
from telegram import Bot
from telegram.error import TelegramError

from bot.delivery import Failure, Verdict, classify
from bot.domain import Broadcast, BroadcastProgress, DueAction
from bot.outgoing import Outgoing, Part, Venue, dump_parts, load_parts
from bot.pacing import Pacer
from bot.services.broadcasts import BROADCAST

if TYPE_CHECKING:
    from bot.context import Services

__all__ = ["DueActionRunner", "Outgoing", "Venue"]

log = logging.getLogger(__name__)

POLL_EVERY = timedelta(seconds=5)
# Waits before the 2nd, 3rd… try of a message that surely was not sent (then it is failed).
RETRY_DELAYS = (timedelta(seconds=2), timedelta(seconds=10), timedelta(seconds=30),
                timedelta(seconds=120))
PROGRESS_EVERY = 3.0  # seconds between two progress reports of one broadcast
STOP_GRACE = 3.0  # seconds a stop waits for the call in flight before cutting it off

Renderer = Callable[["Services", DueAction], Awaitable[Outgoing | None]]
SentHook = Callable[["Services", dict[str, Any], int], Awaitable[None]]
DbWork = Callable[["Services", aiosqlite.Connection, DueAction, datetime], Awaitable[None]]
ProgressHook = Callable[[Broadcast, BroadcastProgress], Awaitable[None]]


class DueActionRunner:
    """Runs due actions at their time, each once, sending at most BROADCAST_RATE a second."""

    def __init__(self) -> None:
        self.renderers: dict[str, Renderer] = {}
        self.sent_hooks: list[SentHook] = []
        self.db_work: dict[str, DbWork] = {}
        self.progress_hooks: list[ProgressHook] = []
        self._bot: Bot | None = None
        self._services: Services | None = None
        self._pacer: Pacer | None = None
        self._event: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._sleeping_until: datetime | None = None
        self._paused_until = 0.0  # monotonic time; Telegram could not be reached
        self._reported: dict[int, float] = {}  # broadcast id → monotonic time of last report
        self._touched: set[int] = set()  # broadcasts with news since their last report

    def on_send(self, kind: str, renderer: Renderer) -> None:
        """Teach the sender a kind of message: `renderer` builds it when it falls due (or
        returns None when its cause went away)."""
        self.renderers[kind] = renderer

    def on_message_sent(self, hook: SentHook) -> None:
        """Told the id of a message sent with `remember` data (e.g. a seat offer, whose
        message is edited when the offer closes)."""
        self.sent_hooks.append(hook)

    def on_database(self, kind: str, work: DbWork) -> None:
        """A kind of action that only changes the database, done exactly once."""
        self.db_work[kind] = work

    def on_progress(self, hook: ProgressHook) -> None:
        """Called as a broadcast goes (at most every PROGRESS_EVERY seconds) and when it ends;
        a Telegram call it makes counts as one paced send."""
        self.progress_hooks.append(hook)

    async def start(self, bot: Bot, services: Services) -> None:
        """Recover from the last stop, then start the one sender task."""
        self._bot, self._services = bot, services
        self._pacer = Pacer(services.settings.broadcast_rate)
        self._event = asyncio.Event()
        self._stopping = False
        await services.timer.recover(services.settings.reminder_grace)
        for broadcast in await services.broadcasts.unfinished():
            log.info("Broadcast %s carries on where it stopped", broadcast.id)
            self._touched.add(broadcast.id)
        self._task = asyncio.create_task(self._serve(), name="outbox-sender")

    async def stop(self) -> None:
        """Let the call in flight finish (briefly), then end the task."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self.wake()
        try:
            await asyncio.wait_for(asyncio.shield(task), STOP_GRACE)
        except TimeoutError:
            task.cancel()  # a part caught mid-call stays `sending`: in doubt at the next start
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def clock_jumped(self) -> None:
        """A test moved the clock (TEST_CLOCK_FILE): look again at what is due now."""
        self.wake()

    def wake(self, at: datetime | None = None) -> None:
        """Something falls due at `at` (now when None): make sure the sender looks by then."""
        if self._event is None:
            return
        if at is not None and self._sleeping_until is not None and at >= self._sleeping_until:
            return
        self._event.set()

    async def _serve(self) -> None:
        assert self._services is not None and self._event is not None
        services, event = self._services, self._event
        while not self._stopping:
            event.clear()
            try:
                await self._drain(services)
                next_at = await services.timer.next_due_at()
            except Exception:
                log.exception("The sender failed; it carries on in %s s", POLL_EVERY.seconds)
                next_at = None
            now = services.clock.now()
            until = min(next_at, now + POLL_EVERY) if next_at else now + POLL_EVERY
            delay = max((until - now).total_seconds(), self._paused_until - time.monotonic(), 0)
            self._sleeping_until = now + timedelta(seconds=delay)
            try:
                await asyncio.wait_for(event.wait(), delay)
            except TimeoutError:
                pass
            finally:
                self._sleeping_until = None

    async def _drain(self, services: Services) -> None:
        """Run what is due, one action at a time, personal lane first."""
        while not self._stopping and time.monotonic() >= self._paused_until:
            action = await services.timer.next_due()
            if action is None:
                break
            try:
                await self._run(services, action)
            except Exception:
                # A bug in one action must not stop the others, nor loop on it.
                log.exception("Due action %s (%s) failed", action.id, action.kind)
                await services.timer.finish(action, "failed", "error")
            if action.kind == BROADCAST and action.ref_id is not None:
                self._touched.add(action.ref_id)
                await self._report(services, only_due=True)
        await self._report(services, only_due=False)

    async def _render(self, services: Services,
                      action: DueAction) -> tuple[list[Part], str | None] | None:
        """The action's parts: as rendered earlier, or rendered now (with their JSON, to be
        kept when the first part is claimed)."""
        if action.rendered is not None:
            return load_parts(action.rendered), None
        renderer = self.renderers.get(action.kind)
        if renderer is None:
            log.error("Due action %s has unknown kind %r; skipped", action.id, action.kind)
            await services.timer.finish(action, "skipped", "unknown_kind")
            return None
        outgoing = await renderer(services, action)
        if outgoing is None:  # its cause went away (cancelled, moved, deleted)
            await services.timer.finish(action, "cancelled", "gone")
            return None
        parts = outgoing.parts()
        log.debug("Due action %s (%s) rendered: %d part(s)", action.id, action.kind, len(parts))
        return parts, dump_parts(parts)

    async def _run(self, services: Services, action: DueAction) -> None:
        work = self.db_work.get(action.kind)
        if work is not None:
            await services.timer.run_in_database(
                action, lambda conn, a, now: work(services, conn, a, now))
            return
        rendering = await self._render(services, action)
        if rendering is None:
            return
        parts, to_keep = rendering
        assert self._pacer is not None and self._bot is not None
        for index in range(action.parts_sent, len(parts)):
            async with self._pacer.slot():
                if not await services.timer.claim_for_sending(action, to_keep):
                    return  # stopped or cancelled while it waited for its slot
                to_keep = None
                try:
                    sent = await parts[index].send(self._bot,
                                                   paid=services.settings.paid_broadcast)
                    remember = parts[index].data.get("remember")
                    if sent is not None and remember:
                        for hook in self.sent_hooks:
                            await hook(services, remember, sent)
                except TelegramError as exc:
                    await self._failed(services, action, parts[index], index, classify(exc))
                    return
                except Exception:
                    log.exception("Due action %s: part %d failed after it was handed to "
                                  "Telegram; in doubt, not sent again", action.id, index + 1)
                    await services.timer.finish(action, "in_doubt", "error")
                    return
            await services.timer.part_sent(action, index + 1, len(parts))
            action = replace(action, parts_sent=index + 1)
        self._paused_until = 0.0

    async def _failed(self, services: Services, action: DueAction, part: Part, index: int,
                      failure: Failure) -> None:
        """Act on what a failed call proves (see bot.delivery)."""
        which = f"Due action {action.id} ({action.kind}), part {index + 1}"
        verdict = failure.verdict
        if verdict is Verdict.IN_DOUBT:
            log.warning("%s may have reached Telegram (%s): in doubt, not sent again", which,
                        failure.detail)
            await services.timer.finish(action, "in_doubt", "network")
        elif verdict is Verdict.BLOCKED:
            log.info("%s: the user blocked the bot; marked inactive", which)
            await services.timer.finish(action, "failed", "blocked")
            await services.users.deactivate(part.chat_id)
            await services.registrations.user_unreachable(part.chat_id)
        elif verdict is Verdict.REFUSED:
            log.error("%s refused by Telegram: %s", which, failure.detail)
            await services.timer.finish(action, "failed", "refused")
        else:
            if verdict is Verdict.RATE_LIMITED:
                delay = timedelta(seconds=failure.retry_after)
            else:
                delay = RETRY_DELAYS[min(action.attempts, len(RETRY_DELAYS) - 1)]
                # Telegram could not be reached or failed: the next message would fare no
                # better, so the sender waits as long as this one.
                self._paused_until = time.monotonic() + delay.total_seconds()
            again = await services.timer.retry_later(action, delay, "gave_up")
            log.warning("%s not sent (%s); %s", which, failure.detail,
                        f"tries again in {delay.total_seconds():g} s" if again
                        else "gave up: failed")

    async def _report(self, services: Services, *, only_due: bool) -> None:
        """Tell the progress hooks how the touched broadcasts stand."""
        if not self._touched:
            return
        now = time.monotonic()
        for broadcast_id in sorted(self._touched):
            if only_due and now - self._reported.get(broadcast_id, 0.0) < PROGRESS_EVERY:
                continue
            self._touched.discard(broadcast_id)
            self._reported[broadcast_id] = now
            broadcast = await services.broadcasts.get(broadcast_id)
            if broadcast is None:
                continue
            progress = await services.broadcasts.progress(broadcast_id)
            if progress.finished:
                self._reported.pop(broadcast_id, None)
                log.info("Broadcast %s finished: %d sent, %d blocked, %d failed, %d in doubt, "
                         "%d skipped", broadcast_id, progress.sent, progress.blocked,
                         progress.failed, progress.in_doubt, progress.skipped)
            for hook in self.progress_hooks:
                assert self._pacer is not None
                try:
                    async with self._pacer.slot():
                        await hook(broadcast, progress)
                except Exception:
                    log.exception("A broadcast progress hook failed")
