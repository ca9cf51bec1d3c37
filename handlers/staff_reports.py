"""Staff reports: /kayitlar <CODE> (CSV) and /istatistik (figures, chart, XLSX)."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.errors import DomainError
from bot.i18n import N_
from handlers import report_files, staff_views
from handlers.permissions import admin_only
from handlers.screen import say


@admin_only
async def registrations(update: Update, context: BotContext) -> None:
    """/kayitlar <CODE>: the course's registrations and waiting list as a CSV file."""
    args = context.args or []
    if len(args) != 1:
        raise DomainError(N_("Write the course code: /kayitlar KOD, for example "
                             "/kayitlar BUC-MUH-01."))
    roster = await context.services.staff_courses.roster(context.viewer.user_id, args[0])
    chat = update.effective_chat
    if chat is None:
        return
    code = roster.figures.course.code
    await context.bot.send_document(
        chat.id, InputFile(roster.csv.encode("utf-8"), filename=f"kayitlar-{code}.csv"),
        caption=staff_views.roster_caption(context.t, roster.figures))


@admin_only
async def statistics(update: Update, context: BotContext) -> None:
    """/istatistik: the figures as a message, a chart (PNG) and a workbook (XLSX)."""
    stats = await context.services.statistics.statistics(context.viewer.user_id)
    chat = update.effective_chat
    if chat is None:
        return
    t = context.t
    await say(update, context, staff_views.statistics(t, stats))
    # Drawing and zipping take a few hundred milliseconds: not on the event loop.
    chart = await asyncio.to_thread(report_files.registrations_chart, t, stats)
    await context.bot.send_photo(chat.id, InputFile(chart, filename="kayitlar.png"),
                                 caption=t.text("Registrations and waiting lists by district"))
    book = await asyncio.to_thread(report_files.statistics_workbook, t, stats)
    await context.bot.send_document(
        chat.id, InputFile(book, filename=f"istatistik-{stats.annual.year}.xlsx"),
        caption=t.text("Annual activity report {year} and the figures by district and branch.",
                       year=stats.annual.year))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("kayitlar", registrations),
        CommandHandler("istatistik", statistics),
    ]
