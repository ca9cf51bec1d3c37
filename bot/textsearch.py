"""Folding and reading search text, so that `cigli`, `ÇİĞLİ` and `Çiğli` compare equal, and
"Buca'da muhasebe kursu var mı?" searches for `buca` and `muhasebe`."""

from __future__ import annotations

import unicodedata

_TURKISH = str.maketrans(
    {"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i", "û": "u"}
)
_APOSTROPHES = ("'", "’", "‘", "`", "´")
_PUNCTUATION = ".,;:!?()[]{}\"“”«»…"
# Words of a question that say nothing about which course (folded): "kurs var mı", "nerede",
# "istiyorum"… A query of nothing but these (or greetings) is small talk.
FILLER = frozenset([
    "kurs", "kursu", "kurslar", "kurslari", "kursunuz", "kursa", "kursun", "kurslarda",
    "kursta", "var", "mi", "mu", "midir", "mudur", "yok", "varmi", "varmidir", "nerede",
    "nerde", "nereden", "nasil", "ne", "zaman", "hangi", "istiyorum", "isterim", "ariyorum",
    "lazim", "olan", "acik", "olarak", "icin", "ile", "ve", "veya", "bir", "bu", "su", "da",
    "de", "ki", "bana", "bize", "benim", "acaba", "lutfen", "rica", "ediyorum", "hakkinda",
    "alabilir", "miyim", "ogrenmek", "course", "courses", "is", "there", "any", "a", "the",
    "in", "of", "for", "want", "looking",
])
GREETINGS = frozenset([
    "merhaba", "merhabalar", "selam", "selamlar", "slm", "mrb", "gunaydin", "iyi", "gunler",
    "aksamlar", "geceler", "hayirli", "sabahlar", "tesekkur", "tesekkurler", "tesekkur",
    "ederim", "sagol", "sagolun", "saol", "eyvallah", "tamam", "ok", "okey", "peki", "evet",
    "hayir", "hosca", "kal", "gorusuruz", "nasilsin", "naber", "hello", "hi", "hey",
    "thanks", "thank", "you", "bye",
])


def fold(text: str) -> str:
    """Lower-case ASCII-ish form of Turkish text, for search keys and queries."""
    lowered = text.replace("I", "ı").replace("İ", "i").lower().translate(_TURKISH)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def _words(query: str) -> list[str]:
    """Folded words, a suffix after an apostrophe dropped ("buca'da" → "buca")."""
    words = []
    for raw in query.split():
        word = raw
        for mark in _APOSTROPHES:
            word = word.split(mark, 1)[0] if mark in word[1:] else word.replace(mark, "")
        word = fold(word).strip(_PUNCTUATION)
        if word:
            words.append(word)
    return words


def search_terms(query: str, limit: int = 6) -> list[str]:
    """The folded words of a query worth searching for (at most `limit`)."""
    words = [w for w in _words(query) if w not in FILLER and w not in GREETINGS]
    return [w for w in words if len(w) >= 2][:limit]


def is_small_talk(query: str) -> bool:
    """A greeting, thanks, an emoji: nothing a course could match."""
    words = [w for w in _words(query) if any(c.isalnum() for c in w)]
    return all(w in GREETINGS or w in FILLER for w in words)


def matches(term: str, key: str) -> bool:
    """A term is in a course's search key, or is one of its words with a suffix ("bucada",
    "muhasebeci"): a key word of four letters or more that the term starts with."""
    if term in key:
        return True
    return len(term) >= 5 and any(len(word) >= 4 and term.startswith(word)
                                  for word in key.split())


ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyz"
_ORDER = {letter: index for index, letter in enumerate(ALPHABET)}


def turkish_order(text: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key in Turkish alphabetical order: c < ç < d, g < ğ, ı < i, o < ö, s < ş, u < ü
    ("Çeşitli" before "Yiyecek"; "İngilizce" after "Işık")."""
    lowered = text.replace("I", "ı").replace("İ", "i").lower()
    return tuple((0, _ORDER[c], c) if c in _ORDER else (1, 0, c) for c in lowered)
