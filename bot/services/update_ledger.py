"""Each update once: a re-delivered `update_id` is not acted on again.

Telegram re-delivers an update to a webhook that answered slowly, and after a crash a long
poll gets again the updates it had not confirmed. Within a run, the ids of the most recent
`WINDOW` updates are remembered. Across a restart, the newest update the bot *finished* is
saved (at most every `SAVE_EVERY`, and at a clean stop); after the restart, anything at or
below it is a re-delivery. So a crash can repeat at most the updates finished in the last
second before it, and can drop an update that was still in progress while a newer one had
already finished and been saved.

Telegram keeps an unconfirmed update for 24 hours, and picks the next update_id at random
after a week without updates: a saved mark older than `MARK_LIFETIME` is therefore ignored
(ids might start again below it).
"""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from datetime import timedelta

from bot.clock import Clock
from storage.database import Database
from storage.update_mark import UpdateMarkRepository

log = logging.getLogger(__name__)

WINDOW = 100_000
SAVE_EVERY = timedelta(seconds=1)
MARK_LIFETIME = timedelta(hours=24)


class UpdateLedger:
    """Which updates were taken; plain ints in and out."""

    def __init__(self, db: Database, clock: Clock, window: int = WINDOW) -> None:
        self.db = db
        self.clock = clock
        self._recent: set[int] = set()
        self._order: deque[int] = deque()
        self._window = window
        self._floor: int | None = None  # from the saved mark: finished before a restart
        self._finished: int | None = None
        self._saved: int | None = None
        self._stored = True  # False when the database has no update_mark table

    def restore(self, mark: int | None) -> None:
        """Updates at or below `mark` were finished before this run."""
        self._floor = self._finished = self._saved = mark

    async def load(self) -> None:
        """Read the saved mark (at start-up, before the first update)."""
        try:
            async with self.db.reading() as conn:
                found = await UpdateMarkRepository(conn).get()
        except sqlite3.OperationalError:
            # A database already past migration 0005 when it was added skips it.
            log.warning("No update_mark table: re-deliveries after a restart are not "
                        "recognised (apply storage/migrations/0005_update_mark.sql)")
            self._stored = False
            return
        if found is not None and self.clock.now() - found[1] <= MARK_LIFETIME:
            self.restore(found[0])

    def first_time(self, update_id: int) -> bool:
        """True the first time an update is offered; False for a re-delivery."""
        if update_id in self._recent or (self._floor is not None and update_id <= self._floor):
            return False
        self._recent.add(update_id)
        self._order.append(update_id)
        if len(self._order) > self._window:
            self._recent.discard(self._order.popleft())
        return True

    def finished(self, update_id: int) -> None:
        """The bot is done with this update (answered, refused or failed)."""
        if self._finished is None or update_id > self._finished:
            self._finished = update_id

    async def save(self) -> None:
        """Store the newest finished update, if it moved since the last save."""
        mark = self._finished
        if mark is None or mark == self._saved or not self._stored:
            return
        async with self.db.transaction() as conn:
            await UpdateMarkRepository(conn).save(mark, self.clock.now())
        self._saved = mark
