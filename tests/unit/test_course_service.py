"""Browsing rules over a real SQLite file with the İzmir demo courses."""

from __future__ import annotations

import pytest

from bot.domain import Audience, Role, Viewer
from bot.errors import NotFound
from bot.services.courses import PAGE_SIZE, CourseService, distance_km

CITIZEN = Viewer(1)
ADMIN = Viewer(2, role=Role.ADMIN)


async def test_every_district_is_listed_with_its_open_course_count(
    courses: CourseService,
) -> None:
    counts = await courses.districts(CITIZEN)
    names = [c.district.name for c in counts]
    assert len(names) == 30
    assert names[:3] == ["Aliağa", "Balçova", "Bayındır"]  # Turkish letters sort as folded
    assert all(c.open_courses > 0 for c in counts)
    assert await courses.online_count(CITIZEN) == 2


async def test_staff_only_courses_are_hidden_from_citizens(courses: CourseService) -> None:
    konak = next(c for c in await courses.districts(CITIZEN) if c.district.name == "Konak")
    konak_staff = next(c for c in await courses.districts(ADMIN) if c.district.name == "Konak")
    assert konak_staff.open_courses == konak.open_courses + 2
    page = await courses.page(ADMIN, 0, district_id=konak.district.id)
    staff_course = next(c for c in page.courses if c.audience is Audience.STAFF)
    with pytest.raises(NotFound):
        await courses.course(CITIZEN, code=staff_course.code)
    assert (await courses.course(ADMIN, code=staff_course.code)).id == staff_course.id


async def test_pages_of_a_district(courses: CourseService) -> None:
    konak = next(c for c in await courses.districts(ADMIN) if c.district.name == "Konak")
    first = await courses.page(ADMIN, 0, district_id=konak.district.id)
    assert first.total == konak.open_courses
    assert len(first.courses) == min(PAGE_SIZE, first.total)
    beyond = await courses.page(ADMIN, 99, district_id=konak.district.id)
    assert beyond.page == beyond.pages - 1


def test_distance() -> None:
    # Konak to Bornova is about 9 km as the crow flies.
    assert 8 < distance_km(38.4189, 27.1287, 38.4697, 27.2211) < 10
