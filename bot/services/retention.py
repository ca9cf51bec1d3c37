"""DATA_RETENTION: personal data does not outlive its use.

A citizen with no registration, waiting place or seat offer still running, who has not
written to the bot for `DATA_RETENTION`, has their personal data deleted as by
/verilerimi_sil. A week before, they are told (a NOTIFY message through the durable timer):
writing to the bot, or registering, keeps it. A daily job does it in small batches, so that no
transaction holds the writer for long.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.clock import Clock
from bot.config import Settings
from bot.services.privacy import PrivacyService
from bot.services.timer import NOTIFY, Wakeup, no_wakeup
from storage.database import Database
from storage.due_actions import DueActionRepository
from storage.retention import RetentionRepository

log = logging.getLogger(__name__)

WARNING_AHEAD = timedelta(days=7)
RETENTION_WARNING = "retention_warning"
BATCH = 100


class RetentionService:
    """Warns, then forgets, citizens whose data has outlived DATA_RETENTION."""

    def __init__(self, db: Database, clock: Clock, settings: Settings, privacy: PrivacyService,
                 wakeup: Wakeup = no_wakeup) -> None:
        self.db = db
        self.clock = clock
        self.retention = settings.data_retention
        self.privacy = privacy
        self.wakeup = wakeup

    async def run(self) -> tuple[int, int]:
        """One pass: warn who is a week from deletion, forget who is past it. Returns
        (warned, forgotten)."""
        warned = forgotten = 0
        while batch := await self._warn_batch():
            warned += batch
        while True:
            now = self.clock.now()
            async with self.db.reading() as conn:
                due = await RetentionRepository(conn).to_forget(
                    now - self.retention, now - WARNING_AHEAD, BATCH)
            if not due:
                break
            for user_id in due:
                await self.privacy.forget(user_id)
            forgotten += len(due)
        if warned or forgotten:
            log.info("Data retention: %d warned, %d forgotten", warned, forgotten)
        return warned, forgotten

    async def _warn_batch(self) -> int:
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = RetentionRepository(conn)
            due = await repo.to_warn(now - self.retention + WARNING_AHEAD, BATCH)
            for user_id, last_seen in due:
                await DueActionRepository(conn).add(
                    NOTIFY, now, user_id=user_id, now=now,
                    payload={"message": RETENTION_WARNING,
                             "deleted_at": (last_seen + self.retention).isoformat()},
                    dedup_key=f"retention:{user_id}:{last_seen.isoformat()}")
                await repo.mark_warned(user_id, now)
        if due:
            self.wakeup(now)
        return len(due)
