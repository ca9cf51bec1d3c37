"""/verilerim and /verilerimi_sil: the citizen's own data (KVKK)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from markupsafe import Markup
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import Translator
from handlers import keyboards
from handlers.callback_data import Action, Route
from handlers.markup import lines
from handlers.screen import say, show

LANGUAGE_NAMES = {"tr": "Türkçe", "en": "English"}


async def my_data(update: Update, context: BotContext) -> None:
    """Everything stored about the user: a summary message and the whole as a JSON file."""
    data = await context.services.privacy.export(context.viewer.user_id)
    await say(update, context, _summary(context.t, data))
    chat = update.effective_chat
    assert chat is not None
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await context.bot.send_document(chat.id, payload, filename="verilerim.json")


def _when(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _summary(t: Translator, data: dict[str, Any]) -> Markup:
    """The stored data in sentences: dates in words in the bot's zone, and only what is
    there (nothing reads "none")."""
    rows: list[str] = [t.text("<b>What we keep about you</b>"), ""]
    if data["full_name"] or data["phone"]:
        rows.append(t.text("Name: {name}", name=data["full_name"] or ""))
        rows.append(t.text("Mobile: {phone}", phone=data["phone"] or ""))
    else:
        rows.append(t.text("We keep no name or phone number of yours."))
    if data["birth_year"]:
        rows.append(t.text("Year of birth: {year}", year=data["birth_year"]))
    consent = data["consent"]
    given = _when(consent["given_at"])
    if given is not None:
        rows.append(t.text("You gave your explicit consent on {when} (version {version} of "
                           "the notice).", when=t.at(given), version=consent["version"]))
    rows.append(t.plural("Course registrations: {n}", "Course registrations: {n}",
                         len(data["registrations"])))
    if data["language"]:
        rows.append(t.text("Language you chose: {language}",
                           language=LANGUAGE_NAMES.get(data["language"], data["language"])))
    dialogue = data["dialogue_in_progress"]
    if dialogue:
        typed = dialogue["data"]
        deleted = _when(dialogue["deleted_at"])
        rows.append(t.text(
            "An unfinished pre-registration ({course}) holds what you typed into it: {typed}. "
            "It is deleted on {when} if you do not finish it.",
            course=typed.get("course_name", ""),
            typed=", ".join(str(typed[k]) for k in ("name", "phone", "birth_year")
                            if k in typed) or "-",
            when=t.at(deleted) if deleted else ""))
    first_seen = _when(data["first_seen"])
    if first_seen is not None:
        rows.append(t.text("You first wrote to the bot on {when}.", when=t.date(
            first_seen.astimezone(t.timezone).date())))
    rows += ["", t.text("The attached file holds all of it. /verilerimi_sil deletes it.")]
    return lines(rows)


async def ask_delete(update: Update, context: BotContext) -> None:
    """Confirm before deleting."""
    await show(update, context, context.t.text(
        "Delete all your personal data? Your course registrations and waiting places are "
        "cancelled first, and your name, phone number and year of birth are erased. This "
        "cannot be undone."),
        keyboards.confirm(context.t, context.t.label("Yes, delete"), Action.DELETE_DO,
                          back=Action.MENU))


async def do_delete(update: Update, context: BotContext) -> None:
    """Delete for real."""
    cancelled = await context.services.privacy.forget(context.viewer.user_id)
    if cancelled:
        await show(update, context, context.t.plural(
            "Your personal data is deleted, and {n} registration was cancelled. You can start "
            "again at any time with /start.",
            "Your personal data is deleted, and {n} registrations were cancelled. You can "
            "start again at any time with /start.", cancelled))
    else:
        await show(update, context, context.t.text(
            "Your personal data is deleted. You can start again at any time with /start."))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler(["verilerim", "mydata"], my_data),
        CommandHandler(["verilerimi_sil", "deletemydata"], ask_delete),
    ]


def buttons() -> list[Route]:
    return [
        (Action.MY_DATA, my_data),
        (Action.DELETE_ASK, ask_delete),
        (Action.DELETE_DO, do_delete),
    ]
