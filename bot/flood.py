"""Flood control (SPEC §9): which updates a flooding chat loses, and when its sender is told.

A chat is served one update at a time (bot/updates.py). A person waits for the answer before
writing again, so their chat rarely has more than one or two updates waiting; a chat with
`MAX_WAITING` updates already waiting is flooding, and what it sends next is refused:

* a button press is still answered (the spinner stops) and does nothing else;
* a command or text outside a dialogue is not answered;
* a message typed while a dialogue waits for an answer is never refused for flooding: it waits
  its turn (up to `MAX_WAITING_IN_DIALOGUE`, far beyond what a person types), so an answer is
  never lost;
* the sender is told once, politely, to slow down: again only after `QUIET` without a refusal.

Other chats are not affected: they have their own queue, and a refused update takes no place
in anyone's queue.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import Enum

MAX_WAITING = 6
MAX_WAITING_IN_DIALOGUE = 50
QUIET = 60.0  # seconds without a refusal before a chat's flood is over


class Refusal(Enum):
    """How a refused update is handled: answer quietly, or also tell the sender once."""

    QUIET = "quiet"
    TELL = "tell"


class FloodGuard:
    """Decides which updates of a busy chat are refused, and remembers it for the handlers."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._refused: dict[int, Refusal] = {}  # update_id → refusal, until the handler takes it
        self._last_refusal: dict[int, float] = {}  # chat_id → when

    def admits(self, waiting: int, in_dialogue: Callable[[], bool]) -> bool:
        """Whether a chat with `waiting` updates waiting takes one more (`in_dialogue`: is this
        a message typed while a dialogue waits for an answer; asked only for a busy chat)."""
        if waiting < MAX_WAITING:
            return True
        return waiting < MAX_WAITING_IN_DIALOGUE and in_dialogue()

    def refuse(self, update_id: int, chat_id: int) -> Refusal:
        """Record that this update was refused; TELL for the first refusal of a flood."""
        now = self._clock()
        last = self._last_refusal.get(chat_id)
        refusal = Refusal.TELL if last is None or now - last >= QUIET else Refusal.QUIET
        self._last_refusal[chat_id] = now
        self._refused[update_id] = refusal
        if len(self._last_refusal) > 1000:
            self._forget_before(now - QUIET)
        return refusal

    def take(self, update_id: int) -> Refusal | None:
        """The refusal recorded for this update (once), or None if it is served as usual."""
        return self._refused.pop(update_id, None)

    def _forget_before(self, moment: float) -> None:
        for chat_id in [c for c, at in self._last_refusal.items() if at < moment]:
            del self._last_refusal[chat_id]
