"""Staff roles granted in the chat, and invitation links."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import aiosqlite

from bot.domain import Invitation, Role
from storage.database import fetch_all, fetch_one, stamp


def _invitation(row: sqlite3.Row) -> Invitation:
    return Invitation(
        id=row["id"], token=row["token"], created_by=row["created_by"],
        created_at=datetime.fromisoformat(row["created_at"]),
        expires_at=datetime.fromisoformat(row["expires_at"]),
        max_uses=row["max_uses"], uses=row["uses"], revoked=row["revoked_at"] is not None,
    )


class StaffRepository:
    """Reads and writes roles and invitations on one connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def roles(self) -> dict[int, Role]:
        """Every granted role (staff are few: this is read whole and cached)."""
        rows = await fetch_all(self.conn, "SELECT user_id, role FROM staff_roles")
        return {row[0]: Role(row[1]) for row in rows}

    async def role_of(self, user_id: int) -> Role | None:
        row = await fetch_one(self.conn, "SELECT role FROM staff_roles WHERE user_id = ?",
                              (user_id,))
        return Role(row[0]) if row else None

    async def set_role(self, user_id: int, role: Role, granted_by: int, now: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO staff_roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET role = excluded.role, "
            "granted_by = excluded.granted_by, granted_at = excluded.granted_at",
            (user_id, role.value, granted_by, stamp(now)))

    async def remove_role(self, user_id: int) -> None:
        await self.conn.execute("DELETE FROM staff_roles WHERE user_id = ?", (user_id,))

    async def add_invitation(self, token: str, created_by: int, expires_at: datetime,
                             max_uses: int, now: datetime) -> int:
        cursor = await self.conn.execute(
            "INSERT INTO invitations (token, created_by, created_at, expires_at, max_uses) "
            "VALUES (?, ?, ?, ?, ?)", (token, created_by, stamp(now), stamp(expires_at), max_uses))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def invitation(self, *, token: str | None = None,
                         invitation_id: int | None = None) -> Invitation | None:
        if token is not None:
            row = await fetch_one(self.conn, "SELECT * FROM invitations WHERE token = ?",
                                  (token,))
        else:
            row = await fetch_one(self.conn, "SELECT * FROM invitations WHERE id = ?",
                                  (invitation_id,))
        return _invitation(row) if row else None

    async def revoke_invitation(self, invitation_id: int, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE invitations SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
            (stamp(now), invitation_id))

    async def has_used(self, invitation_id: int, user_id: int) -> bool:
        row = await fetch_one(
            self.conn, "SELECT 1 FROM invitation_uses WHERE invitation_id = ? AND user_id = ?",
            (invitation_id, user_id))
        return row is not None

    async def use_invitation(self, invitation_id: int, user_id: int, now: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO invitation_uses (invitation_id, user_id, used_at) VALUES (?, ?, ?)",
            (invitation_id, user_id, stamp(now)))
        await self.conn.execute("UPDATE invitations SET uses = uses + 1 WHERE id = ?",
                                (invitation_id,))
