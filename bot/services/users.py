"""Users: first contact, last seen, language and reminder choices.

Every update needs its user (for the language), so recent users are kept in a bounded LRU
cache; every change to a user in this process goes through here (or calls `forget_cached`),
so the cache never serves a stale user. Memory stays bounded whatever the number of users.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import timedelta

from bot.clock import Clock
from bot.domain import User
from storage.database import Database
from storage.users import UserRepository

# last_seen is refreshed at most this often, so browsing is not a write per tap.
_TOUCH_EVERY = timedelta(minutes=10)
CACHE_SIZE = 10_000


class UserService:
    """Keeps the users table current."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._cache: OrderedDict[int, User] = OrderedDict()

    def forget_cached(self, user_id: int) -> None:
        self._cache.pop(user_id, None)

    async def seen(self, user_id: int, telegram_language: str | None) -> User:
        """Record contact and return the stored user."""
        user = self._cache.get(user_id)
        if user is None:
            async with self.db.reading() as conn:
                user = await UserRepository(conn).get(user_id)
        now = self.clock.now()
        if (user is None or now - user.last_seen > _TOUCH_EVERY
                or user.telegram_language != telegram_language or not user.active):
            async with self.db.transaction() as conn:
                repo = UserRepository(conn)
                await repo.touch(user_id, telegram_language, now)
                user = await repo.get(user_id)
            if user is None:
                raise RuntimeError(f"user {user_id} vanished while being recorded")
        self._cache[user_id] = user
        self._cache.move_to_end(user_id)
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return user

    async def get(self, user_id: int) -> User | None:
        """The stored user, read afresh (for messages sent on the bot's own initiative)."""
        async with self.db.reading() as conn:
            return await UserRepository(conn).get(user_id)

    async def set_locale(self, user_id: int, locale: str) -> None:
        async with self.db.transaction() as conn:
            await UserRepository(conn).set_locale(user_id, locale)
        self.forget_cached(user_id)

    async def deactivate(self, user_id: int) -> None:
        """The user blocked the bot: stop sending to them until they write again."""
        async with self.db.transaction() as conn:
            await UserRepository(conn).set_active(user_id, False)
        self.forget_cached(user_id)
