"""The pre-registration dialogue: name → mobile → birth year (if needed) → KVKK consent.

The step is stored in the database after every answer, so a restart in the middle loses
nothing. Any command leaves the dialogue (see preprocess).
"""

from __future__ import annotations

from typing import Any

from telegram import Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, MessageHandler, filters

from bot.context import BotContext
from bot.domain import Course, Dialogue
from bot.errors import DomainError
from bot.i18n import N_
from bot.services import rules
from bot.services.privacy import CONSENT_VERSION
from bot.services.registrations import Applicant
from handlers import keyboards, views
from handlers.callback_data import Action, Route, pressed
from handlers.screen import drop_buttons, say

KIND = "register"


async def begin(update: Update, context: BotContext) -> None:
    """"Ön kayıt" on a course card: check eligibility first, then ask."""
    course, would_be = await context.services.registrations.check(
        context.viewer, pressed(update).arg(0))
    if would_be is not None:
        await say(update, context, views.course_full(context.t, course, would_be),
                  keyboards.join_waitlist(context.t, course))
        return
    await _start(update, context, course)


async def join_waitlist(update: Update, context: BotContext) -> None:
    """"Yedek listeye gir": the same dialogue, ending on the waiting list."""
    course, _ = await context.services.registrations.check(context.viewer, pressed(update).arg(0))
    await _start(update, context, course)


async def _start(update: Update, context: BotContext, course: Course) -> None:
    user_id = context.viewer.user_id
    profile = await context.services.registrations.profile(user_id)
    await context.services.dialogues.save(user_id, KIND, "name", {"course_id": course.id})
    await _send(update, context, views.ask_name(context.t, course),
                keyboards.offer_saved(profile.full_name if profile else None))


async def _send(update: Update, context: BotContext, text: str,
                markup: ReplyKeyboardMarkup | ReplyKeyboardRemove | None = None) -> Message:
    chat = update.effective_chat
    assert chat is not None
    return await context.bot.send_message(chat.id, text, reply_markup=markup)


async def step(update: Update, context: BotContext) -> None:
    """An answer inside the dialogue (text, contact, or anything else a person may send)."""
    dialogue = context.dialogue
    if dialogue is None or dialogue.kind != KIND or update.message is None:
        return  # not in this dialogue: the other handlers take the message
    try:
        await _answer(update.message, context, dialogue)
    except DomainError as problem:
        await update.message.reply_text(context.t.text(problem.key, **problem.params))
    raise ApplicationHandlerStop


async def _answer(message: Message, context: BotContext, dialogue: Dialogue) -> None:
    services, t = context.services, context.t
    data: dict[str, Any] = dict(dialogue.data)
    text = message.text or ""
    course = await services.courses.course(context.viewer, course_id=int(data["course_id"]))
    if dialogue.step == "name":
        data["name"] = rules.parse_full_name(text)
        await services.dialogues.save(dialogue.user_id, KIND, "phone", data)
        profile = await services.registrations.profile(context.viewer.user_id)
        await message.reply_text(views.ask_phone(t), reply_markup=keyboards.ask_phone(
            t, profile.phone if profile else None))
    elif dialogue.step == "phone":
        contact = message.contact
        if contact is not None and contact.user_id != dialogue.user_id:
            raise DomainError(N_("Please share your own number with the “Share my number” "
                                 "button, or write it."))
        data["phone"] = rules.parse_mobile(contact.phone_number if contact else text)
        if course.min_age:
            await services.dialogues.save(dialogue.user_id, KIND, "birth_year", data)
            await message.reply_text(views.ask_birth_year(t, course.min_age),
                                     reply_markup=ReplyKeyboardRemove())
        else:
            await _ask_consent(message, context, dialogue, data, course)
    elif dialogue.step == "birth_year":
        year = rules.parse_birth_year(text, services.courses.today())
        try:
            rules.check_age(course, year)
        except DomainError:
            await services.dialogues.leave(dialogue.user_id)
            raise
        data["birth_year"] = year
        await _ask_consent(message, context, dialogue, data, course)
    else:  # consent: only the buttons answer it
        raise DomainError(N_("Please tap “Onaylıyorum” under the notice to finish, or "
                             "“Vazgeç” to stop."))


async def _ask_consent(message: Message, context: BotContext, dialogue: Dialogue,
                       data: dict[str, Any], course: Course) -> None:
    await context.services.dialogues.save(dialogue.user_id, KIND, "consent", data)
    await message.reply_text(context.t.text("Thank you."), reply_markup=ReplyKeyboardRemove())
    await message.reply_text(views.consent_notice(context.t, "birth_year" in data),
                             reply_markup=keyboards.consent(context.t, course.id))


async def consent(update: Update, context: BotContext) -> None:
    """"Onaylıyorum": register with what the dialogue gathered."""
    services, t = context.services, context.t
    dialogue = await services.dialogues.current(context.viewer.user_id)
    course_id = pressed(update).arg(0)
    if (dialogue is None or dialogue.kind != KIND or dialogue.step != "consent"
            or dialogue.data.get("course_id") != course_id):
        raise DomainError(N_("This registration step is no longer open. Start again from the "
                             "course with /kurslar."))
    data = dialogue.data
    birth_year = data.get("birth_year")
    applicant = Applicant(
        full_name=str(data["name"]), phone=str(data["phone"]),
        birth_year=int(str(birth_year)) if birth_year is not None else None,
        consent_version=CONSENT_VERSION,
        consent_text=views.plain(views.consent_notice(t, birth_year is not None)),
    )
    try:
        registration = await services.registrations.register(context.viewer, course_id,
                                                             applicant)
    finally:
        await services.dialogues.leave(context.viewer.user_id)
    course = await services.courses.course(context.viewer, course_id=course_id)
    await drop_buttons(update)
    await say(update, context, views.registration_result(t, registration, course),
              keyboards.after_registration(t))


async def leave(update: Update, context: BotContext) -> None:
    """"Vazgeç": leave the dialogue (a registration, an event draft); nothing is kept."""
    await context.services.dialogues.leave(context.viewer.user_id)
    await _send(update, context, context.t.text(
        "You stopped; nothing was saved."), ReplyKeyboardRemove())
    await say(update, context, views.menu(context.t), keyboards.main_menu(context.t))


dialogue_handler = MessageHandler(filters.UpdateType.MESSAGE & ~filters.COMMAND, step)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return []  # the dialogue's answers come through `dialogue_handler` (group 0)


def buttons() -> list[Route]:
    return [
        (Action.REGISTER, begin),
        (Action.WAITLIST, join_waitlist),
        (Action.CONSENT, consent),
        (Action.LEAVE, leave),
    ]
