"""Staff: /toren, /toren_iptal and /etkinlik_ekle (exhibitions and panels)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from markupsafe import Markup
from telegram import ReplyKeyboardRemove, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.domain import Dialogue, EventKind
from bot.errors import DomainError, NotFound
from bot.i18n import N_, At, Translator
from bot.services import rules
from bot.services.dialogues import Flow, Step
from bot.textsearch import fold
from handlers import courses as course_screens
from handlers import dialogue as dialogues
from handlers import event_views, keyboards
from handlers.callback_data import Action, Route
from handlers.permissions import admin_only
from handlers.screen import drop_buttons, say

DRAFT = "event_draft"
CEREMONY_DRAFT = "ceremony_draft"
_KINDS = {"sergi": EventKind.EXHIBITION, "panel": EventKind.PANEL}


@admin_only
async def ceremony(update: Update, context: BotContext) -> None:
    """/toren <CODE> <date> <HH:MM> <place>: schedule or move a ceremony. Its map pin is the
    place's own: a course centre the place names, else a location the staff member shares."""
    args = context.args or []
    if len(args) < 3:
        raise DomainError(N_("Write it like this: /toren KOD 2026-12-20 14:00 place, for "
                             "example /toren BUC-MUH-01 30.03.2027 14:00 Buca Mahalle Konağı"))
    services = context.services
    when = rules.parse_when(args[1], args[2], services.settings.timezone, services.clock.now())
    place = rules.parse_place(" ".join(args[3:]))
    course = await services.events.check_ceremony(args[0], when)
    pin = await services.events.ceremony_pin(place)
    if pin is None:
        await services.dialogues.save(context.viewer.user_id, CEREMONY_DRAFT, "location",
                                      {"code": course.code, "when": when.isoformat(),
                                       "place": place})
        await _ask_place(update, context, place)
        return
    await _schedule(update, context, course.code, when, place, pin)


async def _ask_place(update: Update, context: BotContext, place: str) -> None:
    """The place names no known centre: ask where it is on the map (or go on without)."""
    await say(update, context, context.t.text(
        "“{place}” is not one of our course centres, so we do not know where it is on the "
        "map. Share the ceremony's location with the button below (or 📎 → Location), or "
        "continue without a map pin.", place=place), keyboards.no_pin(context.t))
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, context.t.text("Waiting for the location…"),
                                       reply_markup=keyboards.ask_location(context.t))


async def _ask_place_again(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    await _ask_place(update, context, str(dialogue.data.get("place", "")))


def _left_place(t: Translator, dialogue: Dialogue) -> Markup:
    return t.text("You left the ceremony's place; the ceremony was not scheduled.")


async def _schedule(update: Update, context: BotContext, code: str, when: datetime,
                    place: str, pin: tuple[float, float] | None) -> None:
    done = await context.services.events.schedule_ceremony(context.viewer.user_id, code, when,
                                                           place, pin)
    t = context.t
    title = event_views.title(t, done.event, done.course)
    if done.unchanged:
        text = t.text("{title}: already on {when}, {place}. Nothing changed, so nobody was "
                      "told again.", title=title, when=At(done.event.starts_at), place=place)
    elif done.told == 0:
        text = t.text("{title}: {when}, {place}. The course has no registered trainees yet; "
                      "those who register will be told and reminded.", title=title,
                      when=At(done.event.starts_at), place=place)
    elif done.moved:
        text = t.plural("{title}: moved to {when}, {place}. {n} trainee is told.",
                        "{title}: moved to {when}, {place}. {n} trainees are told.",
                        done.told, title=title, when=At(done.event.starts_at), place=place)
    else:
        text = t.plural("{title}: scheduled for {when}, {place}. {n} trainee is told and "
                        "will be reminded.",
                        "{title}: scheduled for {when}, {place}. {n} trainees are told and "
                        "will be reminded.",
                        done.told, title=title, when=At(done.event.starts_at), place=place)
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, text, reply_markup=ReplyKeyboardRemove())


