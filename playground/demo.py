"""The playground's courses: the İzmir demo, plus one course in Çiğli that starts soon.

The course that starts soon lets a visitor see class reminders, and (with one seat) the
waiting list and a seat offer, within minutes of starting the playground.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

DEMO_CSV = Path(__file__).resolve().parent.parent / "bot" / "demo" / "izmir_kurslar.csv"
SOON_CODE = "CIG-DEMO-01"
SOON_NAME = "Barista Atölyesi (oyun alanı)"
SOON_LEAD = timedelta(minutes=8)
_DAYS = ("Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz")


@dataclass(frozen=True)
class District:
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class SoonCourse:
    code: str
    name: str
    starts_at: datetime


def _rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(DEMO_CSV.read_text(encoding="utf-8")), delimiter=";"))


def districts() -> list[District]:
    """Each demo district once, at its first course centre's coordinates, by name."""
    found: dict[str, District] = {}
    for row in _rows():
        name, lat, lon = row["ilce"], row["enlem"], row["boylam"]
        if name and lat and lon and name not in found:
            found[name] = District(name, float(lat), float(lon))
    return sorted(found.values(), key=lambda d: d.name.replace("Ç", "Cz").replace("İ", "Iz"))


def soon_start(now: datetime) -> datetime:
    """The next whole minute SOON_LEAD from now; past 23.50, five past midnight instead
    (a class may not run into the next day)."""
    start = (now + SOON_LEAD + timedelta(minutes=1)).replace(second=0, microsecond=0)
    if start.hour == 23 and start.minute >= 50:
        start = (start + timedelta(days=1)).replace(hour=0, minute=5)
    return start


def soon_end(start: datetime) -> datetime:
    """Fifty minutes of class, cut at 23.59 so that a late-evening start stays on its day
    (the course, and so its ceremony, keep today's date)."""
    return min(start + timedelta(minutes=50), start.replace(hour=23, minute=59))


def course_file(now: datetime, timezone: ZoneInfo) -> tuple[str, SoonCourse]:
    """The demo course file with the soon course added; ``now`` is aware."""
    start = soon_start(now.astimezone(timezone))
    end = soon_end(start)
    rows = _rows()
    fields = list(rows[0].keys())
    centre = next(row for row in rows if row["ilce"] == "Çiğli")
    soon = {field: "" for field in fields}
    soon.update(
        kod=SOON_CODE, ad=SOON_NAME, brans="Yiyecek İçecek Hizmetleri", ilce="Çiğli",
        merkez=centre["merkez"], mahalle=centre["mahalle"], adres=centre["adres"],
        enlem=centre["enlem"], boylam=centre["boylam"], baslangic=start.date().isoformat(),
        bitis=start.date().isoformat(), gunler=_DAYS[start.weekday()],
        saat=f"{start:%H:%M}-{end:%H:%M}", kontenjan="1", egitmen="Deniz Acar",
        aciklama=("Oyun alanı için: ilk ders birkaç dakika sonra başlar. Kaydolun, hatırlatmayı "
                  "görün; tek kişilik kontenjanla yedek liste ve yer teklifi de denenebilir."),
        hedef="halk", bicim="yuz_yuze")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows([*rows, soon])
    return out.getvalue(), SoonCourse(SOON_CODE, SOON_NAME, start.astimezone(timezone))
