"""Both catalogues are complete: no missing, fuzzy or placeholder-mismatched message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.config import SUPPORTED_LOCALES
from bot.i18n import load_catalogues

LOCALES = Path(__file__).resolve().parents[2] / "locales"
PLACEHOLDER = re.compile(r"\{(\w*)\}")
TAG = re.compile(r"</?(\w+)")


def _messages(locale: str) -> list:
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as fp:
        return [m for m in read_po(fp, locale=locale) if m.id]


def _ids(path: Path) -> set[str]:
    with path.open("rb") as fp:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fp) if m.id}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalogue_is_complete(locale: str) -> None:
    messages = _messages(locale)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in messages}
    assert _ids(LOCALES / "messages.pot") <= translated, "run `make extract` and translate"
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert "fuzzy" not in message.flags, message.id
        assert all(strings), f"untranslated: {message.id!r}"
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= wanted | {"n"}, message.id
            assert set(PLACEHOLDER.findall(string)) >= wanted - {"n"}, message.id
            assert sorted(TAG.findall(string)) == sorted(TAG.findall(ids[0])), message.id


def test_the_code_and_the_template_agree(tmp_path: Path) -> None:
    """Every msgid in the code is in messages.pot (the template is not stale)."""
    import subprocess
    import sys

    fresh_pot = tmp_path / "fresh.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
         str(LOCALES / "babel.cfg"), "-k", "text", "-k", "label", "-k", "plural:1,2", "-k",
         "N_", "--no-default-keywords", "-o", str(fresh_pot), "bot", "handlers"],
        cwd=LOCALES.parent, capture_output=True, text=True, check=True,
    )
    out = fresh_pot.read_text(encoding="utf-8")
    fresh = {m.group(1) for m in re.finditer(r'^msgid "(.+)"$', out, re.M)}
    template = (LOCALES / "messages.pot").read_text(encoding="utf-8")
    missing = [m for m in fresh if f'msgid "{m}"' not in template]
    assert not missing, f"run `make extract`: {missing[:5]}"


def test_compiled_catalogues_load() -> None:
    catalogues = load_catalogues()
    assert catalogues["tr"].gettext("Back") == "Geri"
    assert catalogues["en"].gettext("Back") == "Back"
