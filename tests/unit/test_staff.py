"""Staff roles, invitations, closing a course and the audit log, over a real SQLite file."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain import CourseStatus, Role, Viewer
from bot.errors import DomainError, Forbidden, NotFound
from bot.services.audit import AuditService
from bot.services.courses import CourseService
from bot.services.invitations import InvitationService
from bot.services.roles import RoleService
from bot.services.staff_courses import StaffCourseService
from bot.services.users import UserService
from storage.database import Database
from tests.conftest import ISTANBUL

ADMIN, SECOND_ADMIN, COUNSELLOR, CITIZEN, NEWCOMER = 900001, 900002, 4001, 4002, 4003
SETTINGS = replace(Settings(token="1:x"), timezone=ISTANBUL,
                   admin_ids=frozenset({ADMIN, SECOND_ADMIN}))


@pytest.fixture
async def roles(db: Database, clock: FixedClock) -> RoleService:
    users = UserService(db, clock)
    for user_id in (ADMIN, SECOND_ADMIN, COUNSELLOR, CITIZEN, NEWCOMER):
        await users.seen(user_id, "tr")
    return RoleService(db, clock, SETTINGS.admin_ids)


async def test_an_admin_grants_a_counsellor_who_cannot_grant_roles(roles: RoleService,
                                                                    db: Database) -> None:
    assert (await roles.viewer(COUNSELLOR)).role is None
    change = await roles.grant(ADMIN, COUNSELLOR, Role.COUNSELLOR)
    assert (change.before, change.after) == (None, Role.COUNSELLOR)
    counsellor = await roles.viewer(COUNSELLOR)
    assert counsellor.role is Role.COUNSELLOR and counsellor.sees_staff_courses
    assert not counsellor.is_admin
    with pytest.raises(Forbidden):
        await roles.grant(COUNSELLOR, CITIZEN, Role.STAFF)
    with pytest.raises(Forbidden):
        await roles.revoke(CITIZEN, COUNSELLOR)
    audit = await AuditService(db, SETTINGS.admin_ids).page(ADMIN, 0)
    assert [(e.user_id, e.action, e.detail, e.before, e.after) for e in audit.entries] == [
        (ADMIN, "role_granted", str(COUNSELLOR), None, "danisman")]
    with pytest.raises(Forbidden):
        await AuditService(db, SETTINGS.admin_ids).page(COUNSELLOR, 0)


async def test_role_changes_that_are_refused_with_a_reason(roles: RoleService) -> None:
    for actor, target, expected in [
        (ADMIN, ADMIN, "your own role"),
        (ADMIN, SECOND_ADMIN, "ADMIN_IDS"),
        (ADMIN, 123456789, "has not written to the bot yet"),
    ]:
        with pytest.raises(DomainError) as refused:
            await roles.grant(actor, target, Role.STAFF)
        assert expected in refused.value.key
    await roles.grant(ADMIN, COUNSELLOR, Role.ADMIN)
    with pytest.raises(DomainError, match="your own role"):
        await roles.revoke(COUNSELLOR, COUNSELLOR)  # a granted admin keeps their own role
    with pytest.raises(DomainError, match="ADMIN_IDS"):
        await roles.revoke(COUNSELLOR, ADMIN)
    with pytest.raises(DomainError, match="no staff role"):
        await roles.revoke(ADMIN, CITIZEN)
    change = await roles.revoke(ADMIN, COUNSELLOR)
    assert change.before is Role.ADMIN and (await roles.viewer(COUNSELLOR)).role is None


async def test_an_invitation_makes_a_newcomer_personel_until_it_expires_or_is_used_up(
        roles: RoleService, db: Database, clock: FixedClock, courses: CourseService) -> None:
    invitations = InvitationService(db, clock, roles)
    with pytest.raises(Forbidden):
        await invitations.create(CITIZEN)
    invitation = await invitations.create(ADMIN, max_uses=1, days=2)
    staff_course = "KON-ORY-01"
    with pytest.raises(NotFound):
        await courses.course(await roles.viewer(NEWCOMER), code=staff_course)
    assert await invitations.accept(NEWCOMER, invitation.token) == "joined"
    newcomer = await roles.viewer(NEWCOMER)
    assert newcomer.role is Role.STAFF
    assert (await courses.course(newcomer, code=staff_course)).code == staff_course
    assert await invitations.accept(NEWCOMER, invitation.token) == "already_staff"
    with pytest.raises(DomainError, match="as many people as it allows"):
        await invitations.accept(CITIZEN, invitation.token)

    later = await invitations.create(ADMIN, max_uses=5, days=1)
    clock.advance(timedelta(days=1, seconds=1))
    with pytest.raises(DomainError, match="expired"):
        await invitations.accept(CITIZEN, later.token)
    withdrawn = await invitations.create(ADMIN)
    await invitations.revoke(ADMIN, token=withdrawn.token)
    with pytest.raises(DomainError, match="withdrawn"):
        await invitations.accept(CITIZEN, withdrawn.token)
    for forged in ("", "x", "<b>", "a" * 500, "no-such-token-here"):
        with pytest.raises(NotFound):
            await invitations.accept(CITIZEN, forged)
    assert (await roles.viewer(CITIZEN)).role is None
    with pytest.raises(DomainError):
        await invitations.create(ADMIN, max_uses=0)


async def test_closing_registration_is_for_admins_and_audited(
        roles: RoleService, db: Database, clock: FixedClock, courses: CourseService) -> None:
    service = StaffCourseService(db, clock, ISTANBUL, SETTINGS.admin_ids)
    course = await courses.course(Viewer(CITIZEN), code="BUC-MUH-01")
    with pytest.raises(Forbidden):
        await service.close_registration(CITIZEN, course.id)
    with pytest.raises(NotFound):
        await service.figures(ADMIN, "YOK-99", "close_course")
    closed = await service.close_registration(ADMIN, course.id)
    assert closed.status is CourseStatus.CLOSED
    with pytest.raises(DomainError, match="already closed"):
        await service.close_registration(ADMIN, course.id)
    with pytest.raises(DomainError, match="already closed"):
        await service.close_preview(ADMIN, "buc-muh-01")
    entries = (await AuditService(db, SETTINGS.admin_ids).page(ADMIN, 0)).entries
    assert [(e.action, e.detail, e.before, e.after) for e in entries] == [
        ("course_closed", "BUC-MUH-01", "open", "closed")]


async def test_the_audit_log_is_read_a_page_at_a_time(roles: RoleService,
                                                      db: Database) -> None:
    for _ in range(12):
        await roles.grant(ADMIN, COUNSELLOR, Role.STAFF)
        await roles.revoke(ADMIN, COUNSELLOR)
    audit = AuditService(db, SETTINGS.admin_ids)
    first, last = await audit.page(ADMIN, 0), await audit.page(ADMIN, 99)
    assert first.total == 24 and first.pages == 3 and len(first.entries) == 10
    assert first.entries[0].action == "role_revoked"
    assert last.page == 2 and len(last.entries) == 4
