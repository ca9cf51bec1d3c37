"""Telegram's HTML parse mode: turns ``<b>x</b> &amp; y`` into plain text plus entities.

One implementation for two users: the bot checks a staff member's broadcast text with it
before anything is queued (a broken tag is refused with Telegram's own reason, not found at
recipient 1), and the fake Bot API server (playground/fakebot) parses every message with it.

The tokenizer follows the Bot API server (tdlib's ``parse_html``) closely, including its error
messages and UTF-8 byte offsets, with one deliberate difference: a bare ``&`` that does not
start a valid entity (``&lt; &gt; &amp; &quot; &#NN; &#xNN;``) is an error here, while real
Telegram keeps it literally.  The Bot API documentation says it must be escaped, and an
unescaped ``&`` almost always means user data was interpolated without ``html.escape``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
        "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\r\n\v\0"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class HtmlParseError(ValueError):
    """Raised with Telegram's wording, e.g. ``Unsupported start tag "br" at byte offset 5``."""


@dataclass
class FormattedText:
    """Plain text and its entities (offsets and lengths in UTF-16 code units)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)

    def trimmed(self) -> FormattedText:
        """Strip surrounding whitespace the way Telegram does, keeping entities aligned."""
        stripped = self.text.strip()
        if stripped == self.text:
            return self
        start = utf16_len(self.text[: len(self.text) - len(self.text.lstrip())])
        end = start + utf16_len(stripped)
        entities = []
        for entity in self.entities:
            lo = max(entity["offset"], start)
            hi = min(entity["offset"] + entity["length"], end)
            if hi > lo:
                entities.append({**entity, "offset": lo - start, "length": hi - lo})
        return FormattedText(stripped, entities)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> FormattedText:
    return _HtmlParser(source).parse()


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int


class _HtmlParser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.utf16_offset = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def parse(self) -> FormattedText:
        while self.pos < len(self.src):
            char = self.src[self.pos]
            if char == "&":
                self._emit(self._entity())
            elif char == "<":
                self._tag()
            else:
                self._emit(char)
                self.pos += 1
        if self.stack:
            name = self.stack[-1].name
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return FormattedText("".join(self.out), self.entities)

    # -- helpers -------------------------------------------------------------------------------

    def _emit(self, text: str) -> None:
        self.out.append(text)
        self.utf16_offset += utf16_len(text)

    def _char(self, pos: int | None = None) -> str:
        """The character at ``pos`` (default: current), or "" at the end like tdlib's NUL."""
        pos = self.pos if pos is None else pos
        return self.src[pos] if pos < len(self.src) else ""

    def _byte_offset(self, pos: int) -> int:
        return len(self.src[:pos].encode("utf-8"))

    def _skip_spaces(self) -> None:
        while self._char() and self._char() in _SPACES:
            self.pos += 1

    def _read_until(self, stops: str) -> str:
        start = self.pos
        while self._char() and self._char() not in stops:
            self.pos += 1
        return self.src[start : self.pos]

    # -- character references ------------------------------------------------------------------

    def _entity(self) -> str:
        """Decode ``&...;`` at the current position or raise for a bare ``&``."""
        start = self.pos
        end = self.src.find(";", start)
        body = self.src[start + 1 : end] if end != -1 else ""
        decoded = _decode_reference(body) if 0 < len(body) <= 10 else None
        if decoded is None:
            raise HtmlParseError(
                f"Character '&' at byte offset {self._byte_offset(start)} must be escaped "
                "as &amp; (fakebot is stricter than Telegram here)"
            )
        self.pos = end + 1
        return decoded

    # -- tags ----------------------------------------------------------------------------------

    def _tag(self) -> None:
        begin = self.pos
        self.pos += 1
        if self._char() == "/":
            self._end_tag(begin)
        else:
            self._start_tag(begin)

    def _start_tag(self, begin: int) -> None:
        offset = self._byte_offset(begin)
        name = _ascii_lower(self._read_until(_SPACES + ">"))
        if not self._char():
            raise HtmlParseError(f"Unclosed start tag at byte offset {offset}")
        if name not in SUPPORTED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
        argument = ""
        while self._char() != ">":
            attr, value = self._attribute(name, offset)
            argument = _tag_argument(name, attr, value) or argument
        self.pos += 1
        if name == "span" and argument != "spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        self.stack.append(_OpenTag(name, argument, self.utf16_offset))

    def _attribute(self, tag: str, offset: int) -> tuple[str, str]:
        self._skip_spaces()
        if self._char() == ">":
            return "", ""
        attr = _ascii_lower(self._read_until(_SPACES + "=>"))
        if not attr:
            raise HtmlParseError(f'Empty attribute name in the tag "{tag}" at byte offset {offset}')
        self._skip_spaces()
        if self._char() != "=":
            if tag == "blockquote" and attr == "expandable":
                return attr, ""
            raise HtmlParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {offset}"
            )
        self.pos += 1
        self._skip_spaces()
        if not self._char():
            raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {offset}')
        value = self._quoted_value() if self._char() in "'\"" else self._name_token()
        if not self._char():
            raise HtmlParseError(f"Unclosed start tag at byte offset {offset}")
        return attr, value

    def _quoted_value(self) -> str:
        quote = self._char()
        self.pos += 1
        parts: list[str] = []
        while self._char() and self._char() != quote:
            if self._char() == "&":
                parts.append(self._entity())
            else:
                parts.append(self._char())
                self.pos += 1
        if self._char() == quote:
            self.pos += 1
        return "".join(parts)

    def _name_token(self) -> str:
        start = self.pos
        while self._char() and (self._char().isalnum() or self._char() in ".-"):
            self.pos += 1
        if self._char() and self._char() not in _SPACES + ">":
            raise HtmlParseError(
                f"Unexpected end of name token at byte offset {self._byte_offset(start)}"
            )
        return _ascii_lower(self.src[start : self.pos])

    def _end_tag(self, begin: int) -> None:
        offset = self._byte_offset(begin)
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {offset}")
        self.pos += 1
        name = _ascii_lower(self._read_until(_SPACES + ">"))
        self._skip_spaces()
        if self._char() != ">":
            raise HtmlParseError(f"Unclosed end tag at byte offset {offset}")
        self.pos += 1
        tag = self.stack.pop()
        if name and name != tag.name:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {offset}, expected "</{tag.name}>", '
                f'found "</{name}>"'
            )
        self._add_entity(tag)

    def _add_entity(self, tag: _OpenTag) -> None:
        length = self.utf16_offset - tag.utf16_offset
        if length <= 0:
            return
        entity: dict[str, Any] = {
            "type": _ENTITY_TYPES[tag.name],
            "offset": tag.utf16_offset,
            "length": length,
        }
        if tag.name == "a":
            if not tag.argument:
                return
            entity["url"] = tag.argument
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.argument
        elif tag.name == "pre" and tag.argument:
            entity["language"] = tag.argument
        elif tag.name == "blockquote" and tag.argument == "expandable":
            entity["type"] = "expandable_blockquote"
        self.entities.append(entity)


def _ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only, as tdlib does (``"İ".lower()`` would add a dot)."""
    return text.translate(_ASCII_LOWER)


def _tag_argument(tag: str, attr: str, value: str) -> str:
    """The one attribute Telegram keeps per tag (href, emoji-id, class...); "" otherwise."""
    if tag == "a" and attr == "href":
        return value
    if tag == "tg-emoji" and attr == "emoji-id":
        return value
    if tag == "span" and attr == "class" and value.startswith("tg-"):
        return value[3:]
    if tag in ("code", "pre") and attr == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "blockquote" and attr == "expandable":
        return "expandable"
    return ""


def _decode_reference(body: str) -> str | None:
    """``lt`` -> ``<``, ``#65`` -> ``A``, ``#x41`` -> ``A``; None when not a valid reference."""
    if body in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[body]
    if not body.startswith("#"):
        return None
    digits, base = (body[2:], 16) if body[1:2] in ("x", "X") else (body[1:], 10)
    try:
        code = int(digits, base)
    except ValueError:
        return None
    if not digits.isalnum() or code <= 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)
