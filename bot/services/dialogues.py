"""Where each citizen is in a multi-step dialogue, kept in the database."""

from __future__ import annotations

from typing import Any

from bot.clock import Clock
from bot.domain import Dialogue
from storage.database import Database
from storage.dialogues import DialogueRepository


class DialogueService:
    """Start, advance and leave dialogues."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def current(self, user_id: int) -> Dialogue | None:
        async with self.db.reading() as conn:
            return await DialogueRepository(conn).get(user_id)

    async def save(self, user_id: int, kind: str, step: str, data: dict[str, Any]) -> Dialogue:
        dialogue = Dialogue(user_id, kind, step, data)
        async with self.db.transaction() as conn:
            await DialogueRepository(conn).save(dialogue, self.clock.now())
        return dialogue

    async def leave(self, user_id: int) -> None:
        async with self.db.transaction() as conn:
            await DialogueRepository(conn).clear(user_id)
