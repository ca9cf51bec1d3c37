"""The playground's web page and the small JSON API it uses to play the people in the chat.

Everything is served from 127.0.0.1 with a Content-Security-Policy that allows nothing from
elsewhere. The page renders the Bot API Message objects the local server keeps (text plus
entities, never the bot's HTML), so what it shows is what a Telegram app would show.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web

from playground.demo import District, SoonCourse
from playground.fakebot import FakeTelegram, FakeUser
from playground.personas import PERSONAS, Persona, persona

STATIC = Path(__file__).resolve().parent / "static"
TEXT_LIMIT = 4096
INLINE_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
CEREMONY_LEAD = timedelta(minutes=4)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def turkish_duration(span: timedelta) -> str:
    """`2 dk 30 sn`, `1 gün`: how the page says how long something is."""
    seconds = int(span.total_seconds())
    parts = []
    for unit, size in (("gün", 86400), ("sa", 3600), ("dk", 60), ("sn", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size} {unit}")
            seconds %= size
    return " ".join(parts) or "0 sn"


class PageFacts:
    """What the page tells about this playground: people, districts and what is sped up."""

    def __init__(self, *, districts: list[District], soon: SoonCourse,
                 reminder_offsets: tuple[timedelta, ...], seat_offer_ttl: timedelta,
                 now: Callable[[], datetime]) -> None:
        self.districts = districts
        self.soon = soon
        self.reminder_offsets = reminder_offsets
        self.seat_offer_ttl = seat_offer_ttl
        self.now = now

    def as_json(self, fake: FakeTelegram) -> dict[str, Any]:
        now = self.now()
        ceremony = now + CEREMONY_LEAD + timedelta(minutes=1)
        spans = [turkish_duration(o) for o in sorted(self.reminder_offsets, reverse=True)]
        offsets = spans[0] if len(spans) == 1 else f"{', '.join(spans[:-1])} ve {spans[-1]}"
        return {
            "bot": {"name": fake.me["first_name"], "username": fake.me["username"]},
            "personas": [p.as_json() for p in PERSONAS],
            "districts": [{"name": d.name, "latitude": d.latitude, "longitude": d.longitude}
                          for d in self.districts],
            "commands": {lang: fake.commands(lang) for lang in ("tr", "en")},
            "speedups": [
                f"Hatırlatmalar derslerden, törenlerden ve etkinliklerden {offsets} önce gelir "
                "(gerçek kurulumda varsayılan 1 gün ve 2 saat önce).",
                f"Yedek listeden gelen yer teklifi {turkish_duration(self.seat_offer_ttl)} "
                "geçerlidir (varsayılan 24 saat).",
                f"{self.soon.name} ({self.soon.code}, Çiğli) saat "
                f"{self.soon.starts_at:%H.%M}'te başlar; tek kişiliktir: ikinci kişi yedek "
                "listeye girer.",
                "Törenden sonraki mesaj (sonraki adım önerisi) törenden 2 saat sonra gelir; "
                "bu süre kısaltılmadı.",
            ],
            "ceremony_command": (f"/toren {self.soon.code} {ceremony:%Y-%m-%d %H:%M} "
                                 "Çiğli Meslek Fabrikası Kurs Merkezi"),
        }


class PlaygroundPage:
    """The aiohttp application: the page, its static files, the chat API and the files."""

    def __init__(self, fake: FakeTelegram, facts: PageFacts) -> None:
        self._fake = fake
        self._facts = facts

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024, middlewares=[_security_headers])
        app.router.add_get("/", self._index)
        app.router.add_get("/favicon.ico", self._no_icon)
        app.router.add_static("/static/", STATIC, show_index=False, follow_symlinks=False)
        app.router.add_get("/api/setup", self._setup)
        app.router.add_get("/api/chats/{user_id:\\d+}", self._history)
        app.router.add_post("/api/chats/{user_id:\\d+}/{action}", self._act)
        app.router.add_get("/files/{file_id}", self._file)
        return app

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "index.html")

    async def _no_icon(self, request: web.Request) -> web.StreamResponse:
        return web.Response(status=204)

    async def _setup(self, request: web.Request) -> web.Response:
        return web.json_response(self._facts.as_json(self._fake))

    def _user(self, request: web.Request) -> tuple[Persona, FakeUser]:
        who = persona(int(request.match_info["user_id"]))
        if who is None:
            raise web.HTTPNotFound(text="unknown person")
        return who, self._fake.user(who.user_id, who.first_name, last_name=who.last_name)

    async def _history(self, request: web.Request) -> web.Response:
        who, _ = self._user(request)
        history = self._fake.history(who.user_id)
        if request.query.get("since") == str(history.version):  # nothing new: a small answer
            return web.json_response({"version": history.version, "unchanged": True})
        return web.json_response({
            "version": history.version,
            "messages": history.messages,
            "reply_keyboard": history.reply_keyboard,
            "answers": [{"text": a.get("text", ""), "show_alert": bool(a.get("show_alert"))}
                        for a in history.answers],
        })

    async def _act(self, request: web.Request) -> web.Response:
        who, user = self._user(request)
        if request.content_type != "application/json":  # a form from another site: refused
            raise web.HTTPUnsupportedMediaType(text="JSON only")
        try:
            body = await request.json()
        except json.JSONDecodeError:
            raise web.HTTPBadRequest(text="invalid JSON") from None
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(text="a JSON object is expected")
        action = request.match_info["action"]
        if action == "text":
            text = body.get("text")
            if not isinstance(text, str) or not text.strip() or len(text) > TEXT_LIMIT:
                raise web.HTTPBadRequest(text="text: 1-4096 characters")
            user.send_text(text)
        elif action == "press":
            self._press(user, body)
        elif action == "contact":
            user.send_contact(who.phone)
        elif action == "location":
            latitude = _degrees(body.get("latitude"), 90)
            longitude = _degrees(body.get("longitude"), 180)
            if latitude is None or longitude is None:
                raise web.HTTPBadRequest(text="latitude and longitude in degrees")
            user.send_location(latitude, longitude)
        elif action == "language":
            language = body.get("language_code")
            if language not in ("tr", "en"):
                raise web.HTTPBadRequest(text="language_code: tr or en")
            user.set_language(language)
        else:
            raise web.HTTPNotFound(text="unknown action")
        return web.json_response({"ok": True})

    def _press(self, user: FakeUser, body: dict[str, Any]) -> None:
        """An inline button still on its message, as a Telegram app only offers those."""
        message_id, data = body.get("message_id"), body.get("callback_data")
        message = next((m for m in user.messages
                        if m.message_id == message_id and not m.deleted), None)
        if message is None or not isinstance(data, str) or not any(
                button.get("callback_data") == data
                for row in (message.reply_markup or {}).get("inline_keyboard", [])
                for button in row):
            raise web.HTTPConflict(text="that button is no longer there")
        user.press_data(data, message.message_id)

    async def _file(self, request: web.Request) -> web.Response:
        stored = self._fake.file(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound(text="no such file")
        inline = stored.mime_type in INLINE_IMAGES and "download" not in request.query
        disposition = "inline" if inline else "attachment"
        return web.Response(body=stored.content, content_type=stored.mime_type, headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(stored.filename)}",
        })


def _degrees(value: object, limit: float) -> float | None:
    """A JSON number within ±limit, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    degrees = float(value)
    return degrees if math.isfinite(degrees) and -limit <= degrees <= limit else None


@web.middleware
async def _security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response
