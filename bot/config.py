"""Settings: the only place that reads the environment (and `.env`).

A missing or malformed value raises `ConfigError` with one line naming the variable;
`python -m bot` turns it into exit code 2.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SUPPORTED_LOCALES = ("tr", "en")
_DURATION_PART = re.compile(r"(\d+)([dhms])")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{10,}$")
# Telegram delivers about 30 messages a second for free; more needs paid broadcasts.
FREE_BROADCAST_RATE = 30


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


def parse_duration(text: str) -> timedelta:
    """Parse `1d`, `2h`, `90s`, `1h30m` into a timedelta (raises ValueError)."""
    cleaned = text.strip().lower()
    if not cleaned or _DURATION_PART.sub("", cleaned):
        raise ValueError(f"{text!r} is not a duration like 1d, 2h, 30m or 90s")
    seconds = sum(int(n) * _UNIT_SECONDS[u] for n, u in _DURATION_PART.findall(cleaned))
    if seconds <= 0:
        raise ValueError(f"{text!r} must be longer than zero")
    return timedelta(seconds=seconds)


def read_dotenv(path: Path) -> dict[str, str]:
    """Read KEY=VALUE lines; comments and blank lines are ignored, quotes stripped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        elif " #" in value:  # KEY=value  # a comment
            value = value.split(" #", 1)[0].rstrip()
        values[key.strip().removeprefix("export ").strip()] = value
    return values


def token_configured(environ: Mapping[str, str] | None = None,
                     dotenv: Path | None = Path(".env")) -> bool:
    """Whether TELEGRAM_BOT_TOKEN is set (environment or `.env`): `make run` serves Telegram
    then, and the playground otherwise."""
    env: dict[str, str] = read_dotenv(dotenv) if dotenv else {}
    env.update(os.environ if environ is None else environ)
    return bool(env.get("TELEGRAM_BOT_TOKEN", "").strip())


@dataclass(frozen=True)
class Settings:
    """Validated configuration of one deployment."""

    token: str = field(repr=False)
    api_base_url: str | None = None
    database_path: Path = Path("data/meslek.sqlite3")
    admin_ids: frozenset[int] = frozenset()
    timezone: ZoneInfo = ZoneInfo("Europe/Istanbul")
    default_locale: str = "tr"
    reminder_offsets: tuple[timedelta, ...] = (timedelta(days=1), timedelta(hours=2))
    reminder_grace: timedelta = timedelta(hours=6)
    broadcast_rate: float = 25.0
    paid_broadcast: bool = False
    max_active_registrations: int = 3
    seat_offer_ttl: timedelta = timedelta(hours=24)
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = field(default=None, repr=False)
    playground_port: int = 8080
    log_level: str = "INFO"
    organisation_name: str = "Belediye Meslek Kursları"
    dialogue_ttl: timedelta = timedelta(hours=24)
    data_retention: timedelta = timedelta(days=730)
    # Tests only: a file holding the seconds the bot's clock runs ahead (see bot/clock.py).
    test_clock_file: Path | None = None

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        dotenv: Path | None = Path(".env"),
        *,
        require_token: bool = True,
    ) -> Settings:
        """Build settings from `.env` (if present) overlaid by the real environment.

        Operator commands that never talk to Telegram (import, export, backup, migrate) pass
        `require_token=False`.
        """
        env: dict[str, str] = read_dotenv(dotenv) if dotenv else {}
        env.update(os.environ if environ is None else environ)
        return _Reader(env, require_token).settings()

    def without_token(self, text: str) -> str:
        """Return `text` with the bot token (and webhook secret) blanked out."""
        for secret in (self.token, self.webhook_secret):
            if secret:
                text = text.replace(secret, "<redacted>")
        return text


