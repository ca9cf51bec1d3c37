"""Broadcasts for the staff console: create, follow, stop. The sender does the sending.

A broadcast is one row in `broadcasts` and one due action per recipient in the outbox's bulk
lane, all written by one set-based statement in one short transaction, so a broadcast is
either wholly queued or not at all. After a crash the sender carries on with the rows still
pending: no one gets it twice, and the message caught in the sending call is counted in
doubt.
"""

from __future__ import annotations

import re

from bot.clock import Clock
from bot.domain import AudienceKind, Broadcast, BroadcastAudience, BroadcastProgress, Role
from bot.errors import DomainError, NotFound
from bot.i18n import N_
from bot.services.roles import authorize
from bot.services.timer import Wakeup, no_wakeup
from bot.telegram_html import HtmlParseError, parse_html
from storage.audit import AuditLog
from storage.broadcasts import BROADCAST, BroadcastRepository
from storage.courses import CourseRepository
from storage.database import Database

__all__ = ["BROADCAST", "BroadcastService", "check_text"]

MAX_TEXT = 4096  # Telegram's limit for one message
_BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


def check_text(text: str) -> str:
    """A staff member's announcement, checked as Telegram will check it (its HTML parser,
    its length), so a broken tag is refused now with the reason, not at recipient 1."""
    # Telegram keeps a bare "&" as it is; written as &amp; it shows the same, and passes the
    # stricter parser (bot/telegram_html.py) too.
    text = _BARE_AMPERSAND.sub("&amp;", text.strip())
    if len(text) > MAX_TEXT:
        raise DomainError(N_("The text is {n} characters long; one message holds at most "
                             "4096. Shorten it and send it again."), n=len(text))
    try:
        plain = parse_html(text).text
    except HtmlParseError as problem:
        raise DomainError(N_("Telegram would refuse this text: {reason}. Allowed tags are "
                             "&lt;b&gt;, &lt;i&gt;, &lt;u&gt;, &lt;s&gt;, &lt;a href=\"…\"&gt;, "
                             "&lt;code&gt; and &lt;pre&gt;; write &amp;lt; for a &lt; sign and "
                             "&amp;amp; for &amp;."),
                          reason=str(problem)) from None
    if not plain.strip():
        raise DomainError(N_("The announcement has no text. Write the message to send."))
    return text


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

    def __init__(self, db: Database, clock: Clock, wakeup: Wakeup = no_wakeup,
                 admin_ids: frozenset[int] = frozenset()) -> None:
        self.db = db
        self.clock = clock
        self.wakeup = wakeup
        self.admin_ids = admin_ids

    # -- the staff console (/duyuru): the role checked here too, the text checked again --

    async def preview(self, actor_id: int, text: str, audience: BroadcastAudience) -> int:
        """How many the announcement would reach; an empty audience is refused here."""
        check_text(text)
        async with self.db.reading() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, "broadcast")
            size = await BroadcastRepository(conn).audience_size(audience)
        if size == 0:
            raise DomainError(N_("Nobody is in this audience yet, so there is no one to send "
                                 "it to. Choose another audience."))
        return size

    async def send(self, actor_id: int, text: str, audience: BroadcastAudience) -> Broadcast:
        """"Gönder": queue it for everyone in the audience (the sender does the rest)."""
        await self.preview(actor_id, text, audience)
        return await self.create(actor_id, check_text(text), audience)

    async def stop_by(self, actor_id: int, broadcast_id: int) -> BroadcastProgress:
        """"Durdur" under the progress message."""
        async with self.db.reading() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, "broadcast_stop")
        return await self.stop(actor_id, broadcast_id)

    async def course_audience(self, actor_id: int, kind: AudienceKind,
                              code: str) -> tuple[BroadcastAudience, str]:
        """A course's trainees or waiting list, by its code; with the course's name."""
        async with self.db.reading() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, "broadcast")
            course = await CourseRepository(conn).by_code(code)
        if course is None:
            raise NotFound(N_("There is no course with the code {code}."), code=code[:40])
        return BroadcastAudience(kind, course.id), course.name

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
