"""Staff: a CSV or XLSX course file sent in the chat is imported as `python -m bot
import-courses` imports it (one service call; all or nothing; every problem listed). Anyone
else who sends a file gets the usual word on what the bot reads."""

from __future__ import annotations

from markupsafe import Markup
from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.course_file import MAX_BYTES, CourseFileError, Problem
from handlers import fallback
from handlers.callback_data import Route
from handlers.markup import lines
from handlers.screen import say

SUFFIXES = (".csv", ".xlsx")
SHOWN_PROBLEMS = 30  # a longer list is cut here, with how many more there are
ROOM = 3800  # characters for the problems, leaving room for the last line in one message


def problem_list(t: Translator, problems: list[Problem]) -> Markup:
    """"Nothing was imported" and the problems, "satır N, sütun X: …", within one message."""
    parts: list[str] = [t.text("Nothing was imported. Fix these problems and send the file "
                               "again:")]
    used = len(parts[0])
    for problem in problems[:SHOWN_PROBLEMS]:
        line = t.text("row {row}, column {column}: {problem}", row=problem.row,
                      column=problem.column, problem=t.label(problem.message, **problem.params))
        if used + len(line) + 1 > ROOM:
            break
        parts.append(line)
        used += len(line) + 1
    rest = len(problems) - (len(parts) - 1)
    if rest > 0:
        parts.append(t.plural("…and {n} more problem.", "…and {n} more problems.", rest))
    return lines(parts)


async def course_file(update: Update, context: BotContext) -> None:
    """A document: an admin's course file is imported; anyone else is told what we read."""
    message, t = update.message, context.t
    if message is None or message.document is None:
        return
    if not context.viewer.is_admin:
        await fallback.not_text(update, context)
        return
    document = message.document
    name = document.file_name or ""
    if not name.lower().endswith(SUFFIXES):
        await say(update, context, t.text(
            "I import course lists as CSV (UTF-8) or XLSX files with the columns of the "
            "course file. This file is neither."))
        return
    if document.file_size is None or document.file_size > MAX_BYTES:
        await say(update, context, t.text(
            "The file is larger than {limit} MB; nothing was imported. Split it into smaller "
            "files.", limit=MAX_BYTES // (1024 * 1024)))
        return
    content = bytes(await (await document.get_file()).download_as_bytearray())
    try:
        result = await context.services.publishing.staff_import(
            context.viewer.user_id, name, content)
    except CourseFileError as problems:
        await say(update, context, problem_list(t, problems.problems))
        return
    await say(update, context, t.text(
        "Imported: {created} new, {updated} updated courses. Subscribers are told of the new "
        "ones once.", created=result.created, updated=result.updated))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [MessageHandler(filters.Document.ALL, course_file)]


def buttons() -> list[Route]:
    return []
