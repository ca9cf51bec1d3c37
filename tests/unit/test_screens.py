"""Screens keep their promise: escaped by construction, cut between elements, paginated,
in words, and complete."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace

from markupsafe import Markup

from bot.config import Settings
from bot.domain import Dialogue, District, Role, Subscription, Viewer
from bot.i18n import At, By
from bot.services.courses import CourseService
from bot.services.preferences import PreferenceService
from bot.services.reminders import ReminderService
from bot.services.users import UserService
from bot.telegram_html import parse_html
from handlers import keyboards, views
from handlers.commands import CITIZEN_COMMANDS, STAFF_COMMANDS
from handlers.markup import MAX_MESSAGE, fit, lines
from handlers.preferences import overview_text
from handlers.privacy import _summary
from handlers.registration import _tap_a_button
from storage.database import Database
from tests.unit.test_i18n import translator

SETTINGS = Settings(token="1:x")


def test_a_branch_with_html_characters_cannot_break_bildirimler() -> None:
    screen = overview_text(translator(), [Subscription(1, District(1, "Buca"),
                                                       "Bilgisayar ‹İleri>")])
    assert isinstance(screen, Markup)
    assert "Bilgisayar ‹İleri&gt;" in screen
    parse_html(str(screen))  # Telegram's parser accepts it


def test_a_long_message_is_cut_between_elements() -> None:
    rows = [Markup("<b>{}</b> – <i>{}</i>").format(f"Kurs {i}", "x" * 40) for i in range(200)]
    cut = fit(lines(rows))
    assert len(cut) <= MAX_MESSAGE and cut.endswith("…")
    parse_html(str(cut))  # no element was split
    one_line = Markup("<b>{}</b>").format("y" * 5000)
    parse_html(str(fit(one_line)))


def test_help_lists_every_citizen_command_and_staff_commands_to_staff() -> None:
    t = translator()
    citizen, staff = views.help_text(t), views.help_text(t, Role.ADMIN)
    counsellor = views.help_text(t, Role.COUNSELLOR)
    for name, _ in CITIZEN_COMMANDS:
        assert f"/{name} " in citizen
    for name, _, _ in STAFF_COMMANDS:
        assert f"/{name} " not in citizen and f"/{name} " in staff
    assert "/randevu_ac " in counsellor and "/yetki " not in counsellor
    assert "/yonetim " in views.help_text(t, Role.STAFF)
    assert "/randevu_ac " not in views.help_text(t, Role.STAFF)


def test_my_data_is_in_words_and_never_says_none() -> None:
    data = {"full_name": None, "phone": None, "birth_year": None, "language": None,
            "consent": {"version": None, "given_at": None, "text": None},
            "registrations": [], "dialogue_in_progress": None,
            "first_seen": "2026-12-01T21:19:37.480612+00:00"}
    text = _summary(translator(), data)
    assert "yok" not in text.replace("saklamıyoruz", "") and "sürüm" not in text
    assert "2 Aralık 2026 Çarşamba" in text and "T21:19" not in text  # in BOT_TIMEZONE
    given = {**data, "full_name": "Ayşe Kaya", "phone": "+905321234567",
             "consent": {"version": "2026-12", "given_at": "2026-12-01T07:00:00+00:00",
                         "text": "…"}}
    assert "1 Aralık 2026 Salı, saat 10.00'da" in _summary(translator(), given)
    assert "0532 123 45 67" in _summary(translator(), given)


def test_my_data_tells_the_appointment_subscriptions_and_reminders() -> None:
    data = {"full_name": "Ayşe Kaya", "phone": "+905321234567", "birth_year": None,
            "language": "tr", "consent": {"version": None, "given_at": None, "text": None},
            "registrations": [], "dialogue_in_progress": None, "first_seen": None,
            "appointments": [{"at": "2026-12-07T07:00:00+00:00", "place": "Buca Konağı",
                              "topic": "cv", "status": "booked", "outcome": None,
                              "name_given": "Ayşe Kaya"}],
            "subscriptions": [{"district": "Buca", "branch": None},
                              {"district": "Konak", "branch": "Bilişim"}],
            "reminders": {"before_every_class": True, "before_ceremonies_and_events": False}}
    text = _summary(translator(), data)
    assert "7 Aralık 2026 Pazartesi, saat 10.00" in text and "Buca Konağı" in text
    assert "CV hazırlama" in text
    assert "Buca" in text and "Konak" in text and "Bilişim" in text


def test_the_english_consent_reminder_names_the_english_buttons() -> None:
    dialogue = Dialogue(1, "register", "consent", {})
    english = _tap_a_button(translator("en"), dialogue)
    assert "“I agree”" in english and "“Cancel”" in english
    assert "Onaylıyorum" not in english
    assert "“Onaylıyorum”" in _tap_a_button(translator(), dialogue)


def test_the_notice_names_the_controller_the_legal_basis_and_the_period() -> None:
    notice = views.consent_notice(translator(), replace(
        SETTINGS, organisation_name="İzmir Büyükşehir Belediyesi Meslek Fabrikası"))
    assert "Veri sorumlusu:</b> İzmir Büyükşehir Belediyesi Meslek Fabrikası" in notice
    assert "Hukuki sebep" in notice and "2 yıl" in notice and "Açık rıza" in notice
    assert "Aydınlatma Metni" not in notice


def test_the_greeting_needs_no_suffix_on_the_organisation_name() -> None:
    text = views.welcome(translator(), "Ayşe", "İzmir Büyükşehir Belediyesi Meslek Fabrikası")
    assert "İzmir Büyükşehir Belediyesi Meslek Fabrikası tarafından" in text
    assert "Meslek Kapısı</b>'na hoş geldiniz" in text


def test_offer_deadline_and_opening_times_read_as_turkish() -> None:
    t = translator()
    deadline = datetime(2026, 11, 30, 21, 21, tzinfo=UTC)
    assert "saat 00.21'e kadar yanıt verin" in t.text(
        "🎉 <b>{course}</b> – a seat is offered to you; answer by {deadline}",
        course="Ön Muhasebe", deadline=By(deadline))
    opening = t.text("Registration for this course opens on {when}. Please come back then; "
                     "the course card shows the date too.",
                     when=At(datetime(2026, 12, 1, 7, 0, tzinfo=UTC)))
    assert "1 Aralık 2026 Salı, saat 10.00'da açılacak" in opening


def test_branch_and_district_buttons_are_paginated() -> None:
    t = translator()
    branches = [(i, f"Branş {i}") for i in range(100)]
    markup = keyboards.subscribe_branch(t, 0, branches)
    buttons = [b for row in markup.inline_keyboard for b in row]
    assert len(buttons) < 20 and any(b.text == "Sonraki ›" for b in buttons)
    last = keyboards.subscribe_branch(t, 0, branches, page=99)
    assert any(b.text == "‹ Önceki" for row in last.inline_keyboard for b in row)


def test_any_district_is_not_followed_by_any_branch() -> None:
    """"Tüm ilçeler" then "Tüm branşlar" was no choice, refused every time."""
    t, branches = translator(), [(1, "Bilişim")]
    labels = [b.text for row in keyboards.subscribe_branch(t, 0, branches).inline_keyboard
              for b in row]
    assert "Bilişim" in labels and "Tüm branşlar" not in labels
    in_buca = keyboards.subscribe_branch(t, 3, branches).inline_keyboard
    assert "Tüm branşlar" in [b.text for row in in_buca for b in row]


async def test_a_branch_used_only_by_staff_courses_is_not_offered_to_citizens(
        db: Database, courses: CourseService) -> None:
    clock = courses.clock
    async with db.transaction() as conn:
        await conn.execute("UPDATE courses SET branch = 'Hizmet İçi' WHERE audience = 'personel'")
        await conn.execute("INSERT INTO branches (name) VALUES ('Hizmet İçi'), ('Çeşitli'), "
                           "('Yiyecek')")
        await conn.execute("UPDATE courses SET branch = 'Yiyecek' WHERE code = 'BUC-MUH-01'")
        await conn.execute("UPDATE courses SET branch = 'Çeşitli' WHERE code = 'BUC-KUA-01'")
    users = UserService(db, clock)
    service = PreferenceService(db, clock, ReminderService(db, clock, SETTINGS), users)
    citizen = [name for _, name in await service.branches(Viewer(1))]
    staff = [name for _, name in await service.branches(Viewer(2, role=Role.ADMIN))]
    assert "Hizmet İçi" not in citizen and "Hizmet İçi" in staff
    assert citizen.index("Çeşitli") < citizen.index("Yiyecek")  # Turkish order


def test_a_mobile_visit_without_a_map_says_so() -> None:
    from datetime import timedelta

    from bot.domain import MobileVisit
    from handlers import appointment_views
    t = translator()
    at = datetime(2026, 12, 20, 7, 0, tzinfo=UTC)
    square = MobileVisit(1, District(3, "Buca"), at, at + timedelta(hours=6),
                         "Cumhuriyet Meydanı", None, None)
    assert "harita" not in appointment_views.visits(t, [square]).lower()  # no promise of a map
    assert "We have no map pin" in appointment_views.visit_news(
        translator("en"), square)
    centre = replace(square, latitude=38.4, longitude=27.1)
    assert "no map pin" not in appointment_views.visit_news(translator("en"), centre)


def test_a_visit_nobody_subscribed_to_is_not_told_to_zero_people() -> None:
    from datetime import timedelta

    from bot.domain import MobileVisit
    from handlers.mobile import planned
    at = datetime(2026, 12, 20, 7, 0, tzinfo=UTC)
    visit = MobileVisit(1, District(3, "Buca"), at, at + timedelta(hours=6), "Meydan",
                        None, None)
    assert "Bu ilçede henüz abone yok" in planned(translator(), visit, 0)
    assert " 0 " not in planned(translator(), visit, 0)
    assert "2 abonesine" in planned(translator(), visit, 2)


def test_event_names_carry_no_colon_and_reminders_say_when() -> None:
    from bot.domain import Event, EventKind
    from handlers import event_views
    t = translator()
    at = datetime(2026, 12, 1, 23, 39, tzinfo=UTC)
    exhibition = Event(1, EventKind.EXHIBITION, "Yıl Sonu Sergisi", at, "Kültürpark",
                       None, False)
    assert event_views.title(t, exhibition, None) == "Yıl Sonu Sergisi"
    panel = replace(exhibition, kind=EventKind.PANEL, title="Kariyer Günü")
    assert event_views.title(t, panel, None) == "Kariyer Günü (Panel)"
    reminder = event_views.event_reminder(t, exhibition, None)
    assert reminder.count(":") == 2  # "Hatırlatma:" and "Yer:", nothing piled up
    assert "Yıl Sonu Sergisi 2 Aralık 2026 Çarşamba, saat 02.39'da başlıyor." in reminder
    assert "Ne zaman: 2 Aralık 2026 Çarşamba, saat 02.39" in event_views.event_news(
        t, exhibition)
    ceremony = replace(exhibition, kind=EventKind.CEREMONY, title="")
    course = SimpleNamespace(name="Gece Fotoğrafçılığı")
    assert event_views.title(t, ceremony, course) == (  # type: ignore[arg-type]
        "Gece Fotoğrafçılığı sertifika töreni")


async def test_a_one_day_course_shows_its_single_date(courses: CourseService) -> None:
    course = await courses.course(Viewer(0), code="BUC-MUH-01")
    one_day = replace(course, end_date=course.start_date)
    from bot.services.lifecycle import CardAction, CardOffer
    card = views.course_card(translator(), one_day, CardOffer(CardAction.REGISTER))
    day = translator().date(course.start_date)
    assert f"Tarih: {day}" in card and f"{day} – {day}" not in card


def test_the_slot_preview_asks_with_evet_and_vazgec() -> None:
    from handlers import appointment_keyboards
    markup = appointment_keyboards.preview(translator())
    assert [b.text for row in markup.inline_keyboard for b in row] == ["Evet", "Vazgeç"]


async def test_a_card_opened_from_search_goes_back_to_the_results(
        courses: CourseService) -> None:
    from bot.domain import CoursePage
    from handlers.callback_data import decode
    course = await courses.course(Viewer(0), code="BUC-MUH-01")
    results = keyboards.search_results(translator(), CoursePage((course,), 2, 3, 17))
    opened = decode(results.inline_keyboard[0][0].callback_data)  # type: ignore[arg-type]
    assert opened is not None and opened.args == (course.id, 2, keyboards.FROM_SEARCH)
    from bot.services.lifecycle import CardAction, CardOffer
    offer = CardOffer(CardAction.REGISTER)
    card = keyboards.course_card(translator(), course, offer, 2, "bot", opened.arg(2))
    back = decode(card.inline_keyboard[-1][0].callback_data)  # type: ignore[arg-type]
    assert back is not None and back.action == "sr" and back.args == (2,)
    from_list = keyboards.course_card(translator(), course, offer, 0, "bot")
    assert decode(from_list.inline_keyboard[-1][0].callback_data).action == "d"  # type: ignore[arg-type,union-attr]


def test_the_counsellors_day_turns_to_other_days_and_explains_its_figure() -> None:
    from datetime import date

    from handlers import appointment_keyboards, appointment_views
    from handlers.callback_data import decode
    t = translator()
    day = date(2026, 12, 7)
    text = appointment_views.counsellor_day(t, [], 1, day)
    assert "7 Aralık 2026 Pazartesi" in text and "danışmanla görüşmedi" in text
    assert "/randevularim 2026-12-07" in text
    markup = appointment_keyboards.counsellor_day(t, [], day, single=True)
    turns = [decode(b.callback_data) for b in markup.inline_keyboard[-2]]  # type: ignore[arg-type]
    assert [c.args for c in turns if c] == [(20261206,), (20261208,)]
    both = appointment_keyboards.counsellor_day(t, [], day)  # today and tomorrow
    after = decode(both.inline_keyboard[-2][1].callback_data)  # type: ignore[arg-type]
    assert after is not None and after.args == (20261209,)


def test_a_counsellor_may_look_at_any_day_but_not_at_no_day() -> None:
    from datetime import date

    import pytest

    from bot.errors import DomainError
    from bot.services.slot_rules import parse_any_day
    assert parse_any_day("07.12.2026") == parse_any_day("2026-12-07") == date(2026, 12, 7)
    assert parse_any_day("2020-01-01") == date(2020, 1, 1)
    with pytest.raises(DomainError):
        parse_any_day("yarın")


def test_a_long_problem_list_fits_one_message_and_says_how_many_more() -> None:
    from bot.services.course_file import Problem
    from handlers.staff_course_file import problem_list

    t = translator()
    problems = [Problem(n, "saat", "“{value}” is not a time range like 09:30-12:30.",
                        {"value": "x" * 60}) for n in range(2, 502)]
    text = problem_list(t, problems)
    assert len(text) <= 4096
    assert "satır 2, sütun saat" in text
    assert "sorun daha" in text
    shown = text.count("satır ")
    assert f"{500 - shown} sorun daha" in text
