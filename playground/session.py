"""`python -m bot playground`: the local Bot API server, the real bot and the page, together.

The bot runs unchanged, as `python -m bot run` in a child process pointed at the local server
(TELEGRAM_API_BASE_URL), with its own database that is made afresh at every start. Ctrl-C
(SIGINT) or SIGTERM stops the bot first, then the page and the server.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from aiohttp import web

from bot.clock import SystemClock
from bot.config import Settings
from bot.services.course_file import parse_course_table, read_table
from bot.services.courses import CourseService
from playground import demo
from playground.fakebot import FakeTelegram
from playground.page import PageFacts, PlaygroundPage
from playground.personas import PERSONAS, admin_ids
from storage.database import Database
from storage.staff import StaffRepository
from storage.users import UserRepository

HOST = "127.0.0.1"
DATABASE = Path("data/playground.sqlite3")
BOT_LOG = Path("data/playground-bot.log")
BOT_USERNAME = "meslek_oyun_alani_bot"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
EXIT_FAILED = 1


@dataclass(frozen=True)
class Speed:
    """The time-bound settings the playground's bot runs with, short enough to watch."""

    reminder_offsets: tuple[timedelta, ...] = (timedelta(minutes=2), timedelta(seconds=30))
    seat_offer_ttl: timedelta = timedelta(minutes=2)

    def environment(self) -> dict[str, str]:
        return {
            "REMINDER_OFFSETS": ",".join(f"{int(o.total_seconds())}s"
                                         for o in self.reminder_offsets),
            "SEAT_OFFER_TTL": f"{int(self.seat_offer_ttl.total_seconds())}s",
        }


class PlaygroundError(Exception):
    """The playground could not start; the message is one line for the operator."""


def run(settings: Settings, speed: Speed) -> int:
    """Serve until Ctrl-C / SIGTERM; the exit code for the command line."""
    try:
        return asyncio.run(Playground(settings, speed).serve())
    except PlaygroundError as exc:
        print(f"Playground: {exc}", file=sys.stderr)
        return EXIT_FAILED


class Playground:
    def __init__(self, settings: Settings, speed: Speed) -> None:
        self.settings = settings
        self.speed = speed
        self.fake = FakeTelegram(bot_username=BOT_USERNAME)
        self.bot: asyncio.subprocess.Process | None = None

    async def serve(self) -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        now = datetime.now(self.settings.timezone)
        courses, soon = demo.course_file(now, self.settings.timezone)
        facts = PageFacts(districts=demo.districts(), soon=soon,
                          reminder_offsets=self.speed.reminder_offsets,
                          seat_offer_ttl=self.speed.seat_offer_ttl,
                          now=lambda: datetime.now(self.settings.timezone))
        page = web.AppRunner(PlaygroundPage(self.fake, facts).make_app(), access_log=None)
        await page.setup()
        try:
            address = await self._bind(page)  # first: a busy port must not cost the database
            await self._fresh_database(courses)
            self.fake.start()
            for person in PERSONAS:
                self.fake.user(person.user_id, person.first_name, last_name=person.last_name)
            await self._start_bot()
            print(f"Meslek Kapısı playground: {address}  (Ctrl-C to stop)", flush=True)
            return await self._until_stopped(stop)
        finally:
            await self._stop_bot()
            await page.cleanup()
            self.fake.stop()

    async def _bind(self, page: web.AppRunner) -> str:
        port = self.settings.playground_port
        try:
            await web.TCPSite(page, HOST, port).start()
        except OSError as exc:
            raise PlaygroundError(f"cannot listen on {HOST}:{port} ({exc.strerror}); "
                                  "set PLAYGROUND_PORT to a free port") from None
        bound = page.addresses[0][1]
        return f"http://{HOST}:{bound}"

    async def _fresh_database(self, courses: str) -> None:
        """The playground's own database, never the production one, with the demo courses."""
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
        timezone = self.settings.timezone
        drafts = parse_course_table(read_table("playground.csv", courses.encode()), timezone)
        db = Database(DATABASE)
        await db.open()
        try:
            await db.migrate()
            await CourseService(db, SystemClock(), timezone).import_drafts(drafts)
            await _grant_roles(db)
        finally:
            await db.close()

    def _bot_environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.speed.environment())
        env.update(
            TELEGRAM_BOT_TOKEN=self.fake.token,
            TELEGRAM_API_BASE_URL=self.fake.base_url,
            DATABASE_PATH=str(DATABASE.resolve()),
            ADMIN_IDS=admin_ids(),
            WEBHOOK_URL="",  # long polling against the local server, whatever .env says
            WEBHOOK_SECRET="",
        )
        return env

    async def _start_bot(self) -> None:
        BOT_LOG.parent.mkdir(parents=True, exist_ok=True)
        with BOT_LOG.open("wb") as log:
            # Its own session: Ctrl-C reaches only us, and we stop the bot in order.
            self.bot = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=self._bot_environment(),
                stdout=log, stderr=log, stdin=asyncio.subprocess.DEVNULL,
                start_new_session=True)
        deadline = asyncio.get_running_loop().time() + START_TIMEOUT
        while not any(call.method == "getUpdates" for call in self.fake.calls):
            if self.bot.returncode is not None:
                raise PlaygroundError(f"the bot stopped at start; see {BOT_LOG}\n"
                                      + _tail(BOT_LOG))
            if asyncio.get_running_loop().time() > deadline:
                raise PlaygroundError(f"the bot did not start within {START_TIMEOUT:g} s; "
                                      f"see {BOT_LOG}")
            await asyncio.sleep(0.05)

    async def _until_stopped(self, stop: asyncio.Event) -> int:
        assert self.bot is not None
        stopping = asyncio.ensure_future(stop.wait())
        exiting = asyncio.ensure_future(self.bot.wait())
        await asyncio.wait({stopping, exiting}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if stop.is_set():
            print("Playground stopped.", flush=True)
            return 0
        print(f"Playground: the bot stopped (exit code {self.bot.returncode}); see {BOT_LOG}\n"
              + _tail(BOT_LOG), file=sys.stderr, flush=True)
        return EXIT_FAILED

    async def _stop_bot(self) -> None:
        bot, self.bot = self.bot, None
        if bot is None or bot.returncode is not None:
            return
        bot.terminate()
        try:
            await asyncio.wait_for(bot.wait(), STOP_TIMEOUT)
        except TimeoutError:
            bot.kill()
            await bot.wait()


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


async def _grant_roles(db: Database) -> None:
    """The personas' roles, as an admin would have granted them with /yetki."""
    now = SystemClock().now()
    async with db.transaction() as conn:
        for persona in PERSONAS:
            if persona.granted is not None:
                await UserRepository(conn).touch(persona.user_id, "tr", now)
                await StaffRepository(conn).set_role(persona.user_id, persona.granted, 0, now)
