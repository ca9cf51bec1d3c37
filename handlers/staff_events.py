"""Staff: /toren, /toren_iptal and /etkinlik_ekle (exhibitions and panels)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from markupsafe import Markup
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.domain import Dialogue, EventKind
from bot.errors import DomainError
from bot.i18n import N_, At, Translator
from bot.services import rules
from bot.services.dialogues import Flow, Step
from bot.textsearch import fold
from handlers import dialogue as dialogues
from handlers import event_views, keyboards
from handlers.callback_data import Action, Route
from handlers.permissions import admin_only
from handlers.screen import drop_buttons, say

DRAFT = "event_draft"
_KINDS = {"sergi": EventKind.EXHIBITION, "panel": EventKind.PANEL}


@admin_only
async def ceremony(update: Update, context: BotContext) -> None:
    """/toren <CODE> <YYYY-MM-DD> <HH:MM> <place>: schedule or move a ceremony."""
    args = context.args or []
    if len(args) < 3:
        raise DomainError(N_("Write it like this: /toren KOD 2026-12-20 14:00 place, for "
                             "example /toren BUC-MUH-01 2027-03-30 14:00 Buca Mahalle Konağı"))
    services = context.services
    when = rules.parse_when(args[1], args[2], services.settings.timezone, services.clock.now())
    place = rules.parse_place(" ".join(args[3:]))
    done = await services.events.schedule_ceremony(context.viewer.user_id, args[0], when, place)
    title = event_views.title(context.t, done.event, done.course)
    message = (N_("{title}: moved to {when}, {place}. {n} trainees are told.") if done.moved
               else N_("{title}: scheduled for {when}, {place}. {n} trainees are told and "
                       "will be reminded."))
    await say(update, context, context.t.text(message, title=title, when=At(done.event.starts_at),
                                              place=place, n=done.told))


@admin_only
async def cancel_ceremony(update: Update, context: BotContext) -> None:
    """/toren_iptal <CODE>."""
    if not context.args:
        raise DomainError(N_("Write the course code: /toren_iptal KOD"))
    done = await context.services.events.cancel_ceremony(context.viewer.user_id,
                                                         context.args[0])
    await say(update, context, context.t.text(
        "The ceremony of {course} is cancelled; {n} trainees are told.",
        course=done.course.name if done.course else done.event.title, n=done.told))


@admin_only
async def add_event(update: Update, context: BotContext) -> None:
    """/etkinlik_ekle sergi|panel YYYY-MM-DD HH:MM place | title | districts or course codes."""
    text = update.message.text if update.message and update.message.text else ""
    parts = [p.strip() for p in text.partition(" ")[2].split("|")]
    head = parts[0].split()
    if len(parts) < 2 or len(head) < 4 or fold(head[0]) not in _KINDS:
        raise DomainError(N_(
            "Write it like this:\n/etkinlik_ekle sergi|panel YYYY-MM-DD HH:MM place | title | "
            "districts or course codes (empty: the whole city)\nFor example: /etkinlik_ekle "
            "sergi 2027-06-20 14:00 Kültürpark | Yıl Sonu Sergisi | Buca, Konak"))
    services = context.services
    when = rules.parse_when(head[1], head[2], services.settings.timezone, services.clock.now())
    place = rules.parse_place(" ".join(head[3:]))
    title = rules.parse_place(parts[1])
    districts, courses = await _audience(context, parts[2] if len(parts) > 2 else "")
    draft: dict[str, Any] = {"kind": _KINDS[fold(head[0])].value, "title": title,
                             "when": when.isoformat(), "place": place,
                             "districts": sorted(districts), "courses": sorted(courses)}
    await services.dialogues.save(context.viewer.user_id, DRAFT, "confirm", draft)
    audience = parts[2] if len(parts) > 2 and parts[2] else context.t.label("the whole city")
    await say(update, context, context.t.text(
        "<b>Preview</b>\n{kind}: {title}\nWhen: {when}\nWhere: {place}\nFor: {audience}\n\n"
        "Publish it and tell those concerned?",
        kind=context.t.label(event_views.KIND_NAMES[_KINDS[fold(head[0])]]), title=title,
        when=when, place=place, audience=audience),
        keyboards.confirm(context.t, context.t.label("Publish"), Action.PUBLISH,
                          back=Action.LEAVE))


async def _audience(context: BotContext, text: str) -> tuple[set[int], set[int]]:
    """District names and course codes, comma-separated, to ids."""
    districts: set[int] = set()
    courses: set[int] = set()
    known = {fold(c.district.name): c.district.id
             for c in await context.services.courses.districts(context.viewer)}
    for word in (w.strip() for w in text.split(",")):
        if not word:
            continue
        if fold(word) in known:
            districts.add(known[fold(word)])
            continue
        course = await context.services.courses.course(context.viewer, code=word)
        courses.add(course.id)
    return districts, courses


@admin_only
async def publish(update: Update, context: BotContext) -> None:
    """"Yayınla" under the preview."""
    services = context.services
    draft = await services.dialogues.current(context.viewer.user_id)
    if draft is None or draft.kind != DRAFT:
        raise DomainError(N_("There is no event waiting to be published. Start again with "
                             "/etkinlik_ekle."))
    data = draft.data
    done = await services.events.create(
        context.viewer.user_id, EventKind(str(data["kind"])), str(data["title"]),
        datetime.fromisoformat(str(data["when"])), str(data["place"]),
        _ids(data["districts"]), _ids(data["courses"]))
    await services.dialogues.leave(context.viewer.user_id)
    await drop_buttons(update)
    await say(update, context, context.t.text("Published: {title}. {n} people are told.",
                                              title=done.event.title, n=done.told))


def _ids(value: object) -> set[int]:
    return {int(i) for i in value} if isinstance(value, list) else set()


def _left(t: Translator, dialogue: Dialogue) -> Markup:
    return t.text("You left the event draft; nothing was published.")


dialogues.register(dialogues.DialogueScreen(
    DRAFT, frozenset({Action.PUBLISH, Action.LEAVE}), lambda *_: _nothing(), _left))
DRAFT_FLOW = Flow(DRAFT, (Step("confirm"),))


async def _nothing() -> None:
    """The preview stays on the screen above: there is no question to repeat."""


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("toren", ceremony),
        CommandHandler("toren_iptal", cancel_ceremony),
        CommandHandler("etkinlik_ekle", add_event),
    ]


def buttons() -> list[Route]:
    return [
        (Action.PUBLISH, publish),
    ]
