"""Turkish grammar the messages need: the case suffix after a clock time written in digits.

Turkish attaches the case ending to the number as it is read aloud, with an apostrophe:
"saat 10.00'da" (on), "saat 14.00'te" (on dört), "saat 00.21'e kadar" (yirmi bir). The ending
follows the last word spoken — the minutes when they are not zero, else the hour — by vowel
harmony, and after a voiceless consonant (ç f h k p s ş t) d becomes t.
"""

from __future__ import annotations

from datetime import time
from enum import Enum

_UNITS = ("sıfır", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz")
_TENS = ("", "on", "yirmi", "otuz", "kırk", "elli")
_BACK_VOWELS = set("aıou")
_FRONT_VOWELS = set("eiöü")
_VOICELESS = set("çfhkpsşt")


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


def suffix(word: str, case: Case) -> str:
    """The case ending of a Turkish word: suffix("dört", Case.LOCATIVE) == "te"."""
    vowels = [c for c in word if c in _BACK_VOWELS | _FRONT_VOWELS]
    back = bool(vowels) and vowels[-1] in _BACK_VOWELS
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