class _Reader:
    def __init__(self, env: Mapping[str, str], require_token: bool) -> None:
        self.env = env
        self.require_token = require_token

    def get(self, name: str) -> str | None:
        value = self.env.get(name, "").strip()
        return value or None

    def fail(self, name: str, problem: str) -> ConfigError:
        return ConfigError(f"{name}: {problem}")

    def duration(self, name: str, default: timedelta) -> timedelta:
        raw = self.get(name)
        if raw is None:
            return default
        try:
            return parse_duration(raw)
        except ValueError as exc:
            raise self.fail(name, str(exc)) from None

    def flag(self, name: str) -> bool:
        raw = (self.get(name) or "false").strip().lower()
        if raw not in ("true", "false", "1", "0", "yes", "no"):
            raise self.fail(name, "must be true or false")
        return raw in ("true", "1", "yes")

    def positive_int(self, name: str, default: int) -> int:
        raw = self.get(name)
        if raw is None:
            return default
        if not raw.isdigit() or int(raw) <= 0:
            raise self.fail(name, f"{raw!r} is not a positive whole number")
        return int(raw)

    def port(self, name: str, default: int) -> int:
        """A TCP port; 0 means any free port, chosen at start."""
        raw = self.get(name)
        if raw is None:
            return default
        if not raw.isdigit() or int(raw) > 65535:
            raise self.fail(name, f"{raw!r} is not a port number (0-65535)")
        return int(raw)

    def settings(self) -> Settings:
        token = self.get("TELEGRAM_BOT_TOKEN") or ""
        if not token and self.require_token:
            raise self.fail("TELEGRAM_BOT_TOKEN", "missing; get a token from @BotFather")
        if token and not _TOKEN.match(token):
            raise self.fail("TELEGRAM_BOT_TOKEN", "malformed; expected the form 123456:ABC-DEF…")
        base_url = self.get("TELEGRAM_API_BASE_URL")
        if base_url and not base_url.startswith(("http://", "https://")):
            raise self.fail("TELEGRAM_API_BASE_URL", "must start with http:// or https://")
        admins: set[int] = set()
        for part in (self.get("ADMIN_IDS") or "").split(","):
            if part.strip():
                if not part.strip().isdigit():
                    raise self.fail("ADMIN_IDS", f"{part.strip()!r} is not a Telegram user id")
                admins.add(int(part))
        tz_name = self.get("BOT_TIMEZONE") or "Europe/Istanbul"
        try:
            timezone = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail("BOT_TIMEZONE", f"{tz_name!r} is not a known time zone") from None
        locale = (self.get("DEFAULT_LOCALE") or "tr").lower()
        if locale not in SUPPORTED_LOCALES:
            raise self.fail("DEFAULT_LOCALE", f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        offsets_raw = self.get("REMINDER_OFFSETS") or "1d,2h"
        try:
            offsets = tuple(sorted({parse_duration(p) for p in offsets_raw.split(",")}))
        except ValueError as exc:
            raise self.fail("REMINDER_OFFSETS", str(exc)) from None
        rate_raw = self.get("BROADCAST_RATE") or "25"
        try:
            rate = float(rate_raw)
        except ValueError:
            rate = 0.0
        paid = self.flag("PAID_BROADCAST")
        if not 0 < rate <= 1000:
            raise self.fail("BROADCAST_RATE", f"{rate_raw!r} is not a rate between 0 and 1000")
        if rate > FREE_BROADCAST_RATE and not paid:
            raise self.fail("BROADCAST_RATE", f"above {FREE_BROADCAST_RATE} messages a second "
                            "Telegram refuses them unless PAID_BROADCAST=true (paid broadcasts)")
        webhook_url = self.get("WEBHOOK_URL")
        if webhook_url and not webhook_url.startswith("https://"):
            raise self.fail("WEBHOOK_URL", "must be an https:// address Telegram can reach")
        secret = self.get("WEBHOOK_SECRET")
        if webhook_url and not secret:
            # Without it, anyone who finds the port could post updates as an admin.
            raise self.fail("WEBHOOK_SECRET", "required when WEBHOOK_URL is set; "
                            "use a long random string, e.g. from: openssl rand -hex 32")
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise self.fail("WEBHOOK_SECRET", "use 1-256 characters A-Z, a-z, 0-9, _ and -")
        level = (self.get("LOG_LEVEL") or "INFO").upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise self.fail("LOG_LEVEL", "must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        clock_file = self.get("TEST_CLOCK_FILE")
        if clock_file and (webhook_url or not base_url or not re.match(
                r"^https?://(127\.0\.0\.1|localhost)[:/]", base_url)):
            raise self.fail("TEST_CLOCK_FILE", "only for tests against a local Bot API server "
                            "(TELEGRAM_API_BASE_URL on 127.0.0.1, no webhook)")
        return Settings(
            test_clock_file=Path(clock_file) if clock_file else None,
            token=token,
            api_base_url=base_url,
            database_path=Path(self.get("DATABASE_PATH") or "data/meslek.sqlite3"),
            admin_ids=frozenset(admins),
            timezone=timezone,
            default_locale=locale,
            reminder_offsets=offsets,
            reminder_grace=self.duration("REMINDER_GRACE", timedelta(hours=6)),
            broadcast_rate=rate,
            paid_broadcast=paid,
            max_active_registrations=self.positive_int("MAX_ACTIVE_REGISTRATIONS", 3),
            seat_offer_ttl=self.duration("SEAT_OFFER_TTL", timedelta(hours=24)),
            webhook_url=webhook_url,
            webhook_listen=self.get("WEBHOOK_LISTEN") or "0.0.0.0",
            webhook_port=self.positive_int("WEBHOOK_PORT", 8443),
            webhook_secret=secret,
            playground_port=self.port("PLAYGROUND_PORT", 8080),
            log_level=level,
            organisation_name=self.organisation_name(),
            dialogue_ttl=self.duration("DIALOGUE_TTL", timedelta(hours=24)),
            data_retention=self.duration("DATA_RETENTION", timedelta(days=730)),
        )

    def organisation_name(self) -> str:
        name = " ".join((self.get("ORGANISATION_NAME") or "Belediye Meslek Kursları").split())
        if len(name) > 120:
            raise self.fail("ORGANISATION_NAME", "at most 120 characters")
        return name
