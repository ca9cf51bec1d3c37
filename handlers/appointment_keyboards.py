"""Buttons of the counselling and mobile-point journeys: pure functions of domain objects."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Appointment, AppointmentStatus, MobileVisit, Slot, Topic
from bot.i18n import Translator
from bot.services.appointments import TOPICS
from handlers.appointment_views import hours, topic
from handlers.callback_data import Action, encode

MAX_DAYS, MAX_TIMES = 14, 48


def topic_code(value: Topic) -> int:
    return TOPICS.index(value) + 1


def topic_of(code: int) -> Topic:
    return TOPICS[code - 1] if 1 <= code <= len(TOPICS) else Topic.JOB_SEARCH


def day_code(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def day_of(code: int) -> date | None:
    try:
        return date(code // 10000, code // 100 % 100, code % 100)
    except ValueError:
        return None


def _button(label: str, action: Action, *args: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(action, *args))


def _menu(t: Translator) -> list[InlineKeyboardButton]:
    return [_button(t.label("Main menu"), Action.MENU)]


def topics(t: Translator, visit_id: int = 0) -> InlineKeyboardMarkup:
    rows = [[_button(topic(t, value), Action.BOOK_TOPIC, topic_code(value), visit_id)]
            for value in TOPICS]
    return InlineKeyboardMarkup([*rows, _menu(t)])


def days(t: Translator, chosen: Topic, found: list[date],
         visit_id: int = 0) -> InlineKeyboardMarkup:
    rows = [[_button(t.date(day), Action.BOOK_DAY, topic_code(chosen), day_code(day),
                     visit_id)] for day in found[:MAX_DAYS]]
    rows.append([_button(t.label("Back"), Action.APPOINTMENT)])
    return InlineKeyboardMarkup(rows)


def times(t: Translator, chosen: Topic, slots: list[Slot],
          visit_id: int = 0) -> InlineKeyboardMarkup:
    buttons = [_button(hours(t, s), Action.BOOK_SLOT, topic_code(chosen), s.id)
               for s in slots[:MAX_TIMES]]
    rows = [buttons[i:i + 4] for i in range(0, len(buttons), 4)]
    rows.append([_button(t.label("Back"), Action.BOOK_TOPIC, topic_code(chosen), visit_id)])
    return InlineKeyboardMarkup(rows)


def confirm(t: Translator, chosen: Topic, slot: Slot) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        _button(t.label("Yes"), Action.BOOK_DO, topic_code(chosen), slot.id),
        _button(t.label("Cancel"), Action.BOOK_TOPIC, topic_code(chosen), 0)]])


def booked(t: Translator, appointment: Appointment) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [_button(t.label("Cancel the appointment"), Action.APPT_CANCEL_ASK, appointment.id)],
        _menu(t)])


def cancel_confirm(t: Translator, appointment: Appointment) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        _button(t.label("Yes"), Action.APPT_CANCEL_DO, appointment.id),
        _button(t.label("No, go back"), Action.MINE)]])


def mine_rows(t: Translator, appointment: Appointment) -> list[list[InlineKeyboardButton]]:
    day = appointment.slot.starts_at.astimezone(t.timezone).date()
    return [[_button(t.label("Cancel: appointment on {day}", day=day), Action.APPT_CANCEL_ASK,
                     appointment.id)]]


def after_cancel(t: Translator, chosen: Topic) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [_button(t.label("Choose another time"), Action.BOOK_TOPIC, topic_code(chosen), 0)],
        _menu(t)])


def preview(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t.label("Open the slots"), Action.OPEN_SLOTS),
                                  _button(t.label("Cancel"), Action.LEAVE)]])


def counsellor_day(t: Translator, appointments: list[Appointment]) -> InlineKeyboardMarkup:
    rows = []
    for a in appointments[:30]:
        who = (a.contact_name or "—")[:20]
        when = hours(t, a.slot)
        if a.status is AppointmentStatus.BOOKED:
            rows.append([
                _button(t.label("{time} {name}: attended", time=when, name=who),
                        Action.APPT_MARK, a.id, 1),
                _button(t.label("did not come"), Action.APPT_MARK, a.id, 2)])
        elif a.status is AppointmentStatus.ATTENDED and a.outcome is None:
            rows.append([
                _button(t.label("{time} {name}: referred", time=when, name=who),
                        Action.APPT_OUTCOME, a.id, 1),
                _button(t.label("placed in a job"), Action.APPT_OUTCOME, a.id, 2)])
    rows.append(_menu(t))
    return InlineKeyboardMarkup(rows)


def visits(t: Translator, found: list[MobileVisit]) -> InlineKeyboardMarkup:
    rows = [[_button(t.label("📍 {district}, {day}", district=v.district.name,
                             day=v.starts_at.astimezone(t.timezone).date()),
                     Action.MOBILE, v.id)] for v in found[:20]]
    return InlineKeyboardMarkup([*rows, _menu(t)])


def visit(t: Translator, found: MobileVisit, bookable: bool) -> InlineKeyboardMarkup:
    rows = []
    if bookable:
        rows.append([_button(t.label("Book a counselling time at this visit"),
                             Action.BOOK_TOPIC, topic_code(Topic.JOB_SEARCH), found.id)])
    rows.append([_button(t.label("All visits"), Action.MOBILE)])
    return InlineKeyboardMarkup(rows)


def next_steps(t: Translator, first_free: Slot | None,
               next_visit: MobileVisit | None) -> InlineKeyboardMarkup:
    """Under the after-ceremony message: each next step in one tap."""
    rows = []
    code = topic_code(Topic.JOB_SEARCH)
    if first_free is not None:
        rows.append([_button(t.label("Counselling: {when}", when=first_free.starts_at),
                             Action.BOOK_SLOT, code, first_free.id)])
        rows.append([_button(t.label("Counselling: choose another day"), Action.BOOK_TOPIC,
                             code, 0)])
    else:
        rows.append([_button(t.label("Career counselling"), Action.BOOK_TOPIC, code, 0)])
    if next_visit is not None:
        rows.append([_button(t.label("Mobile point: {district}, {day}",
                                     district=next_visit.district.name,
                                     day=next_visit.starts_at.astimezone(t.timezone).date()),
                             Action.MOBILE, next_visit.id)])
    else:
        rows.append([_button(t.label("Mobile employment point"), Action.MOBILE)])
    return InlineKeyboardMarkup(rows)
