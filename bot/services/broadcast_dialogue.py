"""/duyuru as a `Flow`: text → audience → (a district, a branch, or a course's code, when the
audience needs one) → preview with the number of recipients → confirm."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain import AudienceKind
from bot.services.broadcasts import check_text
from bot.services.course_file import parse_code
from bot.services.dialogues import Flow, Step

KIND = "broadcast_draft"
CONFIRM = "confirm"
# The audiences in the order their buttons show.
AUDIENCES = (AudienceKind.EVERYONE, AudienceKind.DISTRICT, AudienceKind.BRANCH,
             AudienceKind.COURSE, AudienceKind.WAITING, AudienceKind.STAFF)
BUTTON_ONLY = frozenset({"audience", "district", "branch", CONFIRM})


def _kind(data: Mapping[str, Any]) -> AudienceKind | None:
    value = data.get("audience")
    return AudienceKind(value) if value else None


BROADCAST_FLOW = Flow(KIND, (
    Step("text", parse=lambda text, _: check_text(text)),
    Step("audience"),
    Step("district", skip=lambda d: _kind(d) is not AudienceKind.DISTRICT),
    Step("branch", skip=lambda d: _kind(d) is not AudienceKind.BRANCH),
    Step("course", parse=lambda text, _: parse_code(text.strip()),
         skip=lambda d: _kind(d) not in (AudienceKind.COURSE, AudienceKind.WAITING)),
    Step(CONFIRM),
))
STEPS = tuple(step.name for step in BROADCAST_FLOW.steps)
