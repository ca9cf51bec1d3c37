"""Message texts (HTML): pure functions of domain objects and the translator."""

from __future__ import annotations

import re
from datetime import datetime
from html import escape, unescape

from bot.domain import (
    Course,
    CoursePage,
    DistrictCount,
    Enrolment,
    NearbyCourse,
    Registration,
    RegistrationStatus,
)
from bot.i18n import N_, Translator
from bot.services.lifecycle import CardAction, CardOffer

MAX_MESSAGE = 4096


def welcome(t: Translator, first_name: str) -> str:
    return t.text(
        "Hello {name}! Welcome to <b>Meslek Kapısı</b>, the municipality's free vocational "
        "courses.\n\nFind a course in your district, pre-register in a minute and we will "
        "remind you of your classes. Every course is free.\n\nWhat would you like to do?",
        name=first_name,
    )


def menu(t: Translator) -> str:
    return t.text("What would you like to do?")


def help_text(t: Translator) -> str:
    return t.text(
        "<b>How to use Meslek Kapısı</b>\n\n"
        "/kurslar – courses by district\n"
        "/ara – search courses, e.g. <code>/ara kuaför</code>\n"
        "Share your location – the courses nearest to you\n"
        "/dil – Türkçe / English\n"
        "/iptal – leave what you are doing\n"
        "/start – main menu\n\n"
        "You can also simply write what you are looking for, e.g. <i>muhasebe</i> or "
        "<i>Çiğli</i>."
    )


def districts(t: Translator, counts: list[DistrictCount], online: int) -> str:
    if not counts and not online:
        return t.text("There are no courses open for registration right now. Please look "
                      "again soon, new courses are announced often.")
    total = sum(c.open_courses for c in counts) + online
    return t.plural(
        "<b>Free courses</b>: {n} course is open. Choose your district:",
        "<b>Free courses</b>: {n} courses are open. Choose your district:",
        total,
    )


def _course_line(t: Translator, course: Course) -> str:
    where = course.centre.name if course.centre else t.text("Online")
    return t.text("• <b>{name}</b> – {where}, from {start}", name=course.name, where=where,
                  start=t.date(course.start_date))


def course_page(t: Translator, title: str, page: CoursePage) -> str:
    head: str = t.plural("<b>{title}</b>: {n} course", "<b>{title}</b>: {n} courses",
                         page.total, title=title)
    if page.pages > 1:
        head += " " + t.text("(page {page} of {pages})", page=page.page + 1, pages=page.pages)
    lines = [_course_line(t, c) for c in page.courses]
    return "\n".join([head, "", *lines, "", t.text("Choose a course to see the details.")])


def _card_status(t: Translator, course: Course, offer: CardOffer) -> str:
    """Why the card offers what it offers: seats while registration is open, else why not."""
    action = offer.action
    if action is CardAction.REGISTERED and offer.registration is not None:
        return t.text("✅ You are registered for this course (code {code}).",
                      code=offer.registration.code)
    if action is CardAction.WAITING:
        return t.text("⏳ You are on the waiting list for this course: number {position}.",
                      position=offer.position or 0)
    if action is CardAction.OFFERED:
        return t.text("🎉 A seat in this course is offered to you: answer it in /kayitlarim.")
    if action is CardAction.COMPLETED:
        return t.text("🎓 You completed this course.")
    if action is CardAction.RUNNING:
        return t.text("Registration closed when the first class started.")
    if action is CardAction.CLOSED:
        return t.text("Registration for this course is closed.")
    if action is CardAction.FINISHED:
        return t.text("This course has ended.")
    if course.seats_left:
        seats: str = t.plural("Seats left: {n} of {capacity}", "Seats left: {n} of {capacity}",
                              course.seats_left, capacity=t.number(course.capacity))
    elif action is CardAction.WAITLIST:
        seats = t.text("The course is full; you can join the waiting list as number "
                       "{position}.", position=offer.position or 1)
    else:
        seats = t.text("The course is full; you can join the waiting list.")
    if action is CardAction.NOT_YET_OPEN and offer.opens_at is not None:
        return "\n".join([seats, t.text("Registration opens on {when}.",
                                         when=t.at(offer.opens_at))])
    return seats


