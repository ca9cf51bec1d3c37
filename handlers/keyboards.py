"""Inline and reply keyboards: pure functions of domain objects and the translator."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.domain import (
    Course,
    CoursePage,
    DistrictCount,
    Enrolment,
    NearbyCourse,
    Preferences,
    RegistrationStatus,
    Subscription,
)
from bot.i18n import Translator
from bot.services.lifecycle import CardAction, CardOffer
from handlers.callback_data import Action, encode

_LABEL_LIMIT = 60


def _short(value: str, limit: int = _LABEL_LIMIT) -> str:
    # (not named `text`: babel's extractor takes a parameter of that name for a call)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _button(caption: str, action: Action, *args: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(caption, callback_data=encode(action, *args))


def main_menu(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [_button(t.label("Courses"), Action.DISTRICTS),
         _button(t.label("Search courses"), Action.SEARCH)],
        [_button(t.label("Courses near me"), Action.NEARBY),
         _button(t.label("My registrations"), Action.MINE)],
        [_button(t.label("Career counselling"), Action.APPOINTMENT),
         _button(t.label("Mobile employment point"), Action.MOBILE)],
        [_button(t.label("Events"), Action.EVENTS),
         _button(t.label("Notifications"), Action.PREFS)],
        [_button(t.label("My data"), Action.MY_DATA),
         _button(t.label("Dil / Language"), Action.LANGUAGE),
         _button(t.label("Help"), Action.HELP)],
    ])


def pages(t: Translator, page: int, pages: int, action: Action) -> InlineKeyboardMarkup:
    """Paging buttons under a long text list, and the main menu."""
    paging = _paging(t, page, pages, action)
    return InlineKeyboardMarkup([*([paging] if paging else []),
                                 [_button(t.label("Main menu"), Action.MENU)]])


def back_to_menu(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.label("Main menu"), Action.MENU)]])


def districts(t: Translator, counts: list[DistrictCount], online: int) -> InlineKeyboardMarkup:
    """The district list (the biggest keyboard): built once per language and set of counts;
    markups are immutable, so the same one can be sent again."""
    return _districts(t, tuple(counts), online)


@lru_cache(maxsize=64)
def _districts(t: Translator, counts: tuple[DistrictCount, ...],
               online: int) -> InlineKeyboardMarkup:
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
    paging = _paging(t, page.page, page.pages, action, *owner)
    if paging:
        rows.append(paging)
    rows.append([_button(t.label("Back"), Action.DISTRICTS)])
    return InlineKeyboardMarkup(rows)


def _paging(t: Translator, page: int, pages: int, action: Action,
            *owner: int) -> list[InlineKeyboardButton]:
    """"‹ Önceki" / "Sonraki ›" for a list of `pages` pages (none when there is one)."""
    row = []
    if page > 0:
        row.append(_button(t.label("‹ Previous"), action, *owner, page - 1))
    if page < pages - 1:
        row.append(_button(t.label("Next ›"), action, *owner, page + 1))
    return row


def course_label(t: Translator, course: Course) -> str:
    """A course button that says where it is: "Kuaförlük — Buca"."""
    where = course.centre.district.name if course.centre else t.label("Online")
    return f"{_short(course.name, 40)} — {where}"


def search_results(t: Translator, page: CoursePage) -> InlineKeyboardMarkup:
    rows = [[_button(course_label(t, c), Action.COURSE, c.id, 0)] for c in page.courses]
    paging = _paging(t, page.page, page.pages, Action.SEARCH_PAGE)
    if paging:
        rows.append(paging)
    rows.append([_button(t.label("Main menu"), Action.MENU)])
    return InlineKeyboardMarkup(rows)


def course_list(t: Translator, courses: list[Course]) -> InlineKeyboardMarkup:
    rows = [[_button(course_label(t, c), Action.COURSE, c.id, 0)] for c in courses]
    rows.append([_button(t.label("Main menu"), Action.MENU)])
    return InlineKeyboardMarkup(rows)


def nearby(t: Translator, found: list[NearbyCourse]) -> InlineKeyboardMarkup:
    return course_list(t, [n.course for n in found])


def share_url(bot_username: str, course: Course, t: Translator) -> str:
    return _share_url(bot_username, course.code, t.label("Free course: {name}",
                                                         name=course.name))


@lru_cache(maxsize=4096)
def _share_url(bot_username: str, code: str, text: str) -> str:
    link = f"https://t.me/{bot_username}?start=kurs_{code}"
    return f"https://t.me/share/url?url={quote(link, safe='')}&text={quote(text, safe='')}"


def course_card(
    t: Translator, course: Course, offer: CardOffer, page: int, bot_username: str
) -> InlineKeyboardMarkup:
    rows = []
    if offer.action is CardAction.REGISTER:
        rows.append([_button(t.label("Pre-register"), Action.REGISTER, course.id)])
    elif offer.action is CardAction.WAITLIST:
        rows.append([_button(t.label("Join the waiting list"), Action.REGISTER, course.id)])
    elif offer.action in (CardAction.REGISTERED, CardAction.WAITING, CardAction.OFFERED):
        rows.append([_button(t.label("My registrations"), Action.MINE)])
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


def join_waitlist(t: Translator, course: Course) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.label("Join the waiting list"), Action.WAITLIST,
                                          course.id),
                                  _button(t.label("Cancel"), Action.MENU)]])


def offer_saved(value: str | None) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    """A one-tap button with what the citizen gave last time."""
    if not value:
        return ReplyKeyboardRemove()
    return ReplyKeyboardMarkup([[KeyboardButton(value)]], resize_keyboard=True,
                               one_time_keyboard=True)


def ask_phone(t: Translator, saved: str | None) -> ReplyKeyboardMarkup:
    rows = [[KeyboardButton(t.label("📱 Share my number"), request_contact=True)]]
    if saved:
        rows.append([KeyboardButton(saved)])
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)


def consent(t: Translator, course_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.label("I agree"), Action.CONSENT, course_id),
                                  _button(t.label("Cancel"), Action.LEAVE)]])


def age_check(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.label("Correct it"), Action.AGE, 0),
                                  _button(t.label("Yes, it is right"), Action.AGE, 1)]])


def after_registration(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.label("My registrations"), Action.MINE),
                                  _button(t.label("Main menu"), Action.MENU)]])


def my_registrations(t: Translator, enrolments: list[Enrolment]) -> InlineKeyboardMarkup:
    rows = []
    for enrolment in enrolments:
        r, name = enrolment.registration, _short(enrolment.course.name, 40)
        if r.status is RegistrationStatus.OFFERED:
            rows.append([_button(t.label("Accept: {course}", course=name), Action.OFFER, r.id, 1),
                         _button(t.label("Decline"), Action.OFFER, r.id, 0)])
        rows.append([_button(t.label("Cancel: {course}", course=name), Action.CANCEL_ASK,
                             r.id)])
    rows.append([_button(t.label("Main menu"), Action.MENU)])
    return InlineKeyboardMarkup(rows)


def confirm(t: Translator, yes: str, action: Action, *args: int,
            back: Action = Action.MINE) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(yes, action, *args),
                                  _button(t.label("No, go back"), back)]])


def seat_offer(t: Translator, registration_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.label("Accept"), Action.OFFER, registration_id, 1),
                                  _button(t.label("Decline"), Action.OFFER, registration_id,
                                          0)]])


def no_pin(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.label("Continue without a map pin"),
                                          Action.NO_PIN)]])


def preferences(t: Translator, prefs: Preferences,
                subscriptions: list[Subscription]) -> InlineKeyboardMarkup:
    on, off = t.label("on"), t.label("off")
    rows = [
        [_button(t.label("Class reminders: {state}",
                         state=on if prefs.class_reminders else off), Action.PREFS, 1)],
        [_button(t.label("Ceremony and event reminders: {state}",
                         state=on if prefs.event_reminders else off), Action.PREFS, 2)],
        [_button(t.label("+ Tell me about new courses"), Action.SUBSCRIBE)],
    ]
    rows += [[_button(t.label("Remove: {what}", what=_short(subscription_label(t, s), 40)),
                      Action.UNSUBSCRIBE, s.id)] for s in subscriptions]
    rows.append([_button(t.label("Main menu"), Action.MENU)])
    return InlineKeyboardMarkup(rows)


def subscription_label(t: Translator, subscription: Subscription) -> str:
    district = subscription.district.name if subscription.district else None
    if district and subscription.branch:
        return t.label("{branch} in {district}", branch=subscription.branch, district=district)
    return district or subscription.branch or ""


BUTTON_PAGE = 24  # buttons of one page of a long list (Telegram refuses about 100)


def _page_of(items: list[InlineKeyboardButton], page: int,
             size: int) -> tuple[list[InlineKeyboardButton], int, int]:
    pages = max((len(items) + size - 1) // size, 1)
    page = min(max(page, 0), pages - 1)
    return items[page * size:(page + 1) * size], page, pages


def subscribe_district(t: Translator, counts: list[DistrictCount],
                       page: int = 0) -> InlineKeyboardMarkup:
    buttons = [_button(c.district.name, Action.SUBSCRIBE, c.district.id) for c in counts]
    shown, page, pages = _page_of(buttons, page, BUTTON_PAGE)
    rows = [shown[i:i + 3] for i in range(0, len(shown), 3)]
    paging = _paging(t, page, pages, Action.SUB_DISTRICTS)
    if paging:
        rows.append(paging)
    rows.append([_button(t.label("Any district"), Action.SUBSCRIBE, 0)])
    rows.append([_button(t.label("Back"), Action.PREFS)])
    return InlineKeyboardMarkup(rows)


def subscribe_branch(t: Translator, district_id: int, branches: list[tuple[int, str]],
                     page: int = 0) -> InlineKeyboardMarkup:
    buttons = [_button(_short(name), Action.SUBSCRIBE, district_id, branch_id)
               for branch_id, name in branches]
    shown, page, pages = _page_of(buttons, page, BUTTON_PAGE // 2)
    rows = [[button] for button in shown]
    paging = _paging(t, page, pages, Action.SUB_BRANCHES, district_id)
    if paging:
        rows.append(paging)
    rows.append([_button(t.label("Any branch"), Action.SUBSCRIBE, district_id, 0)])
    rows.append([_button(t.label("Back"), Action.SUBSCRIBE)])
    return InlineKeyboardMarkup(rows)