async def _drafted(context: BotContext) -> tuple[str, datetime, str] | None:
    draft = await context.services.dialogues.current(context.viewer.user_id)
    if draft is None or draft.kind != CEREMONY_DRAFT:
        return None
    await context.services.dialogues.leave(context.viewer.user_id)
    data = draft.data
    return str(data["code"]), datetime.fromisoformat(str(data["when"])), str(data["place"])


async def ceremony_location(update: Update, context: BotContext) -> None:
    """The location an admin shared for the ceremony being drafted (any other location
    goes on to the nearby-courses search)."""
    message = update.message
    if (context.dialogue is None or context.dialogue.kind != CEREMONY_DRAFT or message is None
            or message.location is None or not context.viewer.is_admin):
        await course_screens.nearby(update, context)
        return
    drafted = await _drafted(context)
    if drafted is not None:
        pin = (message.location.latitude, message.location.longitude)
        await _schedule(update, context, *drafted, pin)


@admin_only
async def ceremony_without_pin(update: Update, context: BotContext) -> None:
    """"Konumsuz devam et": the ceremony has no map pin."""
    drafted = await _drafted(context)
    if drafted is None:
        raise DomainError(N_("There is no ceremony waiting for its place. Start again with "
                             "/toren."))
    await drop_buttons(update)
    await _schedule(update, context, *drafted, None)


def ceremony_location_handler(admin_ids: frozenset[int]) -> MessageHandler[BotContext, None]:
    """Admins' locations are looked at first: one may be the place of a ceremony."""
    return MessageHandler(filters.LOCATION & filters.UpdateType.MESSAGE
                          & filters.User(user_id=admin_ids), ceremony_location)


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
    districts, courses, names = await _audience(context, parts[2] if len(parts) > 2 else "")
    draft: dict[str, Any] = {"kind": _KINDS[fold(head[0])].value, "title": title,
                             "when": when.isoformat(), "place": place,
                             "districts": sorted(districts), "courses": sorted(courses)}
    await services.dialogues.save(context.viewer.user_id, DRAFT, "confirm", draft)
    audience = ", ".join(names) if names else context.t.label("the whole city")
    await say(update, context, context.t.text(
        "<b>Preview</b>\n{kind}: {title}\nWhen: {when}\nWhere: {place}\nFor: {audience}\n\n"
        "Publish it and tell those concerned?",
        kind=context.t.label(event_views.KIND_NAMES[_KINDS[fold(head[0])]]), title=title,
        when=when, place=place, audience=audience),
        keyboards.confirm(context.t, context.t.label("Publish"), Action.PUBLISH,
                          back=Action.LEAVE))


async def _audience(context: BotContext, text: str) -> tuple[set[int], set[int], list[str]]:
    """District names and course codes, comma-separated, to ids, and the names to show."""
    districts: set[int] = set()
    courses: set[int] = set()
    names: list[str] = []
    known = {fold(d.name): d for d in await context.services.courses.all_districts()}
    for word in (w.strip() for w in text.split(",")):
        if not word:
            continue
        district = known.get(fold(word))
        if district is not None:
            districts.add(district.id)
            names.append(district.name)
            continue
        try:
            course = await context.services.courses.course(context.viewer, code=word)
        except NotFound:
            raise DomainError(N_("“{word}” is neither one of our districts nor a course code. "
                                 "Write district names or course codes separated by commas, "
                                 "or leave it empty for the whole city."),
                              word=word[:60]) from None
        courses.add(course.id)
        names.append(f"{course.name} ({course.code})")
    return districts, courses, names


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
dialogues.register(dialogues.DialogueScreen(
    CEREMONY_DRAFT, frozenset({Action.NO_PIN}), _ask_place_again, _left_place))
CEREMONY_FLOW = Flow(CEREMONY_DRAFT, (Step("location"),))


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
        (Action.NO_PIN, ceremony_without_pin),
    ]
