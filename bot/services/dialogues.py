"""Where each citizen is in a multi-step dialogue, kept in the database."""

from __future__ import annotations

from typing import Any

from bot.clock import Clock
from bot.domain import Dialogue
from storage.database import Database
from storage.dialogues import DialogueRepository


class DialogueService:
    """Start, advance and leave dialogues.

    Only this process writes dialogues, so it also keeps the set of users who are in one:
    an update from anyone else needs no database read to know there is nothing to resume.
    """

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._open: set[int] | None = None

    async def load(self) -> None:
        """Learn who is in the middle of a dialogue (at start-up: a restart loses nothing)."""
        async with self.db.reading() as conn:
            self._open = set(await DialogueRepository(conn).users())

    def may_be_open(self, user_id: int) -> bool:
        """Whether the user may be in a dialogue (True until `load` has run); no database."""
        return self._open is None or user_id in self._open

    async def current(self, user_id: int) -> Dialogue | None:
        if self._open is not None and user_id not in self._open:
            return None
        async with self.db.reading() as conn:
            return await DialogueRepository(conn).get(user_id)

    async def save(self, user_id: int, kind: str, step: str, data: dict[str, Any]) -> Dialogue:
        dialogue = Dialogue(user_id, kind, step, data)
        async with self.db.transaction() as conn:
            await DialogueRepository(conn).save(dialogue, self.clock.now())
        if self._open is not None:
            self._open.add(user_id)
        return dialogue

    def forget_cached(self, user_id: int) -> None:
        """The dialogue went with the user's data (ON DELETE CASCADE)."""
        if self._open is not None:
            self._open.discard(user_id)

    async def leave(self, user_id: int) -> None:
        async with self.db.transaction() as conn:
            await DialogueRepository(conn).clear(user_id)
        if self._open is not None:
            self._open.discard(user_id)
