"""Search as citizens write, and courses near a place, over the İzmir demo courses."""

from __future__ import annotations

import pytest

from bot.domain import Audience, Role, Viewer
from bot.services.catalogue import Catalogue
from bot.services.courses import CourseService
from bot.services.search import PAGE_SIZE, SearchService
from bot.textsearch import is_small_talk, search_terms, turkish_order

CITIZEN = Viewer(1)
ADMIN = Viewer(2, role=Role.ADMIN)


@pytest.fixture
def search(courses: CourseService) -> SearchService:
    return SearchService(courses.catalogue)


def test_a_question_keeps_only_the_words_that_name_a_course() -> None:
    assert search_terms("Buca'da muhasebe kursu var mı?") == ["buca", "muhasebe"]
    assert search_terms("Karşıyaka’da kuaför kursu nerede, istiyorum") == ["karsiyaka",
                                                                            "kuafor"]


@pytest.mark.parametrize("text", ["merhaba", "Merhaba!", "😀", "iyi günler", "teşekkürler 🙏",
                                  "selam, kurs var mı?"])
def test_greetings_and_emoji_are_small_talk(text: str) -> None:
    assert is_small_talk(text)


@pytest.mark.parametrize("text", ["kuaför", "Buca", "muhasebe kursu"])
def test_words_are_not_small_talk(text: str) -> None:
    assert not is_small_talk(text)


async def test_buca_accounting_question_finds_bucas_accounting_course(
        search: SearchService) -> None:
    found = await search.search(CITIZEN, "Buca'da muhasebe kursu var mı?")
    assert found.total >= 1
    assert all(c.centre and c.centre.district.name == "Buca" for c in found.courses)
    assert any("Muhasebe" in c.name or "Muhasebe" in c.branch for c in found.courses)


async def test_a_suffix_without_an_apostrophe_still_matches(search: SearchService) -> None:
    assert (await search.search(CITIZEN, "bucada muhasebe")).total >= 1


async def test_results_are_paginated(search: SearchService) -> None:
    first = await search.search(ADMIN, "a")  # too short: no terms
    assert first.total == 0
    everything = await search.search(ADMIN, "mahallesi")
    assert everything.total > PAGE_SIZE and everything.pages > 1
    second = await search.search(ADMIN, "mahallesi", 1)
    assert second.page == 1 and not set(second.courses) & set(everything.courses)
    assert search.last_query(ADMIN.user_id) == "mahallesi"


async def test_staff_courses_are_not_found_by_citizens(search: SearchService) -> None:
    found = await search.search(CITIZEN, "personel")
    assert all(c.audience is Audience.PUBLIC for c in found.courses)


@pytest.mark.parametrize("query", ["cigli", "ÇİĞLİ", "Çiğli"])
async def test_search_ignores_case_and_turkish_letters(search: SearchService,
                                                       query: str) -> None:
    found = await search.search(CITIZEN, query)
    assert found.total == 3
    assert all(c.centre and c.centre.district.name == "Çiğli" for c in found.courses)


async def test_kuafor_finds_kuaforluk_and_words_narrow_down(search: SearchService) -> None:
    found = await search.search(CITIZEN, "kuafor")
    assert {c.name for c in found.courses} >= {"Kuaförlük", "Kuaförlük & Güzellik <İleri>"}
    narrowed = await search.search(CITIZEN, "kuafor cigli")
    assert [c.name for c in narrowed.courses] == ["Kuaförlük & Güzellik <İleri>"]


async def test_like_wildcards_in_a_query_are_literal(search: SearchService) -> None:
    assert (await search.search(CITIZEN, "%%")).total == 0
    assert (await search.search(CITIZEN, "'; DROP TABLE courses; --")).total == 0
    assert (await search.search(CITIZEN, "buca")).total > 0


async def test_nearby_courses_are_sorted_by_distance(search: SearchService) -> None:
    # Çiğli, Ataşehir: the nearest centre is Çiğli's own.
    found = await search.nearby(CITIZEN, 38.4960, 27.0710)
    assert found[0].course.centre and found[0].course.centre.district.name == "Çiğli"
    distances = [n.distance_km for n in found]
    assert distances == sorted(distances)
    assert distances[0] < 3


async def test_a_location_in_istanbul_is_near_no_centre(search: SearchService) -> None:
    assert await search.nearby(CITIZEN, 41.0082, 28.9784) == []


def test_branches_sort_in_turkish_alphabetical_order() -> None:
    assert sorted(["Yiyecek", "Çeşitli", "Cam", "Dil"], key=turkish_order) == [
        "Cam", "Çeşitli", "Dil", "Yiyecek"]


def test_catalogue_is_the_one_search_reads(courses: CourseService) -> None:
    assert isinstance(courses.catalogue, Catalogue)
