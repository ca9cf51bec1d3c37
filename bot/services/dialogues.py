"""Multi-step dialogues (steps, validation, expiry), stored so that a restart loses nothing.

One small mechanism for every journey that asks several questions in a row: pre-registration
today, course creation, broadcasts and booking tomorrow. A journey declares a `Flow`:

    flow = Flow("feedback", (
        Step("topic"),                                   # answered by a button
        Step("text", parse=parse_comment),               # typed; parse raises DomainError
        Step("confirm", skip=lambda data: data.get("short")),
    ))
    dialogues.define(flow)

and then drives it with the service, all plain data, no Telegram:

    d = await dialogues.start(user_id, "feedback", {"course_id": 7})   # at the first step
    d = await dialogues.answer(d, "the text the person typed")   # validate, store, move on
    d = await dialogues.choose(d, topic=2)     # a button's value for the current step
    d = await dialogues.go_to(d, "text")       # back to an earlier step (a typo to fix)
    if d.finished: ...                         # every step answered: act on d.data
    left = await dialogues.leave(user_id)      # the dialogue that was left, or None

`answer` stores the parsed value under the step's name in `data`, and moves to the next step
whose `skip(data)` is false (`finished` when none is left). A `DomainError` from `parse`
leaves the dialogue where it was, so the handler can say what was wrong and ask again.

Expiry: a dialogue that has had no answer for `ttl` (`DIALOGUE_TTL`) is gone, with everything
typed into it: `current` no longer returns it, and `expire` (a periodic job) deletes the rows.
Leaving is remembered for a moment (`just_left`), so the next text the person types is not
mistaken for an answer to the question they left.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.clock import Clock
from bot.domain import DIALOGUE_FINISHED as FINISHED
from bot.domain import Dialogue
from storage.database import Database
from storage.dialogues import DialogueRepository

Parser = Callable[[str, Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Step:
    """One question. `parse` validates a typed answer (None: only a button answers it);
    `skip(data)` leaves the step out given what was answered so far."""

    name: str
    parse: Parser | None = None
    skip: Callable[[Mapping[str, Any]], bool] | None = None


@dataclass(frozen=True)
class Flow:
    """The steps of one kind of dialogue, in order."""

    kind: str
    steps: tuple[Step, ...]

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(f"{self.kind} has no step {name!r}")

    def next_after(self, name: str | None, data: Mapping[str, Any]) -> str:
        """The first step after `name` (None: from the start) that applies, else FINISHED."""
        names = [s.name for s in self.steps]
        start = 0 if name is None else names.index(name) + 1
        for step in self.steps[start:]:
            if step.skip is None or not step.skip(data):
                return step.name
        return FINISHED


class DialogueService:
    """Start, advance, expire and leave dialogues.

    Only this process writes dialogues, so it also keeps the set of users who are in one:
    an update from anyone else needs no database read to know there is nothing to resume.
    """

    def __init__(self, db: Database, clock: Clock, ttl: timedelta = timedelta(hours=24)) -> None:
        self.db = db
        self.clock = clock
        self.ttl = ttl
        self.flows: dict[str, Flow] = {}
        self._open: set[int] | None = None
        self._left: dict[int, Dialogue] = {}

    def define(self, flow: Flow) -> None:
        self.flows[flow.kind] = flow

    async def load(self) -> None:
        """Learn who is in the middle of a dialogue (at start-up: a restart loses nothing)."""
        async with self.db.reading() as conn:
            self._open = set(await DialogueRepository(conn).users())

    def may_be_open(self, user_id: int) -> bool:
        """Whether the user may be in a dialogue (True until `load` has run); no database."""
        return self._open is None or user_id in self._open

    async def current(self, user_id: int) -> Dialogue | None:
        """The user's dialogue, unless there is none or it expired (then it is deleted)."""
        if self._open is not None and user_id not in self._open:
            return None
        async with self.db.reading() as conn:
            dialogue = await DialogueRepository(conn).get(user_id)
        if dialogue is not None and self.expired(dialogue):
            await self._delete(user_id)
            return None
        return dialogue

    def expired(self, dialogue: Dialogue) -> bool:
        """Unanswered for `ttl`: gone, whether or not the periodic job deleted it yet."""
        return dialogue.updated_at is not None and \
            dialogue.updated_at <= self.clock.now() - self.ttl

    async def start(self, user_id: int, kind: str, data: dict[str, Any]) -> Dialogue:
        """Begin (or begin again) a dialogue of `kind` at its first step that applies."""
        self._left.pop(user_id, None)
        return await self.save(user_id, kind, self.flows[kind].next_after(None, data), data)

    async def answer(self, dialogue: Dialogue, text: str) -> Dialogue:
        """Validate a typed answer to the current step, store it and move on."""
        step = self.flows[dialogue.kind].step(dialogue.step)
        if step.parse is None:
            raise ValueError(f"{dialogue.kind}.{step.name} is answered by a button")
        return await self.choose(dialogue, **{step.name: step.parse(text, dialogue.data)})

    async def choose(self, dialogue: Dialogue, **values: Any) -> Dialogue:
        """Store values for the current step (a button's, or a parsed answer) and move on."""
        data = {**dialogue.data, **values}
        step = self.flows[dialogue.kind].next_after(dialogue.step, data)
        return await self.save(dialogue.user_id, dialogue.kind, step, data)

    async def go_to(self, dialogue: Dialogue, step: str) -> Dialogue:
        """Back to an earlier step (to correct an answer); what was answered is kept."""
        self.flows[dialogue.kind].step(step)
        return await self.save(dialogue.user_id, dialogue.kind, step, dict(dialogue.data))

    async def save(self, user_id: int, kind: str, step: str, data: dict[str, Any]) -> Dialogue:
        """Store the dialogue at `step` (FINISHED is stored too: the caller then leaves it)."""
        now = self.clock.now()
        dialogue = Dialogue(user_id, kind, step, data, now)
        async with self.db.transaction() as conn:
            await DialogueRepository(conn).save(dialogue, now)
        if self._open is not None:
            self._open.add(user_id)
        return dialogue

    def forget_cached(self, user_id: int) -> None:
        """The dialogue went with the user's data (ON DELETE CASCADE)."""
        if self._open is not None:
            self._open.discard(user_id)
        self._left.pop(user_id, None)

    async def leave(self, user_id: int, *, remember: bool = False) -> Dialogue | None:
        """End the user's dialogue, keeping nothing of it; returns what was left (None if
        there was nothing). `remember`: the user left for something else, so the next text
        they type is checked with `just_left` before being taken for anything."""
        dialogue = await self.current(user_id)
        if dialogue is not None:
            await self._delete(user_id)
            if remember:
                self._left[user_id] = dialogue
        return dialogue

    def just_left(self, user_id: int) -> Dialogue | None:
        """The dialogue the user left for another command, once (then it is forgotten)."""
        return self._left.pop(user_id, None)

    async def _delete(self, user_id: int) -> None:
        async with self.db.transaction() as conn:
            await DialogueRepository(conn).clear(user_id)
        if self._open is not None:
            self._open.discard(user_id)

    async def expire(self, limit: int = 200) -> int:
        """Delete up to `limit` dialogues unanswered for `ttl`, with all that was typed."""
        cutoff = self.clock.now() - self.ttl
        async with self.db.transaction() as conn:
            gone = await DialogueRepository(conn).clear_older_than(cutoff, limit)
        for user_id in gone:
            if self._open is not None:
                self._open.discard(user_id)
            self._left.pop(user_id, None)
        if gone:
            await self.db.purge_deleted_bytes()
        return len(gone)

