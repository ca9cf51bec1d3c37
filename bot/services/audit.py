"""Reading the audit log (admins only); writing happens in each staff action's transaction."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.domain import AuditEntry, Role
from bot.services.roles import authorize
from storage.audit import AuditLog
from storage.database import Database

PAGE_SIZE = 10


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]
    page: int
    pages: int
    total: int


class AuditService:
    """The latest audit entries, newest first, a page at a time."""

    def __init__(self, db: Database, admin_ids: frozenset[int]) -> None:
        self.db = db
        self.admin_ids = admin_ids

    async def page(self, actor_id: int, page: int) -> AuditPage:
        async with self.db.reading() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, "read_audit_log")
            log = AuditLog(conn)
            total = await log.count()
            pages = max(math.ceil(total / PAGE_SIZE), 1)
            page = min(max(page, 0), pages - 1)
            entries = await log.latest(page * PAGE_SIZE, PAGE_SIZE)
        return AuditPage(tuple(entries), page, pages, total)
