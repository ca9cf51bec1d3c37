"""Citizens' personal data (name, phone, birth year, consent) and its deletion."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain import Profile
from storage.database import fetch_one, stamp


class ProfileRepository:
    """Reads and writes profiles on one connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, user_id: int) -> Profile | None:
        row = await fetch_one(self.conn, "SELECT * FROM profiles WHERE user_id = ?", (user_id,))
        if row is None:
            return None
        consent_at = row["consent_at"]
        return Profile(
            user_id=row["user_id"],
            full_name=row["full_name"],
            phone=row["phone"],
            birth_year=row["birth_year"],
            consent_version=row["consent_version"],
            consent_at=datetime.fromisoformat(consent_at) if consent_at else None,
        )

    async def save(self, user_id: int, full_name: str, phone: str,
                   birth_year: int | None) -> None:
        """The citizen's details (a birth year not asked this time keeps the earlier one)."""
        await self.conn.execute(
            """INSERT INTO profiles (user_id, full_name, phone, birth_year) VALUES (?, ?, ?, ?)
               ON CONFLICT (user_id) DO UPDATE SET full_name = excluded.full_name,
                 phone = excluded.phone,
                 birth_year = coalesce(excluded.birth_year, birth_year)""",
            (user_id, full_name, phone, birth_year),
        )

    async def consent(self, user_id: int, version: str, text: str, now: datetime) -> None:
        """Consent given now to this version of the notice (the profile exists)."""
        await self.conn.execute(
            "UPDATE profiles SET consent_version = ?, consent_at = ?, consent_text = ? "
            "WHERE user_id = ?", (version, stamp(now), text, user_id))

    async def consent_text(self, user_id: int) -> str | None:
        row = await fetch_one(
            self.conn, "SELECT consent_text FROM profiles WHERE user_id = ?", (user_id,)
        )
        return row[0] if row else None

    async def forget_user(self, user_id: int) -> None:
        """Delete the user and everything personal: the profile, dialogue and pending
        messages go with them (ON DELETE CASCADE); registrations keep only an anonymous row."""
        await self.conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
