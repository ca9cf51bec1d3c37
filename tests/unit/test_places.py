"""A map pin only for the building a place names, in every journey that pins one."""

from bot.services.places import pin_for

CENTRES = [
    ("Buca Mahalle Konağı", 38.38, 27.17),
    ("Konak Meslek Fabrikası", 38.43, 27.14),
    ("Konak Meslek Fabrikası Ek Bina", 38.44, 27.15),
]


def test_a_place_naming_a_centre_gets_its_pin_whatever_follows() -> None:
    assert pin_for("Buca Mahalle Konağı, Salon 2", CENTRES) == (38.38, 27.17)
    assert pin_for("buca mahalle konagi", CENTRES) == (38.38, 27.17)


def test_the_longest_name_wins() -> None:
    assert pin_for("Konak Meslek Fabrikası Ek Bina, 3. kat", CENTRES) == (38.44, 27.15)


def test_a_place_that_names_no_centre_gets_no_pin() -> None:
    assert pin_for("Salon", CENTRES) is None  # a word inside a name is not that building
    assert pin_for("Bostanlı İskelesi", CENTRES) is None
    assert pin_for("Konak", CENTRES) is None


def test_the_start_of_a_name_counts_from_three_words_when_only_one_fits() -> None:
    assert pin_for("Konak Meslek Fabrikası", CENTRES) == (38.43, 27.14)  # its whole name
    assert pin_for("Buca Mahalle Kon", CENTRES) == (38.38, 27.17)
    assert pin_for("Buca Mahalle", CENTRES) is None
    assert pin_for("Konak Meslek Fab", CENTRES) is None  # two buildings begin so
