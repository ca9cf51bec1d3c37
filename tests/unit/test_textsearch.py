import pytest

from bot.textsearch import fold, search_terms


@pytest.mark.parametrize("text", ["cigli", "ÇİĞLİ", "Çiğli", "CIGLI", "çiğli"])
def test_district_spellings_fold_alike(text: str) -> None:
    assert fold(text) == "cigli"


def test_turkish_dotted_and_dotless_i() -> None:
    assert fold("KIRAZ") == fold("Kiraz") == "kiraz"
    assert fold("İZMİR ILICA") == "izmir ilica"
    assert fold("Kuaförlük") == "kuaforluk"


def test_search_terms_drop_noise_and_punctuation() -> None:
    assert search_terms("  Kuaför, (Buca)!  a ") == ["kuafor", "buca"]
    assert search_terms("%_' OR 1=1 --") == ["%_", "or", "1=1", "--"]
