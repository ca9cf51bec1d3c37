"""Which known building a place typed by staff names: the one rule for every map pin
(ceremonies, events, counselling slots, the mobile employment point)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.textsearch import fold

KnownPlace = tuple[str, float, float]


def pin_for(place: str, known: Iterable[KnownPlace]) -> tuple[float, float] | None:
    """The coordinates of the course centre a place names ("Buca Mahalle Konağı, Salon 2"
    names "Buca Mahalle Konağı"): a centre whose whole name is in the place, the longest if
    several; else the one centre whose name the place begins (three words at least). Never
    a guess: no match, or two that fit as well, no pin — a pin on another building sends
    people to the wrong door."""
    wanted = fold(place)
    whole: list[tuple[int, float, float]] = []
    begun: list[tuple[float, float]] = []
    for name, latitude, longitude in known:
        key = fold(name)
        if not key:
            continue
        if key in wanted:
            whole.append((len(key), latitude, longitude))
        elif len(wanted.split()) >= 3 and key.startswith(wanted):
            begun.append((latitude, longitude))
    if whole:
        _, latitude, longitude = max(whole)
        return latitude, longitude
    return begun[0] if len(begun) == 1 else None
