"""The playground's page server: what it serves, and what it refuses."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.playground.harness import PlaygroundProcess


@pytest.fixture(scope="module")
def playground(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlaygroundProcess]:
    process = PlaygroundProcess(tmp_path_factory.mktemp("playground"))
    try:
        yield process
    finally:
        assert process.stop() == 0, process.output()
        assert process.leftovers() == []


def fetch(url: str, body: Any = None, content_type: str = "application/json"
          ) -> tuple[int, dict[str, str], bytes]:
    data = None if body is None else (body if isinstance(body, bytes)
                                      else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_page_loads_nothing_from_elsewhere(playground: PlaygroundProcess) -> None:
    status, headers, page = fetch(playground.address + "/")
    assert status == 200 and "Oyun alanı" in page.decode()
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert b"http://" not in page and b"https://" not in page
    for name in ("app.js", "style.css"):
        status, _, text = fetch(f"{playground.address}/static/{name}")
        assert status == 200 and b"//cdn" not in text
    assert fetch(playground.address + "/static/../session.py")[0] in (403, 404)


def test_the_database_is_the_playgrounds_own(playground: PlaygroundProcess) -> None:
    assert (playground.workdir / "data" / "playground.sqlite3").exists()
    assert not (playground.workdir / "data" / "meslek.sqlite3").exists()


def test_setup_names_the_people_and_what_is_sped_up(playground: PlaygroundProcess) -> None:
    status, _, body = fetch(playground.address + "/api/setup")
    setup = json.loads(body)
    assert status == 200
    assert [p["role"] for p in setup["personas"]] == [
        "Vatandaş", "İkinci vatandaş", "Yönetici", "Danışman"]
    assert any(d["name"] == "Çiğli" for d in setup["districts"])
    assert any("2 dk ve 30 sn" in line for line in setup["speedups"])
    assert setup["ceremony_command"].startswith("/toren CIG-DEMO-01 ")
    assert setup["commands"]["tr"] and setup["commands"]["en"]


def test_the_api_refuses_what_a_telegram_app_could_not_send(
        playground: PlaygroundProcess, tmp_path: Path) -> None:
    base = playground.address + "/api/chats"
    assert fetch(f"{base}/4242/text", {"text": "hi"})[0] == 404  # not one of the people
    assert fetch(f"{base}/1001/text", b"text=hi", "application/x-www-form-urlencoded")[0] == 415
    assert fetch(f"{base}/1001/text", {"text": ""})[0] == 400
    assert fetch(f"{base}/1001/text", {"text": "x" * 4097})[0] == 400
    assert fetch(f"{base}/1001/location", {"latitude": 91, "longitude": 27})[0] == 400
    assert fetch(f"{base}/1001/language", {"language_code": "de"})[0] == 400
    assert fetch(f"{base}/1001/press", {"message_id": 1, "callback_data": "v1:x"})[0] == 409
    assert fetch(playground.address + "/files/FAKE-DOC-999999-fileid")[0] == 404


def test_a_message_and_its_answer_appear_in_the_history(playground: PlaygroundProcess) -> None:
    status, _, _ = fetch(playground.address + "/api/chats/1002/text", {"text": "/yardim"})
    assert status == 200
    deadline = time.monotonic() + 15
    while True:
        history = json.loads(fetch(playground.address + "/api/chats/1002")[2])
        if any(m["from"]["is_bot"] and "/kurslar" in m.get("text", "")
               for m in history["messages"]):
            break
        assert time.monotonic() < deadline, f"no help text after /yardim: {history}"
        time.sleep(0.05)
    assert history["messages"][0]["text"] == "/yardim"
    assert history["version"] >= 2
