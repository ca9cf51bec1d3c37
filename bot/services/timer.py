"""The durable timer's rules: what is due, claiming, finishing, and start-up recovery.

Actions live in the database (`due_actions`), so none is lost across a restart. A
database-only action is claimed, done and marked in one transaction: exactly once. An action
that sends a message is marked `sending` before the call and `done` after: a crash between
the two leaves it `in_doubt`, and it is never sent again (Telegram has no idempotency key).
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
        """Pending actions whose time has come. Read under the writer lock, so an action
        whose transaction woke the runner is committed before it is looked for."""
        async with self.db.transaction() as conn:
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

    async def claim_for_sending(self, action: DueAction) -> bool:
        async with self.db.transaction() as conn:
            return await DueActionRepository(conn).set_state(
                action.id, "sending", self.clock.now(), from_state="pending")

    async def finish(self, action: DueAction, state: str) -> None:
        async with self.db.transaction() as conn:
            await DueActionRepository(conn).set_state(action.id, state, self.clock.now())

    async def retry_later(self, action: DueAction, delay: timedelta) -> bool:
        """Put a failed send back in the queue; False (and failed) after too many tries."""
        attempts = action.attempts + 1
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = DueActionRepository(conn)
            if attempts >= MAX_SEND_ATTEMPTS:
                await repo.set_state(action.id, "failed", now, attempts=attempts)
                return False
            await repo.set_state(action.id, "pending", now, due_at=now + delay * attempts,
                                 attempts=attempts)
        return True
