from datetime import UTC, date, datetime

from bot.i18n import Translator, load_catalogues, resolve_locale
from tests.conftest import ISTANBUL


def translator(locale: str = "tr") -> Translator:
    return Translator(load_catalogues()[locale], locale, ISTANBUL)


def test_locale_is_the_choice_then_telegram_then_default() -> None:
    assert resolve_locale("en", "tr", "tr") == "en"
    assert resolve_locale(None, "en-GB", "tr") == "en"
    assert resolve_locale(None, "de", "tr") == "tr"
    assert resolve_locale(None, None, "en") == "en"


def test_dates_in_words_and_times_in_the_bot_zone() -> None:
    t = translator()
    assert t.date(date(2026, 12, 1)) == "1 Aralık 2026 Salı"
    assert t.moment(datetime(2026, 12, 1, 7, 30, tzinfo=UTC)) == "1 Aralık 2026 Salı, 10.30"
    assert t.at(datetime(2026, 12, 1, 7, 0, tzinfo=UTC)) == "1 Aralık 2026 Salı, saat 10.00'da"
    assert t.by(datetime(2026, 11, 30, 21, 21, tzinfo=UTC)) == \
        "1 Aralık 2026 Salı, saat 00.21'e"
    assert translator("en").at(datetime(2026, 12, 1, 7, 0, tzinfo=UTC)) == \
        "Tuesday, December 1, 2026 at 10:00"
    assert t.number(1200) == "1.200"
    assert translator("en").date(date(2026, 12, 1)) == "Tuesday, December 1, 2026"


def test_parameters_are_escaped_once() -> None:
    t = translator()
    name = "Kuaförlük & Güzellik <İleri>"
    inner = t.text("Branch: {branch}", branch=name)
    assert inner == "Branş: Kuaförlük &amp; Güzellik &lt;İleri&gt;"
    assert t.text("Branch: {branch}", branch=inner) == "Branş: " + inner
    assert t.label("Free course: {name}", name=name) == "Ücretsiz kurs: " + name
