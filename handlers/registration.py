"""The pre-registration dialogue in the chat (its steps: bot/services/registration_dialogue.py).

The step is stored after every answer, so a restart in the middle loses nothing. Leaving,
edits and expiry follow the one rule of handlers/dialogue.py. Buttons are idempotent: a second
tap on "Ön kayıt" or "Onaylıyorum", or a tap on a button of an earlier step, does nothing twice
and says nothing alarming.
"""

from __future__ import annotations

from markupsafe import Markup
from telegram import ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import ApplicationHandlerStop, BaseHandler

from bot.context import BotContext
from bot.domain import Course, Dialogue
from bot.errors import DomainError
from bot.i18n import N_, Translator
from bot.services.privacy import CONSENT_VERSION
from bot.services.registration_dialogue import KIND, first_data
from bot.services.registrations import Applicant
from handlers import dialogue as dialogues
from handlers import keyboards, views
from handlers.callback_data import Action, Route, pressed
from handlers.markup import plain
from handlers.screen import drop_buttons, say

# Steps answered on a reply keyboard (a saved value, "Share my number", "Geri"): leaving them
# for the consent step takes the keyboard away (the age check keeps it: its "Geri" still works).
_REPLY_KEYBOARD_STEPS = ("name", "phone", "birth_year")


def _ours(context: BotContext, course_id: int) -> Dialogue | None:
    """The open pre-registration for this course, if the user is in it."""
    current = context.dialogue
    if current is not None and current.kind == KIND and current.data.get("course_id") == course_id:
        return current
    return None


async def begin(update: Update, context: BotContext) -> None:
    """"Ön kayıt" on a course card: check eligibility first, then ask."""
    course_id = pressed(update).arg(0)
    if _ours(context, course_id) is not None:
        return  # a second tap: the question is already on the screen
    course, would_be = await context.services.registrations.check(context.viewer, course_id)
    if would_be is not None:
        await say(update, context, views.course_full(context.t, course, would_be),
                  keyboards.join_waitlist(context.t, course))
        return
    await _start(update, context, course)


async def join_waitlist(update: Update, context: BotContext) -> None:
    """"Yedek listeye gir": the same dialogue, ending on the waiting list."""
    course_id = pressed(update).arg(0)
    if _ours(context, course_id) is not None:
        return
    course, _ = await context.services.registrations.check(context.viewer, course_id)
    await _start(update, context, course)


async def _start(update: Update, context: BotContext, course: Course) -> None:
    services = context.services
    profile = await services.registrations.profile(context.viewer.user_id)
    dialogue = await services.dialogues.start(context.viewer.user_id, KIND,
                                              first_data(course, profile))
    await ask(update, context, dialogue)


