"""Message texts (HTML): pure functions of domain objects and the translator."""

from __future__ import annotations

from html import escape

from bot.domain import Course, CoursePage, DistrictCount, NearbyCourse
from bot.i18n import Translator

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
    head = t.plural("<b>{title}</b>: {n} course", "<b>{title}</b>: {n} courses", page.total,
                    title=title)
    if page.pages > 1:
        head += " " + t.text("(page {page} of {pages})", page=page.page + 1, pages=page.pages)
    lines = [_course_line(t, c) for c in page.courses]
    return "\n".join([head, "", *lines, "", t.text("Choose a course to see the details.")])


def course_card(t: Translator, course: Course) -> str:
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
    if course.seats_left:
        parts.append(t.plural("Seats left: {n} of {capacity}", "Seats left: {n} of {capacity}",
                              course.seats_left, capacity=t.number(course.capacity)))
    else:
        parts.append(t.text("The course is full; you can join the waiting list."))
    if course.instructor:
        parts.append(t.text("Instructor: {name}", name=course.instructor))
    if course.min_age:
        parts.append(t.text("Minimum age: {age}", age=course.min_age))
    if course.registration_opens_at:
        parts.append(t.text("Registration opens: {when}",
                            when=t.moment(course.registration_opens_at)))
    parts.append(t.text("The course is free of charge."))
    if course.description:
        parts += ["", escape(course.description, quote=False)]
    return "\n".join(parts)[:MAX_MESSAGE]


def search_results(t: Translator, query: str, courses: list[Course], total: int) -> str:
    if not courses:
        return t.text(
            "No open course matches “{query}”. Try another word (for example a district or "
            "a profession), or browse all courses with /kurslar.", query=query[:100]
        )
    head = t.plural("{n} course found for “{query}”:", "{n} courses found for “{query}”:",
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
