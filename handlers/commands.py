"""The bot's commands with their one-line descriptions: the command menu (setMyCommands) and
/yardim are both built from here, so neither can leave one out."""

from __future__ import annotations

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

STAFF_COMMANDS = (
    ("randevu_ac", N_("Open counselling slots: /randevu_ac YYYY-MM-DD HH:MM-HH:MM minutes "
                      "[place]")),
    ("randevu_kapat", N_("Close counselling slots")),
    ("randevularim", N_("My counselling appointments of the day")),
    ("mobil_ekle", N_("Schedule the mobile employment point: /mobil_ekle YYYY-MM-DD "
                      "HH:MM-HH:MM district | place")),
    ("toren", N_("Schedule or move a certificate ceremony: /toren CODE YYYY-MM-DD HH:MM place")),
    ("toren_iptal", N_("Cancel a certificate ceremony: /toren_iptal CODE")),
    ("etkinlik_ekle", N_("Add an exhibition or panel: /etkinlik_ekle sergi|panel YYYY-MM-DD "
                         "HH:MM place | title | districts or course codes")),
)
