"""/verilerim and /verilerimi_sil: the citizen's own data (KVKK)."""

from __future__ import annotations

import json

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from handlers import keyboards
from handlers.callback_data import Action, Route
from handlers.screen import say, show


async def my_data(update: Update, context: BotContext) -> None:
    """Everything stored about the user: a summary message and the whole as a JSON file."""
    data = await context.services.privacy.export(context.viewer.user_id)
    t = context.t
    empty = t.label("none")
    summary = t.text(
        "<b>What we keep about you</b>\n\n"
        "Name: {name}\nMobile: {phone}\nYear of birth: {birth_year}\n"
        "Consent: version {version}, given {given}\nRegistrations: {registrations}\n"
        "Language: {language}\n\n"
        "The attached file holds all of it. /verilerimi_sil deletes it.",
        name=data["full_name"] or empty, phone=data["phone"] or empty,
        birth_year=data["birth_year"] or empty,
        version=data["consent"]["version"] or empty,
        given=data["consent"]["given_at"] or empty,
        registrations=len(data["registrations"]), language=data["language"] or empty)
    await say(update, context, summary)
    chat = update.effective_chat
    assert chat is not None
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await context.bot.send_document(chat.id, payload, filename="verilerim.json")


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
    await show(update, context, context.t.plural(
        "Your personal data is deleted and {n} registration was cancelled. You can start "
        "again at any time with /start.",
        "Your personal data is deleted and {n} registrations were cancelled. You can start "
        "again at any time with /start.", cancelled))


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
