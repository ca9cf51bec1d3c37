"""Time source, injected so that rules can be tested at any moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current time, always timezone-aware UTC."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class OffsetFileClock:
    """For end-to-end tests only (`TEST_CLOCK_FILE`): the real time plus the number of
    seconds written in a file, so a test can move a running bot forward through a year.

    `now()` uses the offset last read; `refresh()` reads the file again and says whether the
    offset changed (the bot polls it, then wakes its timer). A missing or unreadable file
    counts as no offset. The offset only ever moves the clock; it is never persisted."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = timedelta(0)
        self.refresh()

    def refresh(self) -> bool:
        try:
            seconds = float(self.path.read_text(encoding="ascii").strip() or 0)
        except (OSError, ValueError):
            seconds = 0.0
        offset = timedelta(seconds=seconds)
        changed = offset != self.offset
        self.offset = offset
        return changed

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def clock_for(test_clock_file: Path | None) -> Clock:
    """The clock a process runs on: the real one, unless a test names an offset file."""
    return OffsetFileClock(test_clock_file) if test_clock_file else SystemClock()


class FixedClock:
    """A clock for tests: stands still until moved."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta
