"""Users: first contact, last seen, language choice."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock
from bot.domain import Dialogue, User
from storage.database import Database
from storage.users import UserRepository

# last_seen is refreshed at most this often, so browsing is not a write per tap.
_TOUCH_EVERY = timedelta(minutes=10)


class UserService:
    """Keeps the users table current."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def seen(self, user_id: int,
                   telegram_language: str | None) -> tuple[User, Dialogue | None]:
        """Record contact; return the stored user and the dialogue they are in, if any."""
        async with self.db.reading() as conn:
            user, dialogue = await UserRepository(conn).get_with_dialogue(user_id)
        now = self.clock.now()
        if (user is None or now - user.last_seen > _TOUCH_EVERY
                or user.telegram_language != telegram_language or not user.active):
            async with self.db.transaction() as conn:
                repo = UserRepository(conn)
                await repo.touch(user_id, telegram_language, now)
                user = await repo.get(user_id)
        if user is None:
            raise RuntimeError(f"user {user_id} vanished while being recorded")
        return user, dialogue

    async def set_locale(self, user_id: int, locale: str) -> None:
        async with self.db.transaction() as conn:
            await UserRepository(conn).set_locale(user_id, locale)

    async def deactivate(self, user_id: int) -> None:
        """The user blocked the bot: stop sending to them until they write again."""
        async with self.db.transaction() as conn:
            await UserRepository(conn).set_active(user_id, False)
