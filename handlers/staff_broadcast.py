"""Staff: /duyuru, an announcement to many (its steps: bot/services/broadcast_dialogue.py).

Text (HTML, checked by Telegram's own parser) → audience → preview with the number of
recipients → "Gönder". The sending is the outbox's (bot/jobs.py): this module only queues the
broadcast, and edits one progress message as the sender reports ("1.200 / 5.000
gönderildi", at most every few seconds), with "Durdur" until it ends in the final report."""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from markupsafe import Markup
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ApplicationHandlerStop, BaseHandler, CommandHandler

from bot.context import BotContext
from bot.domain import AudienceKind, Broadcast, BroadcastAudience, BroadcastProgress, Dialogue
from bot.errors import DomainError
from bot.i18n import N_, Translator, resolve_locale
from bot.jobs import DueActionRunner
from bot.services.broadcast_dialogue import AUDIENCES, BUTTON_ONLY, CONFIRM, KIND, STEPS
from handlers import dialogue as dialogues
from handlers.callback_data import Action, Route, encode, pressed
from handlers.markup import lines
from handlers.permissions import admin_only
from handlers.screen import drop_buttons, say

if TYPE_CHECKING:
    from bot.context import Services

AUDIENCE_NAMES = {
    AudienceKind.EVERYONE: N_("Everyone"),
    AudienceKind.DISTRICT: N_("A district"),
    AudienceKind.BRANCH: N_("A branch"),
    AudienceKind.COURSE: N_("A course's trainees"),
    AudienceKind.WAITING: N_("A course's waiting list"),
    AudienceKind.STAFF: N_("Municipal staff"),
}
MAX_CHOICE_BUTTONS = 45
# What each progress message shows now: the hook and "Durdur" both edit it, and Telegram
# refuses an edit that changes nothing. A few recent broadcasts are enough to remember.
_SHOWN: dict[int, str] = {}
_SHOWN_KEEP = 50


def _changes(broadcast_id: int, text: str) -> bool:
    """True (and remembered) when `text` is not what the progress message shows already."""
    if _SHOWN.get(broadcast_id) == text:
        return False
    _SHOWN[broadcast_id] = text
    while len(_SHOWN) > _SHOWN_KEEP:
        del _SHOWN[next(iter(_SHOWN))]
    return True
_FORMATTING = frozenset({"bold", "italic", "underline", "strikethrough", "spoiler", "code",
                         "pre", "text_link", "blockquote", "expandable_blockquote"})


