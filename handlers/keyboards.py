"""Inline and reply keyboards: pure functions of domain objects and the translator."""

from __future__ import annotations

from urllib.parse import quote

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.domain import Course, CoursePage, DistrictCount, NearbyCourse
from bot.i18n import Translator
from handlers.callback_data import Action, encode

_LABEL_LIMIT = 60


def _short(text: str, limit: int = _LABEL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _button(label: str, action: Action, *args: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(action, *args))


def main_menu(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [_button(t.label("Courses"), Action.DISTRICTS),
         _button(t.label("Search courses"), Action.SEARCH)],
        [_button(t.label("Courses near me"), Action.NEARBY)],
        [_button(t.label("Dil / Language"), Action.LANGUAGE),
         _button(t.label("Help"), Action.HELP)],
    ])


def back_to_menu(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.label("Main menu"), Action.MENU)]])


def districts(t: Translator, counts: list[DistrictCount], online: int) -> InlineKeyboardMarkup:
    buttons = [
        _button(t.label("{district} ({count})", district=c.district.name,
                        count=t.number(c.open_courses)), Action.DISTRICT, c.district.id, 0)
        for c in counts
    ]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    if online:
        rows.append([_button(t.label("Online courses ({count})", count=t.number(online)),
                             Action.ONLINE, 0)])
    rows.append([_button(t.label("Back"), Action.MENU)])
    return InlineKeyboardMarkup(rows)


def course_page(
    t: Translator, page: CoursePage, action: Action, *owner: int
) -> InlineKeyboardMarkup:
    rows = [[_button(_short(c.name), Action.COURSE, c.id, page.page)] for c in page.courses]
    paging = []
    if page.page > 0:
        paging.append(_button(t.label("‹ Previous"), action, *owner, page.page - 1))
    if page.page < page.pages - 1:
        paging.append(_button(t.label("Next ›"), action, *owner, page.page + 1))
    if paging:
        rows.append(paging)
    rows.append([_button(t.label("Back"), Action.DISTRICTS)])
    return InlineKeyboardMarkup(rows)


def course_list(t: Translator, courses: list[Course]) -> InlineKeyboardMarkup:
    rows = [[_button(_short(c.name), Action.COURSE, c.id, 0)] for c in courses]
    rows.append([_button(t.label("Main menu"), Action.MENU)])
    return InlineKeyboardMarkup(rows)


def nearby(t: Translator, found: list[NearbyCourse]) -> InlineKeyboardMarkup:
    return course_list(t, [n.course for n in found])


def share_url(bot_username: str, course: Course, t: Translator) -> str:
    link = f"https://t.me/{bot_username}?start=kurs_{course.code}"
    text = t.label("Free course: {name}", name=course.name)
    return f"https://t.me/share/url?url={quote(link, safe='')}&text={quote(text, safe='')}"


def course_card(
    t: Translator, course: Course, page: int, bot_username: str
) -> InlineKeyboardMarkup:
    rows = [[_button(t.label("Pre-register"), Action.REGISTER, course.id)]]
    if course.centre and course.centre.has_location:
        rows.append([_button(t.label("Location of the centre"), Action.VENUE, course.id)])
    rows.append([InlineKeyboardButton(t.label("Share"), url=share_url(bot_username, course, t))])
    if course.centre:
        back = _button(t.label("Back"), Action.DISTRICT, course.centre.district.id, page)
    else:
        back = _button(t.label("Back"), Action.ONLINE, page)
    rows.append([back])
    return InlineKeyboardMarkup(rows)


def languages() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button("Türkçe", Action.LANGUAGE, 1),
                                  _button("English", Action.LANGUAGE, 2)]])


def ask_location(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(t.label("Share my location"), request_location=True)]],
        resize_keyboard=True, one_time_keyboard=True,
    )
