"""Turkish prose: a clock time takes the case ending of the number as it is read aloud."""

from __future__ import annotations

from datetime import time

import pytest

from bot.turkish import Case, also, clock, question, with_case


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


@pytest.mark.parametrize(("word", "asked", "also_"), [
    ("Menemen", "Menemen mi", "Menemen de"),
    ("Karaburun", "Karaburun mu", "Karaburun da"),
    ("Buca", "Buca mı", "Buca da"),
    ("Ödemiş", "Ödemiş mi", "Ödemiş de"),
    ("Gördes", "Gördes mi", "Gördes de"),
    ("Torbalı", "Torbalı mı", "Torbalı da"),
    ("Bornova", "Bornova mı", "Bornova da"),
    ("Kuaförlük", "Kuaförlük mü", "Kuaförlük de"),
    ("kuaför", "kuaför mü", "kuaför de"),
    ("İZMİR", "İZMİR mi", "İZMİR de"),
    ("MEB", "MEB mi", "MEB de"),          # spelled out: me-e-be
    ("KVKK", "KVKK mi", "KVKK de"),       # ke-ve-ke-ke
    ("İngilizce (A1)", "İngilizce (A1) mi", "İngilizce (A1) de"),  # "bir"
    ("2026", "2026 mı", "2026 da"),       # "altı"
    ("1990", "1990 mı", "1990 da"),       # "doksan"
    ("100", "100 mü", "100 de"),          # "yüz"
])
def test_the_question_particle_and_de_follow_the_last_vowel(word: str, asked: str,
                                                           also_: str) -> None:
    assert question(word) == asked
    assert also(word) == also_


@pytest.mark.parametrize(("word", "case", "written"), [
    ("Buca", Case.LOCATIVE, "Buca'da"), ("Çiğli", Case.ABLATIVE, "Çiğli'den"),
    ("Ödemiş", Case.LOCATIVE, "Ödemiş'te"), ("Bornova", Case.DATIVE, "Bornova'ya"),
    ("MEB", Case.LOCATIVE, "MEB'de"), ("Karşıyaka", Case.DATIVE, "Karşıyaka'ya"),
])
def test_a_name_takes_its_case_ending_after_an_apostrophe(word: str, case: Case,
                                                          written: str) -> None:
    assert with_case(word, case) == written


def test_the_translator_asks_in_turkish_and_names_the_word_in_english() -> None:
    from bot.i18n import Asked
    from tests.unit.test_i18n import translator
    message = "There is no district called “{text}”. Did you mean {suggestion}?"
    assert "Menemen mi demek istediniz?" in translator().text(
        message, text="Menemn", suggestion=Asked("Menemen"))
    assert "Did you mean Menemen?" in translator("en").text(
        message, text="Menemn", suggestion=Asked("Menemen"))
