"""Command line: `python -m bot [run|migrate|import-courses|export-registrations|backup|
playground]`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import ConfigError, Settings, parse_duration
from bot.i18n import Translator
from bot.logs import configure_logging
from bot.services.course_file import CourseFileError
from storage.database import Database

EXIT_CONFIG = 2
EXIT_BAD_FILE = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Meslek Kapısı bot")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="start the bot (default)")
    commands.add_parser("migrate", help="apply database schema migrations")
    imp = commands.add_parser("import-courses", help="import courses from a CSV or XLSX file")
    imp.add_argument("file", type=Path)
    exp = commands.add_parser("export-registrations", help="registrations as CSV to stdout")
    exp.add_argument("course_code", nargs="?")
    backup = commands.add_parser("backup", help="consistent online copy of the database")
    backup.add_argument("path", type=Path)
    play = commands.add_parser(
        "playground", help="the bot in a browser, with a local Bot API server and no token")
    play.add_argument("--reminder-offsets", default="2m,30s", metavar="DURATIONS",
                      help="REMINDER_OFFSETS of the playground's bot (default: 2m,30s)")
    play.add_argument("--seat-offer-ttl", default="2m", metavar="DURATION",
                      help="SEAT_OFFER_TTL of the playground's bot (default: 2m)")
    return parser


async def _with_db(settings: Settings) -> Database:
    db = Database(settings.database_path)
    await db.open()
    await db.migrate()
    return db


async def _migrate(settings: Settings) -> int:
    db = await _with_db(settings)
    await db.close()
    print(f"Schema is up to date: {settings.database_path}")
    return 0


async def _import(settings: Settings, path: Path) -> int:
    from bot.clock import clock_for
    from bot.i18n import load_catalogues

    t = Translator(load_catalogues()[settings.default_locale], settings.default_locale,
                   settings.timezone)
    if not path.is_file():
        print(t.label("File not found: {path}", path=path), file=sys.stderr)
        return EXIT_BAD_FILE
    from bot.services.course_publishing import CoursePublishing
    from bot.services.courses import CourseService
    from bot.services.registrations import RegistrationService
    from bot.services.reminders import ReminderService

    clock = clock_for(settings.test_clock_file)
    db = await _with_db(settings)
    try:
        # The same call as a file sent in the chat; the running bot sends the seat offers
        # and announces the new courses to their subscribers (the course life sweep).
        reminders = ReminderService(db, clock, settings)
        publishing = CoursePublishing(
            db, clock, CourseService(db, clock, settings.timezone, reminders=reminders),
            RegistrationService(db, clock, settings, reminders=reminders),
            settings.admin_ids)
        result = await publishing.import_file(path.name, path.read_bytes())
    except CourseFileError as exc:
        _print_problems(t, exc)
        return EXIT_BAD_FILE
    finally:
        await db.close()
    print(t.label("Imported: {created} new, {updated} updated courses.",
                  created=result.created, updated=result.updated))
    return 0


def _print_problems(t: Translator, exc: CourseFileError) -> None:
    print(t.label("Nothing was imported. Fix these problems and try again:"), file=sys.stderr)
    for problem in exc.problems:
        print(t.label("row {row}, column {column}: {problem}", row=problem.row,
                      column=problem.column,
                      problem=t.label(problem.message, **problem.params)), file=sys.stderr)


async def _export(settings: Settings, course_code: str | None) -> int:
    from bot.services.roster import roster_csv

    db = await _with_db(settings)
    try:
        sys.stdout.write(await roster_csv(db, settings.timezone, course_code))
    finally:
        await db.close()
    return 0


async def _backup(settings: Settings, path: Path) -> int:
    db = await _with_db(settings)
    try:
        await db.backup(path)
    finally:
        await db.close()
    print(f"Backup written: {path}")
    return 0


def _playground(settings: Settings, offsets: str, ttl: str) -> int:
    from playground.session import Speed, run

    try:
        speed = Speed(tuple(sorted({parse_duration(part) for part in offsets.split(",")})),
                      parse_duration(ttl))
    except ValueError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return run(settings, speed)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = Settings.from_env(require_token=command == "run")
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(settings)
    if command == "run":
        from bot.app import run

        try:
            run(settings)
        except ConfigError as exc:  # a token that Telegram rejects
            print(f"Configuration error: {settings.without_token(str(exc))}", file=sys.stderr)
            return EXIT_CONFIG
        return 0
    if command == "playground":
        return _playground(settings, args.reminder_offsets, args.seat_offer_ttl)
    if command == "migrate":
        return asyncio.run(_migrate(settings))
    if command == "import-courses":
        return asyncio.run(_import(settings, args.file))
    if command == "backup":
        return asyncio.run(_backup(settings, args.path))
    return asyncio.run(_export(settings, args.course_code))


if __name__ == "__main__":
    sys.exit(main())
