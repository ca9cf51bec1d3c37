"""The people one can be on the playground page: two citizens, an admin and a counsellor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain import Role


@dataclass(frozen=True)
class Persona:
    """A Telegram user of the playground; ``phone`` is what "share my number" sends."""

    key: str
    user_id: int
    first_name: str
    last_name: str
    role: str  # shown on the page, in Turkish
    phone: str
    note: str = ""
    admin: bool = False
    granted: Role | None = None  # a role given in the playground's fresh database

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id": self.user_id,
            "name": f"{self.first_name} {self.last_name}",
            "role": self.role,
            "phone": self.phone,
            "note": self.note,
        }


PERSONAS = (
    Persona("citizen", 1001, "Ayşe", "Yılmaz", "Vatandaş", "+905321110001"),
    Persona("citizen2", 1002, "Mehmet", "Kaya", "İkinci vatandaş", "+905321110002",
            note="Dolu bir kursta yedek listeye girip yer teklifi almak için."),
    Persona("admin", 9001, "Zeynep", "Demir", "Yönetici", "+905321110003",
            note="ADMIN_IDS listesinde: /yonetim, /istatistik, /kayitlar, /kurs_kapat, /toren, "
                 "/etkinlik_ekle, /yetki, /davet, /denetim, /randevu_ac, /mobil_ekle.",
            admin=True),
    Persona("counsellor", 9002, "Elif", "Aydın", "Danışman", "+905321110004",
            note="Danışman rolünde (/yetki 9002 danisman ile verilmiş gibi): /yonetim, "
                 "/randevu_ac, /randevularim, /mobil_ekle.", granted=Role.COUNSELLOR),
)


def persona(user_id: int) -> Persona | None:
    return next((p for p in PERSONAS if p.user_id == user_id), None)


def admin_ids() -> str:
    """ADMIN_IDS for the playground's bot."""
    return ",".join(str(p.user_id) for p in PERSONAS if p.admin)
