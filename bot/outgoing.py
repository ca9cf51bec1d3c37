"""A message the bot sends on its own, as the parts Telegram takes one call each.

A renderer returns an `Outgoing`; the sender splits it into parts (text, map pin, file),
keeps them as JSON in the outbox row, and sends them one by one, counting each, so a failure
at the third part never repeats the first two.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from telegram import Bot, InlineKeyboardMarkup


@dataclass(frozen=True)
class Venue:
    latitude: float
    longitude: float
    title: str
    address: str


@dataclass(frozen=True)
class Part:
    """One Telegram call: `kind` is message, venue or document."""

    kind: str
    chat_id: int
    data: dict[str, Any]

    async def send(self, bot: Bot, *, paid: bool = False) -> int | None:
        """Make the call; the id of the message sent, for a message. `paid`: as a paid
        broadcast (PAID_BROADCAST), over Telegram's free rate."""
        data = self.data
        markup = data.get("markup")
        if self.kind == "message":
            sent = await bot.send_message(
                self.chat_id, data["text"],
                reply_markup=InlineKeyboardMarkup.de_json(markup, bot) if markup else None,
                allow_paid_broadcast=paid or None)
            return sent.message_id
        if self.kind == "edit":  # an earlier message says something new, its buttons go
            await bot.edit_message_text(
                data["text"], self.chat_id, data["message_id"],
                reply_markup=InlineKeyboardMarkup.de_json(markup, bot) if markup else None)
        elif self.kind == "venue":
            await bot.send_venue(self.chat_id, data["latitude"], data["longitude"],
                                 title=data["title"], address=data["address"],
                                 allow_paid_broadcast=paid or None)
        elif self.kind == "document":
            await bot.send_document(self.chat_id, base64.b64decode(data["content"]),
                                    filename=data["filename"], allow_paid_broadcast=paid or None)
        else:
            raise ValueError(f"unknown part kind {self.kind!r}")
        return None


@dataclass(frozen=True)
class Outgoing:
    """A message ready to send, with an optional map pin and file after it."""

    chat_id: int
    text: str
    markup: InlineKeyboardMarkup | None = None
    venue: Venue | None = None
    document: tuple[str, bytes] | None = None
    edit_message_id: int | None = None  # edit this earlier message instead of sending
    remember: dict[str, Any] | None = None  # given with the sent message's id to the hooks

    async def send(self, bot: Bot) -> None:
        """Send every part now: for a reply within a conversation. What the bot sends on its
        own goes through the outbox instead, part by part."""
        for part in self.parts():
            await part.send(bot)

    def parts(self) -> list[Part]:
        markup = self.markup.to_dict() if self.markup else None
        if self.edit_message_id is not None:
            return [Part("edit", self.chat_id, {"message_id": self.edit_message_id,
                                                "text": self.text, "markup": markup})]
        parts = [Part("message", self.chat_id, {"text": self.text, "markup": markup,
                                                "remember": self.remember})]
        if self.venue:
            parts.append(Part("venue", self.chat_id, {
                "latitude": self.venue.latitude, "longitude": self.venue.longitude,
                "title": self.venue.title[:100], "address": self.venue.address[:100]}))
        if self.document:
            parts.append(Part("document", self.chat_id, {
                "filename": self.document[0],
                "content": base64.b64encode(self.document[1]).decode("ascii")}))
        return parts


def dump_parts(parts: list[Part]) -> str:
    return json.dumps([{"kind": p.kind, "chat_id": p.chat_id, "data": p.data} for p in parts],
                      ensure_ascii=False)


def load_parts(raw: str) -> list[Part]:
    return [Part(item["kind"], int(item["chat_id"]), item["data"]) for item in json.loads(raw)]
