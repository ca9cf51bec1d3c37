"""The durable timer's runner: PTB's JobQueue (APScheduler) woken for the next due action.

The database is the source of truth; the scheduler only holds one job, `due-actions`, armed
for the earliest pending action (and at least every `POLL_EVERY`, 5 s, to notice actions added by
another process such as `import-courses`). APScheduler's misfire grace is switched off, so a
late wake-up runs late instead of being dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import aiosqlite
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError, TimedOut
from telegram.ext import Application, CallbackContext

from bot.domain import DueAction
from bot.pacing import Pacer

if TYPE_CHECKING:
    from bot.context import Services

log = logging.getLogger(__name__)

POLL_EVERY = timedelta(seconds=5)
RETRY_DELAY = timedelta(seconds=30)
JOB_NAME = "due-actions"


@dataclass(frozen=True)
class Venue:
    latitude: float
    longitude: float
    title: str
    address: str


@dataclass(frozen=True)
class Outgoing:
    """A message ready to send, with an optional map pin and file after it."""

    chat_id: int
    text: str
    markup: InlineKeyboardMarkup | None = None
    venue: Venue | None = None
    document: tuple[str, bytes] | None = None
    edit_message_id: int | None = None  # edit this earlier message instead (buttons go)
    on_sent: Callable[[int], Awaitable[None]] | None = None  # told the new message's id

    async def send(self, bot: Bot) -> None:
        if self.edit_message_id is not None:
            await bot.edit_message_text(self.text, self.chat_id, self.edit_message_id,
                                        reply_markup=self.markup)
            return
        sent = await bot.send_message(self.chat_id, self.text, reply_markup=self.markup)
        if self.on_sent is not None:
            await self.on_sent(sent.message_id)
        if self.venue:
            await bot.send_venue(self.chat_id, self.venue.latitude, self.venue.longitude,
                                 title=self.venue.title[:100], address=self.venue.address[:100])
        if self.document:
            await bot.send_document(self.chat_id, self.document[1], filename=self.document[0])


Renderer = Callable[["Services", DueAction], Awaitable[Outgoing | None]]
DbWork = Callable[["Services", aiosqlite.Connection, DueAction, datetime], Awaitable[None]]


class DueActionRunner:
    """Runs due actions at their time, each once."""

    def __init__(self) -> None:
        self.renderers: dict[str, Renderer] = {}
        self.db_work: dict[str, DbWork] = {}
        self._app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self._services: Services | None = None
        self._armed_at: datetime | None = None
        self._pacer: Pacer | None = None

    def on_send(self, kind: str, renderer: Renderer) -> None:
        self.renderers[kind] = renderer

    def on_database(self, kind: str, work: DbWork) -> None:
        self.db_work[kind] = work

    async def start(self, app: Application[Any, Any, Any, Any, Any, Any],
                    services: Services) -> None:
        """Recover from the last stop, then arm the scheduler."""
        self._app, self._services = app, services
        self._pacer = Pacer(services.settings.broadcast_rate)
        await services.timer.recover(services.settings.reminder_grace)
        self.wake(services.clock.now())

    def wake(self, at: datetime) -> None:
        """Make sure the runner wakes no later than `at`."""
        if self._app is None or self._app.job_queue is None:
            return
        if self._armed_at is not None and self._armed_at <= at:
            return
        for job in self._app.job_queue.get_jobs_by_name(JOB_NAME):
            job.schedule_removal()
        self._armed_at = at
        # A delay, not an instant: the scheduler runs on real time, our clock may not (tests).
        delay = max(at - self._services.clock.now(), timedelta(0)) if self._services \
            else timedelta(0)
        self._app.job_queue.run_once(self._tick, when=delay, name=JOB_NAME,
                                     job_kwargs={"misfire_grace_time": None})

    def clock_jumped(self) -> None:
        """A test moved the clock: whatever is now due runs at once."""
        if self._services is not None:
            self._armed_at = None
            self.wake(self._services.clock.now())

    async def _tick(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        assert self._services is not None
        services = self._services
        self._armed_at = None
        try:
            while batch := await services.timer.due():
                for action in batch:
                    try:
                        await self._run(services, context, action)
                    except Exception:
                        # A bug in one action must not stop the others, nor loop on it.
                        log.exception("Due action %s (%s) failed", action.id, action.kind)
                        await services.timer.finish(action, "failed")
        finally:
            next_at = await services.timer.next_due_at()
            poll = services.clock.now() + POLL_EVERY
            self.wake(min(next_at, poll) if next_at else poll)

    async def _run(self, services: Services, context: CallbackContext[Any, Any, Any, Any],
                   action: DueAction) -> None:
        work = self.db_work.get(action.kind)
        if work is not None:
            await services.timer.run_in_database(
                action, lambda conn, a, now: work(services, conn, a, now))
            return
        renderer = self.renderers.get(action.kind)
        if renderer is None:
            log.error("Due action %s has unknown kind %r; skipped", action.id, action.kind)
            await services.timer.finish(action, "skipped")
            return
        outgoing = await renderer(services, action)
        if outgoing is None:  # its cause went away (cancelled, moved, deleted)
            await services.timer.finish(action, "cancelled")
            return
        if self._pacer is not None:
            await self._pacer.wait()
        if not await services.timer.claim_for_sending(action):
            return
        try:
            await outgoing.send(context.bot)
        except Forbidden:
            log.info("Due action %s: the user blocked the bot; marked inactive", action.id)
            await services.timer.finish(action, "failed")
            await services.users.deactivate(outgoing.chat_id)
            await services.registrations.user_unreachable(outgoing.chat_id)
        except BadRequest as exc:
            log.error("Due action %s refused by Telegram: %s", action.id, exc)
            await services.timer.finish(action, "failed")
        except TimedOut:
            log.warning("Due action %s timed out while sending: in doubt, not sent again",
                        action.id)
            await services.timer.finish(action, "in_doubt")
        except TelegramError as exc:
            again = await services.timer.retry_later(action, RETRY_DELAY)
            log.warning("Due action %s not sent (%s); %s", action.id, exc,
                        "will retry" if again else "gave up")
        else:
            await services.timer.finish(action, "done")
