"""The dialogue mechanism is generic: a second, tiny dialogue (a feedback form) runs on it,
with validation, skipped steps, corrections, leaving and expiry — no Telegram involved."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.domain import Course, Viewer
from bot.errors import DomainError
from bot.services.courses import CourseService
from bot.services.dialogues import DialogueService, Flow, Step
from bot.services.privacy import CONSENT_VERSION, PrivacyService
from bot.services.registration_dialogue import first_data, registration_flow
from bot.services.registrations import RegistrationService
from bot.services.users import UserService
from storage.database import Database
from tests.unit.test_registrations import SETTINGS

USER = 4242


def parse_stars(text: str, _: Mapping[str, Any]) -> int:
    if text.strip() not in {"1", "2", "3", "4", "5"}:
        raise DomainError("Give 1 to 5 stars.")
    return int(text)


FEEDBACK = Flow("feedback", (
    Step("stars", parse=parse_stars),
    Step("why", parse=lambda text, _: text.strip(), skip=lambda data: data["stars"] == 5),
    Step("publish"),  # a button
))


@pytest.fixture
async def dialogues(db: Database, clock: FixedClock) -> DialogueService:
    await UserService(db, clock).seen(USER, "tr")
    service = DialogueService(db, clock, ttl=timedelta(hours=24))
    service.define(FEEDBACK)
    await service.load()
    return service


async def test_a_second_dialogue_runs_on_the_same_mechanism(dialogues: DialogueService) -> None:
    d = await dialogues.start(USER, "feedback", {"course_id": 7})
    assert d.step == "stars"
    with pytest.raises(DomainError):
        await dialogues.answer(d, "ten")
    assert (await dialogues.current(USER)) == d  # a wrong answer leaves it where it was
    d = await dialogues.answer(d, "5")
    assert d.step == "publish"  # "why" is skipped for five stars
    d = await dialogues.go_to(d, "stars")  # a typo to correct
    d = await dialogues.answer(await dialogues.current(USER) or d, "2")
    assert d.step == "why"
    d = await dialogues.answer(d, "  too short ")
    d = await dialogues.choose(d, publish=True)
    assert d.finished and d.data == {"course_id": 7, "stars": 2, "why": "too short",
                                     "publish": True}
    assert (await dialogues.leave(USER)) is not None
    assert await dialogues.current(USER) is None
    assert await dialogues.leave(USER) is None  # nothing left to leave


async def test_leaving_for_another_command_is_remembered_once(dialogues: DialogueService) -> None:
    await dialogues.start(USER, "feedback", {})
    left = await dialogues.leave(USER, remember=True)
    assert left is not None and left.kind == "feedback"
    assert dialogues.just_left(USER) == left
    assert dialogues.just_left(USER) is None


async def test_an_unfinished_dialogue_expires_with_what_was_typed(
        dialogues: DialogueService, db: Database, clock: FixedClock) -> None:
    d = await dialogues.start(USER, "feedback", {})
    await dialogues.answer(d, "3")
    clock.advance(timedelta(hours=23))
    assert await dialogues.current(USER) is not None
    assert await dialogues.expire() == 0
    clock.advance(timedelta(hours=1))
    assert await dialogues.current(USER) is None  # expired: gone at once for the user…
    await dialogues.start(USER, "feedback", {"secret": "Hatice Kara"})
    clock.advance(timedelta(days=2))
    assert await dialogues.expire() == 1  # …and deleted by the periodic job
    async with db.reading() as conn:
        rows = await (await conn.execute("SELECT count(*) FROM dialogues")).fetchone()
    assert rows is not None and rows[0] == 0


async def _course(courses: CourseService, min_age: int | None = None) -> Course:
    from dataclasses import replace
    course = await courses.course(Viewer(0), code="BUC-MUH-01")
    return replace(course, min_age=min_age)


async def test_registration_confirms_a_year_under_the_minimum_age(
        dialogues: DialogueService, courses: CourseService, clock: FixedClock) -> None:
    dialogues.define(registration_flow(lambda: clock.now().date()))
    course = await _course(courses, min_age=16)
    d = await dialogues.start(USER, "register", first_data(course, None))
    d = await dialogues.answer(d, "ayse")
    d = await dialogues.answer(d, "0532 123 45 67")
    assert d.step == "birth_year"
    d = await dialogues.answer(d, "2015")
    assert d.step == "age_check"  # not the end: a chance to fix a typo
    d = await dialogues.go_to(d, "birth_year")
    d = await dialogues.answer(d, "2005")
    assert d.step == "consent"


async def test_consent_is_asked_once_per_version_of_the_notice(
        db: Database, dialogues: DialogueService, courses: CourseService,
        clock: FixedClock) -> None:
    dialogues.define(registration_flow(lambda: clock.now().date()))
    registrations = RegistrationService(db, clock, SETTINGS)
    course = await _course(courses)
    from bot.services.registrations import Applicant
    await registrations.register(Viewer(USER), course.id, Applicant(
        "Ayşe Kaya", "+905321234567", None, CONSENT_VERSION, "metin"))
    profile = await registrations.profile(USER)
    d = await dialogues.start(USER, "register", first_data(course, profile))
    d = await dialogues.answer(d, "Ayşe Kaya")
    d = await dialogues.answer(d, "0532 123 45 67")
    assert d.finished  # this version of the notice was agreed to: not asked again
    older = await dialogues.start(USER, "register", {**first_data(course, profile),
                                                     "consented": False})
    older = await dialogues.answer(await dialogues.answer(older, "Ayşe Kaya"), "05321234567")
    assert older.step == "consent"


async def test_my_data_shows_an_unfinished_dialogue(
        db: Database, dialogues: DialogueService, courses: CourseService,
        clock: FixedClock) -> None:
    dialogues.define(registration_flow(lambda: clock.now().date()))
    registrations = RegistrationService(db, clock, SETTINGS)
    privacy = PrivacyService(db, clock, registrations, UserService(db, clock), dialogues)
    d = await dialogues.start(USER, "register", first_data(await _course(courses), None))
    await dialogues.answer(d, "Hatice Kara")
    exported = await privacy.export(USER)
    assert exported["dialogue_in_progress"]["data"]["name"] == "Hatice Kara"
