"""A programme year: courses close and finish, cards keep their promise, ceremonies move,
waiting lists move, offers follow their state, imports keep promises — over a real SQLite file
with a fixed clock."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FixedClock, OffsetFileClock
from bot.config import Settings
from bot.domain import EventKind, RegistrationStatus, Role, Viewer
from bot.errors import DomainError
from bot.services import lifecycle, rules
from bot.services.course_file import CourseFileError, parse_course_table, read_table
from bot.services.course_life import CourseLifeService
from bot.services.courses import CourseService
from bot.services.events import EventService
from bot.services.lifecycle import CardAction, CoursePhase
from bot.services.preferences import PreferenceService
from bot.services.registrations import Applicant, RegistrationService
from bot.services.reminders import CLASS_REMINDER, EVENT_REMINDER, ReminderService
from bot.services.users import UserService
from storage.database import Database
from storage.due_actions import DueActionRepository
from tests.conftest import DEMO_CSV, ISTANBUL

SETTINGS = replace(Settings(token="1:x"), timezone=ISTANBUL, admin_ids=frozenset({99}),
                   reminder_offsets=(timedelta(hours=2), timedelta(days=1)))
BUCA_CENTRE = (38.39588, 27.16721)


def person(n: int) -> Applicant:
    return Applicant(f"Kursiyer Numara{n}", f"+90532{n:07d}", None, "2026-11", "KVKK")


@dataclass
class World:
    db: Database
    clock: FixedClock
    courses: CourseService
    reminders: ReminderService
    registrations: RegistrationService
    events: EventService
    life: CourseLifeService
    users: UserService

    async def citizens(self, *ids: int) -> list[Viewer]:
        for n in ids:
            await self.users.seen(n, "tr")
        return [Viewer(n) for n in ids]

    async def course_id(self, code: str, capacity: int | None = None) -> int:
        course = await self.courses.course(Viewer(0, Role.ADMIN), code=code)
        if capacity is not None:
            async with self.db.transaction() as conn:
                await conn.execute("UPDATE courses SET capacity = ? WHERE id = ?",
                                   (capacity, course.id))
        return course.id

    async def pending(self, kind: str | None = None) -> list[dict[str, object]]:
        async with self.db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT kind, user_id, ref_id, payload, due_at FROM due_actions "
                "WHERE state = 'pending' ORDER BY due_at, id")
        import json
        found = [{"kind": r[0], "user": r[1], "ref": r[2], **json.loads(r[3]),
                  "due": datetime.fromisoformat(r[4])} for r in rows]
        return [a for a in found if kind is None or a["kind"] == kind]

    async def messages(self, message: str) -> list[dict[str, object]]:
        return [a for a in await self.pending("notify") if a.get("message") == message]

    async def done_all(self) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE due_actions SET state = 'done' WHERE state = 'pending' "
                               "AND kind = 'notify'")


@pytest.fixture
async def world(db: Database, clock: FixedClock, courses: CourseService) -> World:
    reminders = ReminderService(db, clock, SETTINGS)
    registrations = RegistrationService(db, clock, SETTINGS, reminders=reminders,
                                        seats_changed=courses.catalogue.invalidate)
    courses.reminders = reminders
    return World(db, clock, courses, reminders, registrations,
                 EventService(db, clock, SETTINGS, reminders),
                 CourseLifeService(db, clock, SETTINGS,
                                   courses_changed=courses.catalogue.invalidate),
                 UserService(db, clock))


# --- the lifecycle and the card ------------------------------------------------------------

async def test_a_course_closes_at_its_first_class_and_finishes_after_its_last_day(
        world: World) -> None:
    course = await world.courses.course(Viewer(1), code="BUC-MUH-01")  # 7 Dec – 26 Feb, 18:30
    at = datetime(2026, 12, 7, 18, 29, tzinfo=ISTANBUL)
    assert lifecycle.course_phase(course, at, ISTANBUL) is CoursePhase.OPEN
    assert lifecycle.course_phase(course, at + timedelta(minutes=1), ISTANBUL) \
        is CoursePhase.RUNNING
    last_evening = datetime(2027, 2, 26, 23, 0, tzinfo=ISTANBUL)
    assert lifecycle.course_phase(course, last_evening, ISTANBUL) is CoursePhase.RUNNING
    assert lifecycle.course_phase(course, last_evening + timedelta(hours=1), ISTANBUL) \
        is CoursePhase.FINISHED
    for moment in (at, at + timedelta(minutes=1), last_evening + timedelta(hours=1)):
        assert lifecycle.is_listed(course, moment, ISTANBUL) == (lifecycle.course_phase(
            course, moment, ISTANBUL) in (CoursePhase.OPEN, CoursePhase.NOT_YET_OPEN))
    later = replace(course, registration_opens_at=datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    assert lifecycle.course_phase(later, world.clock.now(), ISTANBUL) \
        is CoursePhase.NOT_YET_OPEN


async def test_a_started_course_card_offers_no_registration_and_no_seats(world: World) -> None:
    course = await world.courses.course(Viewer(1), code="BUC-MUH-01")
    world.clock.at = datetime(2026, 12, 7, 19, 0, tzinfo=ISTANBUL)
    offer = await world.registrations.card_offer(Viewer(1), course)
    assert offer.action is CardAction.RUNNING and not offer.can_ask and not offer.seats_matter
    # …and it has left the district counts and the search.
    from bot.services.search import SearchService
    found = await SearchService(world.courses.catalogue).search(Viewer(1), "muhasebe")
    assert found.total > 0 and "BUC-MUH-01" not in {c.code for c in found.courses}
    buca = course.centre.district.id if course.centre else 0
    counts = {c.district.id: c.open_courses for c in await world.courses.districts(Viewer(1))}
    assert counts[buca] == 2  # Kuaförlük and Yaşlı Bakımı; Ön Muhasebe has started


async def test_a_card_says_registered_or_waiting_and_when_registration_opens(
        world: World) -> None:
    course_id = await world.course_id("BUC-MUH-01", capacity=1)
    a, b, c = await world.citizens(1, 2, 3)
    await world.registrations.register(a, course_id, person(1))
    course = await world.courses.course(c, course_id=course_id)
    assert (await world.registrations.card_offer(a, course)).action is CardAction.REGISTERED
    would_be = await world.registrations.card_offer(b, course)
    assert (would_be.action, would_be.position) == (CardAction.WAITLIST, 1)
    await world.registrations.register(b, course_id, person(2))
    mine = await world.registrations.card_offer(b, course)
    assert (mine.action, mine.position) == (CardAction.WAITING, 1)
    later = replace(course, registration_opens_at=world.clock.now() + timedelta(days=1))
    assert lifecycle.card_offer(later, None, 0, world.clock.now(), ISTANBUL).action \
        is CardAction.NOT_YET_OPEN


async def test_three_finished_courses_make_room_for_a_fourth_and_stay_as_history(
        world: World) -> None:
    [citizen] = await world.citizens(1)
    for code in ("BAL-ILK-01", "KBR-ZEY-01", "ONL-DOK-01"):
        await world.registrations.register(citizen, await world.course_id(code), person(1))
    fourth = await world.course_id("KSK-ING-01")
    with pytest.raises(DomainError, match=r"at most \{limit\}"):
        await world.registrations.check(citizen, fourth)
    world.clock.at = datetime(2027, 1, 30, 9, 0, tzinfo=ISTANBUL)
    await world.registrations.check(citizen, fourth)  # the cap counts courses not yet ended
    assert len(await world.registrations.history(citizen.user_id)) == 3  # before the job too
    await world.life.sweep()
    await world.registrations.register(citizen, fourth, person(1))
    history = await world.registrations.history(citizen.user_id)
    assert sorted(e.course.code for e in history) == ["BAL-ILK-01", "KBR-ZEY-01", "ONL-DOK-01"]
    assert all(e.registration.status is RegistrationStatus.COMPLETED for e in history)
    assert [e.course.code for e in await world.registrations.enrolments(1)] == ["KSK-ING-01"]


async def test_a_finished_course_closes_its_waiting_list_with_a_kind_word(world: World) -> None:
    course_id = await world.course_id("BAL-ILK-01", capacity=1)
    a, b = await world.citizens(1, 2)
    await world.registrations.register(a, course_id, person(1))
    await world.registrations.register(b, course_id, person(2))
    await world.done_all()
    world.clock.at = datetime(2027, 1, 10, 9, 0, tzinfo=ISTANBUL)
    assert (await world.life.sweep()).finished >= 1
    assert [m["user"] for m in await world.messages("waitlist_closed")] == [2]
    assert await world.registrations.enrolments(2) == []
    assert (await world.life.sweep()).finished == 0  # done once


# --- ceremonies -----------------------------------------------------------------------------

async def test_a_ceremony_moved_a_b_a_and_rerun_unchanged_reminds_once_at_a(
        world: World) -> None:
    course_id = await world.course_id("BUC-MUH-01")
    [trainee] = await world.citizens(1)
    await world.registrations.register(trainee, course_id, person(1))
    a = datetime(2027, 3, 1, 14, 0, tzinfo=ISTANBUL)
    b = a + timedelta(days=2)
    first = await world.events.schedule_ceremony(99, "BUC-MUH-01", a, "Salon", None)
    assert first.told == 1 and not first.moved
    await world.events.schedule_ceremony(99, "BUC-MUH-01", b, "Salon", None)
    await world.events.schedule_ceremony(99, "BUC-MUH-01", a, "Salon", None)
    again = await world.events.schedule_ceremony(99, "BUC-MUH-01", a, "Salon", None)
    assert again.unchanged
    reminders = await world.pending(EVENT_REMINDER)
    assert sorted(r["due"] for r in reminders) == [a - timedelta(days=1), a - timedelta(hours=2)]
    [after] = await world.messages("after_ceremony")
    assert after["due"] == a + timedelta(hours=2)
    assert [m["message"] for m in await world.pending("notify")
            if m.get("message") != "after_ceremony"].count("ceremony_moved") == 2


async def test_a_ceremony_is_after_the_course_and_pinned_only_at_a_known_centre(
        world: World) -> None:
    with pytest.raises(DomainError, match="comes after the course"):
        await world.events.check_ceremony("BUC-MUH-01", datetime(2027, 2, 20, 14, 0,
                                                                tzinfo=ISTANBUL))
    pin = await world.events.ceremony_pin("Buca Meslek Fabrikası Kurs Merkezi, konferans salonu")
    assert pin == BUCA_CENTRE
    assert await world.events.ceremony_pin("Kültürpark Açıkhava Tiyatrosu") is None
    assert await world.events.ceremony_pin("Buca") is None  # a district is not a building


def test_staff_dates_accept_both_forms() -> None:
    now = datetime(2026, 11, 21, tzinfo=UTC)
    assert rules.parse_when("30.03.2027", "14:00", ISTANBUL, now) == \
        rules.parse_when("2027-03-30", "14:00", ISTANBUL, now)


async def test_events_reach_the_audience_the_spec_names(world: World) -> None:
    trainee, _ = await world.citizens(1, 2)
    await world.registrations.register(trainee, await world.course_id("BUC-KUA-01"), person(1))
    buca = (await world.courses.course(trainee, code="BUC-KUA-01")).centre
    assert buca is not None
    at = datetime(2027, 6, 20, 14, 0, tzinfo=ISTANBUL)
    city = await world.events.create(99, EventKind.EXHIBITION, "Yıl Sonu", at, "Kültürpark",
                                     set(), set())
    assert city.told == 1  # the trainee, though nobody subscribed to anything
    district = await world.events.create(99, EventKind.PANEL, "Panel", at, "Buca Konağı",
                                         {buca.district.id}, set())
    assert district.told == 1  # a trainee of a Buca course, without a subscription


async def test_a_late_joiner_gets_the_ceremony_news_and_its_reminders(world: World) -> None:
    course_id = await world.course_id("BUC-MUH-01", capacity=1)
    a, b = await world.citizens(1, 2)
    seat = await world.registrations.register(a, course_id, person(1))
    await world.registrations.register(b, course_id, person(2))
    a_time = datetime(2027, 3, 1, 14, 0, tzinfo=ISTANBUL)
    await world.events.schedule_ceremony(99, "BUC-MUH-01", a_time, "Salon", None)
    await world.registrations.cancel(1, seat.id)
    [offer] = await world.registrations.enrolments(2)
    await world.registrations.answer_offer(2, offer.registration.id, accept=True)
    assert [m["user"] for m in await world.messages("ceremony_scheduled")] == [1, 2]
    assert 2 in {r["user"] for r in await world.pending(EVENT_REMINDER)}
    assert [m["user"] for m in await world.messages("after_ceremony")].count(2) == 1
    # The one who left is no longer concerned: their messages are dropped when due.
    [event] = [e for e, _ in await world.events.upcoming_for(2)]
    assert await world.events.concerns(event.id, 2) and not await world.events.concerns(
        event.id, 1)


# --- waiting lists and offers ---------------------------------------------------------------

async def test_those_waiting_are_told_once_when_their_position_moves(world: World) -> None:
    course_id = await world.course_id("BUC-MUH-01", capacity=1)
    a, b, c, d = await world.citizens(1, 2, 3, 4)
    seat = await world.registrations.register(a, course_id, person(1))
    for viewer in (b, c, d):
        await world.registrations.register(viewer, course_id, person(viewer.user_id))
    await world.registrations.cancel(1, seat.id)  # b is offered the seat: c and d move up
    moved = {m["user"]: m["position"] for m in await world.messages("waiting_moved")}
    assert moved == {3: 1, 4: 2}
    await world.registrations.fill_all_seats()
    assert len(await world.messages("waiting_moved")) == 2  # nothing moved: nothing said


async def test_an_offer_message_follows_its_state_and_expiry_says_the_truth(
        world: World) -> None:
    course_id = await world.course_id("BUC-MUH-01", capacity=1)
    a, b = await world.citizens(1, 2)
    seat = await world.registrations.register(a, course_id, person(1))
    await world.registrations.register(b, course_id, person(2))
    await world.registrations.cancel(1, seat.id)
    [offer] = await world.registrations.enrolments(2)
    await world.registrations.remember_offer_message(offer.registration.id, 777)
    await world.done_all()  # the offer went out
    world.clock.advance(timedelta(hours=25))
    async with world.db.transaction() as conn:
        await world.registrations.expire_offer(conn, offer.registration.id, world.clock.now())
    [closed] = await world.messages("offer_closed")
    assert (closed["outcome"], closed["message_id"]) == ("expired", 777)
    [expired] = await world.messages("offer_expired")
    assert expired["passed_on"] is False  # nobody was waiting: the seat went to no one


async def test_an_offer_that_never_reached_its_citizen_is_made_again_once(
        world: World) -> None:
    course_id = await world.course_id("BUC-MUH-01", capacity=1)
    a, b, c = await world.citizens(1, 2, 3)
    seat = await world.registrations.register(a, course_id, person(1))
    await world.registrations.register(b, course_id, person(2))
    await world.registrations.register(c, course_id, person(3))
    await world.registrations.cancel(1, seat.id)

    async def lapse() -> RegistrationStatus:
        [offer] = await world.registrations.enrolments(2)
        world.clock.advance(timedelta(hours=25))  # the bot was down past the deadline
        async with world.db.transaction() as conn:
            await world.registrations.expire_offer(conn, offer.registration.id,
                                                   world.clock.now())
        found = await world.registrations.enrolments(2)
        return found[0].registration.status if found else RegistrationStatus.CANCELLED

    assert await lapse() is RegistrationStatus.OFFERED  # a fresh offer, their place kept
    assert await world.messages("offer_expired") == []
    assert await lapse() is RegistrationStatus.CANCELLED  # once: then it passes on
    [offer_c] = await world.registrations.enrolments(3)
    assert offer_c.registration.status is RegistrationStatus.OFFERED


async def test_a_finished_course_cannot_be_cancelled_and_exports_as_completed(
        world: World) -> None:
    from bot.services.roster import roster_csv

    [citizen] = await world.citizens(1)
    seat = await world.registrations.register(citizen, await world.course_id("BAL-ILK-01"),
                                              person(1))
    world.clock.at = datetime(2027, 1, 10, 9, 0, tzinfo=ISTANBUL)
    with pytest.raises(DomainError, match="stays in your history"):
        await world.registrations.cancel(1, seat.id)
    await world.life.sweep()
    assert ";tamamladı;" in await roster_csv(world.db, ISTANBUL, "BAL-ILK-01")


async def test_a_citizen_who_blocked_the_bot_cannot_hold_an_offer(world: World) -> None:
    course_id = await world.course_id("BUC-MUH-01", capacity=1)
    a, b, c = await world.citizens(1, 2, 3)
    seat = await world.registrations.register(a, course_id, person(1))
    await world.registrations.register(b, course_id, person(2))
    await world.registrations.register(c, course_id, person(3))
    await world.registrations.cancel(1, seat.id)
    await world.users.deactivate(2)  # the offer's send was answered 403
    await world.registrations.user_unreachable(2)
    [offer] = await world.registrations.enrolments(3)
    assert offer.registration.status is RegistrationStatus.OFFERED


# --- imports, reminders, announcements ------------------------------------------------------

def _demo_with(code: str, **changes: str) -> bytes:
    table = read_table(DEMO_CSV.name, DEMO_CSV.read_bytes())
    header = table[0]
    for row in table[1:]:
        if row[0] == code:
            for column, value in changes.items():
                row[header.index(column)] = value
    return "\n".join(";".join(r) for r in table).encode()


async def test_an_import_refuses_a_capacity_below_the_seats_taken(world: World) -> None:
    course_id = await world.course_id("BUC-MUH-01")
    for viewer in await world.citizens(1, 2, 3):
        await world.registrations.register(viewer, course_id, person(viewer.user_id))
    drafts = parse_course_table(read_table("k.csv", _demo_with("BUC-MUH-01", kontenjan="2")),
                                ISTANBUL)
    with pytest.raises(CourseFileError) as refused:
        await world.courses.import_drafts(drafts)
    [problem] = refused.value.problems
    assert problem.column == "kontenjan" and problem.params == {
        "capacity": 2, "taken": 3, "code": "BUC-MUH-01"} and problem.row == 11
    assert (await world.courses.course(Viewer(1), course_id=course_id)).capacity == 25


async def test_a_new_start_date_moves_the_reminders_and_tells_the_trainees(
        world: World) -> None:
    course_id = await world.course_id("BUC-MUH-01")
    [trainee] = await world.citizens(1)
    await world.registrations.register(trainee, course_id, person(1))
    drafts = parse_course_table(read_table("k.csv", _demo_with("BUC-MUH-01",
                                                                baslangic="2026-12-09")),
                                ISTANBUL)
    await world.courses.import_drafts(drafts)
    new_start = datetime(2026, 12, 9, 18, 30, tzinfo=ISTANBUL)
    assert sorted(r["due"] for r in await world.pending(CLASS_REMINDER)) == [
        new_start - timedelta(days=1), new_start - timedelta(hours=2)]
    assert [m["user"] for m in await world.messages("course_changed")] == [1]


async def test_class_reminders_missed_while_down_are_planned_within_the_grace(
        world: World) -> None:
    course_id = await world.course_id("BUC-MUH-01")
    [trainee] = await world.citizens(1)
    await world.registrations.register(trainee, course_id, person(1))
    prefs = PreferenceService(world.db, world.clock, world.reminders, world.users)
    await prefs.set_reminders(1, classes=True)
    async with world.db.transaction() as conn:
        await conn.execute("DELETE FROM due_actions")
    # The bot comes back 1 hour after the 2-hour reminder of the 9 December class fell due.
    world.clock.at = datetime(2026, 12, 9, 17, 30, tzinfo=ISTANBUL)
    await world.reminders.plan_class_reminders()
    due = [r["due"] for r in await world.pending(CLASS_REMINDER)]
    assert datetime(2026, 12, 9, 16, 30, tzinfo=ISTANBUL) in due


async def test_a_published_course_is_announced_once_to_its_subscribers(world: World) -> None:
    buca_fan, _ = await world.citizens(1, 2)
    buca = (await world.courses.course(buca_fan, code="BUC-MUH-01")).centre
    assert buca is not None
    async with world.db.transaction() as conn:
        await conn.execute("INSERT INTO subscriptions (user_id, district_id, created_at) "
                           "VALUES (1, ?, '')", (buca.district.id,))
    assert (await world.life.sweep()).announced > 0  # the demo courses, new to this file
    news = await world.messages("course_news")
    assert {m["user"] for m in news} == {1} and len(news) == 3  # Buca's three public courses
    csv = ("kod;ad;brans;ilce;merkez;baslangic;bitis;gunler;saat;kontenjan\n"
           "BUC-MUH-02;Ön Muhasebe 2;Muhasebe ve Finans;Buca;Buca Meslek Fabrikası Kurs "
           "Merkezi;2027-03-01;2027-05-01;Pzt;09:00-12:00;20\n")
    await world.courses.import_drafts(parse_course_table(read_table("k.csv", csv.encode()),
                                                         ISTANBUL))
    await world.life.sweep()
    await world.courses.import_drafts(parse_course_table(read_table("k.csv", csv.encode()),
                                                         ISTANBUL))
    await world.life.sweep()
    assert len(await world.messages("course_news")) == 4


# --- words and clocks -----------------------------------------------------------------------

def test_the_test_clock_follows_its_file(tmp_path: Path) -> None:
    offset = tmp_path / "clock"
    clock = OffsetFileClock(offset)
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 1
    offset.write_text(str(86400 * 30))
    assert clock.refresh() and not clock.refresh()
    assert clock.now().date() >= date.today() + timedelta(days=29)


def test_the_test_clock_is_refused_against_real_telegram() -> None:
    from bot.config import ConfigError
    with pytest.raises(ConfigError, match="TEST_CLOCK_FILE"):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
                           "TEST_CLOCK_FILE": "/tmp/x"},
                          dotenv=None)


async def test_a_due_action_key_is_released_when_its_cause_moves(world: World) -> None:
    now = world.clock.now()
    async with world.db.transaction() as conn:
        repo = DueActionRepository(conn)
        assert await repo.add("x", now, dedup_key="re:1:2:a", now=now)
        await repo.release("re:1:", now)
        assert await repo.add("x", now, dedup_key="re:1:2:a", now=now)


async def test_an_offer_whose_deadline_passed_while_the_bot_was_down_is_not_sent(
        tmp_path: Path, clock: FixedClock) -> None:
    from bot.app import build_services
    from handlers.notifications import render_notification

    settings = replace(SETTINGS, database_path=tmp_path / "bot.sqlite3")
    services = build_services(settings, clock)
    await services.db.open()
    await services.db.migrate()
    try:
        table = read_table(DEMO_CSV.name, DEMO_CSV.read_bytes())
        await services.courses.import_drafts(parse_course_table(table, ISTANBUL))
        course = await services.courses.course(Viewer(1), code="BUC-MUH-01")
        async with services.db.transaction() as conn:
            await conn.execute("UPDATE courses SET capacity = 1 WHERE id = ?", (course.id,))
        for n in (1, 2):
            await services.users.seen(n, "tr")
        seat = await services.registrations.register(Viewer(1), course.id, person(1))
        await services.registrations.register(Viewer(2), course.id, person(2))
        await services.registrations.cancel(1, seat.id)
        [offer] = [a for a in await services.timer.due()
                   if a.payload.get("message") == "seat_offer"]
        sent = await render_notification(services, offer)
        assert sent is not None and sent.remember == {"offer": offer.payload["registration_id"]}
        clock.advance(settings.seat_offer_ttl + timedelta(minutes=1))  # the bot was down
        assert await render_notification(services, offer) is None
    finally:
        await services.db.close()


async def test_first_class_and_periodic_planning_share_their_keys(world: World) -> None:
    [trainee] = await world.citizens(1)
    await world.registrations.register(trainee, await world.course_id("BUC-MUH-01"), person(1))
    world.clock.at = datetime(2026, 12, 6, 9, 0, tzinfo=ISTANBUL)  # the first class is near
    prefs = PreferenceService(world.db, world.clock, world.reminders, world.users)
    await prefs.set_reminders(1, classes=True)
    first = datetime(2026, 12, 7, 18, 30, tzinfo=ISTANBUL)
    due = [r["due"] for r in await world.pending(CLASS_REMINDER) if r["at"] == first.isoformat()]
    assert sorted(due) == [first - timedelta(days=1), first - timedelta(hours=2)]  # not doubled
