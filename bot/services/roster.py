"""A course's registrations and waiting list as CSV (SPEC §5 columns, Turkish)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from storage.database import Database
from storage.registrations import RegistrationRepository

HEADER = ("kurs kodu", "kayıt kodu", "ad soyad", "telefon", "durum", "sıra", "kayıt zamanı")
_STATUS = {"registered": "kayıtlı", "waiting": "yedek", "offered": "teklif",
           "completed": "tamamladı"}


async def roster_csv(db: Database, timezone: ZoneInfo, course_code: str | None = None) -> str:
    """UTF-8 CSV (with BOM, `;`-separated, as Excel in Turkish opens it)."""
    async with db.reading() as conn:
        rows = await RegistrationRepository(conn).roster(course_code)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        when = datetime.fromisoformat(row["created_at"]).astimezone(timezone)
        writer.writerow([row["course_code"], row["code"], row["full_name"] or "",
                         row["phone"] or "", _STATUS[row["status"]], row["position"] or "",
                         when.strftime("%Y-%m-%d %H:%M")])
    return out.getvalue()
