"""The pre-registration dialogue as a `Flow`: name → mobile → birth year (only where the
course has a minimum age) → a second look at a year under that age → KVKK consent (only when
this version of the notice was not agreed to before)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from bot.domain import Course, Profile
from bot.services import rules
from bot.services.dialogues import Flow, Step
from bot.services.privacy import CONSENT_VERSION

KIND = "register"


def _needs_birth_year(data: Mapping[str, Any]) -> bool:
    return bool(data.get("min_age"))


def under_age(data: Mapping[str, Any]) -> bool:
    """The birth year given is under the course's minimum age."""
    year = data.get("birth_year")
    return year is not None and rules.under_age(int(data.get("min_age") or 0),
                                                int(data["course_year"]), int(year))


def registration_flow(today: Callable[[], date]) -> Flow:
    return Flow(KIND, (
        Step("name", parse=lambda text, _: rules.parse_full_name(text)),
        Step("phone", parse=lambda text, _: rules.parse_mobile(text)),
        Step("birth_year", parse=lambda text, _: rules.parse_birth_year(text, today()),
             skip=lambda data: not _needs_birth_year(data)),
        Step("age_check", skip=lambda data: not under_age(data)),
        Step("consent", skip=lambda data: bool(data.get("consented"))),
    ))


def first_data(course: Course, profile: Profile | None) -> dict[str, Any]:
    """What the dialogue starts with: the course, and whether this notice was agreed to."""
    return {
        "course_id": course.id, "course_name": course.name, "min_age": course.min_age or 0,
        "course_year": course.start_date.year,
        "consented": profile is not None and profile.consent_version == CONSENT_VERSION,
    }
