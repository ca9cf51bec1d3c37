"""Shared fixtures: a real SQLite file with the demo courses, a fixed clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.services.course_file import parse_course_table, read_table
from bot.services.courses import CourseService
from storage.database import Database

ROOT = Path(__file__).resolve().parent.parent
DEMO_CSV = ROOT / "bot" / "demo" / "izmir_kurslar.csv"
ISTANBUL = ZoneInfo("Europe/Istanbul")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "data" / "test.sqlite3")
    await database.open()
    await database.migrate()
    yield database
    await database.close()


@pytest.fixture
async def courses(db: Database, clock: FixedClock) -> CourseService:
    """The course service over a database holding the İzmir demo courses."""
    service = CourseService(db, clock, ISTANBUL)
    table = read_table(DEMO_CSV.name, DEMO_CSV.read_bytes())
    await service.import_drafts(parse_course_table(table, ISTANBUL))
    return service
