"""Reading a course file (SPEC §8): CSV or XLSX in, validated `CourseDraft`s or problems out.

Pure functions: no database, no Telegram. Problems carry a gettext message id and the
spreadsheet position (the header is row 1), so they can be shown in any language.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import Audience, CourseDraft, CourseFormat
from bot.errors import DomainError
from bot.i18n import N_
from bot.services import rules
from bot.textsearch import fold

REQUIRED = ("kod", "ad", "brans", "ilce", "merkez", "baslangic", "bitis", "gunler", "saat",
            "kontenjan")
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
# An XLSX is a zip: its members may unpack to at most this much (a "zip bomb" of a few KB
# that unpacks to gigabytes is refused before openpyxl reads a byte of it).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

# The longest text each text column takes.
LIMITS = {"ad": 200, "brans": 100, "ilce": 100, "merkez": 200, "mahalle": 200, "adres": 500,
          "egitmen": 200, "aciklama": 2000, "baglanti": 500}

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


class InvalidCell(DomainError):
    """One cell's value is wrong (the file import lists it at its row and column; the staff
    dialogue asks the question again with the same words)."""

    column: str | None = None  # where it is, when known

    @property
    def message(self) -> str:
        return self.key



def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The cells of a CSV or XLSX file as text, header row first."""
    if len(content) > MAX_BYTES:
        raise CourseFileError([Problem(1, "-", N_("The file is larger than 5 MB."))])
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
        if "\x00" in text:
            raise UnicodeDecodeError("utf-8", content, 0, 1, "binary")
    except UnicodeDecodeError:
        raise CourseFileError(
            [Problem(1, "-", N_("The file is not UTF-8 text. Save it as “CSV UTF-8”."))]
        ) from None
    if text.count("\n") > MAX_ROWS + 1000:  # blank lines aside, far too many rows to read
        raise CourseFileError(
            [Problem(MAX_ROWS + 2, "-", N_("At most {limit} rows at once."), {"limit": MAX_ROWS})]
        )
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


def _check_zip(content: bytes) -> None:
    """Refuse what is not a zip, and a zip whose members would unpack to too much (the sizes
    in its directory are checked first; reading then stops at the same limit, in case the
    directory lies)."""
    unreadable = CourseFileError(
        [Problem(1, "-", N_("The file is not a readable XLSX workbook."))])
    too_big = CourseFileError([Problem(1, "-", N_(
        "The workbook unpacks to more than {limit} MB; it cannot be a course list."),
        {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)})])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise too_big
            total = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(1 << 16):
                        total += len(chunk)
                        if total > MAX_UNPACKED_BYTES:
                            raise too_big
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError,
            EOFError, RuntimeError, ValueError):
        raise unreadable from None


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # imported here: only staff uploads need it

    _check_zip(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise CourseFileError(
            [Problem(1, "-", N_("The file is not a readable XLSX workbook."))]
        ) from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_xlsx_cell(v) for v in row])
            if len(rows) > MAX_ROWS + 1000:
                raise CourseFileError([Problem(MAX_ROWS + 2, "-", N_(
                    "At most {limit} rows at once."), {"limit": MAX_ROWS})])
        return rows
    except CourseFileError:
        raise
    except Exception:  # a damaged sheet inside a sound zip
        raise CourseFileError(
            [Problem(1, "-", N_("The file is not a readable XLSX workbook."))]
        ) from None
    finally:
        book.close()


def parse_date(text: str) -> date:
    found = rules.parse_date(text)
    if found is not None:
        return found
    raise InvalidCell(N_("“{value}” is not a date; write YYYY-MM-DD or DD.MM.YYYY."), value=text)


def parse_weekdays(text: str) -> frozenset[int]:
    days = set()
    for part in text.split(","):
        key = fold(part).strip(" .")
        if key not in _DAYS:
            raise InvalidCell(N_("“{value}” is not a day name such as Pzt or Pazartesi."),
                              value=part)
        days.add(_DAYS[key])
    return frozenset(days)


def parse_hours(text: str) -> tuple[time, time]:
    match = _HOURS.match(text.strip())
    try:
        if not match:
            raise ValueError
        h0, m0, h1, m1 = (int(g) for g in match.groups())
        start, end = time(h0, m0), time(h1, m1)
    except ValueError:
        raise InvalidCell(N_("“{value}” is not a time range like 09:30-12:30."),
                          value=text) from None
    if end <= start:
        raise InvalidCell(N_("The class must end after it starts."))
    return start, end


def parse_whole(text: str, low: int, high: int) -> int:
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidCell(
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
        raise InvalidCell(N_("“{value}” is not a coordinate in decimal degrees."), value=text)
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
        except InvalidCell as problem:
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


def parse_link(text: str) -> str:
    """An online course's link: an https web address."""
    if not re.match(r"^https://[^\s<>\"]+\.[^\s<>\"]+$", text):
        raise InvalidCell(N_("The link must be a web address starting with https://."))
    return text


def parse_text(text: str, column: str) -> str:
    """A text cell as the file keeps it: spaces squeezed, within the column's limit."""
    value = " ".join(text.split())
    if not value:
        raise InvalidCell(N_("This cell is required."))
    if len(value) > LIMITS[column]:
        raise InvalidCell(N_("Too long: at most {limit} characters."), limit=LIMITS[column])
    return value


def parse_code(text: str) -> str:
    code = text.upper()
    if not _CODE.match(code):
        raise InvalidCell(N_("A code uses only letters A-Z, digits, - and _ (at most 32)."))
    return code


# How each non-text cell is read: the file import and the staff's /kurs_ekle use these alone.
CELL_PARSERS: dict[str, Callable[[str], Any]] = {
    "kod": parse_code,
    "baslangic": parse_date,
    "bitis": parse_date,
    "gunler": parse_weekdays,
    "saat": parse_hours,
    "kontenjan": lambda v: parse_whole(v, 1, 10000),
    "yas_alt": lambda v: parse_whole(v, 1, 120),
    "baglanti": parse_link,
}


def check_cell(column: str, text: str) -> str:
    """One cell typed on its own (the staff dialogue): its text as the file would hold it,
    or `InvalidCell` with the same words the import would use."""
    if column in LIMITS:
        value = parse_text(text, column)
        if column in CELL_PARSERS:
            CELL_PARSERS[column](value)
        return value
    value = text.strip()
    if not value:
        raise InvalidCell(N_("This cell is required."))
    CELL_PARSERS[column](value)
    return value.upper() if column == "kod" else value


def _draft(row: _Row, timezone: ZoneInfo) -> CourseDraft | None:
    before = len(row.problems)
    code = row.parse("kod", CELL_PARSERS["kod"])
    fmt = row.choice("bicim", {"yuz_yuze": CourseFormat.IN_PERSON,
                               "cevrimici": CourseFormat.ONLINE}, CourseFormat.IN_PERSON)
    online = fmt is CourseFormat.ONLINE
    audience = row.choice("hedef", {"halk": Audience.PUBLIC, "personel": Audience.STAFF},
                          Audience.PUBLIC)
    start = row.parse("baslangic", CELL_PARSERS["baslangic"])
    end = row.parse("bitis", CELL_PARSERS["bitis"])
    if start and end and end < start:
        row.fail("bitis", N_("The end date is before the start date."))
    hours = row.parse("saat", CELL_PARSERS["saat"])
    latitude = row.parse("enlem", lambda v: _degrees(v, 90), required=False)
    longitude = row.parse("boylam", lambda v: _degrees(v, 180), required=False)
    if (latitude is None) != (longitude is None):
        row.fail("boylam" if longitude is None else "enlem",
                 N_("Give both latitude and longitude, or neither."))
    link = row.string("baglanti", LIMITS["baglanti"], required=online)
    if link:
        try:
            parse_link(link)
        except InvalidCell as problem:
            row.fail("baglanti", problem.key)

    def opens(value: str) -> datetime:
        for pattern in ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"):
            try:
                local = datetime.strptime(value, pattern).replace(tzinfo=timezone)
                return local.astimezone(UTC)
            except ValueError:
                continue
        raise InvalidCell(N_("“{value}” is not a date and time like 2026-12-01 10:00."),
                          value=value)

    draft_fields = dict(
        code=code,
        name=row.string("ad", LIMITS["ad"]),
        branch=row.string("brans", LIMITS["brans"]),
        district=row.string("ilce", LIMITS["ilce"], required=not online),
        centre=row.string("merkez", LIMITS["merkez"], required=not online),
        neighbourhood=row.string("mahalle", LIMITS["mahalle"], required=False),
        address=row.string("adres", LIMITS["adres"], required=False),
        latitude=latitude,
        longitude=longitude,
        start_date=start,
        end_date=end,
        weekdays=row.parse("gunler", CELL_PARSERS["gunler"]),
        capacity=row.parse("kontenjan", CELL_PARSERS["kontenjan"]),
        instructor=row.string("egitmen", LIMITS["egitmen"], required=False),
        description=row.string("aciklama", LIMITS["aciklama"], required=False),
        min_age=row.parse("yas_alt", CELL_PARSERS["yas_alt"], required=False),
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
