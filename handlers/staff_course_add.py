"""Staff: /kurs_ekle, a course step by step (its steps: bot/services/course_dialogue.py),
then a preview and "Yayınla". Closed choices are buttons (format, audience, a known district
or branch, skipping an optional answer); everything else is typed and checked by the course
file's own rules, and a wrong answer is asked again with an example."""

from __future__ import annotations

from markupsafe import Markup
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, CommandHandler

from bot.context import BotContext
from bot.domain import Dialogue
from bot.errors import DomainError
from bot.i18n import N_, Translator
from bot.services.course_dialogue import (
    AUDIENCES,
    BUTTON_ONLY,
    CONFIRM,
    FORMATS,
    KIND,
    OPTIONAL,
    STEPS,
    cells,
)
from bot.services.course_file import InvalidCell
from handlers import dialogue as dialogues
from handlers import staff_views
from handlers.callback_data import Action, Route, encode, pressed
from handlers.permissions import admin_only
from handlers.screen import drop_buttons, say

SKIP = -1  # the value of "Atla" on an optional step
MAX_CHOICE_BUTTONS = 45  # known districts or branches offered as buttons (others are typed)

# What each typed step asks, with an example of a good answer.
QUESTIONS = {
    "kod": N_("Course code (letters A-Z, digits, - and _), for example <code>BUC-MUH-02</code>"),
    "baglanti": N_("Link of the online lessons, starting with https://, for example "
                   "<code>https://meet.example.org/muhasebe</code>"),
    "ilce": N_("District: tap one, or write a new one, for example <code>Buca</code>"),
    "merkez": N_("Course centre, for example <code>Buca Mahalle Konağı</code>"),
    "ad": N_("Name of the course, for example <code>Ön Muhasebe</code>"),
    "brans": N_("Branch: tap one, or write a new one, for example "
                "<code>Muhasebe ve Finans</code>"),
    "baslangic": N_("First day, for example <code>2027-02-01</code> or <code>01.02.2027</code>"),
    "bitis": N_("Last day, for example <code>2027-04-30</code> or <code>30.04.2027</code>"),
    "gunler": N_("Days of the week, for example <code>Pzt,Çar,Cum</code>"),
    "saat": N_("Hours of the class, for example <code>18:30-21:00</code>"),
    "kontenjan": N_("Number of seats, for example <code>20</code>"),
    "egitmen": N_("Instructor, for example <code>Ayşe Demir</code> (or tap “Skip”)"),
    "aciklama": N_("A short description for citizens (or tap “Skip”)"),
    "yas_alt": N_("Minimum age, for example <code>18</code> (or tap “Skip”: no limit)"),
}


def _button(caption: str, step: str, value: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(caption[:40], callback_data=encode(
        Action.COURSE_DRAFT, STEPS.index(step), value))


def _leave(t: Translator) -> InlineKeyboardButton:
    return InlineKeyboardButton(t.label("Cancel"), callback_data=encode(Action.LEAVE))


def _rows(buttons: list[InlineKeyboardButton], width: int = 3) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + width] for i in range(0, len(buttons), width)]


@admin_only
async def begin(update: Update, context: BotContext) -> None:
    """/kurs_ekle: the first question."""
    await context.services.publishing.choices(context.viewer.user_id)  # the role, again
    dialogue = await context.services.dialogues.start(context.viewer.user_id, KIND, {})
    await say(update, context, context.t.text(
        "<b>New course</b>: I will ask for each detail in turn, then show you the course "
        "before anything is published. /iptal stops at any time."))
    await ask(update, context, dialogue)