def _button(caption: str, step: str, value: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(caption[:40], callback_data=encode(
        Action.BROADCAST_DRAFT, STEPS.index(step), value))


def _leave(t: Translator) -> InlineKeyboardButton:
    return InlineKeyboardButton(t.label("Cancel"), callback_data=encode(Action.LEAVE))


@admin_only
async def begin(update: Update, context: BotContext) -> None:
    """/duyuru: ask for the text."""
    dialogue = await context.services.dialogues.start(context.viewer.user_id, KIND, {})
    await ask(update, context, dialogue)


async def ask(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    t, step = context.t, dialogue.step
    if step == "text":
        await say(update, context, t.text(
            "<b>Announcement</b>: write the message to send. You may use <b>bold</b>, "
            "<i>italic</i> and links (&lt;a href=\"https://…\"&gt;); at most 4096 characters. "
            "/iptal stops."), InlineKeyboardMarkup([[_leave(t)]]))
    elif step == "audience":
        buttons = [_button(t.label(AUDIENCE_NAMES[kind]), step, index)
                   for index, kind in enumerate(AUDIENCES)]
        await say(update, context, t.text("Who should get it?"), InlineKeyboardMarkup(
            [buttons[i:i + 2] for i in range(0, len(buttons), 2)] + [[_leave(t)]]))
    elif step in ("district", "branch"):
        choices = await context.services.publishing.choices(context.viewer.user_id)
        known = choices.districts if step == "district" else choices.branches
        buttons = [_button(name, step, item_id) for item_id, name in known[:MAX_CHOICE_BUTTONS]]
        await say(update, context,
                  t.text("Which district?") if step == "district" else t.text("Which branch?"),
                  InlineKeyboardMarkup([buttons[i:i + 3] for i in range(0, len(buttons), 3)]
                                       + [[_leave(t)]]))
    elif step == "course":
        await say(update, context, t.text("Write the course code, for example "
                                          "<code>BUC-MUH-01</code>"),
                  InlineKeyboardMarkup([[_leave(t)]]))
    else:
        await _preview(update, context, dialogue)


async def _audience(context: BotContext, dialogue: Dialogue) -> tuple[BroadcastAudience, str]:
    """The chosen audience, and its name for the preview."""
    data, t = dialogue.data, context.t
    kind = AudienceKind(str(data["audience"]))
    name = t.label(AUDIENCE_NAMES[kind])
    if kind is AudienceKind.DISTRICT:
        return BroadcastAudience(kind, int(str(data["district"]))), str(data["district_name"])
    if kind is AudienceKind.BRANCH:
        return BroadcastAudience(kind, str(data["branch"])), str(data["branch"])
    if kind in (AudienceKind.COURSE, AudienceKind.WAITING):
        audience, course = await context.services.broadcasts.course_audience(
            context.viewer.user_id, kind, str(data["course"]))
        return audience, f"{name}: {course}"
    return BroadcastAudience(kind), name


async def _preview(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    t, services = context.t, context.services
    try:
        audience, name = await _audience(context, dialogue)
        size = await services.broadcasts.preview(context.viewer.user_id,
                                                 str(dialogue.data["text"]), audience)
    except DomainError as problem:
        await say(update, context, t.text(problem.key, **problem.params))
        await ask(update, context, await services.dialogues.go_to(dialogue, "audience"))
        return
    await say(update, context, Markup(str(dialogue.data["text"])))
    await say(update, context, t.plural(
        "The message above goes to {audience}: {n} person. Send it?",
        "The message above goes to {audience}: {n} people. Send it?", size, audience=name),
        InlineKeyboardMarkup([[_button(t.label("Send"), CONFIRM, size), _leave(t)]]))


async def typed(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    """The text of the announcement, or a course code."""
    message, t = update.message, context.t
    if message is None:
        return
    if dialogue.step in BUTTON_ONLY or not message.text:
        await message.reply_text(t.text("Please answer with a button above, or write /iptal "
                                        "to stop.") if dialogue.step in BUTTON_ONLY
                                 else t.text("Please write the answer as text."))
        await ask(update, context, dialogue)
        raise ApplicationHandlerStop
    # Typed HTML is taken as HTML (and checked); formatting made with Telegram's own menu
    # arrives as entities, and is turned back into HTML.
    formatted = any(e.type in _FORMATTING for e in message.entities or ())
    text = message.text_html if dialogue.step == "text" and formatted else message.text
    try:
        answered = await context.services.dialogues.answer(dialogue, text)
    except DomainError as problem:
        await message.reply_text(t.text(problem.key, **problem.params))
        await ask(update, context, dialogue)
        raise ApplicationHandlerStop from None
    await ask(update, context, answered)
    raise ApplicationHandlerStop


@admin_only
async def chosen(update: Update, context: BotContext) -> None:
    """A button of the draft: an audience, a district, a branch, "Gönder"."""
    callback, services, t = pressed(update), context.services, context.t
    dialogue = context.dialogue
    index, value = callback.arg(0), callback.arg(1)
    if dialogue is None or dialogue.kind != KIND:
        await say(update, context, t.text("This announcement draft is no longer open, and "
                                          "nothing of it was sent. Start again with /duyuru."))
        return
    if not 0 <= index < len(STEPS) or STEPS[index] != dialogue.step:
        await ask(update, context, dialogue)
        return
    step = dialogue.step
    if step == "audience" and 0 <= value < len(AUDIENCES):
        await drop_buttons(update)
        await ask(update, context, await services.dialogues.choose(
            dialogue, audience=AUDIENCES[value].value))
    elif step in ("district", "branch"):
        choices = await services.publishing.choices(context.viewer.user_id)
        known = dict(choices.districts if step == "district" else choices.branches)
        if value not in known:
            await ask(update, context, dialogue)
            return
        await drop_buttons(update)
        answer = ({"district": value, "district_name": known[value]} if step == "district"
                  else {"branch": known[value]})
        await ask(update, context, await services.dialogues.choose(dialogue, **answer))
    elif step == CONFIRM:
        await _send(update, context, dialogue)
    else:
        await ask(update, context, dialogue)


async def _send(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    services, t = context.services, context.t
    audience, _ = await _audience(context, dialogue)
    broadcast = await services.broadcasts.send(context.viewer.user_id,
                                               str(dialogue.data["text"]), audience)
    await services.dialogues.leave(context.viewer.user_id)
    await drop_buttons(update)
    progress = await services.broadcasts.progress(broadcast.id)
    chat = update.effective_chat
    assert chat is not None
    text = progress_text(t, progress)
    _changes(broadcast.id, text)
    sent = await context.bot.send_message(chat.id, text,
                                          reply_markup=stop_button(t, broadcast.id))
    await services.broadcasts.set_report_message(broadcast.id, chat.id, sent.message_id)


def stop_button(t: Translator, broadcast_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(
        t.label("Stop sending"), callback_data=encode(Action.BROADCAST_STOP, broadcast_id))]])


def progress_text(t: Translator, progress: BroadcastProgress) -> Markup:
    """"1.200 / 5.000 gönderildi" while it goes; the report when it has ended."""
    done = progress.total - progress.pending
    if not progress.finished:
        return t.text("📣 Announcement {id}: {done} / {total} sent", id=progress.broadcast_id,
                      done=t.number(done), total=t.number(progress.total))
    head = (t.text("📣 Announcement {id} was stopped.", id=progress.broadcast_id)
            if progress.stopped else
            t.text("📣 Announcement {id} has gone out.", id=progress.broadcast_id))
    parts: list[str] = [
        head,
        t.text("Sent: {n}", n=t.number(progress.sent)),
        t.text("Blocked the bot: {n}", n=t.number(progress.blocked)),
        t.text("Could not be sent: {n}", n=t.number(progress.failed)),
        t.text("In doubt (may have arrived; not sent again): {n}",
               n=t.number(progress.in_doubt)),
    ]
    if progress.skipped:
        parts.append(t.text("Not sent (stopped, or no longer reachable): {n}",
                            n=t.number(progress.skipped)))
    return lines(parts)


@admin_only
async def stop(update: Update, context: BotContext) -> None:
    """"Durdur": nothing more of it is sent; the report follows."""
    progress = await context.services.broadcasts.stop_by(context.viewer.user_id,
                                                         pressed(update).arg(0))
    query = update.callback_query
    text = progress_text(context.t, progress)
    if query is not None and _changes(progress.broadcast_id, text):
        with suppress(BadRequest):
            await query.edit_message_text(text,
                                          reply_markup=None if progress.finished
                                          else stop_button(context.t, progress.broadcast_id))


def register(runner: DueActionRunner, bot: Bot, services: Services) -> None:
    """Edit each broadcast's progress message as the sender reports."""

    async def report(broadcast: Broadcast, progress: BroadcastProgress) -> None:
        if broadcast.report_chat_id is None or broadcast.report_message_id is None:
            return
        staff = await services.users.get(broadcast.created_by)
        t = services.translator(resolve_locale(staff.locale if staff else None,
                                               staff.telegram_language if staff else None,
                                               services.settings.default_locale))
        text = progress_text(t, progress)
        if not _changes(broadcast.id, text):
            return
        with suppress(BadRequest, Forbidden):  # deleted, or the chat is gone
            await bot.edit_message_text(
                text, broadcast.report_chat_id,
                broadcast.report_message_id,
                reply_markup=None if progress.finished else stop_button(t, broadcast.id))

    runner.on_progress(report)


def _left(t: Translator, dialogue: Dialogue) -> Markup:
    return t.text("You left the announcement; nothing was sent.")


dialogues.register(dialogues.DialogueScreen(
    KIND, frozenset({Action.BROADCAST_DRAFT, Action.LEAVE}), ask, _left, typed=typed))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("duyuru", begin)]


def buttons() -> list[Route]:
    return [(Action.BROADCAST_DRAFT, chosen), (Action.BROADCAST_STOP, stop)]
