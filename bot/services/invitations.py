"""Invitation links: `/davet` creates one, `/start davet_<token>` gives the personel role.

A link is valid for a limited time and number of people, and an admin can withdraw it.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from enum import StrEnum

from bot.clock import Clock
from bot.domain import Invitation, Role
from bot.errors import DomainError, NotFound
from bot.i18n import N_
from bot.services.roles import RoleService, authorize
from storage.audit import AuditLog
from storage.database import Database
from storage.staff import StaffRepository

DEFAULT_USES = 20
DEFAULT_DAYS = 7
MAX_USES = 1000
MAX_DAYS = 90
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,48}$")


class Joined(StrEnum):
    JOINED = "joined"
    ALREADY_STAFF = "already_staff"


def check_limits(max_uses: int, days: int) -> None:
    if not 1 <= max_uses <= MAX_USES:
        raise DomainError(N_("An invitation can be used by 1 to {max} people."), max=MAX_USES)
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(N_("An invitation can be valid for 1 to {max} days."), max=MAX_DAYS)


class InvitationService:
    """Creates, withdraws and redeems invitation links."""

    def __init__(self, db: Database, clock: Clock, roles: RoleService) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles

    async def create(self, actor_id: int, max_uses: int = DEFAULT_USES,
                     days: int = DEFAULT_DAYS) -> Invitation:
        check_limits(max_uses, days)
        now = self.clock.now()
        token = secrets.token_urlsafe(12)
        async with self.db.transaction() as conn:
            await authorize(conn, self.roles.admin_ids, actor_id, Role.ADMIN,
                            "create_invitation")
            staff = StaffRepository(conn)
            invitation_id = await staff.add_invitation(token, actor_id, now + timedelta(days=days),
                                                       max_uses, now)
            invitation = await staff.invitation(invitation_id=invitation_id)
            assert invitation is not None
            await AuditLog(conn).write(actor_id, "invitation_created", f"#{invitation_id}", now,
                                       after=f"{max_uses} / {invitation.expires_at.isoformat()}")
        return invitation

    async def revoke(self, actor_id: int, *, token: str | None = None,
                     invitation_id: int | None = None) -> Invitation:
        """Withdraw a link (by its token, or its id from the button under it)."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            await authorize(conn, self.roles.admin_ids, actor_id, Role.ADMIN,
                            "revoke_invitation")
            staff = StaffRepository(conn)
            found = (await staff.invitation(token=_clean(token)) if token is not None
                     else await staff.invitation(invitation_id=invitation_id))
            if found is None:
                raise NotFound(N_("There is no such invitation. Check the code after "
                                  "davet_ in the link."))
            if found.revoked:
                raise DomainError(N_("This invitation was already withdrawn."))
            await staff.revoke_invitation(found.id, now)
            await AuditLog(conn).write(actor_id, "invitation_revoked", f"#{found.id}", now,
                                       before="active", after="revoked")
            revoked = await staff.invitation(invitation_id=found.id)
        assert revoked is not None
        return revoked

    async def accept(self, user_id: int, token: str) -> Joined:
        """Someone opened `/start davet_<token>`: they take the personel role."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            staff = StaffRepository(conn)
            invitation = await staff.invitation(token=_clean(token))
            if invitation is None:
                raise NotFound(N_("This invitation link is not valid. Ask the person who sent "
                                  "it for a new link."))
            current = Role.ADMIN if user_id in self.roles.admin_ids \
                else await staff.role_of(user_id)
            if current is not None:
                return Joined.ALREADY_STAFF
            if invitation.revoked:
                raise DomainError(N_("This invitation link has been withdrawn. Ask the person "
                                     "who sent it for a new link."))
            if now >= invitation.expires_at:
                raise DomainError(N_("This invitation link expired on {when}. Ask the person "
                                     "who sent it for a new link."), when=invitation.expires_at)
            if invitation.uses >= invitation.max_uses:
                raise DomainError(N_("This invitation link has already been used by as many "
                                     "people as it allows ({n}). Ask the person who sent it "
                                     "for a new link."), n=invitation.max_uses)
            if not await staff.has_used(invitation.id, user_id):
                await staff.use_invitation(invitation.id, user_id, now)
            await staff.set_role(user_id, Role.STAFF, invitation.created_by, now)
            await AuditLog(conn).write(user_id, "invitation_used", f"#{invitation.id}", now,
                                       before=None, after=Role.STAFF.value)
        self.roles.remember(user_id, Role.STAFF)
        return Joined.JOINED


def _clean(token: str | None) -> str:
    """A token as it may appear in a link; anything else matches nothing."""
    return token if token and _TOKEN.match(token) else "-"
