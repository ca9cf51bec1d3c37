"""The HTTP side: an aiohttp app speaking the Bot API, run on a background thread's loop."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from aiohttp import web

from .methods import BotApi, Files
from .state import TelegramState

HOST = "127.0.0.1"
MAX_UPLOAD = 64 * 1024 * 1024
SHUTDOWN_TIMEOUT = 2.0
START_TIMEOUT = 10.0


class ApiHttpServer:
    """Serves ``/bot<token>/<method>`` (the API) and ``/file/bot<token>/<path>`` (files)."""

    def __init__(self, api: BotApi, state: TelegramState) -> None:
        self._api = api
        self._state = state

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        app.router.add_route("*", "/bot{token}/{method}", self._call)
        return app

    async def _call(self, request: web.Request) -> web.Response:
        raw, files = await read_parameters(request)
        method = request.match_info["method"]
        status, body = await self._api.handle(request.match_info["token"], method, raw, files)
        dropped = status == 200 and self._state.faults.take_drop(method, raw.get("chat_id"))
        if dropped and request.transport is not None:
            # Carried out and recorded, but the connection goes before the answer does.
            request.transport.abort()  # the answer below goes nowhere
        return web.json_response(body, status=status)

    async def _download(self, request: web.Request) -> web.Response:
        stored = self._state.files.by_path(request.match_info["path"])
        if request.match_info["token"] != self._state.token or stored is None:
            body = {"ok": False, "error_code": 404, "description": "Not Found"}
            return web.json_response(body, status=404)
        return web.Response(body=stored.content, content_type=stored.mime_type)


async def read_parameters(request: web.Request) -> tuple[dict[str, Any], Files]:
    """Query string, url-encoded form, multipart form (files) or JSON body, as Telegram accepts."""
    raw: dict[str, Any] = dict(request.query)
    files: Files = {}
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            raw.update(body)
    elif request.body_exists:
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                with contextlib.closing(value.file):
                    files[name] = (value.filename, value.file.read())
            else:
                raw[name] = value
    return raw, files


class ServerThread:
    """Runs an aiohttp app on 127.0.0.1 (free port) in a daemon thread with its own loop."""

    def __init__(
        self,
        make_app: Callable[[], web.Application],
        *,
        on_start: Callable[[asyncio.AbstractEventLoop], None],
        on_stop: Callable[[], None],
    ) -> None:
        self._make_app = make_app
        self._on_start = on_start
        self._on_stop = on_stop
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self.port: int | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> int:
        if self._thread is not None:
            raise RuntimeError("the fake Telegram server is already running")
        self._ready.clear()
        self._error = None
        self._thread = threading.Thread(target=self._run, name="fakebot-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise RuntimeError("the fake Telegram server did not start in time")
        if self._error is not None or self.port is None:
            self._thread.join()
            self._thread = None
            raise RuntimeError("the fake Telegram server failed to start") from self._error
        return self.port

    def stop(self) -> None:
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(self._begin_stop)
        thread.join()
        self._thread = None
        self.port = None

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        runner: web.AppRunner | None = None
        try:
            runner = loop.run_until_complete(self._serve())
            self._ready.set()
            loop.run_forever()
        except BaseException as exc:  # reported to start()
            self._error = exc
        finally:
            self._ready.set()
            if runner is not None:
                loop.run_until_complete(runner.cleanup())
            _cancel_remaining_tasks(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()
            self._loop = None

    async def _serve(self) -> web.AppRunner:
        # handler_cancellation: a long poll whose client went away (bot stopped or killed) ends
        # at once instead of lingering until its timeout and conflicting with the next poll.
        runner = web.AppRunner(
            self._make_app(),
            access_log=None,
            shutdown_timeout=SHUTDOWN_TIMEOUT,
            handler_cancellation=True,
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, HOST, 0)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self.port = int(runner.addresses[0][1])
        self._runner, self._site = runner, site
        self._on_start(asyncio.get_running_loop())
        return runner

    def _on_loop(self, coroutine: Coroutine[Any, Any, None]) -> None:
        if self._loop is None:
            raise RuntimeError("the fake Telegram server is not running")
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(START_TIMEOUT)

    def refuse_connections(self) -> None:
        """Stop listening and hang up idle keep-alive connections: a client's next call must
        connect anew, and the connection is refused (nothing reaches the server). A call in
        progress, such as a long poll, is left alone."""
        self._on_loop(self._refuse())

    def accept_connections(self) -> None:
        """Listen again on the same port."""
        self._on_loop(self._accept())

    async def _refuse(self) -> None:
        assert self._runner is not None
        if self._site is not None:
            await self._site.stop()
            self._site = None
        server = self._runner.server
        for handler in list(server.connections if server else []):
            if not handler._request_in_progress:
                handler.force_close()

    async def _accept(self) -> None:
        assert self._runner is not None and self.port is not None
        if self._site is None:
            self._site = web.TCPSite(self._runner, HOST, self.port)
            await self._site.start()

    def _begin_stop(self) -> None:
        self._on_stop()
        assert self._loop is not None
        self._loop.stop()


def _cancel_remaining_tasks(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
