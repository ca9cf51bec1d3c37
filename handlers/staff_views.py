"""Staff texts (HTML): pure functions of plain data and the translator."""

from __future__ import annotations

from markupsafe import Markup

from bot.domain import (
    Audience,
    AuditEntry,
    CourseDraft,
    CourseFormat,
    Invitation,
    Role,
    StaffMember,
    Viewer,
)
from bot.i18n import N_, Translator
from bot.services.audit import AuditPage
from bot.services.staff_courses import CourseFigures
from bot.services.statistics import Figures, Statistics
from handlers.markup import lines

ROLE_NAMES = {
    Role.ADMIN: N_("admin"),
    Role.COUNSELLOR: N_("counsellor (danışman)"),
    Role.STAFF: N_("municipal employee (personel)"),
}
# Audit actions written by this and other journeys; an action not listed shows its code.
ACTION_NAMES = {
    "role_granted": N_("role granted"),
    "role_revoked": N_("role taken away"),
    "invitation_created": N_("invitation created"),
    "invitation_revoked": N_("invitation withdrawn"),
    "invitation_used": N_("joined through an invitation"),
    "course_closed": N_("registration closed"),
    "registrations_exported": N_("registration list downloaded"),
    "statistics_viewed": N_("statistics downloaded"),
    "ceremony": N_("ceremony scheduled"),
    "ceremony_moved": N_("ceremony moved"),
    "ceremony_cancelled": N_("ceremony cancelled"),
    "event_exhibition": N_("exhibition published"),
    "event_panel": N_("panel published"),
    "course_created": N_("course published"),
    "courses_imported": N_("course file imported"),
    "courses_import_refused": N_("course file refused"),
}
MAX_STAFF_LINES = 40
TOP_LINES = 10


def role_name(t: Translator, role: Role | None) -> str:
    return t.label(ROLE_NAMES[role]) if role else t.label("no role")


def staff_menu(t: Translator, viewer: Viewer) -> Markup:
    parts = [t.text("<b>Staff menu</b>\nYour role: {role}.", role=role_name(t, viewer.role))]
    if not viewer.is_admin:
        parts.append(t.text("Courses for municipal staff (in-service training, orientation) "
                            "are shown to you in /kurslar and /ara."))
    return Markup("\n\n").join(parts)


def course_tools(t: Translator) -> Markup:
    return t.text(
        "<b>Course tools</b>\n\n"
        "Add a course step by step: /kurs_ekle\n"
        "Import many at once: send the course file (CSV or XLSX) here in the chat.\n\n"
        "Registration list of a course (CSV for Excel):\n<code>/kayitlar BUC-MUH-01</code>\n\n"
        "Close a course's registration (you confirm first):\n"
        "<code>/kurs_kapat BUC-MUH-01</code>\n\n"
        "Certificate ceremony:\n<code>/toren BUC-MUH-01 2027-03-30 14:00 Buca Mahalle "
        "Konağı</code>\n\nThe course code is on the course card and in the course file.")


def staff_list(t: Translator, members: list[StaffMember]) -> Markup:
    rows = [t.text("<b>Roles</b>")]
    for member in members[:MAX_STAFF_LINES]:
        line = t.text("• {user} – {role}", user=member.user_id, role=role_name(t, member.role))
        if member.permanent:
            line = line + " " + t.text("(ADMIN_IDS)")
        rows.append(line)
    if len(members) > MAX_STAFF_LINES:
        rows.append(t.text("… and {n} more", n=len(members) - MAX_STAFF_LINES))
    rows.append(Markup(""))
    rows.append(t.text(
        "Grant a role: <code>/yetki 123456789 danisman</code> (admin, danisman or personel)\n"
        "Take it away: <code>/yetki_al 123456789</code>\n"
        "The number is the person's Telegram user id; they must have written to the bot "
        "first. New employees can also join with an invitation link: /davet"))
    return lines(rows)


def role_granted(t: Translator, user_id: int, before: Role | None, after: Role) -> Markup:
    if before is None:
        return t.text("{user} now has the role {role}.", user=user_id, role=role_name(t, after))
    return t.text("{user} now has the role {role} (before: {before}).", user=user_id,
                  role=role_name(t, after), before=role_name(t, before))


def invitation(t: Translator, found: Invitation, link: str) -> Markup:
    return t.text(
        "<b>Invitation link for new municipal employees</b>\n{link}\n\n"
        "Valid until {until}, for up to {n} people. Whoever opens it gets the personel role "
        "and sees the courses for municipal staff.\n\nTo withdraw it: the button below, or "
        "<code>/davet_iptal {token}</code>",
        link=link, until=found.expires_at, n=found.max_uses, token=found.token)


def audit_page(t: Translator, page: AuditPage) -> Markup:
    if not page.entries:
        return t.text("The audit log is empty.")
    head = t.text("<b>Audit log</b> (newest first, page {page} of {pages})",
                  page=page.page + 1, pages=page.pages)
    return lines([head, "", *(audit_line(t, e) for e in page.entries)])