def course_card(t: Translator, course: Course, offer: CardOffer) -> str:
    parts = [f"<b>{escape(course.name, quote=False)}</b>",
             t.text("Branch: {branch}", branch=course.branch)]
    if course.centre:
        centre = course.centre
        address = ", ".join(
            p for p in (centre.address, centre.neighbourhood, centre.district.name) if p
        )
        parts.append(t.text("Centre: {centre}", centre=centre.name))
        parts.append(t.text("Address: {address}", address=address))
    else:
        parts.append(t.text("Online course: the link is shown to registered trainees."))
    parts += [
        t.text("Dates: {start} – {end}", start=t.date(course.start_date),
               end=t.date(course.end_date)),
        t.text("Days: {days}", days=t.weekdays(course.weekdays)),
        t.text("Hours: {start}–{end}", start=t.time(course.start_time),
               end=t.time(course.end_time)),
    ]
    if course.instructor:
        parts.append(t.text("Instructor: {name}", name=course.instructor))
    if course.min_age:
        parts.append(t.text("Minimum age: {age}", age=course.min_age))
    parts.append(t.text("The course is free of charge."))
    if course.description:
        parts += ["", escape(course.description, quote=False)]
    parts += ["", _card_status(t, course, offer)]
    return "\n".join(parts)[:MAX_MESSAGE]


def search_results(t: Translator, query: str, courses: list[Course], total: int) -> str:
    if not courses:
        return t.text(
            "No open course matches “{query}”. Try another word (for example a district or "
            "a profession), or browse all courses with /kurslar.", query=query[:100]
        )
    head: str = t.plural("{n} course found for “{query}”:", "{n} courses found for “{query}”:",
                         total, query=query[:100])
    if total > len(courses):
        head += "\n" + t.text("Showing the first {shown}; add a word to narrow it down.",
                              shown=len(courses))
    return "\n".join([head, "", *(_course_line(t, c) for c in courses)])


def nearby(t: Translator, found: list[NearbyCourse]) -> str:
    if not found:
        return t.text("We could not find a course centre with a location yet. Browse the "
                      "courses by district with /kurslar.")
    lines = [
        t.text("• {distance} km – <b>{name}</b>, {centre}",
               distance=t.number(round(n.distance_km, 1)), name=n.course.name,
               centre=n.course.centre.name if n.course.centre else "")
        for n in found
    ]
    return "\n".join([t.text("<b>Courses nearest to you</b>:"), "", *lines])


def plain(html_text: str) -> str:
    """What a person reads: tags removed, entities resolved (for stored copies and files)."""
    return unescape(re.sub(r"<[^>]+>", "", html_text))


def course_full(t: Translator, course: Course, position: int) -> str:
    return t.text(
        "<b>{course}</b> is full. You can join the waiting list: you would be number "
        "{position}. When a seat frees up we offer it to the first on the list.",
        course=course.name, position=position)


def ask_name(t: Translator, course: Course) -> str:
    return t.text(
        "Pre-registration for <b>{course}</b>.\n\nWrite your first name and surname.\n\n"
        "(/iptal leaves at any time.)", course=course.name)


def ask_phone(t: Translator) -> str:
    return t.text("Your mobile phone number? Tap “Share my number” below, or write it, for "
                  "example 0532 123 45 67.")


def ask_birth_year(t: Translator, min_age: int) -> str:
    return t.text("Your year of birth? This course is for people aged {age} or over. Write "
                  "four digits, for example 1990.", age=min_age)


def consent_notice(t: Translator, with_birth_year: bool) -> str:
    kept = (t.text("your name and surname, mobile number, year of birth and your course "
                   "registrations")
            if with_birth_year else
            t.text("your name and surname, mobile number and your course registrations"))
    return t.text(
        "<b>Personal data notice (KVKK)</b>\n\n"
        "<b>What we keep:</b> {kept}.\n"
        "<b>Why:</b> to hold your seat, to reach you about the course, and to remind you of "
        "classes and ceremonies. We share them only with the course centre.\n"
        "<b>How long:</b> while you use this service, until you delete them.\n"
        "<b>Your rights:</b> /verilerim shows everything we keep; /verilerimi_sil deletes it "
        "at any time.\n\n"
        "Do you agree that your data is processed for this purpose?", kept=kept)


def registration_result(t: Translator, registration: Registration, course: Course) -> str:
    if registration.status is RegistrationStatus.WAITING:
        return t.text(
            "The course <b>{course}</b> is full, so you are on the waiting list.\n"
            "You are number {position} on the waiting list.\n\nWhen a seat frees up we will "
            "message you at once; you will then have a limited time to accept it. "
            "/kayitlarim shows your place.",
            course=course.name, position=registration.position or 0)
    lines = [t.text(
        "Your pre-registration for <b>{course}</b> is done.\nYour registration code: "
        "<b>{code}</b>\n\nFirst class: {start}, {hours}.",
        course=course.name, code=registration.code, start=course.start_date,
        hours=f"{t.time(course.start_time)}–{t.time(course.end_time)}")]
    if course.is_online and course.link:
        lines.append(t.text("Class link: {link}", link=course.link))
    lines.append(t.text("We will remind you before the first class. /kayitlarim shows your "
                        "registrations."))
    return "\n".join(lines)


