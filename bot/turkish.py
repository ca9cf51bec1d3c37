"""Turkish grammar the messages need: endings and particles after a word we do not know in
advance (a district, a course, a clock time written in digits).

Turkish attaches the case ending to the word as it is read aloud, with an apostrophe:
"saat 10.00'da" (on), "saat 14.00'te" (on dört), "saat 00.21'e kadar" (yirmi bir). The ending
follows the last vowel spoken — of the minutes when they are not zero, else of the hour — by
vowel harmony, and after a voiceless consonant (ç f h k p s ş t) d becomes t. The question
particle and "de/da" (also) are written apart and follow the same last vowel: "Menemen mi",
"Karaburun mu", "Buca mı", "kuaför de". A number is read aloud ("2026" → "altı"), and an
abbreviation without vowels is spelled out ("MEB" → "be", "KVKK" → "ke").
"""

from __future__ import annotations

from datetime import time
from enum import Enum

_UNITS = ("sıfır", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz")
_TENS = ("", "on", "yirmi", "otuz", "kırk", "elli")
_BACK_VOWELS = set("aıou")
_FRONT_VOWELS = set("eiöü")
_VOICELESS = set("çfhkpsşt")
_ROUNDED = set("oöuü")
_POWERS = ((1_000_000_000, "milyar"), (1_000_000, "milyon"), (1000, "bin"), (100, "yüz"))
# How a consonant is said when an abbreviation is spelled out: "MEB" is "me-e-be".
_LETTER_NAMES = {"b": "be", "c": "ce", "ç": "çe", "d": "de", "f": "fe", "g": "ge",
                 "ğ": "ge", "h": "he", "j": "je", "k": "ke", "l": "le", "m": "me", "n": "ne",
                 "p": "pe", "r": "re", "s": "se", "ş": "şe", "t": "te", "v": "ve", "y": "ye",
                 "z": "ze", "q": "ku", "w": "ve", "x": "iks"}


class Case(Enum):
    """The case endings used after a time: -da (at), -a (until), -dan (from)."""

    LOCATIVE = "locative"
    DATIVE = "dative"
    ABLATIVE = "ablative"


def last_word(number: int) -> str:
    """The last word of a number from 0 to 59 read aloud (21 → "bir", 40 → "kırk")."""
    if number % 10 or number == 0:
        return _UNITS[number % 10]
    return _TENS[number // 10]


def number_spoken(number: int) -> str:
    """The last word of a whole number read aloud: 2026 → "altı", 1990 → "doksan",
    100 → "yüz", 3000 → "bin"."""
    if number % 10 or number == 0:
        return _UNITS[number % 10]
    if number % 100:
        return ("", "on", "yirmi", "otuz", "kırk", "elli", "altmış", "yetmiş", "seksen",
                "doksan")[(number // 10) % 10]
    for power, name in _POWERS:
        if number % power == 0:
            return name
    return _UNITS[0]  # not reached: every multiple of 100 is one of the powers


def _lower(text: str) -> str:
    return text.replace("I", "ı").replace("İ", "i").lower()


def spoken(word: str) -> str:
    """The end of a word as it is read aloud, enough for its ending to follow it: a number's
    last word, an abbreviation's last letter name, else the word itself in lower case."""
    stripped = word.strip().rstrip(".!?…)»”\"'’ ")
    if not stripped:
        return word
    tail = stripped.split()[-1] if stripped.split() else stripped
    digits = ""
    for char in reversed(tail):
        if not char.isdigit():
            break
        digits = char + digits
    if digits:
        return number_spoken(int(digits[-12:]))
    lowered = _lower(tail)
    has_vowel = any(c in _BACK_VOWELS | _FRONT_VOWELS for c in lowered)
    letters = [c for c in lowered if c.isalpha()]
    if letters and tail.isupper() and not has_vowel:  # "MEB", "KVKK": spelled out
        return _LETTER_NAMES.get(letters[-1], letters[-1])
    return lowered


def _last_vowel(word: str) -> str:
    vowels = [c for c in spoken(word) if c in _BACK_VOWELS | _FRONT_VOWELS]
    return vowels[-1] if vowels else "e"


def question(word: str) -> str:
    """The word with the question particle, written apart: "Menemen mi", "Buca mı",
    "Karaburun mu", "Ödemiş mi", "Gördes mi", "Torbalı mı"."""
    vowel = _last_vowel(word)
    if vowel in _BACK_VOWELS:
        particle = "mu" if vowel in _ROUNDED else "mı"
    else:
        particle = "mü" if vowel in _ROUNDED else "mi"
    return f"{word} {particle}"


def also(word: str) -> str:
    """The word with "de/da" (also), written apart: "kuaför de", "Buca da", "2026 da"."""
    return f"{word} {'da' if _last_vowel(word) in _BACK_VOWELS else 'de'}"


def with_case(word: str, case: Case) -> str:
    """A name with its case ending after an apostrophe: "Buca'da", "Bornova'ya",
    "Çiğli'den", "Ödemiş'te", "MEB'de"."""
    return f"{word}'{suffix(spoken(word), case)}"


def suffix(word: str, case: Case) -> str:
    """The case ending of a Turkish word: suffix("dört", Case.LOCATIVE) == "te"."""
    word = spoken(word)
    back = _last_vowel(word) in _BACK_VOWELS
    a = "a" if back else "e"
    ends_in_vowel = word[-1] in _BACK_VOWELS | _FRONT_VOWELS
    if case is Case.DATIVE:
        return ("y" + a) if ends_in_vowel else a
    d = "t" if word[-1] in _VOICELESS else "d"
    return d + a + ("n" if case is Case.ABLATIVE else "")


def clock(value: time, case: Case | None = None) -> str:
    """A time as Turkish prose writes it, "14.00", with its case ending: "14.00'te"."""
    digits = f"{value.hour:02d}.{value.minute:02d}"
    if case is None:
        return digits
    spoken = last_word(value.minute if value.minute else value.hour)
    return f"{digits}'{suffix(spoken, case)}"
