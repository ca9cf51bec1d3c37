"""A course's registrations and waiting list as CSV (SPEC §5 columns, Turkish): one writer for
`python -m bot export-registrations` and the staff's `/kayitlar`."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from storage.database import Database
from storage.registrations import RegistrationRepository

COURSE_COLUMN = "kurs kodu"
HEADER = ("kayıt kodu", "ad soyad", "telefon", "durum", "sıra", "kayıt zamanı")
STATUS_WORDS = {"registered": "kayıtlı", "waiting": "yedek", "offered": "teklif",
                "completed": "tamamladı"}


async def roster_csv(db: Database, timezone: ZoneInfo, course_code: str | None = None, *,
                     course_column: bool = True) -> str:
    """UTF-8 CSV (with BOM, `;`-separated, as Excel in Turkish opens it). The course code
    column can be left out when the file is about one course."""
    async with db.reading() as conn:
        rows = await RegistrationRepository(conn).roster(course_code)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow((COURSE_COLUMN, *HEADER) if course_column else HEADER)
    for row in rows:
        when = datetime.fromisoformat(row["created_at"]).astimezone(timezone)
        fields = [row["code"], row["full_name"] or "", row["phone"] or "",
                  STATUS_WORDS[row["status"]], row["position"] or "",
                  when.strftime("%Y-%m-%d %H:%M")]
        writer.writerow([row["course_code"], *fields] if course_column else fields)
    return out.getvalue()
