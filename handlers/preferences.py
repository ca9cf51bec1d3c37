"""/bildirimler: subscriptions to new courses by district and branch, and reminders on/off."""

from __future__ import annotations

from markupsafe import Markup
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.domain import Subscription
from bot.i18n import Translator
from handlers import keyboards, markup
from handlers.callback_data import Action, Route, pressed
from handlers.screen import show


async def toggle(update: Update, context: BotContext) -> None:
    """A press on a reminder toggle flips it; the screen is shown again."""
    services, user_id = context.services, context.viewer.user_id
    which = pressed(update).arg(0)
    prefs, _ = await services.preferences.get(user_id)
    if which == 1:
        await services.preferences.set_reminders(user_id, classes=not prefs.class_reminders)
    elif which == 2:
        await services.preferences.set_reminders(user_id, events=not prefs.event_reminders)
    await overview(update, context)


async def overview(update: Update, context: BotContext) -> None:
    """What the user hears about, with the toggles and subscriptions as buttons."""
    services, user_id = context.services, context.viewer.user_id
    prefs, subscriptions = await services.preferences.get(user_id)
    await show(update, context, overview_text(context.t, subscriptions),
               keyboards.preferences(context.t, prefs, subscriptions))


def overview_text(t: Translator, subscriptions: list[Subscription]) -> Markup:
    """The /bildirimler screen: what the user hears about (labels escaped by Markup)."""
    lines: list[str] = [t.text("<b>Notifications</b>"), ""]
    if subscriptions:
        lines.append(t.text("You hear about new courses for:"))
        lines += [Markup("• {}").format(keyboards.subscription_label(t, s))
                  for s in subscriptions]
    else:
        lines.append(t.text("You have no course subscriptions yet. Tap “+ Tell me about new "
                            "courses” to hear when a course opens in your district or branch."))
    lines += ["", t.text("Reminders before the first class, ceremonies and events are sent "
                         "to registered trainees; tap a button below to turn them on or off.")]
    return markup.lines(lines)


async def subscribe(update: Update, context: BotContext) -> None:
    """Choose a district, then a branch; the second choice saves the subscription."""
    cb = pressed(update)
    services = context.services
    if len(cb.args) == 0:
        await _districts(update, context, 0)
    elif len(cb.args) == 1:
        await _branches(update, context, cb.arg(0), 0)
    else:
        await services.preferences.subscribe(context.viewer.user_id, cb.arg(0) or None,
                                              cb.arg(1) or None)
        await overview(update, context)


async def _districts(update: Update, context: BotContext, page: int) -> None:
    counts = await context.services.courses.districts(context.viewer)
    await show(update, context, context.t.text("Which district? (You can also choose any "
                                               "district and then a branch.)"),
               keyboards.subscribe_district(context.t, counts, page))


async def _branches(update: Update, context: BotContext, district_id: int, page: int) -> None:
    branches = await context.services.preferences.branches(context.viewer)
    await show(update, context, context.t.text("Which branch?"),
               keyboards.subscribe_branch(context.t, district_id, branches, page))


async def district_page(update: Update, context: BotContext) -> None:
    """"‹ Önceki" / "Sonraki ›" under the districts."""
    await _districts(update, context, pressed(update).arg(0))


async def branch_page(update: Update, context: BotContext) -> None:
    """"‹ Önceki" / "Sonraki ›" under the branches."""
    cb = pressed(update)
    await _branches(update, context, cb.arg(0), cb.arg(1))


async def unsubscribe(update: Update, context: BotContext) -> None:
    await context.services.preferences.unsubscribe(context.viewer.user_id,
                                                   pressed(update).arg(0))
    await overview(update, context)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler(["bildirimler", "notifications"], overview),
    ]


def buttons() -> list[Route]:
    return [
        (Action.PREFS, toggle),
        (Action.SUBSCRIBE, subscribe),
        (Action.SUB_DISTRICTS, district_page),
        (Action.SUB_BRANCHES, branch_page),
        (Action.UNSUBSCRIBE, unsubscribe),
    ]
