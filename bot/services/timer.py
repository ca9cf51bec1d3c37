"""The durable timer's rules: what is due, claiming, finishing, and start-up recovery.

Actions live in the database (`due_actions`), so none is lost across a restart. A
database-only action is claimed, done and marked in one transaction: exactly once. An action
that sends a message is rendered once (the parts are kept in the row), then each part is
marked `sending` before its call and counted after it: a crash between the two leaves the
action `in_doubt`, and it is never sent again (Telegram has no idempotency key); the parts
before it are not sent twice, either.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

import aiosqlite

from bot.clock import Clock
from bot.domain import DueAction
from storage.database import Database
from storage.due_actions import DueActionRepository

log = logging.getLogger(__name__)

# A message to one user, rendered when it is sent (payload["message"] says which).
NOTIFY = "notify"
# Kinds that are reminders: skipped when found more than REMINDER_GRACE late at start-up.
REMINDER_KINDS = ("reminder_class", "reminder_event", "reminder_appointment")
MAX_SEND_ATTEMPTS = 5
DbAction = Callable[[aiosqlite.Connection, DueAction, datetime], Awaitable[None]]


class Wakeup(Protocol):
    """Told when something new falls due, so the scheduler can wake in time."""

    def __call__(self, at: datetime) -> None: ...


def no_wakeup(at: datetime) -> None:
    """For processes without a scheduler (the CLI): the running bot polls the table."""


class TimerService:
    """Reads and moves due actions through their states."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def recover(self, grace: timedelta) -> tuple[list[DueAction], list[DueAction]]:
        """At start-up: sends caught by a crash are in doubt; reminders too late are skipped."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = DueActionRepository(conn)
            in_doubt = await repo.mark_in_doubt(now)
            skipped = await repo.skip_stale(REMINDER_KINDS, now - grace, now)
        for action in in_doubt:
            log.warning("Due action %s (%s) was being sent when the bot stopped; it is in doubt "
                        "and will not be sent again", action.id, action.kind)
        for action in skipped:
            log.warning("Reminder %s fell due at %s while the bot was down; more than the grace "
                        "period late, so it is skipped", action.id, action.due_at.isoformat())
        return in_doubt, skipped

    async def next_due_at(self) -> datetime | None:
        async with self.db.reading() as conn:
            return await DueActionRepository(conn).next_due_at()

    async def due(self, limit: int = 200) -> list[DueAction]:
        """Pending actions whose time has come."""
        async with self.db.reading_committed() as conn:
            return await DueActionRepository(conn).due(self.clock.now(), limit)

    async def run_in_database(self, action: DueAction, work: DbAction) -> bool:
        """Do a database-only action exactly once; False if someone else already did it."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = DueActionRepository(conn)
            if not await repo.set_state(action.id, "done", now, from_state="pending"):
                return False
            await work(conn, action, now)
        return True

    async def next_due(self) -> DueAction | None:
        """The action to run next, personal lane first. Read once the writes in progress have
        committed, so an action whose transaction woke the sender is found."""
        async with self.db.reading_committed() as conn:
            return await DueActionRepository(conn).next_due(self.clock.now())

    async def claim_for_sending(self, action: DueAction, rendered: str | None = None) -> bool:
        """Mark the next part as being sent, keeping the message as `rendered` (the first
        time); False if the action is no longer pending (a stopped broadcast, a cancelled
        reminder)."""
        async with self.db.transaction() as conn:
            return await DueActionRepository(conn).set_state(
                action.id, "sending", self.clock.now(), from_state="pending",
                rendered=rendered)

    async def part_sent(self, action: DueAction, parts_sent: int, parts: int) -> None:
        """A part went out: the action is done, or waits (pending) for its next part."""
        async with self.db.transaction() as conn:
            await DueActionRepository(conn).set_state(
                action.id, "done" if parts_sent >= parts else "pending", self.clock.now(),
                parts_sent=parts_sent)

    async def finish(self, action: DueAction, state: str, reason: str | None = None) -> None:
        async with self.db.transaction() as conn:
            await DueActionRepository(conn).set_state(action.id, state, self.clock.now(),
                                                      reason=reason)

    async def retry_later(self, action: DueAction, delay: timedelta,
                          reason: str = "gave_up") -> bool:
        """Put a send that surely did not go out back in the queue, `delay` from now; False
        (and failed, with `reason`) after MAX_SEND_ATTEMPTS tries."""
        attempts = action.attempts + 1
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = DueActionRepository(conn)
            if attempts >= MAX_SEND_ATTEMPTS:
                await repo.set_state(action.id, "failed", now, attempts=attempts,
                                     reason=reason)
                return False
            await repo.set_state(action.id, "pending", now, due_at=now + delay,
                                 attempts=attempts)
        return True
