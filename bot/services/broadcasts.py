"""Broadcasts for the staff console: create, follow, stop. The sender does the sending.

A broadcast is one row in `broadcasts` and one due action per recipient in the outbox's bulk
lane, all written by one set-based statement in one short transaction, so a broadcast is
either wholly queued or not at all. After a crash the sender carries on with the rows still
pending: no one gets it twice, and the message caught in the sending call is counted in
doubt.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.domain import Broadcast, BroadcastAudience, BroadcastProgress
from bot.errors import NotFound
from bot.i18n import N_
from bot.services.timer import Wakeup, no_wakeup
from storage.audit import AuditLog
from storage.broadcasts import BROADCAST, BroadcastRepository
from storage.database import Database

__all__ = ["BROADCAST", "BroadcastService"]


def _progress(broadcast: Broadcast, outcomes: list[tuple[str, str | None, int]]
              ) -> BroadcastProgress:
    counts = {"sent": 0, "blocked": 0, "failed": 0, "in_doubt": 0, "skipped": 0, "pending": 0}
    for state, reason, count in outcomes:
        if state == "done":
            counts["sent"] += count
        elif state == "failed":
            counts["blocked" if reason == "blocked" else "failed"] += count
        elif state == "in_doubt":
            counts["in_doubt"] += count
        elif state in ("pending", "sending"):
            counts["pending"] += count
        else:
            counts["skipped"] += count
    # Recipients who deleted their data meanwhile took their rows with them.
    counts["skipped"] += max(0, broadcast.total - sum(counts.values()))
    return BroadcastProgress(broadcast.id, broadcast.total, stopped=broadcast.stopped,
                             **counts)


class BroadcastService:
    """What the staff console calls; plain data in and out."""

    def __init__(self, db: Database, clock: Clock, wakeup: Wakeup = no_wakeup) -> None:
        self.db = db
        self.clock = clock
        self.wakeup = wakeup

    async def audience_size(self, audience: BroadcastAudience) -> int:
        """How many would get it now (for the preview)."""
        async with self.db.reading() as conn:
            return await BroadcastRepository(conn).audience_size(audience)

    async def create(self, staff_id: int, text: str, audience: BroadcastAudience) -> Broadcast:
        """Queue `text` (HTML, validated by the caller) for every active user of the audience."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = BroadcastRepository(conn)
            broadcast_id = await repo.create(text, audience, staff_id, now)
            broadcast = await repo.get(broadcast_id)
            assert broadcast is not None
            await AuditLog(conn).write(staff_id, "broadcast",
                                       f"{broadcast_id} {audience.key} {broadcast.total}", now)
        self.wakeup(now)
        return broadcast

    async def get(self, broadcast_id: int) -> Broadcast | None:
        async with self.db.reading() as conn:
            return await BroadcastRepository(conn).get(broadcast_id)

    async def _get(self, broadcast_id: int) -> Broadcast:
        broadcast = await self.get(broadcast_id)
        if broadcast is None:
            raise NotFound(N_("There is no such announcement."))
        return broadcast

    async def progress(self, broadcast_id: int) -> BroadcastProgress:
        """Sent, blocked, failed, in doubt, skipped and still waiting, right now."""
        broadcast = await self._get(broadcast_id)
        async with self.db.reading() as conn:
            outcomes = await BroadcastRepository(conn).outcomes(broadcast_id)
        return _progress(broadcast, outcomes)

    async def stop(self, staff_id: int, broadcast_id: int) -> BroadcastProgress:
        """Send no more of it; the message being sent at this moment still goes out."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            repo = BroadcastRepository(conn)
            if await repo.get(broadcast_id) is None:
                raise NotFound(N_("There is no such announcement."))
            stopped = await repo.stop(broadcast_id, now)
            await AuditLog(conn).write(staff_id, "broadcast_stopped",
                                       f"{broadcast_id} {stopped}", now)
        return await self.progress(broadcast_id)

    async def set_report_message(self, broadcast_id: int, chat_id: int,
                                 message_id: int) -> None:
        """The staff member's progress message, kept so it is edited after a restart too."""
        async with self.db.transaction() as conn:
            await BroadcastRepository(conn).set_report_message(broadcast_id, chat_id,
                                                               message_id)

    async def unfinished(self) -> list[Broadcast]:
        async with self.db.reading() as conn:
            return await BroadcastRepository(conn).unfinished()
