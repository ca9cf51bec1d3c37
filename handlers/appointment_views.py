"""Texts about counselling appointments and the mobile employment point (HTML)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from markupsafe import Markup

from bot.domain import Appointment, AppointmentStatus, MobileVisit, Outcome, Slot, Topic, WindowPlan
from bot.i18n import N_, Translator
from bot.textsearch import turkish_order
from handlers.markup import lines

TOPIC_NAMES = {
    Topic.JOB_SEARCH: N_("Job search"),
    Topic.CV: N_("CV writing"),
    Topic.INTERVIEW: N_("Interview preparation"),
    Topic.CAREER: N_("Choosing a profession"),
}
STATUS_NAMES = {
    AppointmentStatus.BOOKED: N_("booked"),
    AppointmentStatus.ATTENDED: N_("attended"),
    AppointmentStatus.NO_SHOW: N_("did not come"),
    AppointmentStatus.CANCELLED: N_("cancelled"),
}
OUTCOME_NAMES = {
    Outcome.REFERRED: N_("referred to an employer"),
    Outcome.PLACED: N_("placed in a job"),
}


def topic(t: Translator, value: Topic) -> str:
    return t.label(TOPIC_NAMES[value])


def place(t: Translator, slot: Slot) -> str:
    return slot.place or t.label("the employment office")


def hours(t: Translator, slot: Slot) -> str:
    local = slot.starts_at.astimezone(t.timezone)
    return t.time(local.time())


def ask_topic(t: Translator) -> Markup:
    return t.text("<b>Career counselling</b>\n\nA counsellor meets you one to one, free of "
                  "charge. What would you like to talk about?")


def ask_day(t: Translator, chosen: Topic, days: list[date]) -> Markup:
    if not days:
        return t.text("There are no free counselling times at the moment. Please look again "
                      "in a few days: new times are opened every week.")
    return t.text("Topic: <b>{topic}</b>\n\nChoose a day:", topic=topic(t, chosen))


def ask_time(t: Translator, chosen: Topic, day: date, slots: list[Slot]) -> Markup:
    if not slots:
        return t.text("No free time is left on {day}. Choose another day:", day=day)
    return t.text("Topic: <b>{topic}</b>\n{day}: choose a time.", topic=topic(t, chosen),
                  day=day)


def confirm(t: Translator, chosen: Topic, slot: Slot) -> Markup:
    return t.text(
        "<b>Please confirm your appointment</b>\n\nTopic: {topic}\nWhen: {when}\n"
        "Where: {place}\n\nYour counsellor sees your name and, if you gave it when registering "
        "for a course, your mobile number. /verilerimi_sil deletes them.",
        topic=topic(t, chosen), when=slot.starts_at, place=place(t, slot))


def booked(t: Translator, appointment: Appointment) -> Markup:
    return t.text(
        "✅ <b>Your appointment is booked.</b>\n\nTopic: {topic}\nWhen: {when}\nWhere: {place}"
        "\n\nThe calendar file below adds it to your phone, and we will remind you before it. "
        "/kayitlarim shows it and lets you cancel.",
        topic=topic(t, appointment.topic), when=appointment.slot.starts_at,
        place=place(t, appointment.slot))


def current(t: Translator, appointment: Appointment) -> Markup:
    return t.text("You already have a counselling appointment: {when}, {place} ({topic}). "
                  "One appointment at a time; to choose another time, cancel this one first.",
                  when=appointment.slot.starts_at, place=place(t, appointment.slot),
                  topic=topic(t, appointment.topic))


def mine_line(t: Translator, appointment: Appointment) -> Markup:
    return t.text("🗓 <b>Career counselling</b> – {when}, {place} ({topic})",
                  when=appointment.slot.starts_at, place=place(t, appointment.slot),
                  topic=topic(t, appointment.topic))


def reminder(t: Translator, appointment: Appointment) -> Markup:
    return t.text("⏰ Reminder: your career-counselling appointment is on {when}.\n"
                  "Where: {place}", when=appointment.slot.starts_at,
                  place=place(t, appointment.slot))


def slot_closed(t: Translator, appointment: Appointment) -> Markup:
    return t.text("We are sorry: the counsellor had to close the time of your appointment on "
                  "{when}, so it is cancelled. Please choose another time:",
                  when=appointment.slot.starts_at)


def preview(t: Translator, plan: WindowPlan) -> Markup:
    times = ", ".join(t.time(s.astimezone(t.timezone).time()) for s in plan.starts)
    return t.plural(
        "<b>Preview</b>\n{day}: {n} slot of {minutes} minutes\nPlace: {place}\nTimes: {times}"
        "\n\nOpen it?",
        "<b>Preview</b>\n{day}: {n} slots of {minutes} minutes\nPlace: {place}\nTimes: {times}"
        "\n\nOpen them?",
        len(plan.starts), day=plan.starts[0].astimezone(t.timezone).date(),
        minutes=plan.slot_minutes, place=plan.place or t.label("the employment office"),
        times=times)


def counsellor_day(t: Translator, appointments: list[Appointment], not_met: int) -> Markup:
    rows: list[str] = [t.text("<b>Appointments today and tomorrow</b>"), ""]
    if not appointments:
        rows.append(t.text("No appointments today or tomorrow."))
    for a in appointments:
        status = t.label(STATUS_NAMES[a.status])
        if a.outcome is not None:
            status += ", " + t.label(OUTCOME_NAMES[a.outcome])
        rows.append(t.text("• {when} – {name}, {phone} – {topic} ({status})",
                            when=a.slot.starts_at, name=a.contact_name or "—",
                            phone=a.phone or "—", topic=topic(t, a.topic), status=status))
    rows += ["", t.plural("Certified trainees not yet met by a counsellor: {n}",
                           "Certified trainees not yet met by a counsellor: {n}", not_met)]
    return lines(rows)


def visit_line(t: Translator, visit: MobileVisit) -> Markup:
    return t.text("• {day}, {start}–{end}: {place}",
                  day=visit.starts_at.astimezone(t.timezone).date(),
                  start=t.time(visit.starts_at.astimezone(t.timezone).time()),
                  end=t.time(visit.ends_at.astimezone(t.timezone).time()), place=visit.place)


def visits(t: Translator, found: list[MobileVisit]) -> Markup:
    if not found:
        return t.text("The mobile employment point has no visits planned at the moment. "
                      "Subscribe to your district in /bildirimler and we will tell you when it "
                      "comes.")
    by_district: dict[str, list[MobileVisit]] = defaultdict(list)
    for visit in found:
        by_district[visit.district.name].append(visit)
    rows: list[str] = [t.text("<b>Mobile employment point: coming visits</b>")]
    for district in sorted(by_district, key=turkish_order):
        rows += ["", t.text("<b>{district}</b>", district=district)]
        rows += [visit_line(t, v) for v in by_district[district]]
    rows += ["", t.text("Counsellors on board help with job search, CVs and interviews, free "
                         "of charge. Choose a visit to see it on the map.")]
    return lines(rows)


def visit_news(t: Translator, visit: MobileVisit) -> Markup:
    return lines([
        t.text("🚌 <b>The mobile employment point is coming to {district}</b>",
               district=visit.district.name),
        visit_line(t, visit), "",
        t.text("Counsellors on board help with job search, CVs and interviews, free of charge. "
               "/mobil shows every coming visit.")])
