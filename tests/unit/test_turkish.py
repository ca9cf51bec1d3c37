"""Turkish prose: a clock time takes the case ending of the number as it is read aloud."""

from __future__ import annotations

from datetime import time

import pytest

from bot.turkish import Case, clock


@pytest.mark.parametrize(("at", "locative", "dative"), [
    (time(10, 0), "10.00'da", "10.00'a"),      # on
    (time(14, 0), "14.00'te", "14.00'e"),      # on dört
    (time(0, 21), "00.21'de", "00.21'e"),      # yirmi bir
    (time(9, 30), "09.30'da", "09.30'a"),      # otuz
    (time(12, 0), "12.00'de", "12.00'ye"),     # on iki
    (time(16, 0), "16.00'da", "16.00'ya"),     # on altı
    (time(19, 40), "19.40'ta", "19.40'a"),     # kırk
    (time(13, 0), "13.00'te", "13.00'e"),      # on üç
    (time(15, 0), "15.00'te", "15.00'e"),      # on beş
    (time(0, 0), "00.00'da", "00.00'a"),       # sıfır
    (time(20, 50), "20.50'de", "20.50'ye"),    # elli
])
def test_time_with_its_case_ending(at: time, locative: str, dative: str) -> None:
    assert clock(at, Case.LOCATIVE) == locative
    assert clock(at, Case.DATIVE) == dative
    assert clock(at) == locative.split("'")[0]


def test_ablative() -> None:
    assert clock(time(9, 0), Case.ABLATIVE) == "09.00'dan"
    assert clock(time(14, 0), Case.ABLATIVE) == "14.00'ten"
