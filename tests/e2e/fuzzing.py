"""Fuzzing the real bot: generated updates of every kind, in every dialogue state.

`batches()` is a hypothesis strategy of `Batch`es: one citizen walked into a dialogue state
(the registration's name, phone, birth year or consent step, a subscription, a confirmation,
an admin's event preview…), then a mixed list of actions sent at once by that citizen, a
few regulars, an admin, a group and a channel: hostile text, commands with random
arguments, real, mutated and forged button presses, media where text is expected, edits and
bursts. `Fuzzer.run()` sends them and lets the bot settle; `Fuzzer.check()` then proves the
bot held: nothing it sent was invalid for Telegram, every press was answered, the database
is intact, no course is over capacity, waiting lists have no gaps, and `/start` still
answers. The test (`test_fuzz.py`) runs about 2,000 updates, `bench/fuzz.py` 20,000 or more.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from playground.fakebot import BotMessage, FakeGroup, FakeTelegram, FakeUser
from tests.conftest import DEMO_CSV

FIRST_ADMIN = 910000
ADMINS = 200  # one fresh admin per batch, so no admin is held back by an earlier flood
ADMIN_IDS = ",".join(str(FIRST_ADMIN + i) for i in range(ADMINS))
FIRST_WALKER = 100000
REGULARS = tuple(range(8000, 8024))
WALKER_SHARE = 6  # of the `who` values: about a fifth of the acts go to the walked citizen
PACE = 0.004  # seconds between acts: a crowd, not one flood (bursts are the floods)
CHANNEL_ID = -1009876543210
GROUP_ID = -100777

# Small courses, so that waiting lists and offers happen: capacity 2 and 1, and one with a
# minimum age (the dialogue asks for the birth year).
FUZZ_COURSES = (
    "FUZ-KAP-01;Kapasite Sınavı;Muhasebe ve Finans;Buca;Buca Mahalle Konağı;;;38.38861;27.1754;"
    "2027-02-01;2027-04-30;Pzt,Çar;18:30-21:00;2;;;;;halk;yuz_yuze;\n"
    "FUZ-KAP-02;Tek Kişilik <Kurs> & Co;Muhasebe ve Finans;Buca;Buca Mahalle Konağı;;;38.38861;"
    "27.1754;2027-02-02;2027-04-30;Sal;09:00-10:00;1;;;;;halk;yuz_yuze;\n"
    "FUZ-YAS-01;Yaş Sınırlı;Metal Teknolojisi;Konak;Konak Meslek Fabrikası Kurs Merkezi;;;"
    "38.43712;27.14298;2027-02-03;2027-04-30;Per;13:00-15:00;2;;;18;;halk;yuz_yuze;\n"
)
FUZZ_CODES = ("FUZ-KAP-01", "FUZ-KAP-02", "FUZ-YAS-01")

CITIZEN_COMMANDS = ("start", "kurslar", "ara", "kayitlarim", "etkinlikler", "bildirimler",
                    "verilerim", "verilerimi_sil", "dil", "yardim", "iptal", "help", "cancel")
STAFF_COMMANDS = ("toren", "toren_iptal", "etkinlik_ekle")
STATES = ("fresh", "name", "phone", "birth_year", "consent", "registered", "cancel_confirm",
          "subscribe", "delete_confirm", "language", "event_preview")
HOSTILE = (
    "", " ", "\n\n", "<b>kalın", "</i>", "<a href='javascript:alert(1)'>x</a>", "&amp;", "&",
    "'; DROP TABLE courses; --", "\" OR 1=1 --", "%s%s%n", "{name}", "{0}", "${jndi:x}",
    "\u200b", "\u202e tersine", "\x00", "🙂", "👨‍👩‍👧‍👦" * 20, "İı Şş Ğğ Üü Öö Çç", "ÇİĞLİ",
    "Buca'da muhasebe kursu var mı?", "merhaba", "0532 123 45 67", "+90 532 1234567",
    "5321234567", "+44 7911 123456", "1850", "2030", "2012", "1990", "Ayşe Yılmaz",
    "/start kurs_FUZ-KAP-01", "kurs_", "@meslek_test_bot", "/", "//", "/ara@meslek_test_bot x",
)
DATES = ("2027-06-20", "20.06.2027", "2020-01-01", "2027-02-30", "9999-99-99", "yarın")


@dataclass(frozen=True)
class Act:
    """One thing a person (or a chat) does: `kind` with its arguments."""

    kind: str
    who: int  # < 0: the admin; 0..WALKER_SHARE-1: the walked citizen; then the regulars
    args: tuple[Any, ...] = ()

    def __repr__(self) -> str:
        return f"Act({self.kind!r}, {self.who}, {_short(self.args)})"


@dataclass(frozen=True)
class Batch:
    state: str
    course: str
    acts: tuple[Act, ...]

    def __repr__(self) -> str:
        return f"Batch({self.state!r}, {self.course!r}, {list(self.acts)!r})"


def _short(value: Any) -> str:
    """A repr that keeps a 4,096-character text readable in a failure report."""
    if isinstance(value, str) and len(value) > 40:
        return f"{value[:20]!r}…({len(value)} chars)"
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_short(v) for v in value) + ")"
    return repr(value)


def _long_text() -> st.SearchStrategy[str]:
    return st.builds(lambda ch, n: (ch * n)[:4096],
                     st.sampled_from(["x", "ğ", "🙂", "<", "&", "İ", "a b "]),
                     st.integers(1000, 4096))


def texts() -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE), _long_text(),
                     st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), st.text(max_size=10)))


def command_args() -> st.SearchStrategy[str]:
    plausible = st.builds(
        lambda code, date, hour, rest: f"{code} {date} {hour} {rest}",
        st.sampled_from((*FUZZ_CODES, "BUC-MUH-01", "YOK-01", "x")),
        st.sampled_from(DATES), st.sampled_from(("14:00", "25:61", "9", "")),
        st.sampled_from(("Salon", "", "| Başlık | Buca", "| | ", "Kültürpark | Sergi | FUZ-KAP-01"))
    )
    event = st.builds(lambda kind, rest: f"{kind} {rest}",
                      st.sampled_from(("sergi", "panel", "konser", "")), plausible)
    deep = st.builds(lambda s: f"kurs_{s}", st.sampled_from((*FUZZ_CODES, "", "x" * 60, "ÇİĞ")))
    return st.one_of(st.just(""), texts(), plausible, event, deep)


def callback_data() -> st.SearchStrategy[str]:
    forged = st.one_of(
        st.text(max_size=64).filter(lambda s: 0 < len(s.encode()) <= 64),
        st.binary(min_size=1, max_size=64).map(lambda b: b.decode("utf-8", "replace")[:32]),
        st.builds(lambda a, n: f"v1:{a}:{n}", st.sampled_from(
            ("c", "r", "w", "k", "x", "ca", "cd", "o", "dd", "sb", "us", "pb", "l", "d", "p")),
            st.sampled_from(("0", "-1", "1:0", "999999999", "1:1:1:1", "a", "", "1e9",
                             "18446744073709551616"))),
    )
    return forged


def mutation() -> st.SearchStrategy[str]:
    return st.sampled_from(("as_is", "as_is", "bump", "truncate", "append", "zero", "negate",
                            "version"))


def acts(regulars: int) -> st.SearchStrategy[Act]:
    who = st.integers(-2, WALKER_SHARE + regulars - 1)
    citizen = st.integers(0, WALKER_SHARE + regulars - 1)
    return st.one_of(
        st.builds(Act, st.just("text"), who, st.tuples(texts())),
        st.builds(Act, st.just("command"), who,
                  st.tuples(st.sampled_from(CITIZEN_COMMANDS + STAFF_COMMANDS), command_args())),
        st.builds(Act, st.just("press_real"), who, st.tuples(st.integers(0, 10_000), mutation())),
        st.builds(Act, st.just("press_forged"), who,
                  st.tuples(callback_data(), st.integers(-5, 10_000))),
        st.builds(Act, st.just("media"), who, st.tuples(st.sampled_from(
            ("sticker", "photo", "document", "contact_own", "contact_other", "location",
             "far_location", "dice", "voice")))),
        st.builds(Act, st.just("edit"), citizen, st.tuples(texts())),
        st.builds(Act, st.just("group"), who, st.tuples(st.one_of(
            texts(), st.sampled_from(("/start", "/kurslar", "/ara x", "@meslek_test_bot hi"))))),
        st.builds(Act, st.just("channel"), st.just(0), st.tuples(texts(), st.booleans())),
        st.builds(Act, st.just("burst"), citizen,
                  st.tuples(st.lists(texts(), min_size=5, max_size=15))),
    )


def batches(size: int = 50, regulars: int = len(REGULARS)) -> st.SearchStrategy[Batch]:
    return st.builds(Batch, st.sampled_from(STATES), st.sampled_from(FUZZ_CODES),
                     st.lists(acts(regulars), min_size=size, max_size=size).map(tuple))


def course_file(folder: Path) -> Path:
    """The demo courses plus the small ones above."""
    path = folder / "fuzz_kurslar.csv"
    path.write_text(DEMO_CSV.read_text(encoding="utf-8").rstrip("\n") + "\n" + FUZZ_COURSES,
                    encoding="utf-8")
    return path


def _mentions(*fragments: str) -> Callable[[BotMessage], bool]:
    def matches(message: BotMessage) -> bool:
        return any(f in message.plain_text for f in fragments)
    return matches


def _has_button(prefix: str) -> Callable[[BotMessage], bool]:
    def matches(message: BotMessage) -> bool:
        return any(b.startswith(prefix) for b in message.buttons())
    return matches


@dataclass
class Fuzzer:
    """Sends batches to the running bot and checks what must hold afterwards."""

    fake: FakeTelegram
    database: Path
    updates: Counter[str] = field(default_factory=Counter)
    batches: int = 0
    _walkers: int = 0

    def __post_init__(self) -> None:
        self.regulars = [self.fake.user(uid, f"Düzenli{n}", language_code=("tr", "en", None)[n % 3])
                         for n, uid in enumerate(REGULARS)]
        self.group: FakeGroup = self.fake.group(GROUP_ID, "Kurs <Grubu>")

    # -- one batch ------------------------------------------------------------------------------

    def run(self, batch: Batch) -> None:
        walker = self.fake.user(FIRST_WALKER + self._walkers, "Gezgin", last_name="Deneme")
        admin = self.fake.user(FIRST_ADMIN + self.batches % ADMINS, "Yönetici")
        self._walkers += 1
        self.batches += 1
        self.walk(walker if batch.state != "event_preview" else admin, batch.state, batch.course)
        for act in batch.acts:
            if act.who < 0:
                person = admin
            elif act.who < WALKER_SHARE:
                person = walker
            else:
                person = self.regulars[(act.who - WALKER_SHARE) % len(self.regulars)]
            self.send(act, person)
            time.sleep(PACE)
        self.settle()

    def walk(self, user: FakeUser, state: str, code: str) -> None:
        """Into a dialogue state, the way a person gets there, waiting for each answer."""
        self.updates["walk"] += 1
        if state == "fresh":
            return
        if state in ("language", "subscribe", "delete_confirm", "event_preview"):
            self._walk_other(user, state)
            return
        if state == "birth_year":
            code = "FUZ-YAS-01"
        user.send_text(f"/start kurs_{code}")
        card = user.wait_reply(where=_mentions("Kurs ücretsizdir"), timeout=15)
        button = next((b for b in ("Ön kayıt", "Yedek listeye gir") if b in card.buttons()), None)
        if button is None:  # already registered, or registration not open: stay on the card
            return
        user.press(button, card)
        question = user.wait_reply(where=_mentions("Adınızı ve soyadınızı yazın",
                                                   "sırada olursunuz"), timeout=15)
        if "Adınızı" not in question.plain_text:
            user.press("Yedek listeye gir", question)
            user.wait_reply("Adınızı ve soyadınızı yazın", timeout=15)
        if state == "name":
            return
        user.send_text("Gezgin Deneme")
        user.wait_reply("Cep telefonu", timeout=15)
        if state == "phone":
            return
        user.send_text(f"0532 {random.randint(100, 999)} {random.randint(10, 99)} 11")
        if code == "FUZ-YAS-01":  # the course has a minimum age: the birth year comes next
            user.wait_reply("Doğum yılınız", timeout=15)
            if state == "birth_year":
                return
            user.send_text("1990")
        notice = user.wait_reply("KVKK", where=_has_button("Onaylıyorum"), timeout=15)
        if state == "consent":
            return
        user.press("Onaylıyorum", notice)
        user.wait_messages(1, where=_mentions("Kayıt kodunuz", "Yedek listede"), timeout=15)
        if state == "cancel_confirm":
            user.send_text("/kayitlarim")
            mine = user.wait_reply(where=_has_button("İptal"), timeout=15)
            user.press(next(b for b in mine.buttons() if b.startswith("İptal")), mine)
            user.wait_reply("iptal edilsin mi", timeout=15)

    def _walk_other(self, user: FakeUser, state: str) -> None:
        if state == "language":
            user.send_text("/dil")
            user.wait_reply("Choose a language", timeout=15)
        elif state == "subscribe":
            user.send_text("/bildirimler")
            user.wait_reply(where=_has_button("+ Yeni kurslardan"), timeout=15)
            user.press("+ Yeni kurslardan haberdar et")
            user.wait_reply("Hangi ilçe?", timeout=15)
        elif state == "delete_confirm":
            user.send_text("/verilerimi_sil")
            user.wait_reply(where=_has_button("Evet, sil"), timeout=15)
        elif state == "event_preview":
            user.send_text("/etkinlik_ekle sergi 2027-06-20 14:00 Kültürpark | Fuzz Sergisi | "
                           "Buca")
            user.wait_reply("Önizleme", timeout=15)

    def send(self, act: Act, user: FakeUser) -> None:
        """Queue the act's update(s) without waiting for an answer."""
        self.updates[act.kind] += 1 if act.kind != "burst" else len(act.args[0])
        if act.kind == "text":
            user.send_text(act.args[0])
        elif act.kind == "command":
            name, args = act.args
            user.send_text(f"/{name} {args}".rstrip())
        elif act.kind == "press_real":
            self._press_real(user, *act.args)
        elif act.kind == "press_forged":
            data, message_id = act.args
            user.press_data(data, message_id)
        elif act.kind == "media":
            self._media(user, act.args[0])
        elif act.kind == "edit":
            own = user.own_message_ids
            if own:
                user.edit_text(own[len(act.args[0]) % len(own)], act.args[0] or "x")
            else:
                user.send_text(act.args[0])
        elif act.kind == "group":
            self.group.send_text(user, act.args[0] or ".")
        elif act.kind == "channel":
            text, edited = act.args
            post = {"message_id": random.randint(1, 10**6), "date": int(time.time()),
                    "chat": {"id": CHANNEL_ID, "type": "channel", "title": "Duyurular"},
                    "sender_chat": {"id": CHANNEL_ID, "type": "channel", "title": "Duyurular"},
                    "text": text or "."}
            if edited:
                post["edit_date"] = int(time.time())
            self.fake.push_update("edited_channel_post" if edited else "channel_post", post)
        elif act.kind == "burst":
            for text in act.args[0]:
                user.send_text(text)

    def _press_real(self, user: FakeUser, pick: int, how: str) -> None:
        buttons = [(m.message_id, b["callback_data"]) for m in user.messages
                   for b in _inline(m) if "callback_data" in b]
        if not buttons:
            user.press_data("v1:m", 1)
            return
        message_id, data = buttons[pick % len(buttons)]
        user.press_data(_mutate(data, how), message_id)

    def _media(self, user: FakeUser, kind: str) -> None:
        if kind == "sticker":
            user.send_sticker()
        elif kind == "photo":
            user.send_photo()
        elif kind == "document":
            user.send_document("kurslar.csv", b"kod;ad\nX;Y\n")
        elif kind == "contact_own":
            user.send_contact("+905321112233")
        elif kind == "contact_other":
            user.send_contact("+905321112233", own=False)
        elif kind == "location":
            user.send_location(38.42, 27.14)
        elif kind == "far_location":
            user.send_location(-33.86, 151.21)
        elif kind == "dice":
            user.send_content({"dice": {"emoji": "🎲", "value": 3}})
        else:
            user.send_content({"voice": {"file_id": "v1", "file_unique_id": "v1u",
                                         "duration": 2}})

    def settle(self, quiet: float = 0.25, timeout: float = 60.0) -> None:
        """Wait until the bot took every update and has made no call for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        self.fake.wait_for(lambda: self.fake.pending_updates() == 0, timeout=timeout,
                           message="the bot to take every queued update")
        seen, since = len(self.fake.calls), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = len(self.fake.calls)
            if now != seen:
                seen, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
        raise AssertionError("the bot never went quiet")

    # -- what must hold -------------------------------------------------------------------------

    def check(self) -> None:
        self.settle(quiet=1.0)
        rejected = self.fake.rejected()
        assert not rejected, [c.summary() for c in rejected[:10]]
        unanswered = self.fake.unanswered_callbacks()
        assert not unanswered, f"{len(unanswered)} button presses never answered"
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            over = conn.execute(
                "SELECT c.code, c.capacity, count(r.id) FROM courses c JOIN registrations r "
                "ON r.course_id = c.id AND r.status IN ('registered', 'offered') "
                "GROUP BY c.id HAVING count(r.id) > c.capacity").fetchall()
            assert over == [], f"courses over capacity: {over}"
            idle = conn.execute(
                "SELECT c.code FROM courses c WHERE EXISTS (SELECT 1 FROM registrations w "
                "WHERE w.course_id = c.id AND w.status = 'waiting') AND (SELECT count(*) "
                "FROM registrations r WHERE r.course_id = c.id AND r.status IN "
                "('registered', 'offered')) < c.capacity").fetchall()
            assert idle == [], f"a free seat not offered to the waiting list: {idle}"
            positions = conn.execute(
                "SELECT course_id, group_concat(position) FROM (SELECT course_id, row_number() "
                "OVER (PARTITION BY course_id ORDER BY id) AS position FROM registrations "
                "WHERE status = 'waiting') GROUP BY course_id").fetchall()
            for course_id, listed in positions:
                numbers = [int(n) for n in listed.split(",")]
                assert sorted(numbers) == list(range(1, len(numbers) + 1)), (course_id, listed)
        probe = self.fake.user(FIRST_WALKER - 1, "Yoklama")
        probe.send_text("/start")
        probe.wait_reply("Merhaba Yoklama", timeout=15)

    @property
    def total(self) -> int:
        return sum(n for kind, n in self.updates.items() if kind != "walk")


def _inline(message: BotMessage) -> list[dict[str, Any]]:
    markup = message.reply_markup or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def _mutate(data: str, how: str) -> str:
    if how == "bump":
        return "".join(str((int(c) + 1) % 10) if c.isdigit() else c for c in data)
    if how == "truncate":
        return data[: max(1, len(data) // 2)]
    if how == "append":
        return (data + ":9:9")[:64]
    if how == "zero":
        return ":".join("0" if part.isdigit() else part for part in data.split(":"))
    if how == "negate":
        return ":".join(f"-{part}" if part.isdigit() else part for part in data.split(":"))
    if how == "version":
        return "v9" + data[2:]
    return data
