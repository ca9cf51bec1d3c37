"""Translations and locale-aware formatting (babel), one `Translator` per update.

Message ids are English; `locales/tr` and `locales/en` hold the catalogues. A catalogue that
is not compiled stops the start-up: a bot that silently speaks the wrong language is worse.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_day_names
from babel.numbers import format_decimal
from babel.support import Translations

from bot.config import SUPPORTED_LOCALES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


class Html(str):
    """Text that is already HTML (a rendered message): not escaped again when nested."""

    __slots__ = ()


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


class CatalogueMissing(RuntimeError):
    """A compiled catalogue (.mo) is missing: run `make catalogues`."""


def load_catalogues(folder: Path = LOCALES_DIR) -> dict[str, Translations]:
    """Load the compiled catalogue of every supported locale, or fail loudly."""
    catalogues = {}
    for locale in SUPPORTED_LOCALES:
        mo = folder / locale / "LC_MESSAGES" / "messages.mo"
        if not mo.is_file():
            raise CatalogueMissing(f"{mo} is missing; run `make catalogues`")
        with mo.open("rb") as fp:
            catalogues[locale] = Translations(fp, domain="messages")
    return catalogues


def resolve_locale(stored: str | None, telegram_language: str | None, default: str) -> str:
    """The user's choice, else their Telegram language if we have it, else the default."""
    if stored in SUPPORTED_LOCALES:
        return stored
    base = (telegram_language or "").split("-")[0].lower()
    return base if base in SUPPORTED_LOCALES else default


@lru_cache(maxsize=4096)
def _date_in_words(value: date, locale: str) -> str:
    """Course lists show the same few dates over and over: format each once."""
    return format_date(value, format="full", locale=locale)


_UNITS = {0: "da", 1: "de", 2: "de", 3: "te", 4: "te", 5: "te", 6: "da", 7: "de", 8: "de",
          9: "da"}
_TENS = {10: "da", 20: "de", 30: "da", 40: "ta", 50: "de"}


def turkish_locative(hour: int, minute: int) -> str:
    """The suffix a clock time takes when read aloud: 10.00'da, 14.00'te, 00.21'de — it
    follows the last number spoken (the minutes, or the hour on the hour)."""
    number = minute or hour
    if number % 10 or number == 0:
        return _UNITS[number % 10]
    return _TENS[number]


class Translator:
    """Translates and formats for one locale and time zone."""

    def __init__(self, translations: Translations, locale: str, timezone: ZoneInfo) -> None:
        self.translations = translations
        self.locale = locale
        self.timezone = timezone

    def text(self, message: str, **params: Any) -> Html:
        """A translated HTML message; every parameter is HTML-escaped unless it is `Html`."""
        return Html(self.translations.gettext(message).format(**self._escaped(params)))

    def plural(self, singular: str, plural: str, n: int, **params: Any) -> Html:
        """A translated HTML message chosen by count; `{n}` is the formatted number."""
        params.setdefault("n", self.number(n))
        return Html(self.translations.ngettext(singular, plural, n).format(
            **self._escaped(params)))

    def label(self, message: str, **params: Any) -> str:
        """A translated plain-text string (buttons, pop-ups, file contents): no escaping."""
        return self.translations.gettext(message).format(
            **{k: self._value(v) for k, v in params.items()})

    def _value(self, value: Any) -> str:
        """Dates and times in words in the bot's zone; everything else as it is."""
        if isinstance(value, datetime):
            return self.moment(value)
        if isinstance(value, date):
            return self.date(value)
        return str(value)

    def _escaped(self, params: dict[str, Any]) -> dict[str, str]:
        return {k: v if isinstance(v, Html) else html.escape(self._value(v), quote=False)
                for k, v in params.items()}

    def number(self, value: float) -> str:
        if isinstance(value, int) and -1000 < value < 1000:
            return str(value)  # what babel gives too (no grouping below a thousand), faster
        return format_decimal(value, locale=self.locale)

    def date(self, value: date) -> str:
        """A date in words, e.g. "1 Aralık 2026 Salı"."""
        return _date_in_words(value, self.locale)

    def time(self, value: time) -> str:
        return format_time(value, format="HH:mm", locale=self.locale)

    def moment(self, value: datetime) -> str:
        """An instant shown in the bot's time zone, date in words and hour."""
        local = value.astimezone(self.timezone)
        return f"{self.date(local.date())} {self.time(local.time())}"

    def at(self, value: datetime) -> str:
        """An instant in prose: "1 Aralık 2026 Salı, saat 10.00'da" / "… at 10:00"."""
        local = value.astimezone(self.timezone)
        day = self.date(local.date())
        if self.locale == "tr":
            return f"{day}, saat {local:%H.%M}'{turkish_locative(local.hour, local.minute)}"
        return f"{day} at {self.time(local.time())}"

    def weekdays(self, days: Iterable[int]) -> str:
        names = get_day_names("wide", locale=self.locale)
        return ", ".join(str(names[d]) for d in sorted(days))
