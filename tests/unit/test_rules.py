"""Registration rules as plain functions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.domain import (
    Audience,
    Course,
    CourseFormat,
    CourseStatus,
    Enrolment,
    Registration,
    RegistrationStatus,
)
from bot.errors import DomainError
from bot.services import rules
from tests.conftest import ISTANBUL

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
BASE = Course(
    id=1, code="A", name="Ön Muhasebe", branch="Muhasebe", centre=None,
    start_date=date(2026, 12, 1), end_date=date(2027, 2, 26), weekdays=frozenset({0, 2}),
    start_time=time(18, 30), end_time=time(21, 0), capacity=20, instructor=None,
    description=None, min_age=None, registration_opens_at=None, audience=Audience.PUBLIC,
    format=CourseFormat.IN_PERSON, link=None, status=CourseStatus.OPEN,
)


def enrolment(course: Course, status: RegistrationStatus = RegistrationStatus.REGISTERED,
              position: int | None = None) -> Enrolment:
    return Enrolment(Registration(course.id * 10, "MK-X", course.id, 5, status, None, NOW,
                                  position), course)


def refusal(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as error:
        call()
    return error.value.key


def test_an_evening_class_does_not_clash_with_a_morning_one() -> None:
    morning = replace(BASE, id=2, start_time=time(9, 30), end_time=time(12, 30))
    assert not rules.schedules_clash(BASE, morning)
    overlapping = replace(BASE, id=3, start_time=time(20, 0), end_time=time(22, 0))
    assert rules.schedules_clash(BASE, overlapping)
    other_days = replace(overlapping, weekdays=frozenset({1, 3}))
    assert not rules.schedules_clash(BASE, other_days)
    later_term = replace(overlapping, start_date=date(2027, 3, 1), end_date=date(2027, 4, 1))
    assert not rules.schedules_clash(BASE, later_term)
    back_to_back = replace(BASE, id=4, start_time=time(21, 0), end_time=time(22, 0))
    assert not rules.schedules_clash(BASE, back_to_back)


def test_eligibility_refusals_say_why() -> None:
    clash = replace(BASE, id=2, name="Excel", start_time=time(19, 0), end_time=time(20, 0))
    assert "already registered" in refusal(
        lambda: rules.check_eligibility(BASE, [enrolment(BASE)], 3))
    assert "waiting list" in refusal(lambda: rules.check_eligibility(
        BASE, [enrolment(BASE, RegistrationStatus.WAITING, 2)], 3))
    assert "at the same time" in refusal(
        lambda: rules.check_eligibility(BASE, [enrolment(clash)], 3))
    others = [enrolment(replace(BASE, id=i, start_date=date(2028, 1, i))) for i in (5, 6, 7)]
    assert "at most" in refusal(lambda: rules.check_eligibility(BASE, others, 3))
    # A waiting place elsewhere at the same hours is no clash: the citizen holds no seat.
    rules.check_eligibility(BASE, [enrolment(clash, RegistrationStatus.WAITING, 1)], 3)


def test_registration_window() -> None:
    rules.check_window(BASE, NOW, ISTANBUL)
    soon = replace(BASE, registration_opens_at=NOW + timedelta(days=2))
    assert "opens on" in refusal(lambda: rules.check_window(soon, NOW, ISTANBUL))
    started = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)  # 18:30 in İstanbul
    assert "already started" in refusal(lambda: rules.check_window(BASE, started, ISTANBUL))
    closed = replace(BASE, status=CourseStatus.CLOSED)
    assert "closed" in refusal(lambda: rules.check_window(closed, NOW, ISTANBUL))


def test_minimum_age_counts_the_year_the_course_starts() -> None:
    adults = replace(BASE, min_age=18)
    rules.check_age(adults, 2008)  # turns 18 in 2026, the course starts in 2026
    assert "aged {age}" in refusal(lambda: rules.check_age(adults, 2009))


def test_an_offer_never_outlives_the_course_start() -> None:
    assert rules.offer_deadline(NOW, timedelta(hours=24), BASE, ISTANBUL) == NOW + timedelta(
        hours=24)
    late = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert rules.offer_deadline(late, timedelta(hours=24), BASE, ISTANBUL) == datetime(
        2026, 12, 1, 18, 30, tzinfo=ISTANBUL)


@pytest.mark.parametrize("text", ["0532 123 45 67", "+90 532 1234567", "5321234567",
                                  "0 (532) 123-45-67", "+905321234567"])
def test_mobile_numbers_in_any_common_form(text: str) -> None:
    assert rules.parse_mobile(text) == "+905321234567"


@pytest.mark.parametrize("text", ["0232 123 45 67", "+44 7911 123456", "12345", "", "abc",
                                  "0532 123 45 6", "5" * 4000])
def test_landlines_foreign_and_junk_numbers_are_refused(text: str) -> None:
    with pytest.raises(DomainError):
        rules.parse_mobile(text)


@pytest.mark.parametrize("text", ["Ayşe Yılmaz", "  Çağrı   Öztürk ", "Mehmet Ali Şahin",
                                  "Ayşe Nur Kaya-Demir", "İsmail O'Neil", "ayse", "Mary",
                                  "Ayşe Nur Kaya", "Ayşe N. Kaya"])
def test_names(text: str) -> None:
    assert rules.parse_full_name(text) == " ".join(text.split())


@pytest.mark.parametrize("text", ["12345 678", "A B", "A. B.", "A" * 500, "<b>Ali</b> Veli",
                                  "Ali 😀", "'; DROP TABLE users; --", ""])
def test_bad_names(text: str) -> None:
    with pytest.raises(DomainError):
        rules.parse_full_name(text)


def test_birth_year() -> None:
    today = date(2026, 11, 21)
    assert rules.parse_birth_year(" 1990 ", today) == 1990
    for bad in ("1850", "2030", "90", "bin dokuz yüz", "19.90"):
        with pytest.raises(DomainError) as refused:
            rules.parse_birth_year(bad, today)
        assert "1990" in refused.value.key  # asked again with an example
        assert "four digits" not in refused.value.key
    with pytest.raises(DomainError) as refused:
        rules.parse_birth_year("2030", today)
    assert refused.value.params == {"year": "2030"}  # says which year cannot be right