def audit_line(t: Translator, entry: AuditEntry) -> Markup:
    action = ACTION_NAMES.get(entry.action)
    what = t.label(action) if action else entry.action
    line = t.text("{when} · {user} · {action}", when=entry.at, user=entry.user_id, action=what)
    if entry.detail:
        line = line + t.text(": {detail}", detail=entry.detail[:200])
    if entry.before is not None or entry.after is not None:
        line = line + t.text(" ({before} → {after})", before=entry.before or "—",
                             after=entry.after or "—")
    return line


def close_question(t: Translator, figures: CourseFigures) -> Markup:
    return t.text(
        "Close registration for <b>{course}</b> ({code})?\n{registered} registered, {waiting} "
        "on the waiting list. They keep their places; nobody new can register, and the course "
        "card will say that registration is closed.",
        course=figures.course.name, code=figures.course.code,
        registered=figures.registered, waiting=figures.waiting)


def roster_caption(t: Translator, figures: CourseFigures) -> Markup:
    return t.text(
        "{course} ({code}): {registered} registered, {waiting} on the waiting list.\nThe file "
        "holds names and phone numbers: keep it only as long as you need it.",
        course=figures.course.name, code=figures.course.code,
        registered=figures.registered, waiting=figures.waiting)


def place_name(t: Translator, figures: Figures) -> str:
    return figures.name if figures.name is not None else t.label("Online")


def statistics(t: Translator, stats: Statistics) -> Markup:
    total, annual = stats.total, stats.annual
    rows = [
        t.text("<b>Programme figures</b> – {when}", when=stats.generated_at),
        t.text("Open courses: {open} · registrations: {registered} · waiting lists: {waiting} "
               "· ceremonies this year: {ceremonies} · appointments: {appointments}",
               open=total.open_courses, registered=total.registrations, waiting=total.waiting,
               ceremonies=total.ceremonies, appointments=total.appointments),
        "",
        t.text("<b>Districts with the most registrations</b> (registered / waiting / open "
               "courses)"),
    ]
    busiest = sorted(stats.districts, key=lambda f: (-f.registrations - f.waiting,
                                                     place_name(t, f)))
    rows += [t.text("• {name}: {registered} / {waiting} / {open}", name=place_name(t, f),
                     registered=f.registrations, waiting=f.waiting, open=f.open_courses)
              for f in busiest[:TOP_LINES]]
    rows += ["", t.text("<b>Most wished for</b> in /bildirimler (where to open the next "
                         "class)")]
    if not stats.demand:
        rows.append(t.text("No wishes yet."))
    for wish in stats.demand[:TOP_LINES]:
        rows.append(t.text("• {district} · {branch}: {n}",
                            district=wish.district or t.label("any district"),
                            branch=wish.branch or t.label("any branch"), n=wish.wishes))
    rows += [
        "",
        t.text("<b>Annual activity report {year}</b>\nCourses opened: {courses}\nTrainees: "
               "{trainees}\nCertificates: {certificates}\nCertificate ceremonies: "
               "{ceremonies}\nCounselling contacts: {contacts}\nPeople placed in jobs: "
               "{placed}", year=annual.year, courses=annual.courses_opened,
               trainees=annual.trainees, certificates=annual.certificates,
               ceremonies=annual.ceremonies, contacts=annual.counselling_contacts,
               placed=annual.placements),
    ]
    rows += ["", t.text("The chart and the full tables (XLSX) follow.")]
    return lines(rows)


def course_preview(t: Translator, draft: CourseDraft) -> Markup:
    """/kurs_ekle's last look before publishing: every detail, as entered."""
    where = (t.text("Online: {link}", link=draft.link or "") if draft.format is CourseFormat.ONLINE
             else t.text("Centre: {centre}, {district}", centre=draft.centre or "",
                         district=draft.district or ""))
    parts: list[str] = [
        t.text("<b>Preview</b> ({code})", code=draft.code),
        Markup("<b>{}</b>").format(draft.name),
        t.text("Branch: {branch}", branch=draft.branch),
        where,
        t.text("Dates: {start} – {end}", start=t.date(draft.start_date),
               end=t.date(draft.end_date)),
        t.text("Days: {days}", days=t.weekdays(draft.weekdays)),
        t.text("Hours: {start}–{end}", start=t.time(draft.start_time),
               end=t.time(draft.end_time)),
        t.text("Seats: {n}", n=draft.capacity),
        t.text("For: {audience}", audience=t.label(
            N_("municipal staff only") if draft.audience is Audience.STAFF
            else N_("the public"))),
    ]
    if draft.instructor:
        parts.append(t.text("Instructor: {name}", name=draft.instructor))
    if draft.min_age:
        parts.append(t.text("Minimum age: {age}", age=draft.min_age))
    if draft.description:
        parts += ["", draft.description]
    parts += ["", t.text("Publish it? Subscribers of its district and branch will be told.")]
    return lines(parts)
