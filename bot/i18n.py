"""Translations and locale-aware formatting (babel), one `Translator` per update.

Message ids are English; `locales/tr` and `locales/en` hold the catalogues. A catalogue that
is not compiled stops the start-up: a bot that silently speaks the wrong language is worse.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, format_timedelta, get_day_names
from babel.numbers import format_decimal
from babel.support import Translations
from markupsafe import Markup

from bot.config import SUPPORTED_LOCALES
from bot.turkish import Case, clock

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


@dataclass(frozen=True)
class At:
    """An instant as "on <day> at <time>": "1 Aralık 2026 Salı, saat 10.00'da"."""

    value: datetime


@dataclass(frozen=True)
class By:
    """A deadline: "1 Aralık 2026 Salı, saat 00.21'e" (the message adds "kadar")."""

    value: datetime


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


class Translator:
    """Translates and formats for one locale and time zone."""

    def __init__(self, translations: Translations, locale: str, timezone: ZoneInfo) -> None:
        self.translations = translations
        self.locale = locale
        self.timezone = timezone

    def text(self, message: str, **params: Any) -> Markup:
        """A translated HTML message; every parameter is escaped unless it is `Markup`."""
        return Markup(self.translations.gettext(message)).format(**self._values(params))

    def plural(self, singular: str, plural: str, n: int, **params: Any) -> Markup:
        """A translated HTML message chosen by count; `{n}` is the formatted number."""
        params.setdefault("n", self.number(n))
        return Markup(self.translations.ngettext(singular, plural, n)).format(
            **self._values(params))

    def label(self, message: str, **params: Any) -> str:
        """A translated plain-text string (buttons, pop-ups, file contents): no escaping."""
        return self.translations.gettext(message).format(
            **{k: self._value(v) for k, v in params.items()})

    def _value(self, value: Any) -> str:
        """Dates and times in words in the bot's zone; everything else as it is."""
        if isinstance(value, At):
            return self.at(value.value)
        if isinstance(value, By):
            return self.by(value.value)
        if isinstance(value, datetime):
            return self.moment(value)
        if isinstance(value, date):
            return self.date(value)
        return str(value)

    def _values(self, params: dict[str, Any]) -> dict[str, Markup]:
        """Markup stays as it is; every other value is escaped here (quotes left as they are:
        Telegram's HTML needs only <, > and & escaped, and "10.00'da" stays readable)."""
        return {k: v if isinstance(v, Markup) else Markup(html.escape(self._value(v),
                                                                       quote=False))
                for k, v in params.items()}

    def number(self, value: float) -> str:
        if isinstance(value, int) and -1000 < value < 1000:
            return str(value)  # what babel gives too (no grouping below a thousand), faster
        return format_decimal(value, locale=self.locale)

    def date(self, value: date) -> str:
        """A date in words, e.g. "1 Aralık 2026 Salı"."""
        return _date_in_words(value, self.locale)

    def time(self, value: time, case: Case | None = None) -> str:
        """A clock time: "14.00" in Turkish prose (with a case ending when asked: "14.00'te"),
        "14:00" in English."""
        if self.locale == "tr":
            return clock(value, case)
        return format_time(value, format="HH:mm", locale=self.locale)

    def moment(self, value: datetime) -> str:
        """An instant shown in the bot's time zone, date in words and hour."""
        local = value.astimezone(self.timezone)
        return f"{self.date(local.date())}, {self.time(local.time())}"

    def at(self, value: datetime) -> str:
        """ "1 Aralık 2026 Salı, saat 10.00'da" / "Tuesday, 1 December 2026 at 10:00"."""
        return self._phrase(value, Case.LOCATIVE)

    def by(self, value: datetime) -> str:
        """ "1 Aralık 2026 Salı, saat 00.21'e" (+ "kadar" in the message) / "… at 00:21"."""
        return self._phrase(value, Case.DATIVE)

    def _phrase(self, value: datetime, case: Case) -> str:
        local = value.astimezone(self.timezone)
        day = self.date(local.date())
        if self.locale == "tr":
            return f"{day}, saat {clock(local.time(), case)}"
        return f"{day} at {self.time(local.time())}"

    def duration(self, value: timedelta) -> str:
        """A period in words: "2 yıl", "1 gün"."""
        return format_timedelta(value, locale=self.locale)

    def weekdays(self, days: Iterable[int]) -> str:
        names = get_day_names("wide", locale=self.locale)
        return ", ".join(str(names[d]) for d in sorted(days))
