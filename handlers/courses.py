"""Browsing courses: districts → courses of a district → course card, and nearby courses."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from handlers import keyboards, views
from handlers.callback_data import Action, Route, pressed
from handlers.screen import show


async def districts(update: Update, context: BotContext) -> None:
    """Districts that have open courses, with counts, and the online courses entry."""
    courses = context.services.courses
    counts = await courses.districts(context.viewer)
    online = await courses.online_count(context.viewer)
    await show(update, context, views.districts(context.t, counts, online),
               keyboards.districts(context.t, counts, online))


async def district_page(update: Update, context: BotContext) -> None:
    """One page of a district's courses."""
    cb = pressed(update)
    courses = context.services.courses
    district = await courses.district(cb.arg(0))
    page = await courses.page(context.viewer, cb.arg(1), district_id=district.id)
    await show(update, context, views.course_page(context.t, district.name, page),
               keyboards.course_page(context.t, page, Action.DISTRICT, district.id))


async def online_page(update: Update, context: BotContext) -> None:
    """One page of the online courses."""
    page = await context.services.courses.page(context.viewer, pressed(update).arg(0),
                                               online=True)
    title = context.t.label("Online courses")
    await show(update, context, views.course_page(context.t, title, page),
               keyboards.course_page(context.t, page, Action.ONLINE))


async def show_course(update: Update, context: BotContext, *, course_id: int | None = None,
                      code: str | None = None, page: int = 0) -> None:
    """The course card, by id (button) or code (deep link)."""
    course = await context.services.courses.course(context.viewer, course_id=course_id, code=code)
    offer = await context.services.registrations.card_offer(context.viewer, course)
    await show(update, context, views.course_card(context.t, course, offer),
               keyboards.course_card(context.t, course, offer, page, context.bot.username))


async def course_card(update: Update, context: BotContext) -> None:
    """A course card opened from a list."""
    cb = pressed(update)
    await show_course(update, context, course_id=cb.arg(0), page=cb.arg(1))


async def venue(update: Update, context: BotContext) -> None:
    """The course centre as a venue on the map."""
    course_id = pressed(update).arg(0)
    course = await context.services.courses.course(context.viewer, course_id=course_id)
    centre = course.centre
    chat = update.effective_chat
    if chat and centre and centre.latitude is not None and centre.longitude is not None:
        address = ", ".join(p for p in (centre.address, centre.neighbourhood,
                                        centre.district.name) if p)
        await context.bot.send_venue(chat.id, centre.latitude, centre.longitude,
                                     title=centre.name[:100], address=address[:100])


async def nearby(update: Update, context: BotContext) -> None:
    """Courses nearest to a shared location."""
    message = update.message
    if message is None or message.location is None:
        return
    found = await context.services.search.nearby(
        context.viewer, message.location.latitude, message.location.longitude)
    await message.reply_text(context.t.text("Thank you, looking around you…"),
                             reply_markup=ReplyKeyboardRemove())
    await message.reply_text(views.nearby(context.t, found),
                             reply_markup=keyboards.nearby(context.t, found))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler(["kurslar", "courses"], districts),
        MessageHandler(filters.LOCATION & filters.UpdateType.MESSAGE, nearby),
    ]


def buttons() -> list[Route]:
    return [
        (Action.DISTRICTS, districts),
        (Action.DISTRICT, district_page),
        (Action.ONLINE, online_page),
        (Action.COURSE, course_card),
        (Action.VENUE, venue),
    ]
