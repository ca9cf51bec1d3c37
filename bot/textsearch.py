"""Folding text so that `cigli`, `ÇİĞLİ` and `Çiğli` compare equal."""

from __future__ import annotations

import unicodedata

_TURKISH = str.maketrans(
    {"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i", "û": "u"}
)


def fold(text: str) -> str:
    """Lower-case ASCII-ish form of Turkish text, for search keys and queries."""
    lowered = text.replace("I", "ı").replace("İ", "i").lower().translate(_TURKISH)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def search_terms(query: str, limit: int = 6) -> list[str]:
    """The folded words of a query worth searching for (at most `limit`)."""
    words = [w.strip(".,;:!?()[]{}\"'") for w in fold(query).split()]
    return [w for w in words if len(w) >= 2][:limit]
