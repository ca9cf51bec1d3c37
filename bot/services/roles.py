"""Staff roles: who may do what, checked in every staff service method.

Roles come from `ADMIN_IDS` (always admins, cannot be taken away in the chat) and from the
`staff_roles` table (granted and taken by admins, or taken through an invitation link). Every
update needs its viewer's role, so the granted roles (few: staff, not citizens) are held in
memory and re-read at most every `TTL_SECONDS`; changes made in this process apply at once.
A staff service method checks the role again inside its own transaction (`authorize`), so a
forged button or a handler that forgot its check cannot skip it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

import aiosqlite

from bot.clock import Clock
from bot.domain import Role, StaffMember, Viewer, role_allows
from bot.errors import DomainError, Forbidden
from bot.i18n import N_
from storage.audit import AuditLog
from storage.database import Database
from storage.staff import StaffRepository
from storage.users import UserRepository

log = logging.getLogger(__name__)
TTL_SECONDS = 5.0


async def authorize(conn: aiosqlite.Connection, admin_ids: Iterable[int], user_id: int,
                    needed: Role, action: str) -> Role:
    """The user's role, read afresh; `Forbidden` (and a log line) when it does not allow
    `action`."""
    role = Role.ADMIN if user_id in set(admin_ids) else \
        await StaffRepository(conn).role_of(user_id)
    if not role_allows(role, needed):
        log.warning("User %s tried the staff action %s without the role", user_id, action)
        raise Forbidden()
    assert role is not None
    return role


@dataclass(frozen=True)
class RoleChange:
    user_id: int
    before: Role | None
    after: Role | None


class RoleService:
    """Resolves viewers' roles and lets admins grant and take them."""

    def __init__(self, db: Database, clock: Clock, admin_ids: frozenset[int]) -> None:
        self.db = db
        self.clock = clock
        self.admin_ids = admin_ids
        self._granted: dict[int, Role] = {}
        self._loaded = -TTL_SECONDS
        self._lock = asyncio.Lock()

    async def viewer(self, user_id: int) -> Viewer:
        """The viewer of an update, with their role (cheap: from memory)."""
        if user_id in self.admin_ids:
            return Viewer(user_id, Role.ADMIN)
        if time.monotonic() - self._loaded >= TTL_SECONDS:
            async with self._lock:
                if time.monotonic() - self._loaded >= TTL_SECONDS:
                    async with self.db.reading() as conn:
                        self._granted = await StaffRepository(conn).roles()
                    self._loaded = time.monotonic()
        return Viewer(user_id, self._granted.get(user_id))

    def remember(self, user_id: int, role: Role | None) -> None:
        """A role changed in this process: the cache follows at once."""
        if role is None:
            self._granted.pop(user_id, None)
        else:
            self._granted[user_id] = role

    async def grant(self, actor_id: int, user_id: int, role: Role) -> RoleChange:
        """/yetki: give `user_id` a role (replacing the one they had)."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, "grant_role")
            if user_id == actor_id:
                raise DomainError(N_("You cannot change your own role. Ask another admin."))
            if user_id in self.admin_ids:
                raise DomainError(N_("{user} is an admin through ADMIN_IDS; that can only be "
                                     "changed in the bot's settings."), user=user_id)
            if await UserRepository(conn).get(user_id) is None:
                raise DomainError(N_(
                    "User {user} has not written to the bot yet. Ask them to open the bot and "
                    "press Start (or send /start), then try again. Their Telegram user id is "
                    "a number, for example 123456789."), user=user_id)
            staff = StaffRepository(conn)
            before = await staff.role_of(user_id)
            if before is role:
                raise DomainError(N_("{user} already has the role {role}."), user=user_id,
                                  role=role.value)
            await staff.set_role(user_id, role, actor_id, now)
            await AuditLog(conn).write(actor_id, "role_granted", str(user_id), now,
                                       before=before.value if before else None,
                                       after=role.value)
        self.remember(user_id, role)
        return RoleChange(user_id, before, role)

    async def revoke(self, actor_id: int, user_id: int) -> RoleChange:
        """/yetki_al: take `user_id`'s role away."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, "revoke_role")
            if user_id == actor_id:
                raise DomainError(N_("You cannot take away your own role. Ask another admin."))
            if user_id in self.admin_ids:
                raise DomainError(N_("{user} is an admin through ADMIN_IDS; that can only be "
                                     "changed in the bot's settings."), user=user_id)
            staff = StaffRepository(conn)
            before = await staff.role_of(user_id)
            if before is None:
                raise DomainError(N_("{user} has no staff role."), user=user_id)
            await staff.remove_role(user_id)
            await AuditLog(conn).write(actor_id, "role_revoked", str(user_id), now,
                                       before=before.value, after=None)
        self.remember(user_id, None)
        return RoleChange(user_id, before, None)

    async def staff(self, actor_id: int) -> list[StaffMember]:
        """Everyone with a role, admins first (for the admin's overview)."""
        async with self.db.reading() as conn:
            await authorize(conn, self.admin_ids, actor_id, Role.ADMIN, "list_roles")
            granted = await StaffRepository(conn).roles()
        members = [StaffMember(uid, Role.ADMIN, True) for uid in sorted(self.admin_ids)]
        members += [StaffMember(uid, role, False) for uid, role in granted.items()
                    if uid not in self.admin_ids]
        return sorted(members, key=lambda m: (-m.role.rank, not m.permanent, m.user_id))