async def ask(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    """The current step's question, with its buttons."""
    t, step = context.t, dialogue.step
    if step == CONFIRM:
        await _preview(update, context, dialogue)
        return
    if step == "bicim":
        await say(update, context, t.text("Is the course held in person or online?"),
                  InlineKeyboardMarkup([[_button(t.label("In person"), step, 0),
                                         _button(t.label("Online"), step, 1)], [_leave(t)]]))
        return
    if step == "hedef":
        await say(update, context, t.text("Who is the course for?"), InlineKeyboardMarkup([
            [_button(t.label("The public"), step, 0),
             _button(t.label("Municipal staff only"), step, 1)], [_leave(t)]]))
        return
    rows: list[list[InlineKeyboardButton]] = []
    if step in ("ilce", "brans"):
        choices = await context.services.publishing.choices(context.viewer.user_id)
        known = choices.districts if step == "ilce" else choices.branches
        rows = _rows([_button(name, step, item_id)
                      for item_id, name in known[:MAX_CHOICE_BUTTONS]])
    if step in OPTIONAL:
        rows.append([_button(t.label("Skip"), step, SKIP)])
    rows.append([_leave(t)])
    await say(update, context, t.text(QUESTIONS[step]), InlineKeyboardMarkup(rows))


async def _preview(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    """The course as citizens will see it, checked as one row of a course file."""
    t = context.t
    try:
        draft = context.services.publishing.draft(cells(dialogue.data))
    except InvalidCell as problem:
        await say(update, context, t.text(problem.key, **problem.params))
        if problem.column in STEPS:
            await ask(update, context, await context.services.dialogues.go_to(
                dialogue, str(problem.column)))
        return
    await say(update, context, staff_views.course_preview(t, draft), InlineKeyboardMarkup([
        [_button(t.label("Publish"), CONFIRM, 1), _leave(t)]]))


async def typed(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    """A typed answer to the current step."""
    message, t = update.message, context.t
    if message is None:
        return
    if dialogue.step in BUTTON_ONLY or not message.text:
        await message.reply_text(t.text("Please answer with a button above, or write /iptal "
                                        "to stop.") if dialogue.step in BUTTON_ONLY
                                 else t.text("Please write the answer as text."))
        await ask(update, context, dialogue)
        raise ApplicationHandlerStop
    services = context.services
    try:
        answered = await services.dialogues.answer(dialogue, message.text)
        if dialogue.step == "kod":
            await services.publishing.check_new_code(context.viewer.user_id,
                                                     str(answered.data["kod"]))
    except DomainError as problem:
        await message.reply_text(t.text(problem.key, **problem.params))
        await ask(update, context, await services.dialogues.go_to(dialogue, dialogue.step))
        raise ApplicationHandlerStop from None
    await ask(update, context, answered)
    raise ApplicationHandlerStop


@admin_only
async def chosen(update: Update, context: BotContext) -> None:
    """A button of the dialogue: a format, an audience, a known district or branch, "Atla",
    "Yayınla". A button of another step asks the current question again."""
    callback, services = pressed(update), context.services
    dialogue = context.dialogue
    index, value = callback.arg(0), callback.arg(1)
    if dialogue is None or dialogue.kind != KIND:
        await say(update, context, context.t.text(
            "This course draft is no longer open, and nothing of it was kept. Start again "
            "with /kurs_ekle."))
        return
    if not 0 <= index < len(STEPS) or STEPS[index] != dialogue.step:
        await ask(update, context, dialogue)
        return
    step = dialogue.step
    await drop_buttons(update)
    if step == CONFIRM:
        draft = await services.publishing.create(context.viewer.user_id,
                                                 cells(dialogue.data))
        await services.dialogues.leave(context.viewer.user_id)
        await say(update, context, context.t.text(
            "Published: <b>{course}</b> ({code}). Subscribers of its district and branch "
            "will be told once.", course=draft.name, code=draft.code))
        return
    answer = await _value(context, step, value)
    if answer is None:
        await ask(update, context, dialogue)
        return
    await ask(update, context, await services.dialogues.choose(dialogue, **{step: answer}))


async def _value(context: BotContext, step: str, value: int) -> str | None:
    """The cell a button stands for (None: a value no button of this step has)."""
    if step == "bicim":
        return FORMATS[value] if value in (0, 1) else None
    if step == "hedef":
        return AUDIENCES[value] if value in (0, 1) else None
    if value == SKIP:
        return "" if step in OPTIONAL else None
    if step in ("ilce", "brans"):
        choices = await context.services.publishing.choices(context.viewer.user_id)
        known = dict(choices.districts if step == "ilce" else choices.branches)
        return known.get(value)
    return None


def _left(t: Translator, dialogue: Dialogue) -> Markup:
    return t.text("You left the new course; nothing was published.")


dialogues.register(dialogues.DialogueScreen(
    KIND, frozenset({Action.COURSE_DRAFT, Action.LEAVE}), ask, _left, typed=typed))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("kurs_ekle", begin)]


def buttons() -> list[Route]:
    return [(Action.COURSE_DRAFT, chosen)]
