"""/kurs_ekle as a `Flow`: one question per column of the course file, each answer checked
by that column's own parser (bot/services/course_file.py), so a course typed in the chat
meets exactly the rules of an imported one. Answers are kept as the file's cells (text), and
the preview reads them as one row of a file.

code → format → (online: link | in person: district → centre) → name → branch → start →
end → weekdays → hours → capacity → instructor → description → minimum age → audience →
confirm. Instructor, description and minimum age may be skipped (an empty cell)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.services.course_file import check_cell
from bot.services.dialogues import Flow, Step

KIND = "course_draft"
CONFIRM = "confirm"
ONLINE = "cevrimici"
IN_PERSON = "yuz_yuze"
FORMATS = (IN_PERSON, ONLINE)
AUDIENCES = ("halk", "personel")
# Steps answered only by a button; the others are typed (some also offer buttons).
BUTTON_ONLY = frozenset({"bicim", "hedef", CONFIRM})
OPTIONAL = frozenset({"egitmen", "aciklama", "yas_alt"})


def _cell(column: str) -> Step:
    def parse(text: str, _: Mapping[str, Any]) -> str:
        return check_cell(column, text)

    return Step(column, parse=parse, skip=_skip_for(column))


def _online(data: Mapping[str, Any]) -> bool:
    return data.get("bicim") == ONLINE


def _skip_for(column: str) -> Any:
    if column == "baglanti":
        return lambda data: not _online(data)
    if column in ("ilce", "merkez"):
        return _online
    return None


COURSE_FLOW = Flow(KIND, (
    _cell("kod"),
    Step("bicim"),
    _cell("baglanti"),
    _cell("ilce"),
    _cell("merkez"),
    _cell("ad"),
    _cell("brans"),
    _cell("baslangic"),
    _cell("bitis"),
    _cell("gunler"),
    _cell("saat"),
    _cell("kontenjan"),
    _cell("egitmen"),
    _cell("aciklama"),
    _cell("yas_alt"),
    Step("hedef"),
    Step(CONFIRM),
))
STEPS = tuple(step.name for step in COURSE_FLOW.steps)


def cells(data: Mapping[str, Any]) -> dict[str, str]:
    """The answers as a course file's row (columns not asked stay out)."""
    columns = [s for s in STEPS if s != CONFIRM]
    row = {c: str(data[c]) for c in columns if data.get(c) is not None}
    if _online(data):
        row.pop("ilce", None)
        row.pop("merkez", None)
        row.setdefault("ilce", "")
        row.setdefault("merkez", "")
    else:
        row.pop("baglanti", None)
    return row
