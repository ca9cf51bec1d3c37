from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, parse_duration, token_configured

TOKEN = "123456:ABCdefGHIjklMNOpqr"


def settings(**env: str) -> Settings:
    return Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, **env}, dotenv=None)


def test_defaults_follow_the_spec() -> None:
    s = settings()
    assert s.database_path == Path("data/meslek.sqlite3")
    assert s.timezone.key == "Europe/Istanbul"
    assert s.default_locale == "tr"
    assert s.reminder_offsets == (timedelta(hours=2), timedelta(days=1))
    assert s.reminder_grace == timedelta(hours=6)
    assert s.broadcast_rate == 25
    assert s.max_active_registrations == 3
    assert s.seat_offer_ttl == timedelta(hours=24)
    assert s.webhook_url is None
    assert s.playground_port == 8080
    assert s.organisation_name == "Belediye Meslek Kursları"
    assert s.dialogue_ttl == timedelta(hours=24)
    assert s.data_retention == timedelta(days=730)
    assert settings(DIALOGUE_TTL="30m", DATA_RETENTION="365d",
                    ORGANISATION_NAME="  İzmir   Meslek Fabrikası ").organisation_name == \
        "İzmir Meslek Fabrikası"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"TELEGRAM_BOT_TOKEN": ""}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "nonsense"}, "TELEGRAM_BOT_TOKEN"),
        ({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"BOT_TIMEZONE": "Mars/Olympus"}, "BOT_TIMEZONE"),
        ({"DEFAULT_LOCALE": "de"}, "DEFAULT_LOCALE"),
        ({"REMINDER_OFFSETS": "1d,soon"}, "REMINDER_OFFSETS"),
        ({"REMINDER_GRACE": "0s"}, "REMINDER_GRACE"),
        ({"BROADCAST_RATE": "fast"}, "BROADCAST_RATE"),
        ({"MAX_ACTIVE_REGISTRATIONS": "-1"}, "MAX_ACTIVE_REGISTRATIONS"),
        ({"WEBHOOK_URL": "http://insecure.example"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://bot.example.bel.tr/"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "https://bot.example.bel.tr/", "WEBHOOK_SECRET": "a b"},
         "WEBHOOK_SECRET"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"DIALOGUE_TTL": "tomorrow"}, "DIALOGUE_TTL"),
        ({"DATA_RETENTION": "0d"}, "DATA_RETENTION"),
        ({"ORGANISATION_NAME": "x" * 200}, "ORGANISATION_NAME"),
        ({"TELEGRAM_API_BASE_URL": "127.0.0.1:8081"}, "TELEGRAM_API_BASE_URL"),
        ({"PLAYGROUND_PORT": "70000"}, "PLAYGROUND_PORT"),
        ({"PLAYGROUND_PORT": "http"}, "PLAYGROUND_PORT"),
    ],
)
def test_a_bad_value_is_named_in_one_line(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as error:
        settings(**env)
    message = str(error.value)
    assert message.startswith(f"{variable}:")
    assert "\n" not in message
    assert TOKEN not in message


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        f"# comment\nTELEGRAM_BOT_TOKEN={TOKEN}\nADMIN_IDS='1, 2'\nLOG_LEVEL=debug\n"
        "WEBHOOK_SECRET=abc  # shared with the proxy\n",
        encoding="utf-8",
    )
    s = Settings.from_env({"LOG_LEVEL": "WARNING"}, dotenv=dotenv)
    assert s.admin_ids == frozenset({1, 2})
    assert s.log_level == "WARNING"
    assert s.webhook_secret == "abc"


def test_durations() -> None:
    assert parse_duration("90s") == timedelta(seconds=90)
    assert parse_duration("1h30m") == timedelta(minutes=90)
    with pytest.raises(ValueError):
        parse_duration("2 hours")


def test_the_token_is_never_in_the_repr_and_can_be_redacted() -> None:
    s = settings(WEBHOOK_SECRET="s3cret")
    assert TOKEN not in repr(s)
    assert s.without_token(f"POST https://api/bot{TOKEN}/getMe s3cret") == (
        "POST https://api/bot<redacted>/getMe <redacted>"
    )


def test_operator_commands_run_without_a_token() -> None:
    s = Settings.from_env({}, dotenv=None, require_token=False)
    assert s.token == ""


def test_make_run_chooses_telegram_only_with_a_token(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    assert not token_configured({}, dotenv)
    assert not token_configured({"TELEGRAM_BOT_TOKEN": "  "}, dotenv)
    dotenv.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\n", encoding="utf-8")
    assert token_configured({}, dotenv)
    assert settings(PLAYGROUND_PORT="0").playground_port == 0  # any free port


def test_a_rate_above_telegrams_free_limit_needs_paid_broadcasts() -> None:
    base = {"TELEGRAM_BOT_TOKEN": "123456:ABCDEFGHIJKLMNOP"}
    with pytest.raises(ConfigError, match=r"BROADCAST_RATE.*PAID_BROADCAST"):
        Settings.from_env({**base, "BROADCAST_RATE": "200"}, dotenv=None)
    paid = Settings.from_env({**base, "BROADCAST_RATE": "1000", "PAID_BROADCAST": "true"},
                             dotenv=None)
    assert paid.paid_broadcast and paid.broadcast_rate == 1000
    with pytest.raises(ConfigError, match="PAID_BROADCAST"):
        Settings.from_env({**base, "PAID_BROADCAST": "maybe"}, dotenv=None)
