"""The staff console's rules without Telegram: a course typed step by step meets the file's
rules, a broadcast's text is checked as Telegram checks it, and only admins may do either."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain import Audience, AudienceKind, BroadcastAudience, CourseFormat
from bot.errors import DomainError, Forbidden
from bot.services.broadcasts import BroadcastService, check_text
from bot.services.course_dialogue import COURSE_FLOW, cells
from bot.services.course_file import InvalidCell
from bot.services.course_publishing import CoursePublishing
from bot.services.courses import CourseService
from bot.services.dialogues import DialogueService
from bot.services.registrations import RegistrationService
from bot.services.users import UserService
from storage.database import Database
from tests.conftest import ISTANBUL

ADMIN, CITIZEN = 900001, 4002
SETTINGS = replace(Settings(token="1:x"), timezone=ISTANBUL, admin_ids=frozenset({ADMIN}))


@pytest.fixture
def publishing(db: Database, clock: FixedClock, courses: CourseService) -> CoursePublishing:
    return CoursePublishing(db, clock, courses, RegistrationService(db, clock, SETTINGS),
                            SETTINGS.admin_ids)




async def test_an_online_course_answered_step_by_step_is_the_file_row_it_would_be(
        db: Database, clock: FixedClock, publishing: CoursePublishing) -> None:
    dialogues = DialogueService(db, clock)
    dialogues.define(COURSE_FLOW)
    await UserService(db, clock).seen(ADMIN, "tr")
    d = await dialogues.start(ADMIN, COURSE_FLOW.kind, {})
    assert d.step == "kod"
    d = await dialogues.answer(d, "buc-onl-01")
    d = await dialogues.choose(d, bicim="cevrimici")
    assert d.step == "baglanti"  # online: no district or centre asked
    with pytest.raises(InvalidCell):
        await dialogues.answer(d, "http://meet.example.org")
    for answer in ("https://meet.example.org/x", "Excel ile Bütçe", "Bilişim", "01.02.2027",
                   "2027-03-01", "Sal,Per", "19:00-21:00", "30"):
        d = await dialogues.answer(d, answer)
    for skipped in ("egitmen", "aciklama", "yas_alt"):
        assert d.step == skipped
        d = await dialogues.choose(d, **{skipped: ""})
    d = await dialogues.choose(d, hedef="personel")
    assert d.step == "confirm"
    draft = publishing.draft(cells(d.data))
    assert (draft.code, draft.format, draft.audience, draft.district, draft.capacity) == \
        ("BUC-ONL-01", CourseFormat.ONLINE, Audience.STAFF, None, 30)
    with pytest.raises(Forbidden):
        await publishing.create(CITIZEN, cells(d.data))
    await publishing.create(ADMIN, cells(d.data))
    with pytest.raises(DomainError, match="already used"):
        await publishing.create(ADMIN, cells(d.data))


def test_a_cross_field_problem_names_its_column(publishing: CoursePublishing) -> None:
    row = {"kod": "X-1", "bicim": "yuz_yuze", "ilce": "Buca", "merkez": "Konak", "ad": "A",
           "brans": "B", "baslangic": "2027-02-01", "bitis": "2027-01-01", "gunler": "Pzt",
           "saat": "09:00-10:00", "kontenjan": "5", "hedef": "halk"}
    with pytest.raises(InvalidCell) as problem:
        publishing.draft(row)
    assert problem.value.column == "bitis"


def test_a_broadcast_text_is_checked_as_telegram_checks_it() -> None:
    assert check_text("  Kayıtlar <b>başladı</b> & açık  ") == \
        "Kayıtlar <b>başladı</b> &amp; açık"
    assert check_text("a &lt; b &amp; c") == "a &lt; b &amp; c"
    for text, words in (("<b>kalın", "would refuse"), ("<br>", "would refuse"),
                        ("x" * 4097, "4096"), ("<b> </b>", "no text")):
        with pytest.raises(DomainError, match=words):
            check_text(text)


async def test_only_admins_broadcast_and_an_empty_audience_is_refused(
        db: Database, clock: FixedClock) -> None:
    users = UserService(db, clock)
    for user_id in (ADMIN, CITIZEN):
        await users.seen(user_id, "tr")
    service = BroadcastService(db, clock, admin_ids=SETTINGS.admin_ids)
    everyone = BroadcastAudience(AudienceKind.EVERYONE)
    assert await service.preview(ADMIN, "Merhaba", everyone) == 2
    with pytest.raises(Forbidden):
        await service.send(CITIZEN, "Merhaba", everyone)
    with pytest.raises(DomainError, match="Nobody"):
        await service.preview(ADMIN, "Merhaba", BroadcastAudience(AudienceKind.STAFF))
    broadcast = await service.send(ADMIN, "Merhaba", everyone)
    assert broadcast.total == 2
    with pytest.raises(Forbidden):
        await service.stop_by(CITIZEN, broadcast.id)
    assert (await service.stop_by(ADMIN, broadcast.id)).stopped