async def ask(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    """The question of the dialogue's current step."""
    t, data = context.t, dialogue.data
    course = str(data.get("course_name", ""))
    if dialogue.step in ("name", "phone"):
        profile = await context.services.registrations.profile(context.viewer.user_id)
        if dialogue.step == "name":
            await say(update, context, views.ask_name(t, course),
                      keyboards.offer_saved(profile.full_name if profile else None))
        else:
            await say(update, context, views.ask_phone(t),
                      keyboards.ask_phone(t, profile.phone if profile else None,
                                          dialogues.back_key(t)))
    elif dialogue.step == "birth_year":
        await say(update, context, views.ask_birth_year(t, int(str(data["min_age"]))),
                  ReplyKeyboardMarkup([[dialogues.back_key(t)]], resize_keyboard=True))
    elif dialogue.step == "age_check":
        await say(update, context, views.age_check(t, int(str(data["birth_year"])),
                                                   int(str(data["min_age"]))),
                  keyboards.age_check(t, int(str(data["course_id"]))))
    elif dialogue.step == "consent":
        await say(update, context, views.consent_notice(t, context.services.settings),
                  keyboards.consent(t, int(str(data["course_id"])), dialogues.back_button(t)))


async def step(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    """An answer typed inside the dialogue (text, contact, or anything else a person sends)."""
    if update.message is None:
        return
    message, t = update.message, context.t
    if dialogue.step not in _REPLY_KEYBOARD_STEPS:
        await message.reply_text(_tap_a_button(t, dialogue))
        raise ApplicationHandlerStop
    try:
        text = message.text or ""
        if dialogue.step == "phone" and message.contact is not None:
            if message.contact.user_id != dialogue.user_id:
                raise DomainError(N_("Please share your own number with the “Share my "
                                     "number” button, or write it."))
            text = message.contact.phone_number
        answered = await context.services.dialogues.answer(dialogue, text)
    except DomainError as problem:
        await message.reply_text(t.text(problem.key, **problem.params))
        raise ApplicationHandlerStop from None
    if dialogue.step in _REPLY_KEYBOARD_STEPS and answered.step not in _REPLY_KEYBOARD_STEPS \
            and answered.step != "age_check":
        await message.reply_text(t.text("Thank you."), reply_markup=ReplyKeyboardRemove())
    if answered.finished:
        await _register(update, context, answered)
    else:
        await ask(update, context, answered)
    raise ApplicationHandlerStop


def _tap_a_button(t: Translator, dialogue: Dialogue) -> Markup:
    """What to do at a step answered by a button, naming the buttons in the user's language."""
    if dialogue.step == "age_check":
        return t.text("Please tap “{right}” or “{fix}” above.",
                      right=t.label("Yes, it is right"), fix=t.label("Correct it"))
    return t.text("Please tap “{agree}” under the notice to finish, or “{cancel}” to stop.",
                  agree=t.label("I agree"), cancel=t.label("Cancel"))


async def age_answer(update: Update, context: BotContext) -> None:
    """Under the minimum age: "Düzelt" asks the year again; "Evet, doğru" ends with why."""
    button = pressed(update)
    right = button.arg(0) == 1
    dialogue = context.dialogue
    if dialogue is None or dialogue.kind != KIND or dialogue.step != "age_check":
        await _stale(update, context, button.arg(1) or None)
        return
    await drop_buttons(update)
    if not right:
        await ask(update, context, await context.services.dialogues.go_to(dialogue,
                                                                           "birth_year"))
        return
    await context.services.dialogues.leave(context.viewer.user_id)
    await say(update, context, context.t.text(
        "This course is for people aged {age} or over. You can look for other courses with "
        "/kurslar.", age=int(str(dialogue.data["min_age"]))),
        ReplyKeyboardRemove())  # the birth-year step's "Geri" goes with the dialogue


async def consent(update: Update, context: BotContext) -> None:
    """"Onaylıyorum": register with what the dialogue gathered."""
    course_id = pressed(update).arg(0)
    dialogue = _ours(context, course_id)
    if dialogue is None:
        await _stale(update, context, course_id)
        return
    if dialogue.step != "consent":
        await ask(update, context, dialogue)  # a button of another step: the question again
        return
    await _register(update, context,
                    await context.services.dialogues.choose(dialogue, consent=True))


async def _stale(update: Update, context: BotContext, course_id: int | None) -> None:
    """A dialogue button pressed after the dialogue ended: quiet when it ended in a seat
    (a second tap), else a calm word on how to start again."""
    if context.dialogue is not None and context.dialogue.kind == KIND:
        await ask(update, context, context.dialogue)
        return
    enrolments = await context.services.registrations.enrolments(context.viewer.user_id)
    if any(e.course.id == course_id for e in enrolments):
        return  # the first tap registered and took the buttons away
    await drop_buttons(update)
    await say(update, context, context.t.text(
        "This pre-registration is no longer in progress. To register, open the course again "
        "with /kurslar."), keyboards.back_to_menu(context.t))


async def _register(update: Update, context: BotContext, dialogue: Dialogue) -> None:
    services, t, data = context.services, context.t, dialogue.data
    birth_year = data.get("birth_year")
    course_id = int(str(data["course_id"]))
    applicant = Applicant(
        full_name=str(data["name"]), phone=str(data["phone"]),
        birth_year=int(str(birth_year)) if birth_year is not None else None,
        consent_version=CONSENT_VERSION,
        consent_text=plain(views.consent_notice(t, services.settings)),
        consent_given=bool(data.get("consent")),
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
    await drop_buttons(update)
    if await dialogues.leave(update, context, remember=False) is None:
        await say(update, context, context.t.text("Done, nothing is in progress now."))
    await say(update, context, views.menu(context.t), keyboards.main_menu(context.t))


def _left(t: Translator, dialogue: Dialogue) -> Markup:
    return t.text("You left the pre-registration for <b>{course}</b>; nothing was saved.",
                  course=str(dialogue.data.get("course_name", "")))


dialogues.register(dialogues.DialogueScreen(
    KIND, frozenset({Action.REGISTER, Action.WAITLIST, Action.CONSENT, Action.AGE,
                     Action.LEAVE}), ask, _left, typed=step))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return []  # the dialogue's answers come through handlers/dialogue.py (group 0)


def buttons() -> list[Route]:
    return [
        (Action.REGISTER, begin),
        (Action.WAITLIST, join_waitlist),
        (Action.CONSENT, consent),
        (Action.AGE, age_answer),
        (Action.LEAVE, leave),
    ]
