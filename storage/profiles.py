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

    async def save(self, user_id: int, full_name: str, phone: str, birth_year: int | None,
                   consent_version: str, consent_text: str, now: datetime) -> None:
        await self.conn.execute(
            """INSERT INTO profiles (user_id, full_name, phone, birth_year, consent_version,
                 consent_at, consent_text) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (user_id) DO UPDATE SET full_name = excluded.full_name,
                 phone = excluded.phone,
                 birth_year = coalesce(excluded.birth_year, birth_year),
                 consent_version = excluded.consent_version, consent_at = excluded.consent_at,
                 consent_text = excluded.consent_text""",
            (user_id, full_name, phone, birth_year, consent_version, stamp(now),
             consent_text),
        )

    async def consent_text(self, user_id: int) -> str | None:
        row = await fetch_one(
            self.conn, "SELECT consent_text FROM profiles WHERE user_id = ?", (user_id,)
        )
        return row[0] if row else None

    async def forget_user(self, user_id: int) -> None:
        """Delete the user and everything personal: the profile, dialogue and pending
        messages go with them (ON DELETE CASCADE); registrations keep only an anonymous row."""
        await self.conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
