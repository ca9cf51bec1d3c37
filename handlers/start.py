"""/start (with deep links), the main menu, /yardim and /iptal."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from handlers import keyboards, staff_roles, views
from handlers.callback_data import Action, Route
from handlers.courses import show_course
from handlers.screen import say, show


async def start(update: Update, context: BotContext) -> None:
    """Greet with the main menu, or open the course of a `kurs_<CODE>` deep link."""
    payload = context.args[0] if context.args else ""
    if payload.lower().startswith("kurs_"):
        await show_course(update, context, code=payload[5:])
        return
    if payload.lower().startswith(staff_roles.INVITE_PREFIX):
        await staff_roles.join(update, context, payload[len(staff_roles.INVITE_PREFIX):])
        return
    user = update.effective_user
    name = user.first_name if user else ""
    organisation = context.services.settings.organisation_name
    await show(update, context, views.welcome(context.t, name, organisation),
               keyboards.main_menu(context.t))


async def menu(update: Update, context: BotContext) -> None:
    """The main menu (button)."""
    await show(update, context, views.menu(context.t), keyboards.main_menu(context.t))


async def help_command(update: Update, context: BotContext) -> None:
    """What the bot can do and how to reach it (and to staff, the commands of their role)."""
    await show(update, context, views.help_text(context.t, context.viewer.role),
               keyboards.back_to_menu(context.t))


async def cancel(update: Update, context: BotContext) -> None:
    """/iptal: the dialogue it left was named in one line already (preprocess); with nothing
    to leave, it says so."""
    if context.left is None:
        await say(update, context, context.t.text("Done, nothing is in progress now."),
                  ReplyKeyboardRemove())
    await show(update, context, views.menu(context.t), keyboards.main_menu(context.t))


async def search_hint(update: Update, context: BotContext) -> None:
    """Explain how to search (button)."""
    await show(update, context, context.t.text(
        "Write what you are looking for, for example <i>kuaför</i>, <i>muhasebe</i> or "
        "<i>Buca</i>, or send <code>/ara kuaför</code>."), keyboards.back_to_menu(context.t))


async def nearby_hint(update: Update, context: BotContext) -> None:
    """Ask for the location with a one-tap button (button)."""
    chat = update.effective_chat
    if chat:
        await context.bot.send_message(chat.id, context.t.text(
            "Tap “Share my location” below (on your phone) and I will list the courses "
            "nearest to you. You can also send any point with 📎 → Location."),
            reply_markup=keyboards.ask_location(context.t))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("start", start),
        CommandHandler(["yardim", "help"], help_command),
        CommandHandler(["iptal", "cancel"], cancel),
    ]


def buttons() -> list[Route]:
    return [
        (Action.MENU, menu),
        (Action.HELP, help_command),
        (Action.SEARCH, search_hint),
        (Action.NEARBY, nearby_hint),
    ]
