"""HTML for Telegram, escaped by construction: every message is a `markupsafe.Markup`.

Translated messages are Markup (`Translator.text`), and everything formatted into them or
joined with them is escaped unless it is Markup itself, so no view can forget an escape.
Screens accept only Markup (mypy refuses a plain `str`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape

from markupsafe import Markup

MAX_MESSAGE = 4096
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")
NEWLINE = Markup("\n")


def lines(parts: Iterable[str]) -> Markup:
    """Lines joined with newlines; a part that is not Markup is escaped."""
    return NEWLINE.join(parts)


def _balanced(text: str) -> bool:
    depth = 0
    for match in _TAG.finditer(text):
        depth += -1 if match.group(1) else 1
        if depth < 0:
            return False
    return depth == 0


def fit(text: Markup, limit: int = MAX_MESSAGE) -> Markup:
    """`text` cut to `limit` characters between elements (at a line end where every tag is
    closed), never inside one, with "…" to show that something was left out."""
    if len(text) <= limit:
        return text
    room = limit - 2
    cut = text.rfind("\n", 0, room)
    while cut > 0 and not _balanced(text[:cut]):
        cut = text.rfind("\n", 0, cut)
    if cut <= 0:  # one enormous line: keep its plain text, escaped again
        return Markup.escape(plain(text)[:room]) + Markup("\n…")
    return Markup(text[:cut]) + Markup("\n…")


def plain(html_text: str) -> str:
    """What a person reads: tags removed, entities resolved (for stored copies and files)."""
    return unescape(re.sub(r"<[^>]+>", "", html_text))
