"""The bot's commands with their one-line descriptions: the command menu (setMyCommands) and
/yardim are both built from here, so neither can leave one out."""

from __future__ import annotations

from bot.domain import Role, role_allows
from bot.i18n import N_

CITIZEN_COMMANDS = (
    ("start", N_("Main menu")),
    ("kurslar", N_("Free courses by district")),
    ("ara", N_("Search courses")),
    ("kayitlarim", N_("My registrations")),
    ("randevu", N_("Career counselling appointment")),
    ("mobil", N_("Mobile employment point")),
    ("etkinlikler", N_("Ceremonies and events")),
    ("bildirimler", N_("Notifications and subscriptions")),
    ("verilerim", N_("My data")),
    ("verilerimi_sil", N_("Delete my data")),
    ("dil", N_("Türkçe / English")),
    ("yardim", N_("Help")),
    ("iptal", N_("Leave the current step")),
)

# Staff commands with the role each needs (a role includes the ones below it): the staff's own
# command menu and the staff part of /yardim show each person those their role allows.
STAFF_COMMANDS: tuple[tuple[str, str, Role], ...] = (
    ("yonetim", N_("Staff menu"), Role.STAFF),
    ("randevularim", N_("My counselling appointments of the day"), Role.COUNSELLOR),
    ("randevu_ac", N_("Open counselling slots: /randevu_ac YYYY-MM-DD HH:MM-HH:MM minutes "
                      "[place]"), Role.COUNSELLOR),
    ("randevu_kapat", N_("Close counselling slots"), Role.COUNSELLOR),
    ("mobil_ekle", N_("Schedule the mobile employment point: /mobil_ekle YYYY-MM-DD "
                      "HH:MM-HH:MM district | place"), Role.COUNSELLOR),
    ("kayitlar", N_("Registrations and waiting list of a course (CSV): /kayitlar CODE"),
     Role.ADMIN),
    ("istatistik", N_("Figures, chart and annual report (XLSX)"), Role.ADMIN),
    ("kurs_ekle", N_("Add a course step by step (or send a CSV or XLSX course file)"),
     Role.ADMIN),
    ("duyuru", N_("Send an announcement to many (everyone, a district, a branch, a course…)"),
     Role.ADMIN),
    ("kurs_kapat", N_("Close a course's registration: /kurs_kapat CODE"), Role.ADMIN),
    ("toren", N_("Schedule or move a certificate ceremony: /toren CODE YYYY-MM-DD HH:MM place"),
     Role.ADMIN),
    ("toren_iptal", N_("Cancel a certificate ceremony: /toren_iptal CODE"), Role.ADMIN),
    ("etkinlik_ekle", N_("Add an exhibition or panel: /etkinlik_ekle sergi|panel YYYY-MM-DD "
                         "HH:MM place | title | districts or course codes"), Role.ADMIN),
    ("yetki", N_("Grant a role: /yetki USER_ID admin|danisman|personel"), Role.ADMIN),
    ("yetki_al", N_("Take a role away: /yetki_al USER_ID"), Role.ADMIN),
    ("davet", N_("Invitation link for new municipal employees: /davet [people] [days]"),
     Role.ADMIN),
    ("davet_iptal", N_("Withdraw an invitation: /davet_iptal CODE"), Role.ADMIN),
    ("denetim", N_("Audit log"), Role.ADMIN),
)


def staff_commands(role: Role | None) -> list[tuple[str, str]]:
    """The staff commands `role` allows (none without a role)."""
    return [(name, about) for name, about, needed in STAFF_COMMANDS if role_allows(role, needed)]