def my_registrations(t: Translator, enrolments: list[Enrolment],
                     history: list[Enrolment]) -> str:
    lines = _current(t, enrolments)
    if history:
        lines += ["", t.text("<b>Completed courses</b>"), ""]
        lines += [t.text("🎓 <b>{course}</b> – {start} – {end}", course=e.course.name,
                         start=e.course.start_date, end=e.course.end_date) for e in history]
    return "\n".join(lines)


def _current(t: Translator, enrolments: list[Enrolment]) -> list[str]:
    if not enrolments:
        return [t.text("You have no registrations at the moment. Find a course with "
                       "/kurslar.")]
    lines = [t.text("<b>My registrations</b>"), ""]
    for enrolment in enrolments:
        r, course = enrolment.registration, enrolment.course
        if r.status is RegistrationStatus.REGISTERED:
            lines.append(t.text("✅ <b>{course}</b> – registered, code {code}, starts {start}",
                                course=course.name, code=r.code, start=course.start_date))
            if course.is_online and course.link:
                lines.append(t.text("   Class link: {link}", link=course.link))
        elif r.status is RegistrationStatus.OFFERED:
            lines.append(t.text("🎉 <b>{course}</b> – a seat is offered to you; answer by "
                                "{deadline}", course=course.name,
                                deadline=r.offer_expires_at or course.start_date))
        else:
            lines.append(t.text("⏳ <b>{course}</b> – waiting list, number {position}",
                                course=course.name, position=r.position or 0))
    return lines


def seat_offer(t: Translator, course: Course, deadline: datetime) -> str:
    return t.text(
        "Good news! A seat has opened for you in <b>{course}</b> ({start}).\n\nPlease answer "
        "by <b>{deadline}</b>; after that the seat goes to the next person on the list.",
        course=course.name, start=course.start_date, deadline=deadline)


def offer_expired(t: Translator, course: Course, passed_on: bool) -> str:
    if passed_on:
        return t.text(
            "The seat offered to you in <b>{course}</b> was not accepted in time, so it went "
            "to the next person and you have left the waiting list. You can register again "
            "from the course card.", course=course.name)
    return t.text(
        "The seat offered to you in <b>{course}</b> was not accepted in time, so you have "
        "left the waiting list. The seat is free again: you can register from the course "
        "card.", course=course.name)


_OFFER_OUTCOMES = {
    "accepted": N_("You accepted this seat in <b>{course}</b>. /kayitlarim shows your "
                   "registration."),
    "declined": N_("You declined this seat in <b>{course}</b>."),
    "expired": N_("This seat offer in <b>{course}</b> has expired."),
    "withdrawn": N_("This seat offer in <b>{course}</b> is no longer open."),
}


def offer_closed(t: Translator, course: Course, outcome: str) -> str:
    """The seat offer's own message, once the offer is answered, expired or withdrawn."""
    return t.text(_OFFER_OUTCOMES.get(outcome, _OFFER_OUTCOMES["withdrawn"]),
                  course=course.name)


def waiting_moved(t: Translator, course: Course, position: int) -> str:
    return t.text("⏳ <b>{course}</b>: you are now number {position} on the waiting list.",
                  course=course.name, position=position)


def waitlist_closed(t: Translator, course: Course) -> str:
    return t.text(
        "<b>{course}</b> has ended, and with it its waiting list. We are sorry no seat came "
        "free for you this time. New courses open often: /kurslar shows them, and "
        "/bildirimler tells you when one opens near you.", course=course.name)


def course_changed(t: Translator, course: Course) -> str:
    return t.text(
        "📅 <b>{course}</b> has new dates or hours: {start} – {end}, {days}, {hours}. Your "
        "reminders follow the new times.", course=course.name, start=course.start_date,
        end=course.end_date, days=t.weekdays(course.weekdays),
        hours=f"{t.time(course.start_time)}–{t.time(course.end_time)}")


def course_news(t: Translator, course: Course) -> str:
    where = (f"{course.centre.name}, {course.centre.district.name}" if course.centre
             else t.label("Online"))
    return t.text(
        "🆕 A new course you asked to hear about: <b>{course}</b> ({branch}) – {where}, from "
        "{start}. Open it below to see the details and register.", course=course.name,
        branch=course.branch, where=where, start=course.start_date)
