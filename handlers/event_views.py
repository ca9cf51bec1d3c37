"""Texts about ceremonies, exhibitions, panels and reminders (HTML)."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup

from bot.domain import Course, Event, EventKind
from bot.i18n import N_, At, Translator
from handlers.markup import lines

KIND_NAMES = {
    EventKind.CEREMONY: N_("Certificate ceremony"),
    EventKind.EXHIBITION: N_("Year-end exhibition"),
    EventKind.PANEL: N_("Panel"),
}


def title(t: Translator, event: Event, course: Course | None) -> Markup:
    if event.kind is EventKind.CEREMONY and course is not None:
        return t.text("Certificate ceremony: {course}", course=course.name)
    return t.text("{kind}: {title}", kind=t.label(KIND_NAMES[event.kind]), title=event.title)


def ceremony_news(t: Translator, event: Event, course: Course | None, moved: bool) -> Markup:
    head = (t.text("📅 <b>The certificate ceremony has moved.</b>") if moved
            else t.text("🎓 <b>Your certificate ceremony is scheduled.</b>"))
    return lines([head, "", title(t, event, course),
                      t.text("When: {when}", when=event.starts_at),
                      t.text("Where: {place}", place=event.place), "",
                      t.text("The calendar file below adds it to your phone. We will remind you "
                             "before it starts.")])


def ceremony_cancelled(t: Translator, event: Event, course: Course | None) -> Markup:
    return t.text("The certificate ceremony of <b>{course}</b> on {when} is cancelled. We will "
                  "let you know when a new date is set.",
                  course=course.name if course else event.title, when=At(event.starts_at))


def event_news(t: Translator, event: Event) -> Markup:
    return lines([t.text("📣 <b>An event for you</b>"), "", title(t, event, None),
                      t.text("When: {when}", when=event.starts_at),
                      t.text("Where: {place}", place=event.place)])


def after_ceremony(t: Translator, course: Course | None) -> Markup:
    return t.text(
        "Congratulations on your <b>{course}</b> certificate! 🎉\n\nWhat next? A career "
        "counsellor can help you with your CV, job search and interviews, and the mobile "
        "employment point visits the districts.", course=course.name if course else "")


def class_reminder(t: Translator, course: Course, starts_at: datetime, first: bool) -> Markup:
    head = (t.text("⏰ Reminder: your first class of <b>{course}</b> is on {when}.",
                   course=course.name, when=At(starts_at)) if first else
            t.text("⏰ Reminder: <b>{course}</b> has a class on {when}.", course=course.name,
                   when=At(starts_at)))
    if course.centre:
        where = t.text("Where: {centre}, {address}", centre=course.centre.name,
                       address=course.centre.address or course.centre.district.name)
    else:
        where = t.text("Class link: {link}", link=course.link or "")
    return lines([head, where])


def event_reminder(t: Translator, event: Event, course: Course | None) -> Markup:
    return lines([t.text("⏰ Reminder: {title} is on {when}.",
                             title=title(t, event, course), when=At(event.starts_at)),
                      t.text("Where: {place}", place=event.place)])


def upcoming(t: Translator, found: list[tuple[Event, Course | None]], page: int = 0,
             pages: int = 1) -> Markup:
    if not found:
        return t.text("No ceremonies, exhibitions or panels are coming up for you yet. We will "
                      "tell you when there are; /bildirimler sets what you hear about.")
    head = t.text("<b>Coming up</b>")
    if pages > 1:
        head += " " + t.text("(page {page} of {pages})", page=page + 1, pages=pages)
    rows = [head, ""]
    for event, course in found:
        rows.append(t.text("• {title} – {when}, {place}", title=title(t, event, course),
                            when=event.starts_at, place=event.place))
    return lines(rows)
