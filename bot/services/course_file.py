"""Reading a course file (SPEC §8): CSV or XLSX in, validated `CourseDraft`s or problems out.

Pure functions: no database, no Telegram. Problems carry a gettext message id and the
spreadsheet position (the header is row 1), so they can be shown in any language.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import Audience, CourseDraft, CourseFormat
from bot.i18n import N_
from bot.services import rules
from bot.textsearch import fold

REQUIRED = ("kod", "ad", "brans", "ilce", "merkez", "baslangic", "bitis", "gunler", "saat",
            "kontenjan")
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024

_DAYS = {
    "pzt": 0, "pazartesi": 0, "sal": 1, "sali": 1, "car": 2, "carsamba": 2, "per": 3,
    "persembe": 3, "cum": 4, "cuma": 4, "cmt": 5, "cts": 5, "cumartesi": 5, "paz": 6, "pazar": 6,
}
_CODE = re.compile(r"^[A-Z0-9_-]{1,32}$")
_HOURS = re.compile(r"^(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file, at a spreadsheet row and column."""

    row: int
    column: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


class CourseFileError(Exception):
    """The file cannot be imported; `problems` lists everything wrong at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class _Invalid(Exception):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The cells of a CSV or XLSX file as text, header row first."""
    if len(content) > MAX_BYTES:
        raise CourseFileError([Problem(1, "-", N_("The file is larger than 5 MB."))])
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CourseFileError(
            [Problem(1, "-", N_("The file is not UTF-8 text. Save it as “CSV UTF-8”."))]
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # imported here: only staff uploads need it

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise CourseFileError(
            [Problem(1, "-", N_("The file is not a readable XLSX workbook."))]
        ) from None
    try:
        sheet = book.worksheets[0]
        return [[_xlsx_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _date(text: str) -> date:
    found = rules.parse_date(text)
    if found is not None:
        return found
    raise _Invalid(N_("“{value}” is not a date; write YYYY-MM-DD or DD.MM.YYYY."), value=text)


def _weekdays(text: str) -> frozenset[int]:
    days = set()
    for part in text.split(","):
        key = fold(part).strip(" .")
        if key not in _DAYS:
            raise _Invalid(N_("“{value}” is not a day name such as Pzt or Pazartesi."), value=part)
        days.add(_DAYS[key])
    return frozenset(days)


def _hours(text: str) -> tuple[time, time]:
    match = _HOURS.match(text.strip())
    try:
        if not match:
            raise ValueError
        h0, m0, h1, m1 = (int(g) for g in match.groups())
        start, end = time(h0, m0), time(h1, m1)
    except ValueError:
        raise _Invalid(N_("“{value}” is not a time range like 09:30-12:30."), value=text) from None
    if end <= start:
        raise _Invalid(N_("The class must end after it starts."))
    return start, end


def _whole(text: str, low: int, high: int) -> int:
    if not text.isdigit() or not low <= int(text) <= high:
        raise _Invalid(
            N_("“{value}” must be a whole number from {low} to {high}."),
            value=text, low=low, high=high,
        )
    return int(text)


def _degrees(text: str, limit: float) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = float("nan")
    if not -limit <= value <= limit:
        raise _Invalid(N_("“{value}” is not a coordinate in decimal degrees."), value=text)
    return value


class _Row:
    """One data row being validated; collects a problem per bad cell."""

    def __init__(self, number: int, cells: dict[str, str], problems: list[Problem]) -> None:
        self.number = number
        self.cells = cells
        self.problems = problems

    def raw(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def string(self, column: str, limit: int, required: bool = True) -> str | None:
        value = " ".join(self.raw(column).split())
        if not value:
            if required:
                self.fail(column, N_("This cell is required."))
            return None
        if len(value) > limit:
            self.fail(column, N_("Too long: at most {limit} characters."), limit=limit)
            return None
        return value

    def parse(self, column: str, parser: Callable[[str], Any], required: bool = True) -> Any:
        value = self.raw(column)
        if not value:
            if required:
                self.fail(column, N_("This cell is required."))
            return None
        try:
            return parser(value)
        except _Invalid as problem:
            self.problems.append(Problem(self.number, column, problem.message, problem.params))
            return None

    def choice(self, column: str, options: dict[str, Any], default: Any) -> Any:
        value = fold(self.raw(column)).replace(" ", "_")
        if not value:
            return default
        if value not in options:
            allowed = ", ".join(sorted(str(o) for o in set(options.values())))
            self.fail(column, N_("“{value}” is not one of: {allowed}."),
                      value=self.raw(column), allowed=allowed)
            return default
        return options[value]

    def fail(self, column: str, message: str, **params: Any) -> None:
        self.problems.append(Problem(self.number, column, message, params))


def _code(text: str) -> str:
    code = text.upper()
    if not _CODE.match(code):
        raise _Invalid(N_("A code uses only letters A-Z, digits, - and _ (at most 32)."))
    return code


def _draft(row: _Row, timezone: ZoneInfo) -> CourseDraft | None:
    before = len(row.problems)
    code = row.parse("kod", _code)
    fmt = row.choice("bicim", {"yuz_yuze": CourseFormat.IN_PERSON,
                               "cevrimici": CourseFormat.ONLINE}, CourseFormat.IN_PERSON)
    online = fmt is CourseFormat.ONLINE
    audience = row.choice("hedef", {"halk": Audience.PUBLIC, "personel": Audience.STAFF},
                          Audience.PUBLIC)
    start = row.parse("baslangic", _date)
    end = row.parse("bitis", _date)
    if start and end and end < start:
        row.fail("bitis", N_("The end date is before the start date."))
    hours = row.parse("saat", _hours)
    latitude = row.parse("enlem", lambda v: _degrees(v, 90), required=False)
    longitude = row.parse("boylam", lambda v: _degrees(v, 180), required=False)
    if (latitude is None) != (longitude is None):
        row.fail("boylam" if longitude is None else "enlem",
                 N_("Give both latitude and longitude, or neither."))
    link = row.string("baglanti", 500, required=online)
    if link and not re.match(r"^https://[^\s<>\"]+\.[^\s<>\"]+$", link):
        row.fail("baglanti", N_("The link must be a web address starting with https://."))

    def opens(value: str) -> datetime:
        for pattern in ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"):
            try:
                local = datetime.strptime(value, pattern).replace(tzinfo=timezone)
                return local.astimezone(UTC)
            except ValueError:
                continue
        raise _Invalid(N_("“{value}” is not a date and time like 2026-12-01 10:00."), value=value)

    draft_fields = dict(
        code=code,
        name=row.string("ad", 200),
        branch=row.string("brans", 100),
        district=row.string("ilce", 100, required=not online),
        centre=row.string("merkez", 200, required=not online),
        neighbourhood=row.string("mahalle", 200, required=False),
        address=row.string("adres", 500, required=False),
        latitude=latitude,
        longitude=longitude,
        start_date=start,
        end_date=end,
        weekdays=row.parse("gunler", _weekdays),
        capacity=row.parse("kontenjan", lambda v: _whole(v, 1, 10000)),
        instructor=row.string("egitmen", 200, required=False),
        description=row.string("aciklama", 2000, required=False),
        min_age=row.parse("yas_alt", lambda v: _whole(v, 1, 120), required=False),
        registration_opens_at=row.parse("kayit_baslangic", opens, required=False),
        audience=audience,
        format=fmt,
        link=link if online else None,
    )
    if len(row.problems) > before or hours is None:
        return None
    return CourseDraft(start_time=hours[0], end_time=hours[1], row=row.number, **draft_fields)


def _data_rows(table: list[list[str]], header: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    for index, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        yield index, dict(zip(header, cells, strict=False))


def parse_course_table(table: list[list[str]], timezone: ZoneInfo) -> list[CourseDraft]:
    """Validate every row; return the drafts, or raise with every problem at once."""
    if not table:
        raise CourseFileError([Problem(1, "-", N_("The file is empty."))])
    header = [fold(h).replace(" ", "_") for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    problems = [Problem(1, c, N_("This required column is missing.")) for c in missing]
    if problems:
        raise CourseFileError(problems)
    rows = list(_data_rows(table, header))
    if not rows:
        raise CourseFileError([Problem(2, "-", N_("The file has no course rows."))])
    if len(rows) > MAX_ROWS:
        raise CourseFileError(
            [Problem(MAX_ROWS + 2, "-", N_("At most {limit} rows at once."), {"limit": MAX_ROWS})]
        )
    drafts: list[CourseDraft] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        row = _Row(number, cells, problems)
        draft = _draft(row, timezone)
        if draft is None:
            continue
        if draft.code in seen:
            row.fail("kod", N_("The code {code} is already used on row {other}."),
                     code=draft.code, other=seen[draft.code])
            continue
        seen[draft.code] = number
        drafts.append(draft)
    if problems:
        order = {name: i for i, name in enumerate(header)}
        problems.sort(key=lambda p: (p.row, order.get(p.column, len(order))))
        raise CourseFileError(problems)
    return drafts
