"""The Telegram side of dialogues: which buttons belong to one, how to ask its question again,
and how to say it was left. One rule for every dialogue (see bot/services/dialogues.py).

- A typed answer goes to the `typed` callback of the dialogue's screen (`answer_handler`,
  group 0), before search; a dialogue without one lets the message through.
- Any command, or a button that is not the dialogue's own, leaves it and says so in one line;
  the next text typed is then not taken for anything (`just_left`).
- /iptal says what was left and that nothing was saved.
- An edited message is never acted on: the person is told to send it again, and the current
  question is asked again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from markupsafe import Markup
from telegram import InlineKeyboardButton, KeyboardButton, ReplyKeyboardRemove, Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.context import BotContext
from bot.domain import Dialogue
from bot.i18n import Translator
from handlers.callback_data import Action, Route, encode
from handlers.screen import drop_buttons, say

Asker = Callable[[Update, BotContext, Dialogue], Awaitable[None]]


@dataclass(frozen=True)
class DialogueScreen:
    """How a kind of dialogue appears in the chat."""

    kind: str
    buttons: frozenset[Action]  # presses that answer this dialogue (others leave it)
    ask: Asker  # ask the current step's question (again)
    left: Callable[[Translator, Dialogue], Markup]  # "You left …; nothing was saved."
    # a message sent while in the dialogue (raises ApplicationHandlerStop when it took it)
    typed: Asker | None = None


SCREENS: dict[str, DialogueScreen] = {}


def register(screen: DialogueScreen) -> None:
    SCREENS[screen.kind] = screen


def belongs(dialogue: Dialogue, action: Action | None) -> bool:
    screen = SCREENS.get(dialogue.kind)
    return screen is not None and action is not None and (
        action in screen.buttons or action is Action.STEP_BACK)


def left_line(t: Translator, dialogue: Dialogue) -> Markup:
    screen = SCREENS.get(dialogue.kind)
    if screen is None:
        return t.text("You left what you were doing; nothing was saved.")
    return screen.left(t, dialogue)


async def leave(update: Update, context: BotContext, *, remember: bool) -> Dialogue | None:
    """Leave the user's dialogue and say so in one line (the reply keyboard goes too)."""
    left = await context.services.dialogues.leave(context.viewer.user_id, remember=remember)
    if left is not None:
        await say(update, context, left_line(context.t, left), ReplyKeyboardRemove())
    context.dialogue = None
    context.left = left
    return left


async def ask_again(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    screen = SCREENS.get(dialogue.kind)
    if screen is not None:
        await screen.ask(update, context, dialogue)


async def typed_answer(update: Update, context: BotContext) -> None:
    """A message sent inside a dialogue goes to that dialogue's screen."""
    dialogue = context.dialogue
    screen = SCREENS.get(dialogue.kind) if dialogue is not None else None
    if dialogue is None or screen is None or screen.typed is None:
        return
    if update.message is not None and is_back(context.t, update.message.text):
        await go_back(update, context, dialogue)  # a reply keyboard's "Geri", any dialogue
        raise ApplicationHandlerStop
    await screen.typed(update, context, dialogue)


answer_handler = MessageHandler(filters.UpdateType.MESSAGE & ~filters.COMMAND, typed_answer)


async def go_back(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    """One step back, and that step's question again (at the first step: its question)."""
    previous = await context.services.dialogues.back(dialogue)
    await ask_again(update, context, previous or dialogue)


async def back(update: Update, context: BotContext) -> None:
    """"Geri" under a dialogue's question; after the dialogue ended it does nothing."""
    if context.dialogue is None:
        await drop_buttons(update)
        return
    await drop_buttons(update)
    await go_back(update, context, context.dialogue)


def back_button(t: Translator) -> InlineKeyboardButton:
    """The "Geri" of a dialogue step after the first (inline keyboards)."""
    return InlineKeyboardButton(t.label("Back"), callback_data=encode(Action.STEP_BACK))


def back_key(t: Translator) -> KeyboardButton:
    """The "Geri" of a step answered on a reply keyboard: it comes back as its label."""
    return KeyboardButton(t.label("Back"))


def is_back(t: Translator, text: str | None) -> bool:
    """The text is the reply keyboard's "Geri" in the user's language."""
    return text is not None and text.strip() == t.label("Back")


def buttons() -> list[Route]:
    return [(Action.STEP_BACK, back)]
