"""Message texts (HTML): pure functions of domain objects and the translator."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup

from bot.config import Settings
from bot.domain import (
    Course,
    CoursePage,
    DistrictCount,
    Enrolment,
    NearbyCourse,
    Registration,
    RegistrationStatus,
    Role,
    role_allows,
)
from bot.i18n import N_, At, By, Translator
from bot.services.lifecycle import CardAction, CardOffer
from bot.services.search import NEARBY_MAX_KM
from handlers.commands import CITIZEN_COMMANDS, staff_commands
from handlers.markup import fit, lines


def welcome(t: Translator, first_name: str, organisation: str) -> Markup:
    """The greeting. The organisation's name takes no suffix here ("… tarafından"), so any
    ORGANISATION_NAME reads right."""
    return t.text(
        "Hello {name}! Welcome to <b>Meslek Kapısı</b>. Here you can find the free vocational "
        "courses of {organisation}.\n\nFind a course in your district, pre-register in a "
        "minute and we will remind you of your classes. Every course is free.\n\nWhat would "
        "you like to do?", name=first_name, organisation=organisation)


def menu(t: Translator) -> Markup:
    return t.text("What would you like to do?")


def help_text(t: Translator, role: Role | None = None) -> Markup:
    """Every citizen command (from the command menu's own list), and to staff the staff
    commands their role allows."""
    rows = [t.text("<b>How to use Meslek Kapısı</b>"), ""]
    rows += [Markup("/{} – {}").format(name, t.label(about)) for name, about in CITIZEN_COMMANDS]
    rows += ["", t.text("You can also simply write what you are looking for, e.g. "
                        "<i>muhasebe</i> or <i>Çiğli</i>, or share your location to see the "
                        "courses nearest to you.")]
    staff = staff_commands(role)
    if staff:
        rows += ["", t.text("<b>Staff commands</b>")]
        rows += [Markup("/{} – {}").format(name, t.label(about)) for name, about in staff]
    if role is not None and not role_allows(role, Role.COUNSELLOR):
        rows += [t.text("Courses for municipal staff are shown to you in /kurslar and /ara.")]
    return lines(rows)


def districts(t: Translator, counts: list[DistrictCount], online: int) -> Markup:
    if not counts and not online:
        return t.text("There are no courses open for registration right now. Please look "
                      "again soon, new courses are announced often.")
    total = sum(c.open_courses for c in counts) + online
    return t.plural(
        "<b>Free courses</b>: {n} course is open. Choose your district:",
        "<b>Free courses</b>: {n} courses are open. Choose your district:",
        total,
    )


def _course_line(t: Translator, course: Course) -> Markup:
    where = course.centre.name if course.centre else t.text("Online")
    return t.text("• <b>{name}</b> – {where}, from {start}", name=course.name, where=where,
                  start=t.date(course.start_date))


def course_page(t: Translator, title: str, page: CoursePage) -> Markup:
    head: str = t.plural("<b>{title}</b>: {n} course", "<b>{title}</b>: {n} courses",
                         page.total, title=title)
    if page.pages > 1:
        head += " " + t.text("(page {page} of {pages})", page=page.page + 1, pages=page.pages)
    rows = [_course_line(t, c) for c in page.courses]
    return lines([head, "", *rows, "", t.text("Choose a course to see the details.")])


def _card_status(t: Translator, course: Course, offer: CardOffer) -> Markup:
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
        seats = t.plural("Seats left: {n} of {capacity}", "Seats left: {n} of {capacity}",
                         course.seats_left, capacity=t.number(course.capacity))
    elif action is CardAction.WAITLIST:
        seats = t.text("The course is full; you can join the waiting list as number "
                       "{position}.", position=offer.position or 1)
    else:
        seats = t.text("The course is full; you can join the waiting list.")
    if action is CardAction.NOT_YET_OPEN and offer.opens_at is not None:
        return lines([seats, t.text("Registration opens on {when}.",
                                    when=At(offer.opens_at))])
    return seats


def course_card(t: Translator, course: Course, offer: CardOffer) -> Markup:
    parts: list[str] = [Markup("<b>{}</b>").format(course.name),
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
        parts += ["", course.description]
    parts += ["", _card_status(t, course, offer)]
    return fit(lines(parts))


def _where(t: Translator, course: Course) -> str:
    """Where a course is, as a list shows it: "Buca, Buca Mahalle Konağı" or "Online"."""
    if course.centre is None:
        return t.label("Online")
    return f"{course.centre.district.name}, {course.centre.name}"


def search_results(t: Translator, query: str, page: CoursePage) -> Markup:
    if not page.total:
        return t.text(
            "No open course matches “{query}”. Try another word (for example a district or "
            "a profession), or browse all courses with /kurslar.", query=query[:100]
        )
    head = t.plural("{n} course found for “{query}”:", "{n} courses found for “{query}”:",
                    page.total, query=query[:100])
    if page.pages > 1:
        head += " " + t.text("(page {page} of {pages})", page=page.page + 1, pages=page.pages)
    rows = [t.text("• <b>{name}</b> – {where}, from {start}", name=c.name,
                   where=_where(t, c), start=t.date(c.start_date)) for c in page.courses]
    return lines([head, "", *rows])


def nearby(t: Translator, found: list[NearbyCourse]) -> Markup:
    if not found:
        return t.text("There is no course centre within {km} km of that location. Browse "
                      "the courses by district with /kurslar, or search with /ara.",
                      km=int(NEARBY_MAX_KM))
    rows = [
        t.text("• {distance} km – <b>{name}</b>, {centre}",
               distance=t.number(round(n.distance_km, 1)), name=n.course.name,
               centre=n.course.centre.name if n.course.centre else "")
        for n in found
    ]
    return lines([t.text("<b>Courses nearest to you</b>:"), "", *rows])


def course_full(t: Translator, course: Course, position: int) -> Markup:
    return t.text(
        "<b>{course}</b> is full. You can join the waiting list: you would be number "
        "{position}. When a seat frees up we offer it to the first on the list.",
        course=course.name, position=position)


def ask_name(t: Translator, course: str) -> Markup:
    return t.text(
        "Pre-registration for <b>{course}</b>.\n\nWrite your first name and surname.\n\n"
        "(/iptal leaves at any time.)", course=course)


def ask_phone(t: Translator) -> Markup:
    return t.text("Your mobile phone number? Tap “Share my number” below, or write it, for "
                  "example 0532 123 45 67.")


def ask_birth_year(t: Translator, min_age: int) -> Markup:
    return t.text("Your year of birth? This course is for people aged {age} and over. For "
                  "example: 1990.", age=min_age)


def age_check(t: Translator, year: int, min_age: int) -> Markup:
    return t.text("You wrote {year}: this course is for people aged {age} and over, so you "
                  "could not register. Is the year right?", year=year, age=min_age)


def consent_notice(t: Translator, settings: Settings) -> Markup:
    """The KVKK notice (Aydınlatma Metni) and the question for explicit consent (Açık Rıza)."""
    return t.text(
        "<b>Personal data notice (KVKK)</b>\n\n"
        "<b>Data controller:</b> {organisation}.\n"
        "<b>What we keep:</b> your name and surname, mobile number, year of birth (only when "
        "a course has a minimum age) and your course registrations.\n"
        "<b>Why:</b> to hold your seat, to reach you about the course, and to remind you of "
        "classes and ceremonies. We share them only with the course centre.\n"
        "<b>Legal basis:</b> your explicit consent (KVKK article 5/1).\n"
        "<b>How long:</b> until you delete them, or at most {retention} after your last course "
        "and your last message to this bot; we tell you a week before.\n"
        "<b>Your rights:</b> /verilerim shows everything we keep; /verilerimi_sil deletes it "
        "at any time.\n\n"
        "<b>Explicit consent:</b> do you agree that your data is processed for this purpose?",
        organisation=settings.organisation_name, retention=t.duration(settings.data_retention))


def retention_warning(t: Translator, deleted_at: datetime) -> Markup:
    return t.text(
        "You have not used Meslek Kapısı for a long time, so we will delete your personal "
        "data (name, phone number, year of birth) on {when}, as the data notice says. To keep "
        "it, just send any message to this bot. /verilerim shows what we keep.",
        when=At(deleted_at))


def registration_result(t: Translator, registration: Registration, course: Course) -> Markup:
    if registration.status is RegistrationStatus.WAITING:
        return t.text(
            "The course <b>{course}</b> is full, so you are on the waiting list.\n"
            "You are number {position} on the waiting list.\n\nWhen a seat frees up we will "
            "message you at once; you will then have a limited time to accept it. "
            "/kayitlarim shows your place.",
            course=course.name, position=registration.position or 0)
    rows = [t.text(
        "Your pre-registration for <b>{course}</b> is done.\nYour registration code: "
        "<b>{code}</b>\n\nFirst class: {start}, {hours}.",
        course=course.name, code=registration.code, start=course.start_date,
        hours=f"{t.time(course.start_time)}–{t.time(course.end_time)}")]
    if course.is_online and course.link:
        rows.append(t.text("Class link: {link}", link=course.link))
    rows.append(t.text("We will remind you before the first class. /kayitlarim shows your "
                        "registrations."))
    return lines(rows)


def my_registrations(t: Translator, enrolments: list[Enrolment],
                     history: list[Enrolment]) -> Markup:
    rows = _current(t, enrolments)
    if history:
        rows += ["", t.text("<b>Completed courses</b>"), ""]
        rows += [t.text("🎓 <b>{course}</b> – {start} – {end}", course=e.course.name,
                        start=e.course.start_date, end=e.course.end_date) for e in history]
    return lines(rows)


def _current(t: Translator, enrolments: list[Enrolment]) -> list[str]:
    if not enrolments:
        return [t.text("You have no registrations at the moment. Find a course with "
                       "/kurslar.")]
    rows: list[str] = [t.text("<b>My registrations</b>"), ""]
    for enrolment in enrolments:
        r, course = enrolment.registration, enrolment.course
        if r.status is RegistrationStatus.REGISTERED:
            rows.append(t.text("✅ <b>{course}</b> – registered, code {code}, starts {start}",
                                course=course.name, code=r.code, start=course.start_date))
            if course.is_online and course.link:
                rows.append(t.text("   Class link: {link}", link=course.link))
        elif r.status is RegistrationStatus.OFFERED:
            rows.append(t.text("🎉 <b>{course}</b> – a seat is offered to you; answer by "
                                "{deadline}", course=course.name,
                                deadline=By(r.offer_expires_at) if r.offer_expires_at
                                else course.start_date))
        else:
            rows.append(t.text("⏳ <b>{course}</b> – waiting list, number {position}",
                                course=course.name, position=r.position or 0))
    return rows


def seat_offer(t: Translator, course: Course, deadline: datetime) -> Markup:
    return t.text(
        "Good news! A seat has opened for you in <b>{course}</b> ({start}).\n\nPlease answer "
        "by <b>{deadline}</b>; after that the seat goes to the next person on the list.",
        course=course.name, start=course.start_date, deadline=By(deadline))


def offer_expired(t: Translator, course: Course, passed_on: bool) -> Markup:
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


def offer_closed(t: Translator, course: Course, outcome: str) -> Markup:
    """The seat offer's own message, once the offer is answered, expired or withdrawn."""
    return t.text(_OFFER_OUTCOMES.get(outcome, _OFFER_OUTCOMES["withdrawn"]),
                  course=course.name)


def waiting_moved(t: Translator, course: Course, position: int) -> Markup:
    return t.text("⏳ <b>{course}</b>: you are now number {position} on the waiting list.",
                  course=course.name, position=position)


def waitlist_closed(t: Translator, course: Course) -> Markup:
    return t.text(
        "<b>{course}</b> has ended, and with it its waiting list. We are sorry no seat came "
        "free for you this time. New courses open often: /kurslar shows them, and "
        "/bildirimler tells you when one opens near you.", course=course.name)


def course_changed(t: Translator, course: Course) -> Markup:
    return t.text(
        "📅 <b>{course}</b> has new dates or hours: {start} – {end}, {days}, {hours}. Your "
        "reminders follow the new times.", course=course.name, start=course.start_date,
        end=course.end_date, days=t.weekdays(course.weekdays),
        hours=f"{t.time(course.start_time)}–{t.time(course.end_time)}")


def course_news(t: Translator, course: Course) -> Markup:
    where = (f"{course.centre.name}, {course.centre.district.name}" if course.centre
             else t.label("Online"))
    return t.text(
        "🆕 A new course you asked to hear about: <b>{course}</b> ({branch}) – {where}, from "
        "{start}. Open it below to see the details and register.", course=course.name,
        branch=course.branch, where=where, start=course.start_date)
